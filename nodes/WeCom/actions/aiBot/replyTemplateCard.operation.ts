import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { BUTTON_CARD_EXAMPLE, cardField, limitGuard, readCard, replyToField } from './fields';
import { awaitConnection, noConnectionReason, postResponseUrl, readReplyTarget } from '../../helpers/aiBotDelivery';
import { updateDisplayOptions } from '../../helpers/displayOptions';
import { checkContent } from '../../../shared/aibot/limits';
import { feedStream, getStream, waitDelivered } from '../../../shared/aibot/streamStore';

const properties: INodeProperties[] = [
	replyToField,
	cardField('card', 'Template Card (JSON)', BUTTON_CARD_EXAMPLE),
	{
		displayName: 'Text Above the Card',
		name: 'content',
		type: 'string',
		default: '',
		description: 'Markdown that replaces the thinking text of the stream (empty: the card alone)',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['aiBot'], operation: ['replyTemplateCard'] } }, properties);

/** Answers a message with a template card: with the stream the trigger opened (stream_with_template_card), or alone. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const target = readReplyTarget(this, itemIndex);
	if (target.kind !== 'message') throw new NodeOperationError(this.getNode(), 'Reply with Template Card answers messages; for card clicks use Update Template Card', { itemIndex });
	const card = readCard(this, itemIndex, 'card');
	const content = this.getNodeParameter('content', itemIndex, '') as string;
	limitGuard(this, itemIndex, () => checkContent(content, 'Text Above the Card'));
	let reason: string;
	if (target.mode === 'longConnection') {
		const connection = await awaitConnection(target.botId);
		if (connection) {
			const body: IDataObject = target.streamId
				? { msgtype: 'stream_with_template_card', stream: { id: target.streamId, finish: true, content }, template_card: card }
				: { msgtype: 'template_card', template_card: card };
			try {
				await connection.request('aibot_respond_msg', body, target.reqId);
				return [{ json: { delivered: 'stream', via: 'longConnection', msgtype: body.msgtype, taskId: card.task_id ?? '', msgId: target.msgId } }];
			} catch (error) {
				reason = (error as Error).message;
			}
		} else reason = noConnectionReason(target.botId);
	} else if (target.streamId && getStream(target.streamId)) {
		const fed = feedStream(target.streamId, { content, finish: true, templateCard: card });
		if (fed === 'fed' && (await waitDelivered(target.streamId, 30_000))) {
			return [{ json: { delivered: 'stream', via: 'callback', msgtype: 'stream_with_template_card', taskId: card.task_id ?? '', msgId: target.msgId } }];
		}
		reason = fed === 'fed' ? 'WeCom did not fetch the card with a refresh callback within 30 s' : `the stream is ${fed}`;
	} else {
		reason = 'this n8n process does not hold the stream of this message (queue mode, or a restart)';
	}
	if (target.responseUrl === '') throw new NodeOperationError(this.getNode(), `The card could not be sent: ${reason}`, { itemIndex });
	await postResponseUrl(this, itemIndex, target, { msgtype: 'template_card', template_card: card });
	return [{ json: { delivered: 'responseUrl', reason, taskId: card.task_id ?? '', msgId: target.msgId } }];
}
