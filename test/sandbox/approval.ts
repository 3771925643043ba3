/**
 * Approvals (审批) in the sandbox: applications checked strictly against their template (page 91853), instances
 * with their approval flow and status, and the approvers' actions that WeCom reports with `sys_approval_change`
 * callbacks (page 91815). Errors are WeCom's: 301025 bad parameter, 301026 template not found, 301055 applicant or
 * approver outside the app's visibility.
 */
import { cdata } from './callback';
import { APPROVAL_TEMPLATES, TABLE_CHILDREN, titleJson, type ApprovalTemplate, type TemplateControl } from './approvalTemplates';
import type { ContactsState } from './contacts';
import { findUser, isKnownDepartment } from './directory';
import { fail } from './errors';
import { isRecord } from './util';

export const MAX_FILES_PER_APPLICATION = 6;
export const MAX_SUMMARY_LINES = 3;
export const MAX_SUMMARY_CHARS = 20;

export interface ApprovalApprover {
	userid: string;
	/** 1 pending, 2 agreed, 3 rejected. */
	status: number;
	speech: string;
	/** Unix seconds, 0 while pending. */
	sptime: number;
}

export interface ApprovalNode {
	type: 1 | 2 | 3;
	apvRel: 1 | 2 | 3;
	/** 1 pending, 2 agreed, 3 rejected. */
	status: number;
	approvers: ApprovalApprover[];
}

export interface ApprovalComment {
	userid: string;
	time: number;
	content: string;
	id: string;
}

export interface ApprovalInstance {
	spNo: string;
	spName: string;
	templateId: string;
	creator: string;
	party: string;
	applyTime: number;
	/** 1 审批中, 2 已通过, 3 已驳回, 4 已撤销, 6 通过后撤销, 7 已删除, 10 已支付. */
	status: number;
	nodes: ApprovalNode[];
	notifiers: string[];
	contents: Array<Record<string, unknown>>;
	summary: unknown[];
	comments: ApprovalComment[];
	corpId: string;
	agentId: number;
}

export type ApprovalAction = 'approve' | 'reject' | 'revoke' | 'comment';

/** StatuChangeEvent per action: 2 agree, 3 reject, 6 withdraw (8 after approval), 10 comment. */
const CHANGE_EVENT: Record<ApprovalAction, number> = { approve: 2, reject: 3, revoke: 6, comment: 10 };

function bad(detail: string): never {
	fail(301025, detail);
}

export class ApprovalStore {
	instances = new Map<string, ApprovalInstance>();
	private seq = 0;

	constructor(
		readonly now: () => number,
		/** The live directory: applicants and approvers must be its members. */
		readonly contacts: ContactsState,
	) {}

	/** A member's directory entry (live directory first, then the generated user<N> IDs). */
	member(userid: string): { userid: string; department: number[] } | undefined {
		return this.contacts.user(userid) ?? (/^user\d+$/i.test(userid) ? findUser(userid) : undefined);
	}

	clear(): void {
		this.instances.clear();
		this.seq = 0;
	}

	template(templateId: unknown): ApprovalTemplate {
		if (typeof templateId !== 'string' || templateId === '') bad('template_id missing');
		const template = APPROVAL_TEMPLATES.find((entry) => entry.templateId === templateId);
		if (!template) fail(301026, `template_id "${String(templateId)}" not found`);
		return template;
	}

	/** Checks an applyevent body against its template and stores the new instance. */
	apply(body: Record<string, unknown>, mediaExists: (mediaId: string) => boolean, app: { corpId: string; agentId: number }): ApprovalInstance {
		const creator = knownUser(this, body.creator_userid, 'creator_userid');
		const template = this.template(body.template_id);
		const useTemplate = body.use_template_approver;
		if (useTemplate !== 0 && useTemplate !== 1 && useTemplate !== '0' && useTemplate !== '1') bad('use_template_approver must be 0 or 1');
		const nodes = Number(useTemplate) === 1 ? templateNodes(template) : processNodes(this, body);
		const notifiers = Number(useTemplate) === 1 ? template.process.filter((node) => node.type === 2).flatMap((node) => node.userids) : notifiersOf(nodes);
		const approverNodes = nodes.filter((node) => node.type !== 2);
		if (approverNodes.length === 0) bad('process.node_list needs at least one approver node (type 1)');

		const applyData = body.apply_data;
		if (!isRecord(applyData) || !Array.isArray(applyData.contents)) bad('apply_data.contents missing');
		const files = { count: 0 };
		const contents = checkContents(template.controls, applyData.contents as unknown[], 'apply_data.contents', mediaExists, files, this);
		if (files.count > MAX_FILES_PER_APPLICATION) bad(`at most ${MAX_FILES_PER_APPLICATION} files per application, got ${files.count}`);
		const summary = checkSummary(body.summary_list);
		if (body.choose_department !== undefined && !isKnownDepartment(String(body.choose_department), this.contacts)) bad(`choose_department ${String(body.choose_department)} unknown`);

		const applyTime = Math.floor(this.now() / 1000);
		const date = new Date(this.now());
		const day = `${date.getUTCFullYear()}${String(date.getUTCMonth() + 1).padStart(2, '0')}${String(date.getUTCDate()).padStart(2, '0')}`;
		const spNo = `${day}${String(++this.seq).padStart(4, '0')}`;
		const instance: ApprovalInstance = {
			spNo,
			spName: template.name,
			templateId: template.templateId,
			creator,
			party: String(body.choose_department ?? this.member(creator)?.department[0] ?? 1),
			applyTime,
			status: 1,
			nodes: approverNodes.map((node) => ({ ...node, approvers: node.approvers.map((approver) => ({ ...approver })) })),
			notifiers,
			contents,
			summary,
			comments: [],
			corpId: app.corpId,
			agentId: app.agentId,
		};
		this.instances.set(spNo, instance);
		return instance;
	}

	get(spNo: unknown): ApprovalInstance {
		if (typeof spNo !== 'string' && typeof spNo !== 'number') bad('sp_no missing');
		const instance = this.instances.get(String(spNo));
		if (!instance) bad(`sp_no ${String(spNo)} not found`);
		return instance;
	}

	/**
	 * An approver agrees or rejects at the current node, the applicant revokes, or anyone comments. Throws a plain Error
	 * (the control API's 400) for actions WeCom's client would not offer. Returns the StatuChangeEvent.
	 */
	act(spNo: string, userid: string, action: ApprovalAction, speech = ''): number {
		const instance = this.instances.get(spNo);
		if (!instance) throw new Error(`No approval ${spNo}`);
		const time = Math.floor(this.now() / 1000);
		const user = userid.toLowerCase();
		if (action === 'comment') {
			instance.comments.push({ userid: user, time, content: speech, id: `${spNo}${instance.comments.length + 1}` });
			return CHANGE_EVENT.comment;
		}
		if (action === 'revoke') {
			if (user !== instance.creator) throw new Error(`Only the applicant ${instance.creator} can revoke ${spNo}`);
			if (instance.status === 1) {
				instance.status = 4;
				return CHANGE_EVENT.revoke;
			}
			if (instance.status === 2) {
				instance.status = 6;
				return 8;
			}
			throw new Error(`Approval ${spNo} has status ${instance.status} and cannot be revoked`);
		}
		if (instance.status !== 1) throw new Error(`Approval ${spNo} is no longer in progress (status ${instance.status})`);
		const node = instance.nodes.find((entry) => entry.status === 1);
		if (!node) throw new Error(`Approval ${spNo} has no pending node`);
		const pending = node.approvers.filter((approver) => approver.status === 1);
		const candidates = node.apvRel === 3 ? pending.slice(0, 1) : pending;
		const approver = candidates.find((entry) => entry.userid === user);
		if (!approver) throw new Error(`${user} is not a pending approver of ${spNo} (pending: ${candidates.map((entry) => entry.userid).join(', ')})`);
		approver.status = action === 'approve' ? 2 : 3;
		approver.speech = speech;
		approver.sptime = time;
		if (action === 'reject') {
			node.status = 3;
			instance.status = 3;
			return CHANGE_EVENT.reject;
		}
		const done = node.apvRel === 2 || node.approvers.every((entry) => entry.status === 2);
		if (done) node.status = 2;
		if (instance.nodes.every((entry) => entry.status === 2)) instance.status = 2;
		return CHANGE_EVENT.approve;
	}

	/** gettemplatedetail-like JSON of oa/getapprovaldetail (page 91983). */
	detail(instance: ApprovalInstance): Record<string, unknown> {
		return {
			sp_no: instance.spNo,
			sp_name: instance.spName,
			sp_status: instance.status,
			template_id: instance.templateId,
			apply_time: instance.applyTime,
			applyer: { userid: instance.creator, partyid: instance.party },
			sp_record: instance.nodes.map((node) => ({
				sp_status: node.status,
				approverattr: node.apvRel === 1 ? 2 : 1,
				details: node.approvers.map((approver) => ({
					approver: { userid: approver.userid },
					speech: approver.speech,
					sp_status: approver.status,
					sptime: approver.sptime,
					media_id: [],
				})),
			})),
			notifyer: instance.notifiers.map((userid) => ({ userid })),
			apply_data: { contents: instance.contents },
			comments: instance.comments.map((comment) => ({
				commentUserInfo: { userid: comment.userid },
				commenttime: comment.time,
				commentcontent: comment.content,
				commentid: comment.id,
				media_id: [],
			})),
			process_list: {
				node_list: instance.nodes.map((node) => ({
					node_type: node.type,
					sp_status: node.status,
					apv_rel: node.apvRel,
					sub_node_list: node.approvers.map((approver) => ({
						userid: approver.userid,
						speech: approver.speech,
						sp_yj: approver.status,
						sptime: approver.sptime,
						media_ids: [],
					})),
				})),
			},
		};
	}
}

function knownUser(store: ApprovalStore, value: unknown, path: string): string {
	if (typeof value !== 'string' || value.trim() === '') bad(`${path} missing`);
	const user = store.member(value.trim());
	if (!user) fail(301055, `${path} "${value}" is not a member visible to the app`);
	return user.userid;
}

function userList(store: ApprovalStore, value: unknown, path: string): string[] {
	if (!Array.isArray(value) || value.length === 0) bad(`${path} must be a non-empty array of userids`);
	return (value as unknown[]).map((entry, index) => knownUser(store, entry, `${path}[${index}]`));
}

function templateNodes(template: ApprovalTemplate): ApprovalNode[] {
	return template.process.map((node) => ({
		type: node.type,
		apvRel: node.apvRel ?? 2,
		status: 1,
		approvers: node.userids.map((userid) => ({ userid, status: 1, speech: '', sptime: 0 })),
	}));
}

/**
 * process.node_list: page 91853 documents only this form ("use_template_approver 0: process required"); the old
 * approver[] / notifyer[] / notify_type fields are not on the page any more, so the sandbox refuses a body without
 * process instead of guessing what WeCom does with them.
 */
function processNodes(store: ApprovalStore, body: Record<string, unknown>): ApprovalNode[] {
	const pending = (userids: string[]) => userids.map((userid) => ({ userid, status: 1, speech: '', sptime: 0 }));
	if (!isRecord(body.process)) return bad('use_template_approver is 0: give process.node_list');
	const list = body.process.node_list;
	if (!Array.isArray(list) || list.length === 0) bad('process.node_list missing');
	return (list as unknown[]).map((entry, index) => {
		const path = `process.node_list[${index}]`;
		if (!isRecord(entry)) bad(`${path} must be an object`);
		const type = Number(entry.type);
		if (![1, 2, 3].includes(type)) bad(`${path}.type must be 1 (approver), 2 (cc) or 3 (handler)`);
		const apvRel = Number(entry.apv_rel ?? (type === 2 ? 2 : NaN));
		if (type !== 2 && ![1, 2, 3].includes(apvRel)) bad(`${path}.apv_rel must be 1 (会签), 2 (或签) or 3 (依次) for approver and handler nodes`);
		return { type: type as 1 | 2 | 3, apvRel: (apvRel || 2) as 1 | 2 | 3, status: 1, approvers: pending(userList(store, entry.userid, `${path}.userid`)) };
	});
}

/** The cc nodes of the flow. */
function notifiersOf(nodes: ApprovalNode[]): string[] {
	return [...new Set(nodes.filter((node) => node.type === 2).flatMap((node) => node.approvers.map((approver) => approver.userid)))];
}

function checkSummary(value: unknown): unknown[] {
	if (!Array.isArray(value) || value.length === 0) bad('summary_list missing');
	const list = value as unknown[];
	if (list.length > MAX_SUMMARY_LINES) bad(`summary_list has ${list.length} lines, at most ${MAX_SUMMARY_LINES}`);
	list.forEach((line, index) => {
		if (!isRecord(line) || !Array.isArray(line.summary_info) || line.summary_info.length === 0) bad(`summary_list[${index}].summary_info missing`);
		(line.summary_info as unknown[]).forEach((info, position) => {
			const path = `summary_list[${index}].summary_info[${position}]`;
			if (!isRecord(info) || typeof info.text !== 'string') bad(`${path}.text missing`);
			if (Array.from(info.text).length > MAX_SUMMARY_CHARS) bad(`${path}.text is longer than ${MAX_SUMMARY_CHARS} characters`);
			if (info.lang !== undefined && info.lang !== 'zh_CN' && info.lang !== 'en') bad(`${path}.lang must be zh_CN or en`);
		});
	});
	return list;
}

type Files = { count: number };

/** Every content must name a control of the template with its type; every required control must have a value. */
function checkContents(
	controls: TemplateControl[],
	contents: unknown[],
	path: string,
	mediaExists: (mediaId: string) => boolean,
	files: Files,
	store: ApprovalStore,
): Array<Record<string, unknown>> {
	const given = new Map<string, Record<string, unknown>>();
	contents.forEach((entry, index) => {
		const at = `${path}[${index}]`;
		if (!isRecord(entry)) bad(`${at} must be an object`);
		const control = controls.find((candidate) => candidate.id === entry.id);
		if (!control) bad(`${at}.id "${String(entry.id)}" is not a control of the template`);
		if (entry.control !== control.control) bad(`${at}.control is "${String(entry.control)}", the template's control ${control.id} is ${control.control}`);
		if (given.has(control.id)) bad(`${at}: control ${control.id} appears twice`);
		given.set(control.id, entry);
	});
	const result: Array<Record<string, unknown>> = [];
	for (const control of controls) {
		const entry = given.get(control.id);
		const at = `${path}(${control.id} ${control.title})`;
		if (control.control === 'Tips' || control.control === 'Formula') continue;
		if (!entry || entry.value === undefined || entry.value === null) {
			if (control.require) bad(`${at} is required`);
			continue;
		}
		if (!isRecord(entry.value)) bad(`${at}.value must be an object`);
		// A copy: the stored value gains what WeCom adds (option texts); the recorded request stays as sent.
		const value = structuredClone(entry.value);
		const filled = checkValue(control, value, at, mediaExists, files, store);
		if (!filled && control.require) bad(`${at} is required`);
		result.push({ control: control.control, id: control.id, title: titleJson(control), value });
	}
	return result;
}

const digits = (value: unknown): boolean => (typeof value === 'string' && /^\d+$/.test(value)) || (typeof value === 'number' && Number.isInteger(value) && value >= 0);
/** halfday ranges: 00:00 or 12:00 of the day (page 91853 附11), in China time (东八区, as WeCom counts days). */
const onHalfDay = (value: unknown): boolean => (Number(value) + 8 * 3600) % 43200 === 0;

const decimal = (value: unknown): boolean => (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) || (typeof value === 'number' && Number.isFinite(value));

/** Checks one value's format; returns whether it holds something (an empty text does not fill a required control). */
function checkValue(
	control: TemplateControl,
	value: Record<string, unknown>,
	at: string,
	mediaExists: (mediaId: string) => boolean,
	files: Files,
	store: ApprovalStore,
): boolean {
	switch (control.control) {
		case 'Text':
		case 'Textarea':
			if (typeof value.text !== 'string') bad(`${at}.value.text must be a string`);
			return value.text.trim() !== '';
		case 'Number':
			if (!decimal(value.new_number)) bad(`${at}.value.new_number must be a number as a string, e.g. "7"`);
			return true;
		case 'Money':
			if (!decimal(value.new_money)) bad(`${at}.value.new_money must be an amount as a string, e.g. "12.50"`);
			if (!/^-?\d+(\.\d{1,2})?$/.test(String(value.new_money))) bad(`${at}.value.new_money has more than 2 decimals`);
			return true;
		case 'Date': {
			const date = value.date;
			if (!isRecord(date)) bad(`${at}.value.date missing`);
			const type = (control.config?.date as { type?: string } | undefined)?.type ?? 'day';
			if (date.type !== type) bad(`${at}.value.date.type must be "${type}" as in the template`);
			if (!digits(date.s_timestamp)) bad(`${at}.value.date.s_timestamp must be Unix seconds as a string`);
			return true;
		}
		case 'DateRange': {
			const range = value.date_range;
			if (!isRecord(range)) bad(`${at}.value.date_range missing`);
			if (range.type !== 'halfday' && range.type !== 'hour') bad(`${at}.value.date_range.type must be halfday or hour`);
			if (!digits(range.new_begin) || !digits(range.new_end)) bad(`${at}.value.date_range.new_begin/new_end must be Unix seconds`);
			if (Number(range.new_end) <= Number(range.new_begin)) bad(`${at}.value.date_range ends before it begins`);
			if (!digits(range.new_duration)) bad(`${at}.value.date_range.new_duration must be seconds`);
			if (range.type === 'halfday' && !(onHalfDay(range.new_begin) && onHalfDay(range.new_end))) bad(`${at}.value.date_range is halfday: new_begin/new_end must be 00:00 or 12:00`);
			return true;
		}
		case 'Selector': {
			const selector = value.selector;
			if (!isRecord(selector) || !Array.isArray(selector.options)) bad(`${at}.value.selector.options missing`);
			const config = (control.config?.selector ?? {}) as { type?: string; options?: Array<{ key: string }> };
			if (selector.type !== config.type) bad(`${at}.value.selector.type must be "${String(config.type)}" as in the template`);
			const keys = (selector.options as unknown[]).map((option) => (isRecord(option) ? option.key : undefined));
			for (const key of keys) {
				if (!config.options?.some((option) => option.key === key)) bad(`${at}: option key "${String(key)}" is not an option of the control`);
			}
			if (config.type === 'single' && keys.length > 1) bad(`${at} is a single selector; ${keys.length} options chosen`);
			// WeCom's detail names each chosen option with its texts.
			selector.options = keys.map((key) => ({ key, value: (config.options as Array<{ key: string; value?: unknown }>).find((option) => option.key === key)?.value ?? [] }));
			return keys.length > 0;
		}
		case 'Contact': {
			const mode = (control.config?.contact as { mode?: string } | undefined)?.mode ?? 'user';
			if (mode === 'user') {
				if (!Array.isArray(value.members)) bad(`${at}.value.members missing`);
				(value.members as unknown[]).forEach((member, index) => {
					if (!isRecord(member)) bad(`${at}.value.members[${index}] must be an object`);
					knownUser(store, member.userid, `${at}.value.members[${index}].userid`);
				});
				return (value.members as unknown[]).length > 0;
			}
			if (!Array.isArray(value.departments)) bad(`${at}.value.departments missing`);
			(value.departments as unknown[]).forEach((department, index) => {
				if (!isRecord(department) || !isKnownDepartment(String(department.openapi_id ?? ''), store.contacts)) {
					bad(`${at}.value.departments[${index}].openapi_id is not a department`);
				}
			});
			return (value.departments as unknown[]).length > 0;
		}
		case 'File': {
			if (!Array.isArray(value.files)) bad(`${at}.value.files missing`);
			(value.files as unknown[]).forEach((file, index) => {
				const id = isRecord(file) ? file.file_id : undefined;
				if (typeof id !== 'string' || !mediaExists(id)) bad(`${at}.value.files[${index}].file_id is not a media_id uploaded in the last 3 days`);
			});
			files.count += (value.files as unknown[]).length;
			return (value.files as unknown[]).length > 0;
		}
		case 'Table': {
			const children = TABLE_CHILDREN[control.id] ?? [];
			if (!Array.isArray(value.children) || value.children.length === 0) bad(`${at}.value.children needs at least one row`);
			(value.children as unknown[]).forEach((row, index) => {
				if (!isRecord(row) || !Array.isArray(row.list)) bad(`${at}.value.children[${index}].list missing`);
				const list = row.list as unknown[];
				for (const child of children) {
					if (!list.some((entry) => isRecord(entry) && entry.id === child.id)) bad(`${at}.value.children[${index}] lacks sub-control ${child.id} (${child.title})`);
				}
				checkContents(children, list, `${at}.value.children[${index}].list`, mediaExists, files, store);
			});
			return true;
		}
		case 'Location': {
			const location = value.location;
			if (!isRecord(location)) bad(`${at}.value.location missing`);
			if (!decimal(location.latitude) || !decimal(location.longitude)) bad(`${at}.value.location.latitude/longitude must be numbers as strings`);
			if (typeof location.title !== 'string' || typeof location.address !== 'string') bad(`${at}.value.location.title and address must be strings`);
			if (location.time !== undefined && !digits(location.time)) bad(`${at}.value.location.time must be Unix seconds`);
			return true;
		}
		case 'RelatedApproval': {
			if (!Array.isArray(value.related_approval)) bad(`${at}.value.related_approval missing`);
			(value.related_approval as unknown[]).forEach((entry, index) => {
				const spNo = isRecord(entry) ? entry.sp_no : undefined;
				if (typeof spNo !== 'string' || !store.instances.has(spNo)) bad(`${at}.value.related_approval[${index}].sp_no is not an approval`);
			});
			return (value.related_approval as unknown[]).length > 0;
		}
		case 'Vacation': {
			const vacation = value.vacation;
			if (!isRecord(vacation) || !isRecord(vacation.selector) || !Array.isArray(vacation.selector.options) || !isRecord(vacation.attendance)) {
				bad(`${at}.value.vacation needs selector and attendance`);
			}
			const items = ((control.config?.vacation_list as { item?: Array<{ id: number }> } | undefined)?.item ?? []).map((item) => String(item.id));
			const options = (vacation.selector as { options: unknown[] }).options;
			if (options.length !== 1 || !isRecord(options[0]) || !items.includes(String(options[0].key))) bad(`${at}.value.vacation.selector must choose one leave type (${items.join(', ')})`);
			const range = (vacation.attendance as Record<string, unknown>).date_range;
			if (!isRecord(range) || !digits(range.new_begin) || !digits(range.new_end) || Number(range.new_end) <= Number(range.new_begin)) {
				bad(`${at}.value.vacation.attendance.date_range needs new_begin < new_end`);
			}
			if (range.type !== 'halfday' && range.type !== 'hour') bad(`${at}.value.vacation.attendance.date_range.type must be halfday or hour`);
			if (range.type === 'halfday' && !(onHalfDay(range.new_begin) && onHalfDay(range.new_end))) bad(`${at}.value.vacation.attendance.date_range is halfday: 00:00 or 12:00 only`);
			return true;
		}
		case 'Attendance': {
			const attendance = value.attendance;
			if (!isRecord(attendance) || !isRecord(attendance.date_range)) bad(`${at}.value.attendance.date_range missing`);
			const range = attendance.date_range as Record<string, unknown>;
			if (!digits(range.new_begin) || !digits(range.new_end) || Number(range.new_end) <= Number(range.new_begin)) bad(`${at}.value.attendance.date_range needs new_begin < new_end`);
			if (![1, 3, 4, 5].includes(Number(attendance.type))) bad(`${at}.value.attendance.type must be 1, 3, 4 or 5`);
			return true;
		}
		default:
			return true;
	}
}

/** The decrypted XML of a sys_approval_change callback for an instance, as WeCom posts it (page 91815). */
export function approvalChangeXml(instance: ApprovalInstance, changeEvent: number, createTime: number): string {
	const records = instance.nodes
		.map(
			(node) =>
				`<SpRecord><SpStatus>${node.status}</SpStatus><ApproverAttr>${node.apvRel === 1 ? 2 : 1}</ApproverAttr>` +
				node.approvers
					.map(
						(approver) =>
							`<Details><Approver><UserId>${cdata(approver.userid)}</UserId></Approver><Speech>${cdata(approver.speech)}</Speech>` +
							`<SpStatus>${approver.status}</SpStatus><SpTime>${approver.sptime}</SpTime></Details>`,
					)
					.join('') +
				'</SpRecord>',
		)
		.join('');
	const notifiers = instance.notifiers.map((userid) => `<Notifyer><UserId>${cdata(userid)}</UserId></Notifyer>`).join('');
	const comments = instance.comments
		.map(
			(comment) =>
				`<Comments><CommentUserInfo><UserId>${cdata(comment.userid)}</UserId></CommentUserInfo><CommentTime>${comment.time}</CommentTime>` +
				`<CommentContent>${cdata(comment.content)}</CommentContent><CommentId>${cdata(comment.id)}</CommentId></Comments>`,
		)
		.join('');
	const process =
		'<ProcessList>' +
		instance.nodes
			.map(
				(node) =>
					`<NodeList><NodeType>${node.type}</NodeType><SpStatus>${node.status}</SpStatus><ApvRel>${node.apvRel}</ApvRel>` +
					node.approvers
						.map(
							(approver) =>
								`<SubNodeList><UserInfo><UserId>${cdata(approver.userid)}</UserId></UserInfo><Speech>${cdata(approver.speech)}</Speech>` +
								`<SpYj>${approver.status}</SpYj><Sptime>${approver.sptime}</Sptime></SubNodeList>`,
						)
						.join('') +
					'</NodeList>',
			)
			.join('') +
		'</ProcessList>';
	return (
		`<xml><ToUserName>${cdata(instance.corpId)}</ToUserName><FromUserName>${cdata('sys')}</FromUserName>` +
		`<CreateTime>${createTime}</CreateTime><MsgType>${cdata('event')}</MsgType><Event>${cdata('sys_approval_change')}</Event>` +
		`<AgentID>${instance.agentId}</AgentID><ApprovalInfo><SpNo>${instance.spNo}</SpNo><SpNoStr>${cdata(instance.spNo)}</SpNoStr>` +
		`<SpName>${cdata(instance.spName)}</SpName><SpStatus>${instance.status}</SpStatus><TemplateId>${cdata(instance.templateId)}</TemplateId>` +
		`<ApplyTime>${instance.applyTime}</ApplyTime><Applyer><UserId>${cdata(instance.creator)}</UserId><Party>${cdata(instance.party)}</Party></Applyer>` +
		records +
		notifiers +
		comments +
		process +
		`<StatuChangeEvent>${changeEvent}</StatuChangeEvent></ApprovalInfo></xml>`
	);
}
