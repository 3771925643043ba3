import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { markdownOrCardFields, readMarkdownOrCard } from './fields';
import { awaitConnection, noConnectionReason } from '../../helpers/aiBotDelivery';
import { updateDisplayOptions } from '../../helpers/displayOptions';

const properties: INodeProperties[] = [
	{
		displayName: 'Chat ID',
		name: 'chatId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'zhangsan or wrXXXXXXXX',
		description: "A user's ID for a single chat, or a group's chatid (the trigger's chatId field) for a group the bot is in",
	},
	...markdownOrCardFields('sendType'),
];

/** One after the other: people read the chat in the order the bot's messages arrive over its one connection. */
export const sequential = true;

export const description = updateDisplayOptions({ show: { resource: ['aiBot'], operation: ['sendMessage'] } }, properties);

/** aibot_send_msg over the bot's long connection in this process (held by an active WeCom AI Bot Trigger). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const credential = await this.getCredentials<ICredentialDataDecryptedObject>('weComAiBotApi', itemIndex);
	const botId = String(credential.botId ?? '').trim();
	const chatId = (this.getNodeParameter('chatId', itemIndex) as string).trim();
	if (chatId === '') throw new NodeOperationError(this.getNode(), 'Chat ID is empty', { itemIndex });
	const body: IDataObject = { chatid: chatId, ...readMarkdownOrCard(this, itemIndex, 'sendType') };
	const connection = await awaitConnection(botId);
	if (!connection) {
		throw new NodeOperationError(this.getNode(), `The message cannot be sent: ${noConnectionReason(botId)}`, {
			itemIndex,
			description:
				'Send Message goes over the long connection, which WeCom allows once per bot: activate a workflow with a WeCom AI Bot Trigger (long connection) for this bot in this n8n. In queue mode only the main process holds it.',
		});
	}
	await connection.request('aibot_send_msg', body);
	return [{ json: { delivered: true, chatId, msgtype: body.msgtype } }];
}
