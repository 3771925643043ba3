/**
 * Who receives an app message (touser / toparty / totag / @all). Field names are read by helpers/recipients.ts.
 */
import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

import { updateDisplayOptions } from '../helpers/displayOptions';
import { MAX_PARTIES_PER_SEND, MAX_TAGS_PER_SEND, MAX_USERS_PER_SEND } from '../helpers/messageLimits';

const ID_HINT = 'Separate IDs with "|", commas, spaces or new lines, or give an array with an expression';

const properties: INodeProperties[] = [
	{
		displayName: 'Send to Everyone',
		name: 'toAll',
		type: 'boolean',
		default: false,
		description: "Whether to send to everyone (@all) in the app's visible range (可见范围); departments and tags are then ignored",
	},
	{
		displayName: 'User IDs',
		name: 'toUser',
		type: 'string',
		default: '',
		placeholder: 'zhangsan|lisi',
		displayOptions: { show: { toAll: [false] } },
		description: `Account IDs (账号, touser) of members, at most ${MAX_USERS_PER_SEND} per request unless Split Large User Lists is on. ${ID_HINT}.`,
	},
	{
		displayName: 'Department Names or IDs',
		name: 'toParty',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: 'getDepartments' },
		default: [],
		displayOptions: { show: { toAll: [false] } },
		description: 'Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
		hint: `Departments (toparty), at most ${MAX_PARTIES_PER_SEND}. Without contact permission, switch to Expression and type IDs such as 2|5.`,
	},
	{
		displayName: 'Tag Names or IDs',
		name: 'toTag',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: 'getTags' },
		default: [],
		displayOptions: { show: { toAll: [false] } },
		description: 'Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
		hint: `Tags (totag), at most ${MAX_TAGS_PER_SEND}. Without contact permission, switch to Expression and type IDs such as 1|3.`,
	},
];

/** The recipient fields, shown under `displayOptions` (resource/operation). */
export function recipientProperties(displayOptions: IDisplayOptions): INodeProperties[] {
	return updateDisplayOptions(displayOptions, properties);
}
