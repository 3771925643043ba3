import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { SYNC_SECRET_HINT } from '../../helpers/contacts';
import { updateDisplayOptions } from '../../helpers/displayOptions';
import { onErrcode } from '../../helpers/endpoint';
import { assertRequired } from '../../helpers/text';
import { weComApiRequest } from '../../transport';
import { userBody, userFieldOptions } from './userFields';

const properties: INodeProperties[] = [
	{
		displayName: 'User ID',
		name: 'userid',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'zhangsan',
		description: 'The account (账号): 1-64 bytes of letters, digits and _-@., starting with a letter or digit; unique ignoring case',
		hint: SYNC_SECRET_HINT,
	},
	{ displayName: 'Name', name: 'name', type: 'string', default: '', required: true, description: 'The member\'s name, 1-64 characters' },
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: userFieldOptions(false),
	},
	{
		displayName: 'If the User Exists',
		name: 'ifExists',
		type: 'options',
		options: [
			{ name: 'Fail', value: 'fail', description: 'Stop with WeCom\'s error 60102' },
			{ name: 'Update It', value: 'update', description: 'Update the existing member with these fields instead (user/update), for syncs' },
		],
		default: 'fail',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['user'], operation: ['create'] } }, properties);

const USERID = /^[0-9A-Za-z][0-9A-Za-z_\-@.]{0,63}$/;

/** Creates a member (创建成员, user/create), or updates it when it exists and the item asks for that. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const userid = String(this.getNodeParameter('userid', itemIndex, '')).trim();
	assertRequired(this, 'User ID', userid, itemIndex);
	if (!USERID.test(userid) || Buffer.byteLength(userid) > 64) {
		throw new NodeOperationError(this.getNode(), `User ID "${userid}" is not a valid WeCom account`, {
			itemIndex,
			description: '1-64 bytes of letters, digits and _ - @ ., starting with a letter or digit.',
		});
	}
	const name = String(this.getNodeParameter('name', itemIndex, '')).trim();
	assertRequired(this, 'Name', name, itemIndex);
	const fields = userBody(this, itemIndex, { ...(this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject), name });
	if (!fields.mobile && !fields.email) {
		throw new NodeOperationError(this.getNode(), 'Mobile or Email is required to create a member', { itemIndex, description: 'WeCom needs one of them (error 60129) to invite the member.' });
	}
	const ifExists = this.getNodeParameter('ifExists', itemIndex, 'fail') as string;
	return await onErrcode<INodeExecutionData[]>(
		this,
		[60102],
		async () => {
			const answer = await weComApiRequest.call(this, { method: 'POST', endpoint: 'user/create', body: { userid, ...fields }, itemIndex });
			const created = (answer.created_department_list as IDataObject | undefined)?.department_info;
			return [{ json: { userid, created: true, ...(created ? { created_departments: created } : {}) } }];
		},
		() => {
			if (ifExists !== 'update') return undefined;
			delete fields.to_invite;
			return (async () => {
				await weComApiRequest.call(this, { method: 'POST', endpoint: 'user/update', body: { userid, ...fields }, itemIndex });
				return [{ json: { userid, created: false, updated: true } }];
			})();
		},
	);
}
