import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { BUTTON_CARD_EXAMPLE, cardField, limitGuard, readCard, replyToField } from './fields';
import { postResponseUrl, readReplyTarget } from '../../helpers/aiBotDelivery';
import { updateDisplayOptions } from '../../helpers/displayOptions';
import { checkContent } from '../../../shared/aibot/limits';

const properties: INodeProperties[] = [
	replyToField,
	{
		displayName: 'Message Type',
		name: 'replyType',
		type: 'options',
		options: [
			{ name: 'Markdown', value: 'markdown' },
			{ name: 'Template Card', value: 'template_card' },
		],
		default: 'markdown',
	},
	{
		displayName: 'Content',
		name: 'content',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		displayOptions: { show: { replyType: ['markdown'] } },
		description: 'Markdown, at most 20480 bytes',
	},
	{ ...cardField('card', 'Template Card (JSON)', BUTTON_CARD_EXAMPLE), displayOptions: { show: { replyType: ['template_card'] } } },
];

export const description = updateDisplayOptions({ show: { resource: ['aiBot'], operation: ['activeReply'] } }, properties);

/** POSTs to the message's response_url: needs no socket and no stream, works from any process, once, within 1 h. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const target = readReplyTarget(this, itemIndex);
	if (target.responseUrl === '') throw new NodeOperationError(this.getNode(), 'This message or event carries no response_url', { itemIndex });
	const type = this.getNodeParameter('replyType', itemIndex) as string;
	let body: IDataObject;
	if (type === 'markdown') {
		const content = this.getNodeParameter('content', itemIndex) as string;
		if (content.trim() === '') throw new NodeOperationError(this.getNode(), 'The content is empty', { itemIndex });
		limitGuard(this, itemIndex, () => checkContent(content, 'Content'));
		body = { msgtype: 'markdown', markdown: { content } };
	} else {
		body = { msgtype: 'template_card', template_card: readCard(this, itemIndex, 'card') };
	}
	await postResponseUrl(this, itemIndex, target, body);
	return [{ json: { delivered: 'responseUrl', msgtype: body.msgtype, msgId: target.msgId, chatId: target.chatId } }];
}
