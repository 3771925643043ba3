import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { updateDisplayOptions } from '../../helpers/displayOptions';
import { parseIdList } from '../../helpers/idList';
import { APPCHAT_MAX_MEMBERS, APPCHAT_NAME_MAX_CHARS } from '../../helpers/messageLimits';
import { assertMaxCount } from '../../helpers/text';
import { weComApiRequest } from '../../transport';
import { chatIdField, checkChatId, checkChatName } from './chatFields';

const properties: INodeProperties[] = [
	chatIdField,
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Add Members',
				name: 'addUserList',
				type: 'string',
				default: '',
				placeholder: 'zhaoliu|sunqi',
				description: 'User IDs to add, separated by "|", commas or spaces, or an array',
			},
			{
				displayName: 'Chat Name',
				name: 'name',
				type: 'string',
				default: '',
				description: `New name, at most ${APPCHAT_NAME_MAX_CHARS} characters`,
			},
			{
				displayName: 'Owner Name or ID',
				name: 'owner',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getUsers' },
				default: '',
				description:
					'New group owner (群主); must be a member. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Remove Members',
				name: 'delUserList',
				type: 'string',
				default: '',
				placeholder: 'lisi',
				description: 'User IDs to remove, separated by "|", commas or spaces, or an array',
			},
		],
	},
];

/** One after the other: several items may change the same chat (add, then remove members), which must stay in order. */
export const sequential = true;

export const description = updateDisplayOptions({ show: { resource: ['appChat'], operation: ['update'] } }, properties);

/** Renames a chat, changes its owner, adds or removes members (appchat/update). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const chatid = String(this.getNodeParameter('chatId', itemIndex, '')).trim();
	checkChatId(this, itemIndex, chatid);
	const fields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
	const name = String(fields.name ?? '').trim();
	const owner = String(fields.owner ?? '').trim();
	const add = parseIdList(fields.addUserList);
	const remove = parseIdList(fields.delUserList);
	if (!name && !owner && !add.length && !remove.length) {
		throw new NodeOperationError(this.getNode(), 'Nothing to update', {
			itemIndex,
			description: 'Add at least one of Chat Name, Owner User ID, Add Members or Remove Members.',
		});
	}
	checkChatName(this, itemIndex, name);
	assertMaxCount(this, 'Add Members', add.length, APPCHAT_MAX_MEMBERS, itemIndex);
	assertMaxCount(this, 'Remove Members', remove.length, APPCHAT_MAX_MEMBERS, itemIndex);
	const both = add.filter((id) => remove.includes(id));
	if (both.length) {
		throw new NodeOperationError(this.getNode(), `Members both added and removed: ${both.join(', ')}`, { itemIndex });
	}
	if (owner && remove.includes(owner)) {
		throw new NodeOperationError(this.getNode(), `The new owner "${owner}" is also being removed`, { itemIndex });
	}
	const body: IDataObject = { chatid };
	if (name) body.name = name;
	if (owner) body.owner = owner;
	if (add.length) body.add_user_list = add;
	if (remove.length) body.del_user_list = remove;
	await weComApiRequest.call(this, { method: 'POST', endpoint: 'appchat/update', body, itemIndex });
	const json: IDataObject = { chatid, updated: true };
	if (name) json.name = name;
	if (owner) json.owner = owner;
	if (add.length) json.added = add;
	if (remove.length) json.removed = remove;
	return [{ json }];
}
