import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { markdownOrCardFields, readMarkdownOrCard, replyToField } from './fields';
import { postResponseUrl, readReplyTarget } from '../../helpers/aiBotDelivery';
import { updateDisplayOptions } from '../../helpers/displayOptions';

const properties: INodeProperties[] = [replyToField, ...markdownOrCardFields('replyType')];

export const description = updateDisplayOptions({ show: { resource: ['aiBot'], operation: ['activeReply'] } }, properties);

/** POSTs to the message's response_url: needs no socket and no stream, works from any process, once, within 1 h. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const target = readReplyTarget(this, itemIndex);
	if (target.responseUrl === '') throw new NodeOperationError(this.getNode(), 'This message or event carries no response_url', { itemIndex });
	const body = readMarkdownOrCard(this, itemIndex, 'replyType');
	await postResponseUrl(this, itemIndex, target, body);
	return [{ json: { delivered: 'responseUrl', msgtype: body.msgtype, msgId: target.msgId, chatId: target.chatId } }];
}
