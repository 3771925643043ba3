import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { SYNC_SECRET_HINT, readUserId, userLocator } from '../../helpers/contacts';
import { updateDisplayOptions } from '../../helpers/displayOptions';
import { weComApiRequest } from '../../transport';
import { userBody, userFieldOptions } from './userFields';

const properties: INodeProperties[] = [
	{ ...userLocator(), hint: SYNC_SECRET_HINT },
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [{ displayName: 'Name', name: 'name', type: 'string', default: '', description: '1-64 characters' }, ...userFieldOptions(true)],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['user'], operation: ['update'] } }, properties);

/** Updates a member (更新成员, user/update): only the fields given change. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const userid = readUserId(this, itemIndex);
	const fields = userBody(this, itemIndex, this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject);
	if (Object.keys(fields).length === 0) throw new NodeOperationError(this.getNode(), 'Add at least one field to update', { itemIndex });
	await weComApiRequest.call(this, { method: 'POST', endpoint: 'user/update', body: { userid, ...fields }, itemIndex });
	return [{ json: { userid, updated: true, ...(fields.new_userid ? { new_userid: fields.new_userid } : {}) } }];
}
