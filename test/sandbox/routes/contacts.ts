/**
 * Contacts (通讯录, pages 90193-90216, 95350/95351, 95402, 95895, 96067, 90975): users, departments and tags over
 * the stateful directory in contacts.ts, with WeCom's permission rules:
 * - writes (user/department create·update·delete, batchdelete) only with the 通讯录同步 secret: 48002 for app secrets;
 * - user/list_id only with the sync secret (48002);
 * - the sync secret from a new IP may not call user/get, simplelist, list, department/list, get (48009);
 * - app secrets read within their visible range (60011 outside it) and apps created after 2022-06-20 do not get
 *   the privacy fields;
 * - tags change only by the app that created them (81011).
 */
import { openidOf, type ContactDepartment, type ContactsAppSettings, type ContactUser } from '../contacts';
import { fail } from '../errors';
import { arrayField, optionalInt, optionalString, requiredString } from '../fields';
import { charCount, isRecord, utf8Bytes } from '../util';
import { appOf, jsonBody, ok, type Route, type RouteContext, type RouteResult } from './context';

type Need = 'read' | 'detailedRead' | 'write' | 'syncOnly';

interface Access {
	settings: ContactsAppSettings;
	secret: string;
}

function access(ctx: RouteContext, need: Need): Access {
	const app = appOf(ctx);
	const settings = ctx.store.contacts.settingsOf(app.corpSecret, app.kind ?? 'app');
	if (settings.untrustedIp) fail(60020, 'from ip: 127.0.0.1 is not in the trusted IP list');
	if ((need === 'write' || need === 'syncOnly') && settings.kind !== 'contacts') {
		fail(48002, need === 'write' ? 'contacts writes need the contacts sync secret (通讯录同步)' : 'only the contacts sync secret may call this');
	}
	if (need === 'detailedRead' && settings.kind === 'contacts' && settings.newIp) {
		fail(48009, 'the contacts sync secret may not call this from an IP added after 2022-08-15; use user/list_id and department/simplelist');
	}
	return { settings, secret: app.corpSecret };
}

const done = (word: string, extra: Record<string, unknown> = {}): RouteResult => ({ kind: 'json', answer: { errcode: 0, errmsg: word, ...extra } });

// ---------------------------------------------------------------------------------------------------- validation

const USERID = /^[0-9A-Za-z][0-9A-Za-z_\-@.]{0,63}$/;
const MOBILE = /^\+?[0-9][0-9 -]{3,30}$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const DEPARTMENT_NAME_FORBIDDEN = /[\\:*?"<>|｜]/;

function intList(body: Record<string, unknown>, key: string, code: number): number[] | undefined {
	if (body[key] === undefined || body[key] === null) return undefined;
	const list = arrayField(body, key, key, false);
	return list.map((entry) => {
		const value = typeof entry === 'string' && /^\d+$/.test(entry) ? Number(entry) : entry;
		if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) fail(code, `${key} must hold integers`);
		return value;
	});
}

function stringList(body: Record<string, unknown>, key: string, code: number): string[] | undefined {
	if (body[key] === undefined || body[key] === null) return undefined;
	return arrayField(body, key, key, false).map((entry) => {
		if (typeof entry !== 'string' || entry === '') fail(code, `${key} must hold strings`);
		return entry;
	});
}

function limitChars(value: string | undefined, max: number, code: number, field: string): void {
	if (value !== undefined && charCount(value) > max) fail(code, `${field} is longer than ${max} characters`);
}

function existingUser(ctx: RouteContext, userid: unknown): ContactUser {
	if (typeof userid !== 'string' || userid === '') fail(40003, 'userid missing');
	const user = ctx.store.contacts.user(userid);
	if (!user) fail(60111, `userid "${userid}" not found`);
	return user;
}

function visibleUser(ctx: RouteContext, { settings }: Access, userid: unknown): ContactUser {
	const user = existingUser(ctx, userid);
	if (!ctx.store.contacts.canSeeUser(settings, user)) fail(60011, `user ${user.userid} is outside the app's visible range`);
	return user;
}

function departmentIdParam(raw: unknown, required: boolean): number | undefined {
	if (raw === undefined || raw === null || raw === '') {
		if (required) fail(60127, 'department id missing');
		return undefined;
	}
	const text = String(raw).trim();
	if (!/^\d+$/.test(text) || Number(text) > 2 ** 31 - 1) fail(60123, `invalid department id ${text}`);
	return Number(text);
}

/** `missingCode`: department/get answers 60003 (部门不存在), the member lists 60123 (无效的部门id). */
function visibleDepartment(ctx: RouteContext, { settings }: Access, raw: unknown, missingCode = 60003): ContactDepartment {
	const id = departmentIdParam(raw, true) as number;
	const department = ctx.store.contacts.departments.get(id);
	if (!department) fail(missingCode, `department ${id} not found`);
	if (!ctx.store.contacts.canSeeDepartment(settings, id)) fail(60011, `department ${id} is outside the app's visible range`);
	return department;
}

/** Applies the user fields of a create/update body; checks WeCom's formats, limits and uniqueness. */
function applyUserFields(ctx: RouteContext, body: Record<string, unknown>, user: ContactUser, creating: boolean): Array<{ name: string; id: number }> {
	const contacts = ctx.store.contacts;
	const name = optionalString(body, 'name', 'name');
	if (creating || name !== undefined) {
		if (!name || charCount(name) > 64) fail(60112, 'name must be 1-64 characters');
		user.name = name;
	}
	const alias = optionalString(body, 'alias', 'alias');
	limitChars(alias, 64, 40058, 'alias');
	if (alias !== undefined) user.alias = alias;
	const mobile = optionalString(body, 'mobile', 'mobile');
	if (mobile !== undefined && mobile !== '') {
		if (!MOBILE.test(mobile) || utf8Bytes(mobile) > 32) fail(60103, `invalid mobile "${mobile}"`);
		const owner = [...contacts.users.values()].find((other) => other.mobile === mobile && other.userid !== user.userid);
		if (owner) fail(60104, `mobile ${mobile} already belongs to another member`);
		user.mobile = mobile;
	}
	const email = optionalString(body, 'email', 'email');
	if (email !== undefined && email !== '') {
		if (!EMAIL.test(email) || utf8Bytes(email) < 6 || utf8Bytes(email) > 64) fail(60105, `invalid email "${email}"`);
		const owner = [...contacts.users.values()].find((other) => other.email.toLowerCase() === email.toLowerCase() && other.userid !== user.userid);
		if (owner) fail(60106, `email ${email} already belongs to another member`);
		user.email = email;
	}
	if (creating && !user.mobile && !user.email) fail(60129, 'mobile and email are both empty');
	const bizMail = optionalString(body, 'biz_mail', 'biz_mail');
	if (bizMail !== undefined && bizMail !== '') {
		if (!EMAIL.test(bizMail)) fail(60105, `invalid biz_mail "${bizMail}"`);
		user.biz_mail = bizMail;
	}
	const position = optionalString(body, 'position', 'position');
	limitChars(position, 128, 40058, 'position');
	if (position !== undefined) user.position = position;
	const gender = body.gender === undefined ? undefined : String(body.gender);
	if (gender !== undefined) {
		if (!['1', '2'].includes(gender)) fail(40058, 'gender must be "1" or "2"');
		user.gender = gender;
	}
	const telephone = optionalString(body, 'telephone', 'telephone');
	if (telephone !== undefined && telephone !== '') {
		if (utf8Bytes(telephone) > 32 || !/^[0-9+\-,]+$/.test(telephone)) fail(40058, 'telephone: at most 32 bytes of digits, "-", "+" or ","');
		user.telephone = telephone;
	}
	const address = optionalString(body, 'address', 'address');
	limitChars(address, 128, 40058, 'address');
	if (address !== undefined) user.address = address;
	const enable = optionalInt(body, 'enable', 'enable');
	if (enable !== undefined) {
		if (enable !== 0 && enable !== 1) fail(40058, 'enable must be 0 or 1');
		user.enable = enable;
	}

	const created: Array<{ name: string; id: number }> = [];
	const department = intList(body, 'department', 40066);
	if (department !== undefined) {
		if (department.length > 100) fail(60110, `department has ${department.length} entries, at most 100`);
		const ids = department.filter((id) => id !== 0);
		for (const id of ids) {
			if (contacts.departments.has(id)) continue;
			// WeCom creates a department it does not know below 待设置部门; the sandbox puts it below the root.
			const entry: ContactDepartment = { id, name: `新部门${id}`, name_en: '', parentid: 1, order: 0, department_leader: [] };
			contacts.departments.set(id, entry);
			created.push({ name: entry.name, id });
		}
		user.department = ids.length > 0 ? ids : [1];
		user.order = user.department.map(() => 0);
		user.is_leader_in_dept = user.department.map(() => 0);
		if (!user.department.includes(user.main_department)) user.main_department = user.department[0];
	}
	const order = intList(body, 'order', 40058);
	if (order !== undefined) {
		if (order.length !== user.department.length) fail(40058, 'order must have as many entries as department');
		user.order = order;
	}
	const leader = intList(body, 'is_leader_in_dept', 40058);
	if (leader !== undefined) {
		if (leader.length !== user.department.length) fail(60132, 'is_leader_in_dept must have as many entries as department');
		user.is_leader_in_dept = leader.map((value) => (value ? 1 : 0));
	}
	const directLeader = stringList(body, 'direct_leader', 40003);
	if (directLeader !== undefined) {
		if (directLeader.length > 1) fail(40058, 'direct_leader takes at most 1 user');
		for (const id of directLeader) existingUser(ctx, id);
		user.direct_leader = directLeader.map((id) => id.toLowerCase());
	}
	const main = optionalInt(body, 'main_department', 'main_department');
	if (main !== undefined) {
		if (!user.department.includes(main)) fail(40058, 'main_department must be one of department');
		user.main_department = main;
	}
	if (isRecord(body.extattr)) {
		const attrs = arrayField(body.extattr, 'attrs', 'extattr.attrs', false);
		for (const [index, attr] of attrs.entries()) {
			if (!isRecord(attr) || typeof attr.name !== 'string' || ![0, 1, 2].includes(Number(attr.type))) fail(40058, `extattr.attrs[${index}] needs type 0/1/2 and name`);
		}
		user.extattr = { attrs };
	}
	const externalPosition = optionalString(body, 'external_position', 'external_position');
	limitChars(externalPosition, 12, 40058, 'external_position');
	if (externalPosition !== undefined) user.external_position = externalPosition;
	if (isRecord(body.external_profile)) user.external_profile = body.external_profile;
	return created;
}

function blankUser(userid: string): ContactUser {
	return {
		userid,
		name: '',
		department: [1],
		order: [0],
		is_leader_in_dept: [0],
		direct_leader: [],
		main_department: 1,
		position: '',
		mobile: '',
		gender: '0',
		email: '',
		biz_mail: '',
		telephone: '',
		alias: '',
		address: '',
		avatar: '',
		thumb_avatar: '',
		qr_code: '',
		status: 4,
		enable: 1,
		extattr: { attrs: [] },
		external_position: '',
		external_profile: {},
		onWeChat: false,
	};
}

function forgetUser(ctx: RouteContext, userid: string): void {
	const contacts = ctx.store.contacts;
	contacts.users.delete(userid);
	for (const tag of contacts.tags.values()) tag.users.delete(userid);
	for (const department of contacts.departments.values()) department.department_leader = department.department_leader.filter((id) => id !== userid);
	for (const other of contacts.users.values()) other.direct_leader = other.direct_leader.filter((id) => id !== userid);
}

// ---------------------------------------------------------------------------------------------------------- users

const userCreate: Route = {
	needsToken: true,
	handle(ctx) {
		access(ctx, 'write');
		const body = jsonBody(ctx);
		const userid = requiredString(body, 'userid', 'userid', 40003);
		if (!USERID.test(userid)) fail(40003, `invalid userid "${userid}": 1-64 bytes of letters, digits and _-@., starting with a letter or digit`);
		if (ctx.store.contacts.user(userid)) fail(60102, `userid ${userid} already exists`);
		const user = blankUser(userid.toLowerCase());
		const created = applyUserFields(ctx, body, user, true);
		if (body.to_invite !== undefined && typeof body.to_invite !== 'boolean') fail(40058, 'to_invite must be a boolean');
		ctx.store.contacts.users.set(user.userid, user);
		ctx.store.contacts.emit({ ChangeType: 'create_user', UserID: user.userid, Department: user.department.join(',') });
		return done('created', created.length > 0 ? { created_department_list: { department_info: created } } : {});
	},
};

const userUpdate: Route = {
	needsToken: true,
	handle(ctx) {
		access(ctx, 'write');
		const body = jsonBody(ctx);
		const user = existingUser(ctx, body.userid);
		const draft: ContactUser = { ...user };
		const newUserid = optionalString(body, 'new_userid', 'new_userid');
		applyUserFields(ctx, body, draft, false);
		const contacts = ctx.store.contacts;
		if (newUserid !== undefined && newUserid.toLowerCase() !== user.userid) {
			if (!USERID.test(newUserid)) fail(40003, `invalid new_userid "${newUserid}"`);
			if (contacts.user(newUserid)) fail(60102, `userid ${newUserid} already exists`);
			forgetUser(ctx, user.userid);
			draft.userid = newUserid.toLowerCase();
		}
		contacts.users.set(draft.userid, draft);
		contacts.emit({ ChangeType: 'update_user', UserID: user.userid, ...(draft.userid !== user.userid ? { NewUserID: draft.userid } : {}) });
		return done('updated');
	},
};

const userDelete: Route = {
	needsToken: true,
	handle(ctx) {
		access(ctx, 'write');
		const user = existingUser(ctx, ctx.query.userid);
		forgetUser(ctx, user.userid);
		ctx.store.contacts.emit({ ChangeType: 'delete_user', UserID: user.userid });
		return done('deleted');
	},
};

const userBatchDelete: Route = {
	needsToken: true,
	handle(ctx) {
		access(ctx, 'write');
		const list = stringList(jsonBody(ctx), 'useridlist', 40031) ?? [];
		if (list.length === 0) fail(40031, 'useridlist missing');
		if (list.length > 200) fail(40032, `useridlist has ${list.length} entries, at most 200`);
		// One invalid ID fails the whole call.
		const users = list.map((id) => existingUser(ctx, id));
		for (const user of users) {
			forgetUser(ctx, user.userid);
			ctx.store.contacts.emit({ ChangeType: 'delete_user', UserID: user.userid });
		}
		return done('deleted');
	},
};

const userGet: Route = {
	needsToken: true,
	handle(ctx) {
		const who = access(ctx, 'detailedRead');
		const user = visibleUser(ctx, who, ctx.query.userid);
		return ok(ctx.store.contacts.userView(who.settings, user));
	},
};

/** Direct members of a department; fetch_child (no longer documented, still honoured) adds the subtree. */
function membersOf(ctx: RouteContext, who: Access): ContactUser[] {
	const department = visibleDepartment(ctx, who, ctx.query.department_id, 60123);
	const contacts = ctx.store.contacts;
	const scope = new Set(ctx.query.fetch_child === '1' ? contacts.subtree(department.id) : [department.id]);
	return [...contacts.users.values()].filter((user) => user.department.some((id) => scope.has(id)) && contacts.canSeeUser(who.settings, user));
}

const userSimplelist: Route = {
	needsToken: true,
	handle(ctx) {
		const who = access(ctx, 'detailedRead');
		const visible = ctx.store.contacts.visibleDepartmentIds(who.settings);
		return ok({
			userlist: membersOf(ctx, who).map((user) => ({ userid: user.userid, name: user.name, department: user.department.filter((id) => visible.has(id)) })),
		});
	},
};

const userList: Route = {
	needsToken: true,
	handle(ctx) {
		const who = access(ctx, 'detailedRead');
		return ok({ userlist: membersOf(ctx, who).map((user) => ctx.store.contacts.userView(who.settings, user)) });
	},
};

const LIST_ID_MAX = 10000;

/** user/list_id: one row per user × department, cursor paged, sync secret only. */
const userListId: Route = {
	needsToken: true,
	handle(ctx) {
		access(ctx, 'syncOnly');
		const body = ctx.json === undefined ? {} : jsonBody(ctx);
		const limit = optionalInt(body, 'limit', 'limit') ?? LIST_ID_MAX;
		if (limit < 1 || limit > LIST_ID_MAX) fail(40058, `limit must be 1-${LIST_ID_MAX}`);
		const cursor = optionalString(body, 'cursor', 'cursor') ?? '';
		let offset = 0;
		if (cursor !== '') {
			const decoded = /^c(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
			if (!decoded) fail(40058, 'invalid cursor');
			offset = Number(decoded[1]);
		}
		const rows = [...ctx.store.contacts.users.values()]
			.sort((a, b) => a.userid.localeCompare(b.userid))
			.flatMap((user) => user.department.map((department) => ({ userid: user.userid, department })));
		const page = rows.slice(offset, offset + limit);
		const end = offset + limit >= rows.length;
		return ok({ next_cursor: end ? '' : Buffer.from(`c${offset + limit}`).toString('base64url'), dept_user: page });
	},
};

const convertToOpenid: Route = {
	needsToken: true,
	handle(ctx) {
		const who = access(ctx, 'read');
		const user = visibleUser(ctx, who, jsonBody(ctx).userid);
		if (!user.onWeChat) fail(43004, `${user.userid} has not joined WeCom through WeChat, so has no openid`);
		return ok({ openid: openidOf(user.userid) });
	},
};

const convertToUserid: Route = {
	needsToken: true,
	handle(ctx) {
		const who = access(ctx, 'read');
		const openid = requiredString(jsonBody(ctx), 'openid', 'openid', 40003);
		const user = [...ctx.store.contacts.users.values()].find((entry) => entry.onWeChat && openidOf(entry.userid) === openid);
		if (!user) fail(46004, `no member has openid ${openid}`);
		if (!ctx.store.contacts.canSeeUser(who.settings, user)) fail(60011, 'the member is outside the app\'s visible range');
		return ok({ userid: user.userid });
	},
};

function lookup(ctx: RouteContext, who: Access, match: (user: ContactUser) => boolean, what: string): RouteResult {
	const contacts = ctx.store.contacts;
	if (contacts.failedLookups > Math.max(1, contacts.users.size * 0.2)) fail(45033, 'too many failed lookups today (20% of headcount)');
	const user = [...contacts.users.values()].find((entry) => match(entry) && contacts.canSeeUser(who.settings, entry));
	if (!user) {
		contacts.failedLookups++;
		fail(46004, `no member with ${what} in the app's visible range`);
	}
	return ok({ userid: user.userid });
}

const getUserid: Route = {
	needsToken: true,
	handle(ctx) {
		const who = access(ctx, 'read');
		const mobile = requiredString(jsonBody(ctx), 'mobile', 'mobile', 40058);
		if (utf8Bytes(mobile) < 5 || utf8Bytes(mobile) > 32) fail(60103, 'mobile must be 5-32 bytes');
		const bare = (value: string) => value.replace(/^\+86\s*/, '').replace(/[\s-]/g, '');
		return lookup(ctx, who, (user) => user.mobile !== '' && bare(user.mobile) === bare(mobile), `mobile ${mobile}`);
	},
};

const getUseridByEmail: Route = {
	needsToken: true,
	handle(ctx) {
		const who = access(ctx, 'read');
		const body = jsonBody(ctx);
		const email = requiredString(body, 'email', 'email', 40058).toLowerCase();
		const type = optionalInt(body, 'email_type', 'email_type') ?? 1;
		if (type !== 1 && type !== 2) fail(40058, 'email_type must be 1 (corp mail) or 2 (personal)');
		return lookup(ctx, who, (user) => (type === 1 ? user.biz_mail : user.email).toLowerCase() === email, `${type === 1 ? 'corp' : 'personal'} email ${email}`);
	},
};

const batchInvite: Route = {
	needsToken: true,
	handle(ctx) {
		const who = access(ctx, 'read');
		const body = jsonBody(ctx);
		const users = stringList(body, 'user', 40031) ?? [];
		const parties = intList(body, 'party', 40066) ?? [];
		const tags = intList(body, 'tag', 40068) ?? [];
		if (users.length + parties.length + tags.length === 0) fail(40058, 'user, party and tag are all empty');
		if (users.length > 1000 || parties.length > 100 || tags.length > 100) fail(40058, 'at most 1000 users, 100 departments and 100 tags');
		const contacts = ctx.store.contacts;
		return ok({
			invaliduser: users.filter((id) => {
				const user = contacts.user(id);
				return !user || !contacts.canSeeUser(who.settings, user);
			}),
			invalidparty: parties.filter((id) => !contacts.departments.has(id) || !contacts.canSeeDepartment(who.settings, id)),
			invalidtag: tags.filter((id) => !contacts.tags.has(id)),
		});
	},
};

// ---------------------------------------------------------------------------------------------------- departments

function departmentName(contacts: RouteContext['store']['contacts'], name: string, parentid: number, selfId?: number): void {
	if (charCount(name) < 1 || charCount(name) > 64 || DEPARTMENT_NAME_FORBIDDEN.test(name)) fail(60009, `invalid department name "${name}"`);
	const clash = [...contacts.departments.values()].find((entry) => entry.parentid === parentid && entry.name === name && entry.id !== selfId);
	if (clash) fail(60008, `a department named "${name}" already exists below ${parentid}`);
}

const departmentCreate: Route = {
	needsToken: true,
	handle(ctx) {
		access(ctx, 'write');
		const body = jsonBody(ctx);
		const contacts = ctx.store.contacts;
		const name = requiredString(body, 'name', 'name', 60009);
		const parentid = optionalInt(body, 'parentid', 'parentid');
		if (parentid === undefined) fail(60004, 'parentid missing');
		if (!contacts.departments.has(parentid)) fail(60004, `parent department ${parentid} not found`);
		departmentName(contacts, name, parentid);
		const nameEn = optionalString(body, 'name_en', 'name_en');
		if (nameEn !== undefined && (charCount(nameEn) > 64 || DEPARTMENT_NAME_FORBIDDEN.test(nameEn))) fail(60009, 'invalid name_en');
		if (contacts.depth(parentid) >= 15) fail(81002, 'departments nest at most 15 levels');
		if (contacts.departments.size >= 30000) fail(60010, 'at most 30,000 departments');
		let id = optionalInt(body, 'id', 'id');
		if (id !== undefined) {
			if (id <= 1 || id > 2 ** 31 - 1) fail(60123, 'id must be greater than 1');
			if (contacts.departments.has(id)) fail(60008, `department id ${id} already exists`);
		} else {
			id = Math.max(...contacts.departments.keys()) + 1;
		}
		const order = optionalInt(body, 'order', 'order') ?? 0;
		contacts.departments.set(id, { id, name, name_en: nameEn ?? '', parentid, order, department_leader: [] });
		contacts.emit({ ChangeType: 'create_party', Id: String(id), ParentId: String(parentid) });
		return done('created', { id });
	},
};

const departmentUpdate: Route = {
	needsToken: true,
	handle(ctx) {
		access(ctx, 'write');
		const body = jsonBody(ctx);
		const contacts = ctx.store.contacts;
		const id = departmentIdParam(body.id, true) as number;
		const department = contacts.departments.get(id);
		if (!department) fail(60003, `department ${id} not found`);
		const parentid = optionalInt(body, 'parentid', 'parentid');
		if (parentid !== undefined && parentid !== department.parentid) {
			if (id === 1) fail(40058, 'the root department has no parent');
			if (!contacts.departments.has(parentid)) fail(60004, `parent department ${parentid} not found`);
			if (contacts.subtree(id).includes(parentid)) fail(40058, 'a department cannot move below itself');
		}
		const name = optionalString(body, 'name', 'name');
		if (name !== undefined) departmentName(contacts, name, parentid ?? department.parentid, id);
		const nameEn = optionalString(body, 'name_en', 'name_en');
		const order = optionalInt(body, 'order', 'order');
		contacts.departments.set(id, {
			...department,
			...(name !== undefined ? { name } : {}),
			...(nameEn !== undefined ? { name_en: nameEn } : {}),
			...(parentid !== undefined ? { parentid } : {}),
			...(order !== undefined ? { order } : {}),
		});
		contacts.emit({ ChangeType: 'update_party', Id: String(id), ...(parentid !== undefined ? { ParentId: String(parentid) } : {}) });
		return done('updated');
	},
};

const departmentDelete: Route = {
	needsToken: true,
	handle(ctx) {
		access(ctx, 'write');
		const contacts = ctx.store.contacts;
		const id = departmentIdParam(ctx.query.id, true) as number;
		if (!contacts.departments.has(id)) fail(60003, `department ${id} not found`);
		if (id === 1) fail(60007, 'the root department cannot be deleted');
		if ([...contacts.departments.values()].some((entry) => entry.parentid === id)) fail(60006, `department ${id} still has sub-departments`);
		if ([...contacts.users.values()].some((user) => user.department.includes(id))) fail(60005, `department ${id} still has members`);
		contacts.departments.delete(id);
		for (const tag of contacts.tags.values()) tag.parties.delete(id);
		contacts.emit({ ChangeType: 'delete_party', Id: String(id) });
		return done('deleted');
	},
};

function departmentsBelow(ctx: RouteContext, who: Access): ContactDepartment[] {
	const contacts = ctx.store.contacts;
	const root = departmentIdParam(ctx.query.id, false);
	const visible = contacts.visibleDepartmentIds(who.settings);
	let ids: number[];
	if (root === undefined) ids = [...visible];
	else {
		if (!contacts.departments.has(root)) fail(60003, `department ${root} not found`);
		if (!visible.has(root)) fail(60011, `department ${root} is outside the app's visible range`);
		ids = contacts.subtree(root);
	}
	return ids
		.map((id) => contacts.departments.get(id) as ContactDepartment)
		.filter((entry) => visible.has(entry.id))
		.sort((a, b) => a.id - b.id);
}

const departmentList: Route = {
	needsToken: true,
	handle(ctx) {
		const who = access(ctx, 'detailedRead');
		return ok({ department: departmentsBelow(ctx, who).map((entry) => ({ ...entry, department_leader: [...entry.department_leader] })) });
	},
};

const departmentSimplelist: Route = {
	needsToken: true,
	handle(ctx) {
		const who = access(ctx, 'read');
		return ok({ department_id: departmentsBelow(ctx, who).map(({ id, parentid, order }) => ({ id, parentid, order })) });
	},
};

const departmentGet: Route = {
	needsToken: true,
	handle(ctx) {
		const who = access(ctx, 'detailedRead');
		const department = visibleDepartment(ctx, who, ctx.query.id);
		return ok({ department: { ...department, department_leader: [...department.department_leader] } });
	},
};

// ----------------------------------------------------------------------------------------------------------- tags

function tagIdParam(raw: unknown): number {
	const text = raw === undefined || raw === null ? '' : String(raw).trim();
	if (!/^\d+$/.test(text)) fail(40068, `invalid tagid "${text}"`);
	return Number(text);
}

function ownTag(ctx: RouteContext, who: Access, raw: unknown) {
	const tag = ctx.store.contacts.tags.get(tagIdParam(raw));
	if (!tag) fail(40068, `tag ${String(raw)} not found`);
	if (tag.owner !== who.secret) fail(81011, `tag ${tag.tagid} was created by another app; only its creator may change it`);
	return tag;
}

function tagName(ctx: RouteContext, name: string, selfId?: number): void {
	if (charCount(name) < 1 || charCount(name) > 32) fail(40071, 'tagname must be 1-32 characters');
	if ([...ctx.store.contacts.tags.values()].some((tag) => tag.tagname === name && tag.tagid !== selfId)) fail(40071, `a tag named "${name}" already exists`);
}

const tagCreate: Route = {
	needsToken: true,
	handle(ctx) {
		const who = access(ctx, 'read');
		const body = jsonBody(ctx);
		const contacts = ctx.store.contacts;
		const name = requiredString(body, 'tagname', 'tagname', 40071);
		tagName(ctx, name);
		if (contacts.tags.size >= 3000) fail(40058, 'at most 3000 tags');
		let tagid = optionalInt(body, 'tagid', 'tagid');
		if (tagid !== undefined) {
			if (tagid < 1) fail(40068, 'tagid must be positive');
			if (contacts.tags.has(tagid)) fail(40068, `tag id ${tagid} already exists`);
		} else {
			tagid = Math.max(0, ...contacts.tags.keys()) + 1;
		}
		contacts.tags.set(tagid, { tagid, tagname: name, owner: who.secret, users: new Set(), parties: new Set() });
		return done('created', { tagid });
	},
};

const tagUpdate: Route = {
	needsToken: true,
	handle(ctx) {
		const who = access(ctx, 'read');
		const body = jsonBody(ctx);
		const tag = ownTag(ctx, who, body.tagid);
		const name = requiredString(body, 'tagname', 'tagname', 40071);
		tagName(ctx, name, tag.tagid);
		tag.tagname = name;
		return done('updated');
	},
};

const tagDelete: Route = {
	needsToken: true,
	handle(ctx) {
		const who = access(ctx, 'read');
		const tag = ownTag(ctx, who, ctx.query.tagid);
		ctx.store.contacts.tags.delete(tag.tagid);
		return done('deleted');
	},
};

const tagGet: Route = {
	needsToken: true,
	handle(ctx) {
		const who = access(ctx, 'read');
		const contacts = ctx.store.contacts;
		const tag = contacts.tags.get(tagIdParam(ctx.query.tagid));
		if (!tag) fail(40068, `tag ${ctx.query.tagid} not found`);
		const users = [...tag.users].map((id) => contacts.user(id)).filter((user): user is ContactUser => !!user && contacts.canSeeUser(who.settings, user));
		return ok({
			tagname: tag.tagname,
			userlist: users.map((user) => ({ userid: user.userid, name: user.name })),
			partylist: [...tag.parties].filter((id) => contacts.canSeeDepartment(who.settings, id)),
		});
	},
};

function tagMembers(ctx: RouteContext, adding: boolean): RouteResult {
	const who = access(ctx, 'read');
	const body = jsonBody(ctx);
	const contacts = ctx.store.contacts;
	const tag = ownTag(ctx, who, body.tagid);
	const users = stringList(body, 'userlist', 40031) ?? [];
	const parties = intList(body, 'partylist', 40066) ?? [];
	if (users.length === 0 && parties.length === 0) fail(40031, 'userlist and partylist are both empty');
	if (users.length > 1000) fail(40032, `userlist has ${users.length} entries, at most 1000`);
	if (parties.length > 100) fail(40066, `partylist has ${parties.length} entries, at most 100`);
	const invalidUsers: string[] = [];
	const invalidParties: number[] = [];
	for (const id of users) {
		const user = contacts.user(id);
		if (!user || !contacts.canSeeUser(who.settings, user)) invalidUsers.push(id);
		else if (adding) tag.users.add(user.userid);
		else tag.users.delete(user.userid);
	}
	for (const id of parties) {
		if (!contacts.departments.has(id) || !contacts.canSeeDepartment(who.settings, id)) invalidParties.push(id);
		else if (adding) tag.parties.add(id);
		else tag.parties.delete(id);
	}
	if (invalidUsers.length === users.length && invalidParties.length === parties.length) {
		fail(adding ? 40070 : 40031, 'every user and department given is invalid or outside the visible range');
	}
	if (adding && tag.users.size > 30000) fail(40058, 'a tag holds at most 30,000 members');
	contacts.emit({
		ChangeType: 'update_tag',
		TagId: String(tag.tagid),
		[adding ? 'AddUserItems' : 'DelUserItems']: users.filter((id) => !invalidUsers.includes(id)).join(','),
		[adding ? 'AddPartyItems' : 'DelPartyItems']: parties.filter((id) => !invalidParties.includes(id)).join(','),
	});
	return ok({
		...(invalidUsers.length > 0 ? { invalidlist: invalidUsers.join('|') } : {}),
		...(invalidParties.length > 0 ? { invalidparty: invalidParties } : {}),
	});
}

const tagAddUsers: Route = { needsToken: true, handle: (ctx) => tagMembers(ctx, true) };
const tagDelUsers: Route = { needsToken: true, handle: (ctx) => tagMembers(ctx, false) };

const tagList: Route = {
	needsToken: true,
	handle(ctx) {
		access(ctx, 'read');
		return ok({ taglist: [...ctx.store.contacts.tags.values()].map(({ tagid, tagname }) => ({ tagid, tagname })) });
	},
};

export const CONTACTS_PATH = /^\/cgi-bin\/(user|department|tag|batch\/invite)\b/;

export const contactsRoutes: Record<string, Route> = {
	'/cgi-bin/user/create': userCreate,
	'/cgi-bin/user/get': userGet,
	'/cgi-bin/user/update': userUpdate,
	'/cgi-bin/user/delete': userDelete,
	'/cgi-bin/user/batchdelete': userBatchDelete,
	'/cgi-bin/user/simplelist': userSimplelist,
	'/cgi-bin/user/list': userList,
	'/cgi-bin/user/list_id': userListId,
	'/cgi-bin/user/convert_to_openid': convertToOpenid,
	'/cgi-bin/user/convert_to_userid': convertToUserid,
	'/cgi-bin/user/getuserid': getUserid,
	'/cgi-bin/user/get_userid_by_email': getUseridByEmail,
	'/cgi-bin/batch/invite': batchInvite,
	'/cgi-bin/department/create': departmentCreate,
	'/cgi-bin/department/update': departmentUpdate,
	'/cgi-bin/department/delete': departmentDelete,
	'/cgi-bin/department/list': departmentList,
	'/cgi-bin/department/simplelist': departmentSimplelist,
	'/cgi-bin/department/get': departmentGet,
	'/cgi-bin/tag/create': tagCreate,
	'/cgi-bin/tag/update': tagUpdate,
	'/cgi-bin/tag/delete': tagDelete,
	'/cgi-bin/tag/get': tagGet,
	'/cgi-bin/tag/addtagusers': tagAddUsers,
	'/cgi-bin/tag/deltagusers': tagDelUsers,
	'/cgi-bin/tag/list': tagList,
};
