/**
 * The sandbox's stateful contact directory (通讯录): departments, users and tags seeded from directory.ts at start
 * (and on reset), changed by the contacts API. Plus the per-app settings that decide what a token may see or do:
 * the visible range (可见范围), the "created after 2022-06-20" privacy flag, the sync secret's new-IP rule and the
 * trusted-IP check.
 */
import { createHash } from 'node:crypto';

import { DEPARTMENTS, NAMED_USERS, TAGS } from './directory';

export interface ContactUser {
	userid: string;
	name: string;
	department: number[];
	order: number[];
	is_leader_in_dept: number[];
	direct_leader: string[];
	main_department: number;
	position: string;
	mobile: string;
	gender: string;
	email: string;
	biz_mail: string;
	telephone: string;
	alias: string;
	address: string;
	avatar: string;
	thumb_avatar: string;
	qr_code: string;
	status: number;
	enable: number;
	extattr: { attrs: unknown[] };
	external_position: string;
	external_profile: Record<string, unknown>;
	/** Whether the member joined WeChat (convert_to_openid works only then: 43004 otherwise). */
	onWeChat: boolean;
}

export interface ContactDepartment {
	id: number;
	name: string;
	name_en: string;
	parentid: number;
	order: number;
	department_leader: string[];
}

export interface ContactTag {
	tagid: number;
	tagname: string;
	/** The app (secret) that created it: only it may change the tag or its members (81011 otherwise). */
	owner: string;
	users: Set<string>;
	parties: Set<number>;
}

/** How an app's token behaves toward the contacts API. */
export interface ContactsAppSettings {
	/** 'app': a self-built app secret (read-only, visible range); 'contacts': the 通讯录同步 secret (writes). */
	kind: 'app' | 'contacts';
	/** Created after 2022-06-20 20:00: user reads lose avatar, gender, mobile, email, biz_mail, qr_code, address. */
	newApp: boolean;
	/** Visible range (app only). Default: the root department, i.e. everyone. */
	visibleDepartments: number[];
	visibleUsers: string[];
	visibleTags: number[];
	/** Sync secret called from an IP added after 2022-08-15: detailed reads answer 48009. */
	newIp: boolean;
	/** The calling IP is not in the app's trusted IPs (企业可信IP): every call answers 60020. */
	untrustedIp: boolean;
}

export const DEFAULT_APP_SETTINGS: ContactsAppSettings = {
	kind: 'app',
	newApp: false,
	visibleDepartments: [1],
	visibleUsers: [],
	visibleTags: [],
	newIp: false,
	untrustedIp: false,
};

/** The fields an app created after 2022-06-20 no longer receives (page 90196: 头像、性别、手机、邮箱、企业邮箱、二维码、地址). */
export const PRIVACY_FIELDS = ['avatar', 'thumb_avatar', 'gender', 'mobile', 'email', 'biz_mail', 'qr_code', 'address'] as const;

export const openidOf = (userid: string): string => `oSbx${createHash('sha256').update(userid).digest('base64url').slice(0, 24)}`;

function seedUser(index: number, seed: (typeof NAMED_USERS)[number]): ContactUser {
	const number = 13800000001 + index;
	return {
		userid: seed.userid,
		name: seed.name,
		department: [...seed.department],
		order: seed.department.map(() => 0),
		is_leader_in_dept: seed.department.map(() => (index === 0 ? 1 : 0)),
		direct_leader: index === 0 ? [] : ['zhangsan'],
		main_department: seed.department[0],
		position: index === 0 ? '研发总监' : '工程师',
		mobile: String(number),
		gender: index % 2 === 0 ? '1' : '2',
		email: `${seed.userid}@sandbox.example`,
		biz_mail: `${seed.userid}@sandbox.wecom.work`,
		telephone: `020-8000${index}`,
		alias: seed.userid.toUpperCase(),
		address: '广州市海珠区',
		avatar: `https://wework.qpic.cn/sandbox/${seed.userid}/0`,
		thumb_avatar: `https://wework.qpic.cn/sandbox/${seed.userid}/100`,
		qr_code: `https://open.work.weixin.qq.com/wwopen/userQRCode?vcode=${seed.userid}`,
		status: 1,
		enable: 1,
		extattr: { attrs: [{ type: 0, name: '工号', text: { value: `E${1000 + index}` } }] },
		external_position: '',
		external_profile: {},
		onWeChat: index !== 4,
	};
}

export class ContactsState {
	users = new Map<string, ContactUser>();
	departments = new Map<number, ContactDepartment>();
	tags = new Map<number, ContactTag>();
	/** Per app secret; apps without an entry use DEFAULT_APP_SETTINGS (contacts secrets: kind 'contacts'). */
	settings = new Map<string, Partial<ContactsAppSettings>>();
	/** Lookups that found nobody (WeCom blocks a day after 20 % of headcount). */
	failedLookups = 0;
	/** Called with the fields of a change_contact callback after every change (the server posts it when asked to). */
	onChange?: (fields: Record<string, string>) => void;

	constructor(readonly defaultAppSecret: string) {
		this.seed();
	}

	seed(): void {
		this.users.clear();
		this.departments.clear();
		this.tags.clear();
		this.failedLookups = 0;
		for (const department of DEPARTMENTS) this.departments.set(department.id, { ...department, department_leader: department.id === 2 ? ['zhangsan'] : [] });
		NAMED_USERS.forEach((seed, index) => this.users.set(seed.userid, seedUser(index, seed)));
		for (const tag of TAGS) {
			const members = tag.tagid === 2 ? ['zhangsan', 'lisi'] : tag.tagid === 1 ? ['zhangsan'] : [];
			this.tags.set(tag.tagid, { ...tag, owner: this.defaultAppSecret, users: new Set(members), parties: new Set(tag.tagid === 3 ? [2] : []) });
		}
	}

	/** Adds `count` users user000001… to a department (for paging tests); returns their IDs. */
	addBulkUsers(count: number, department = 2): string[] {
		const ids: string[] = [];
		const start = this.users.size;
		for (let n = 0; n < count; n++) {
			const userid = `bulk${String(start + n).padStart(6, '0')}`;
			const user = seedUser(5, { userid, name: `批量${start + n}`, department: [department] });
			user.mobile = String(15000000000 + start + n);
			this.users.set(userid, user);
			ids.push(userid);
		}
		return ids;
	}

	emit(fields: Record<string, string>): void {
		this.onChange?.(fields);
	}

	settingsOf(secret: string, kind: 'app' | 'contacts'): ContactsAppSettings {
		return { ...DEFAULT_APP_SETTINGS, kind, ...(this.settings.get(secret) ?? {}) };
	}

	user(userid: string): ContactUser | undefined {
		return this.users.get(userid.toLowerCase());
	}

	/** The department and every department below it. */
	subtree(id: number): number[] {
		const result: number[] = [];
		const visit = (parent: number) => {
			if (!this.departments.has(parent)) return;
			result.push(parent);
			for (const child of this.departments.values()) if (child.parentid === parent && child.id !== parent) visit(child.id);
		};
		visit(id);
		return result;
	}

	depth(id: number): number {
		let depth = 0;
		for (let current = this.departments.get(id); current && current.parentid !== 0; current = this.departments.get(current.parentid)) depth++;
		return depth + 1;
	}

	visibleDepartmentIds(settings: ContactsAppSettings): Set<number> {
		if (settings.kind === 'contacts') return new Set(this.departments.keys());
		const ids = new Set<number>();
		for (const root of settings.visibleDepartments) for (const id of this.subtree(root)) ids.add(id);
		return ids;
	}

	canSeeUser(settings: ContactsAppSettings, user: ContactUser): boolean {
		if (settings.kind === 'contacts') return true;
		if (settings.visibleUsers.includes(user.userid)) return true;
		const departments = this.visibleDepartmentIds(settings);
		if (user.department.some((id) => departments.has(id))) return true;
		return settings.visibleTags.some((tagid) => this.tags.get(tagid)?.users.has(user.userid));
	}

	canSeeDepartment(settings: ContactsAppSettings, id: number): boolean {
		return this.visibleDepartmentIds(settings).has(id);
	}

	/** A user as an app sees it: departments outside its range dropped, privacy fields withheld from new apps. */
	userView(settings: ContactsAppSettings, user: ContactUser): Record<string, unknown> {
		const visible = this.visibleDepartmentIds(settings);
		const keep = user.department.map((id, index) => ({ id, index })).filter(({ id }) => visible.has(id));
		const view: Record<string, unknown> = {
			userid: user.userid,
			name: user.name,
			department: keep.map(({ id }) => id),
			order: keep.map(({ index }) => user.order[index] ?? 0),
			position: user.position,
			mobile: user.mobile,
			gender: user.gender,
			email: user.email,
			biz_mail: user.biz_mail,
			is_leader_in_dept: keep.map(({ index }) => user.is_leader_in_dept[index] ?? 0),
			direct_leader: [...user.direct_leader],
			avatar: user.avatar,
			thumb_avatar: user.thumb_avatar,
			telephone: user.telephone,
			alias: user.alias,
			address: user.address,
			extattr: user.extattr,
			status: user.enable === 0 ? 2 : user.status,
			qr_code: user.qr_code,
			external_position: user.external_position,
			external_profile: user.external_profile,
		};
		if (visible.has(user.main_department)) view.main_department = user.main_department;
		if (settings.newApp) {
			for (const field of PRIVACY_FIELDS) delete view[field];
			// page 90196: the withheld fields are not returned, and a gender that may not be read is "0" (不可获取指返回值0)
			view.gender = '0';
		}
		return view;
	}
}
