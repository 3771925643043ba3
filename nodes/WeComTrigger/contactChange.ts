/**
 * change_contact (通讯录变更, pages 90970-90972) → clean JSON, and the trigger's ChangeType filter. Pure.
 * The parsed fields keep WeCom's names; `contactChange` beside them has comma lists as arrays, numbers as numbers and
 * ExtAttr items as { name, type, text | web }. Fields WeCom did not send stay absent: since 2022-08-15 a contacts sync
 * callback URL gets only UserID/Department (users) and Id/ParentId (departments), and apps get no private fields.
 */
import type { IDataObject, INodePropertyOptions } from 'n8n-workflow';

export const CONTACT_EVENT = 'change_contact';

export const CHANGE_TYPE_OPTIONS: INodePropertyOptions[] = [
	{ name: 'User Created (新增成员)', value: 'create_user', action: 'On user created (新增成员)' },
	{ name: 'User Updated (更新成员)', value: 'update_user', action: 'On user updated (更新成员)' },
	{ name: 'User Deleted (删除成员)', value: 'delete_user', action: 'On user deleted (删除成员)' },
	{ name: 'Department Created (新增部门)', value: 'create_party', action: 'On department created (新增部门)' },
	{ name: 'Department Updated (更新部门)', value: 'update_party', action: 'On department updated (更新部门)' },
	{ name: 'Department Deleted (删除部门)', value: 'delete_party', action: 'On department deleted (删除部门)' },
	{ name: 'Tag Members Changed (标签成员变更)', value: 'update_tag', action: 'On tag members changed (标签成员变更)' },
];

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const words = (value: unknown): string[] | undefined => {
	const raw = text(value);
	return raw === undefined ? undefined : raw.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
};
const numbers = (value: unknown): number[] | undefined => words(value)?.map(Number);
const number = (value: unknown): number | undefined => {
	const raw = text(value);
	return raw === undefined || raw.trim() === '' ? undefined : Number(raw);
};
const record = (value: unknown): IDataObject => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as IDataObject) : {});

/** WeCom field → [clean name, converter]; only fields present in the callback appear. */
const FIELDS: Array<[string, string, (value: unknown) => unknown]> = [
	['UserID', 'userId', text],
	['NewUserID', 'newUserId', text],
	['Name', 'name', text],
	['Department', 'departments', numbers],
	['MainDepartment', 'mainDepartment', number],
	['IsLeaderInDept', 'isLeaderInDept', numbers],
	['DirectLeader', 'directLeader', words],
	['Position', 'position', text],
	['Mobile', 'mobile', text],
	['Gender', 'gender', number],
	['Email', 'email', text],
	['BizMail', 'bizMail', text],
	['Status', 'status', number],
	['Avatar', 'avatar', text],
	['Alias', 'alias', text],
	['Telephone', 'telephone', text],
	['Address', 'address', text],
	['Id', 'id', number],
	['ParentId', 'parentId', number],
	['Order', 'order', number],
	['TagId', 'tagId', number],
	['AddUserItems', 'addUsers', words],
	['DelUserItems', 'removeUsers', words],
	['AddPartyItems', 'addDepartments', numbers],
	['DelPartyItems', 'removeDepartments', numbers],
];

/** The clean contact change of a change_contact callback, or undefined for other callbacks. */
export function contactChangeOf(fields: IDataObject): IDataObject | undefined {
	if (fields.MsgType !== 'event' || fields.Event !== CONTACT_EVENT) return undefined;
	const change: IDataObject = { changeType: text(fields.ChangeType) ?? '' };
	for (const [source, target, convert] of FIELDS) {
		if (fields[source] === undefined) continue;
		const value = convert(fields[source]);
		if (value !== undefined) change[target] = value as IDataObject[keyof IDataObject];
	}
	if (Array.isArray(fields.ExtAttr)) {
		change.extAttr = fields.ExtAttr.map((raw) => {
			const item = record(raw);
			const type = number(item.Type) ?? 0;
			const web = record(item.Web);
			return type === 1
				? { name: text(item.Name) ?? '', type, web: { title: text(web.Title) ?? '', url: text(web.Url) ?? '' } }
				: { name: text(item.Name) ?? '', type, text: text(record(item.Text).Value) ?? '' };
		});
	}
	return change;
}

/** With change types chosen, only contact changes of those types pass; other callbacks are not affected. */
export function matchesChangeTypes(change: IDataObject | undefined, changeTypes: string[]): boolean {
	if (changeTypes.length === 0) return true;
	return change !== undefined && changeTypes.includes(String(change.changeType));
}
