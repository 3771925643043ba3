import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { BUTTON_CARD_EXAMPLE, cardField, limitGuard, readCard, replyToField } from './fields';
import { awaitConnection, eventReplyTooLate, noConnectionReason, readReplyTarget } from '../../helpers/aiBotDelivery';
import { updateDisplayOptions } from '../../helpers/displayOptions';
import { checkContent } from '../../../shared/aibot/limits';
import { fillEventReply } from '../../../shared/aibot/streamStore';

const properties: INodeProperties[] = [
	replyToField,
	{
		displayName: 'Message Type',
		name: 'welcomeType',
		type: 'options',
		options: [
			{ name: 'Text', value: 'text' },
			{ name: 'Template Card', value: 'template_card' },
		],
		default: 'text',
	},
	{
		displayName: 'Text',
		name: 'content',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		required: true,
		displayOptions: { show: { welcomeType: ['text'] } },
	},
	{ ...cardField('card', 'Template Card (JSON)', BUTTON_CARD_EXAMPLE), displayOptions: { show: { welcomeType: ['template_card'] } } },
];

export const description = updateDisplayOptions({ show: { resource: ['aiBot'], operation: ['welcomeMessage'] } }, properties);

/** Answers enter_chat (a user opened the single chat, first time today) within 5 s. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const target = readReplyTarget(this, itemIndex);
	if (target.eventType !== 'enter_chat') {
		throw new NodeOperationError(this.getNode(), 'Welcome Message answers the enter_chat event of the WeCom AI Bot Trigger', { itemIndex });
	}
	const type = this.getNodeParameter('welcomeType', itemIndex) as string;
	let body: IDataObject;
	if (type === 'text') {
		const content = this.getNodeParameter('content', itemIndex) as string;
		if (content.trim() === '') throw new NodeOperationError(this.getNode(), 'The welcome text is empty', { itemIndex });
		limitGuard(this, itemIndex, () => checkContent(content, 'The welcome text'));
		body = { msgtype: 'text', text: { content } };
	} else {
		body = { msgtype: 'template_card', template_card: readCard(this, itemIndex, 'card') };
	}
	const late = eventReplyTooLate(target);
	if (late) throw new NodeOperationError(this.getNode(), `The welcome message cannot be sent: ${late}`, { itemIndex });
	if (target.mode === 'longConnection') {
		const connection = await awaitConnection(target.botId, 2000);
		if (!connection) throw new NodeOperationError(this.getNode(), `The welcome message cannot be sent: ${noConnectionReason(target.botId)}`, { itemIndex });
		await connection.request('aibot_respond_welcome_msg', body, target.reqId);
	} else if (fillEventReply(target.reqId, body) !== 'filled') {
		throw new NodeOperationError(
			this.getNode(),
			'The welcome message cannot be sent: the trigger\'s answer to enter_chat is not open in this n8n process (more than 4.5 s passed, it was answered, or queue mode runs this execution on a worker)',
			{ itemIndex },
		);
	}
	return [{ json: { delivered: true, via: target.mode, msgtype: body.msgtype, userId: target.userId } }];
}
