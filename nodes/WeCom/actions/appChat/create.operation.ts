import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { updateDisplayOptions } from '../../helpers/displayOptions';
import { parseIdList } from '../../helpers/idList';
import { APPCHAT_CHATID_MAX_CHARS, APPCHAT_MAX_MEMBERS, APPCHAT_MIN_MEMBERS, APPCHAT_NAME_MAX_CHARS } from '../../helpers/messageLimits';
import { assertMaxCount } from '../../helpers/text';
import { weComApiRequest } from '../../transport';
import { checkChatId, checkChatName } from './chatFields';

const properties: INodeProperties[] = [
	{
		displayName: 'Chat Name',
		name: 'name',
		type: 'string',
		default: '',
		placeholder: 'Incident 42',
		description: `Name of the group chat, at most ${APPCHAT_NAME_MAX_CHARS} characters`,
	},
	{
		displayName: 'Member User IDs',
		name: 'userList',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'zhangsan|lisi|wangwu',
		description: `${APPCHAT_MIN_MEMBERS} to ${APPCHAT_MAX_MEMBERS} members (账号), separated by "|", commas or spaces, or an array from an expression`,
		hint: "The app's visible range must be the whole company (根部门) to create chats",
	},
	{
		displayName: 'Owner Name or ID',
		name: 'owner',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getUsers' },
		default: '',
		description:
			'Group owner (群主); must be one of the members. Empty lets WeCom pick a random member. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'Chat ID',
		name: 'chatId',
		type: 'string',
		default: '',
		description: `Optional ID for the chat: letters and digits, at most ${APPCHAT_CHATID_MAX_CHARS}, unique. Empty lets WeCom generate one.`,
	},
];

/**
 * One after the other: WeCom allows a corp 1,000 new chats a day, and later nodes often send into each chat in the
 * order they were created.
 */
export const sequential = true;

export const description = updateDisplayOptions({ show: { resource: ['appChat'], operation: ['create'] } }, properties);

/** Creates a group chat (appchat/create) and outputs its chatid. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const name = String(this.getNodeParameter('name', itemIndex, '')).trim();
	const userlist = parseIdList(this.getNodeParameter('userList', itemIndex, ''));
	const owner = String(this.getNodeParameter('owner', itemIndex, '')).trim();
	const chatId = String(this.getNodeParameter('chatId', itemIndex, '')).trim();
	checkChatName(this, itemIndex, name);
	assertMaxCount(this, 'Member User IDs', userlist.length, APPCHAT_MAX_MEMBERS, itemIndex, APPCHAT_MIN_MEMBERS);
	if (owner && !userlist.includes(owner)) {
		throw new NodeOperationError(this.getNode(), `The owner "${owner}" is not among the members`, {
			itemIndex,
			description: 'Add the owner to Member User IDs, or leave Owner empty.',
		});
	}
	if (chatId) checkChatId(this, itemIndex, chatId);
	const body: IDataObject = {};
	if (name) body.name = name;
	if (owner) body.owner = owner;
	body.userlist = userlist;
	if (chatId) body.chatid = chatId;
	const answer = await weComApiRequest.call(this, { method: 'POST', endpoint: 'appchat/create', body, itemIndex });
	const json: IDataObject = { chatid: String(answer.chatid ?? chatId) };
	if (name) json.name = name;
	if (owner) json.owner = owner;
	json.userlist = userlist;
	return [{ json }];
}
