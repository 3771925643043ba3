/**
 * The member (成员) fields Create and Update share, and the body they become (page 90195/90197).
 * Omitted fields stay unchanged on update.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { parseIdList } from '../../helpers/idList';
import { compact } from '../../helpers/endpoint';
import { assertMaxChars } from '../../helpers/text';

export function userFieldOptions(forUpdate: boolean): INodeProperties[] {
	return [
		{ displayName: 'Address', name: 'address', type: 'string', default: '', description: 'Up to 128 characters' },
		{ displayName: 'Alias', name: 'alias', type: 'string', default: '', description: 'Alias (别名), up to 64 characters' },
		{ displayName: 'Avatar Media ID', name: 'avatar_mediaid', type: 'string', default: '', description: 'A media_id from Media → Upload (image)' },
		{ displayName: 'Corp Email', name: 'biz_mail', type: 'string', default: '', placeholder: 'name@company.wecom.work', description: 'Corp mailbox (企业邮箱) to create, when Tencent corp mail is enabled' },
		{
			displayName: 'Department Names or IDs',
			name: 'department',
			type: 'string',
			default: '',
			placeholder: '2,3',
			description: 'Department IDs, comma-separated or an array (at most 100). Unknown IDs are created by WeCom. Empty on create: 待设置部门.',
		},
		{ displayName: 'Direct Leader', name: 'direct_leader', type: 'string', default: '', placeholder: 'lisi', description: 'User ID of the direct superior (直属上级), at most one' },
		{ displayName: 'Email', name: 'email', type: 'string', placeholder: 'name@email.com', default: '', description: 'Personal email, unique in the company (mobile or email is required on create)' },
		{
			displayName: 'Enabled',
			name: 'enable',
			type: 'options',
			options: [
				{ name: 'Enabled', value: 1 },
				{ name: 'Disabled', value: 0 },
			],
			default: 1,
			description: 'Whether the member can use WeCom (启用/禁用)',
		},
		{
			displayName: 'Extra Attributes (JSON)',
			name: 'extattr',
			type: 'json',
			default: '{ "attrs": [] }',
			description: 'Custom attributes (扩展属性) as WeCom\'s extattr object, e.g. { "attrs": [{ "type": 0, "name": "工号", "text": { "value": "E1001" } }] }. Add the attributes in the admin console first.',
		},
		{ displayName: 'External Position', name: 'external_position', type: 'string', default: '', description: 'Title shown to external contacts (对外职务), up to 12 characters' },
		{
			displayName: 'Gender',
			name: 'gender',
			type: 'options',
			options: [
				{ name: 'Male (男)', value: '1' },
				{ name: 'Female (女)', value: '2' },
			],
			default: '1',
		},
		{ displayName: 'Is Leader in Department', name: 'is_leader_in_dept', type: 'string', default: '', placeholder: '1,0', description: 'One 1/0 per department, in the same order (部门负责人)' },
		{ displayName: 'Main Department', name: 'main_department', type: 'number', default: 1, description: 'One of the member\'s departments (主部门)' },
		{ displayName: 'Mobile', name: 'mobile', type: 'string', default: '', placeholder: '13800000000', description: 'Unique in the company; other regions need their country code (+852 …)' },
		...(forUpdate
			? [{ displayName: 'New User ID', name: 'new_userid', type: 'string' as const, default: '', description: 'Rename the member\'s user ID (账号); only possible once' }]
			: []),
		{ displayName: 'Order in Departments', name: 'order', type: 'string', default: '', placeholder: '10,40', description: 'One sort value per department, in the same order (larger first)' },
		{ displayName: 'Position', name: 'position', type: 'string', default: '', description: 'Job title (职务), up to 128 characters' },
		{ displayName: 'Telephone', name: 'telephone', type: 'string', default: '', placeholder: '020-123456', description: 'Landline (座机): up to 32 bytes of digits, "-", "+" or ","' },
		...(forUpdate
			? []
			: [{ displayName: 'Send Invitation', name: 'to_invite', type: 'boolean' as const, default: true, description: 'Whether WeCom invites the member (by WeChat, SMS or email)' }]),
	];
}

const numbers = (ctx: IExecuteFunctions, itemIndex: number, label: string, value: unknown): number[] | undefined => {
	const list = parseIdList(value);
	if (list.length === 0) return undefined;
	return list.map((entry) => {
		if (!/^\d+$/.test(entry)) throw new NodeOperationError(ctx.getNode(), `${label}: "${entry}" is not a number`, { itemIndex });
		return Number(entry);
	});
};

/** The request body fields from the collection; lists as arrays, checked against WeCom's limits. */
export function userBody(ctx: IExecuteFunctions, itemIndex: number, fields: IDataObject): IDataObject {
	const department = numbers(ctx, itemIndex, 'Department', fields.department);
	if (department && department.length > 100) throw new NodeOperationError(ctx.getNode(), `Department has ${department.length} entries; a member can be in at most 100`, { itemIndex });
	const order = numbers(ctx, itemIndex, 'Order in Departments', fields.order);
	const leader = numbers(ctx, itemIndex, 'Is Leader in Department', fields.is_leader_in_dept);
	for (const [label, list] of [['Order in Departments', order], ['Is Leader in Department', leader]] as const) {
		if (list && department && list.length !== department.length) {
			throw new NodeOperationError(ctx.getNode(), `${label} has ${list.length} entries but Department has ${department.length}`, { itemIndex, description: 'Give one value per department, in the same order.' });
		}
	}
	const directLeader = parseIdList(fields.direct_leader);
	if (directLeader.length > 1) throw new NodeOperationError(ctx.getNode(), 'Direct Leader takes at most one user ID', { itemIndex });
	for (const [label, key, limit] of [['Position', 'position', 128], ['Alias', 'alias', 64], ['Address', 'address', 128], ['External Position', 'external_position', 12]] as const) {
		if (typeof fields[key] === 'string') assertMaxChars(ctx, label, fields[key] as string, limit, itemIndex);
	}
	return compact({
		name: fields.name,
		alias: fields.alias,
		mobile: typeof fields.mobile === 'string' ? fields.mobile.trim() : fields.mobile,
		email: typeof fields.email === 'string' ? fields.email.trim() : fields.email,
		biz_mail: fields.biz_mail,
		department,
		order,
		is_leader_in_dept: leader,
		direct_leader: directLeader,
		main_department: fields.main_department,
		position: fields.position,
		gender: fields.gender,
		telephone: fields.telephone,
		address: fields.address,
		enable: fields.enable,
		avatar_mediaid: fields.avatar_mediaid,
		extattr: fields.extattr === undefined ? undefined : jsonObject(ctx, itemIndex, 'Extra Attributes', fields.extattr),
		external_position: fields.external_position,
		new_userid: fields.new_userid,
		to_invite: fields.to_invite,
	});
}

function jsonObject(ctx: IExecuteFunctions, itemIndex: number, label: string, value: unknown): IDataObject {
	let parsed = value;
	if (typeof value === 'string') {
		try {
			parsed = JSON.parse(value) as unknown;
		} catch {
			throw new NodeOperationError(ctx.getNode(), `${label} is not valid JSON`, { itemIndex });
		}
	}
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new NodeOperationError(ctx.getNode(), `${label} must be a JSON object`, { itemIndex });
	return parsed as IDataObject;
}
