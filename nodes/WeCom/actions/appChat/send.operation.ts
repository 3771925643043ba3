import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { messageContentProperties } from '../../descriptions/messageContent.description';
import { updateDisplayOptions } from '../../helpers/displayOptions';
import { buildMessageContent, checkSafe } from '../../helpers/messageContent';
import { safeOption, truncateLongTextOption } from '../../helpers/messageOptions';
import { weComApiRequest } from '../../transport';
import { chatIdField, checkChatId } from './chatFields';

const SHOW = { show: { resource: ['appChat'], operation: ['send'] } };

/** One after the other: members read the chat in the order the messages arrive. */
export const sequential = true;

export const description: INodeProperties[] = [
	...updateDisplayOptions(SHOW, [chatIdField]),
	...messageContentProperties('appChat', SHOW),
	...updateDisplayOptions(SHOW, [
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: [safeOption('appChat'), truncateLongTextOption],
		},
	]),
];

/** Sends a message into a chat the app created (appchat/send), with the same content fields as Message → Send. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const chatid = String(this.getNodeParameter('chatId', itemIndex, '')).trim();
	checkChatId(this, itemIndex, chatid);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const selected = this.getNodeParameter('msgtype', itemIndex) as string;
	const safe = Number(options.safe ?? 0);
	if (selected !== 'raw') checkSafe(this, itemIndex, 'appChat', selected, safe);
	const content = await buildMessageContent(this, itemIndex, 'appChat', { truncateLongText: options.truncateLongText === true });
	if (selected === 'raw' && safe) checkSafe(this, itemIndex, 'appChat', content.msgtype, safe);
	const { msgtype, ...rest } = content.body;
	const body: IDataObject = { chatid, msgtype, ...rest };
	if (safe) body.safe = safe;
	await weComApiRequest.call(this, { method: 'POST', endpoint: 'appchat/send', body, itemIndex });
	const json: IDataObject = { chatid, msgtype: content.msgtype, sent: true };
	if (content.uploaded.length) json.uploaded = content.uploaded;
	if (content.truncated) json.truncated = true;
	return [{ json }];
}
