import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { cardField, readCard, replyToField } from './fields';
import { awaitConnection, eventReplyTooLate, noConnectionReason, readReplyTarget } from '../../helpers/aiBotDelivery';
import { updateDisplayOptions } from '../../helpers/displayOptions';
import { fillEventReply } from '../../../shared/aibot/streamStore';

const UPDATED_CARD_EXAMPLE =
	'{\n  "card_type": "button_interaction",\n  "main_title": { "title": "Approved" },\n  "button_list": [{ "text": "Approved", "style": 1, "key": "done" }]\n}';

const properties: INodeProperties[] = [
	replyToField,
	cardField('card', 'New Card (JSON)', UPDATED_CARD_EXAMPLE),
	{
		displayName: 'Only for User IDs',
		name: 'userIds',
		type: 'string',
		default: '',
		placeholder: 'zhangsan, lisi',
		description: 'Replace the card only for these users (comma-separated); empty: for everyone who got it',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['aiBot'], operation: ['updateTemplateCard'] } }, properties);

/** Answers a template_card_event: the card replaced, within 5 s of the click, with the clicked card's task_id. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const target = readReplyTarget(this, itemIndex);
	if (target.eventType !== 'template_card_event') {
		throw new NodeOperationError(this.getNode(), 'Update Template Card answers a card click (template_card_event) of the WeCom AI Bot Trigger', { itemIndex });
	}
	// The clicked card's task_id unless the new card names one (which must then be the same).
	const card = readCard(this, itemIndex, 'card', target.taskId ? { task_id: target.taskId } : {});
	if (target.taskId !== '' && card.task_id !== target.taskId) {
		throw new NodeOperationError(this.getNode(), `The new card's task_id must be the clicked card's (${target.taskId}); leave it out to take it over`, { itemIndex });
	}
	const late = eventReplyTooLate(target);
	if (late) throw new NodeOperationError(this.getNode(), `The card cannot be updated: ${late}`, { itemIndex });
	const userIds = (this.getNodeParameter('userIds', itemIndex, '') as string)
		.split(/[,|\s]+/)
		.filter((id) => id !== '');
	const body: IDataObject = { response_type: 'update_template_card', template_card: card };
	if (userIds.length > 0) body.userids = userIds;
	if (target.mode === 'longConnection') {
		const connection = await awaitConnection(target.botId, 2000);
		if (!connection) throw new NodeOperationError(this.getNode(), `The card cannot be updated: ${noConnectionReason(target.botId)}`, { itemIndex });
		await connection.request('aibot_respond_update_msg', body, target.reqId);
	} else {
		const filled = fillEventReply(target.reqId, body);
		if (filled !== 'filled') {
			throw new NodeOperationError(
				this.getNode(),
				filled === 'taken'
					? 'This click was already answered'
					: 'The card cannot be updated: the trigger\'s answer to this click is not open in this n8n process (more than 4.5 s passed, or queue mode runs this execution on a worker)',
				{ itemIndex },
			);
		}
	}
	return [{ json: { delivered: true, via: target.mode, taskId: String(card.task_id), userIds } }];
}
