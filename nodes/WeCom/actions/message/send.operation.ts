import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { messageContentProperties } from '../../descriptions/messageContent.description';
import { recipientProperties } from '../../descriptions/recipients.description';
import { resolveAgentId } from '../../helpers/agentId';
import { updateDisplayOptions } from '../../helpers/displayOptions';
import { buildMessageContent, checkSafe, type BuiltContent } from '../../helpers/messageContent';
import { deliveryOptionKeys, messageSendOptions } from '../../helpers/messageOptions';
import {
	assertRecipients,
	mergeDeliveryAnswers,
	partialDeliverySummary,
	readRecipients,
	recipientBatches,
	type Recipients,
} from '../../helpers/recipients';
import { templateCardProperties } from '../../helpers/templateCard';
import { weComApiRequest } from '../../transport';

const SHOW = { show: { resource: ['message'], operation: ['send'] } };

/** Cards whose task_id must be unique per send: they cannot go out in several requests. */
const TASK_CARD_TYPES = ['interactive_taskcard', 'template_card'];

/** errcode 81013: every recipient of the request was invalid. */
const ALL_RECIPIENTS_INVALID = 81013;

export const description: INodeProperties[] = [
	...recipientProperties(SHOW),
	...messageContentProperties('message', SHOW, templateCardProperties({ show: { ...SHOW.show, msgtype: ['template_card'] } })),
	...updateDisplayOptions(SHOW, [
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: messageSendOptions,
		},
	]),
];

/** Sends one app message (应用消息, message/send), in several requests when a large user list is split. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const selected = this.getNodeParameter('msgtype', itemIndex) as string;
	const split = options.splitLargeUserLists === true;

	// Everything that can be checked without WeCom is checked before the first request (uploads included).
	const recipients = readRecipients(this, itemIndex);
	assertRecipients(this, itemIndex, recipients, split);
	const batches = recipientBatches(recipients);
	checkAddressing(this, itemIndex, selected, recipients, batches.length);
	const safe = Number(options.safe ?? 0);
	if (selected !== 'raw') checkSafe(this, itemIndex, 'message', selected, safe);
	const optionKeys = deliveryOptionKeys(this, itemIndex, options);
	const agentid = await resolveAgentId(this, itemIndex, options.agentId);

	const content = await buildMessageContent(this, itemIndex, 'message', { truncateLongText: options.truncateLongText === true });
	if (selected === 'raw') {
		if (safe) checkSafe(this, itemIndex, 'message', content.msgtype, safe);
		checkAddressing(this, itemIndex, content.msgtype, recipients, batches.length, content.taskId);
	}

	const answers = await sendBatches(this, itemIndex, batches, (addressing) => messageBody(addressing, content, agentid, optionKeys));
	const result = mergeDeliveryAnswers(answers);
	const partial = partialDeliverySummary(result);
	if (partial && options.failOnPartialDelivery === true) {
		throw new NodeOperationError(this.getNode(), `Partial delivery: ${partial}`, {
			itemIndex,
			description: `The other recipients did receive the message (msgid ${result.msgids.join(', ')}). Turn off Fail on Partial Delivery to get the invalid recipients in the output instead.`,
		});
	}

	const json: IDataObject = { msgtype: content.msgtype, msgid: result.msgid ?? '' };
	if (result.response_code) json.response_code = result.response_code;
	if (content.taskId) json.task_id = content.taskId;
	json.invaliduser = result.invaliduser;
	json.invalidparty = result.invalidparty;
	json.invalidtag = result.invalidtag;
	json.unlicenseduser = result.unlicenseduser;
	if (content.uploaded.length) json.uploaded = content.uploaded;
	if (content.truncated) json.truncated = true;
	if (batches.length > 1) {
		json.msgids = result.msgids;
		json.requests = batches.length;
	}
	return [{ json }];
}

/** Rules that depend on both the recipients and the message type. */
function checkAddressing(
	ctx: IExecuteFunctions,
	itemIndex: number,
	msgtype: string,
	recipients: Recipients,
	requests: number,
	taskId?: string,
): void {
	if (msgtype === 'miniprogram_notice' && recipients.all) {
		throw new NodeOperationError(ctx.getNode(), 'Mini program notices cannot be sent to everyone (@all)', {
			itemIndex,
			description: 'WeCom does not support @all for miniprogram_notice; give users, departments or tags.',
		});
	}
	if (requests > 1 && (TASK_CARD_TYPES.includes(msgtype) || taskId)) {
		throw new NodeOperationError(ctx.getNode(), `A ${msgtype} message cannot be split into several requests`, {
			itemIndex,
			description:
				'Its task_id must be unique per send, so each batch would be a different card. Send to a department or tag instead, or to at most 1000 users.',
		});
	}
}

/** WeCom's documented key order: addressing, msgtype, agentid, content, then the delivery options. */
function messageBody(addressing: IDataObject, content: BuiltContent, agentid: number, optionKeys: IDataObject): IDataObject {
	const { msgtype, ...rest } = content.body;
	return { ...addressing, msgtype, agentid, ...rest, ...optionKeys };
}

/**
 * Sends each batch in turn. With several batches, a batch WeCom refuses because all its users are invalid (81013)
 * is reported like partial delivery; any other failure stops and says which batches were already delivered.
 */
async function sendBatches(
	ctx: IExecuteFunctions,
	itemIndex: number,
	batches: IDataObject[],
	bodyFor: (addressing: IDataObject) => IDataObject,
): Promise<IDataObject[]> {
	const answers: IDataObject[] = [];
	for (const [index, addressing] of batches.entries()) {
		try {
			answers.push(await weComApiRequest.call(ctx, { method: 'POST', endpoint: 'message/send', body: bodyFor(addressing), itemIndex }));
		} catch (error) {
			if (batches.length > 1 && errcodeOf(error) === ALL_RECIPIENTS_INVALID) {
				answers.push({ invaliduser: addressing.touser, invalidparty: addressing.toparty, invalidtag: addressing.totag });
				continue;
			}
			const known = error instanceof NodeApiError || error instanceof NodeOperationError;
			const wrapped = known ? error : new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
			if (index > 0) {
				const delivered = answers.map((answer) => answer.msgid).filter((msgid) => msgid !== undefined);
				wrapped.description = `${wrapped.description ?? ''} Batches 1–${index} of ${batches.length} were already delivered (msgid ${delivered.join(', ') || 'none'}); sending again repeats them.`.trim();
			}
			throw wrapped;
		}
	}
	if (answers.every((answer) => answer.msgid === undefined)) {
		throw new NodeOperationError(ctx.getNode(), 'WeCom refused every batch: all recipients are invalid or outside the app\'s visible range (81013)', {
			itemIndex,
			description: "Check the user IDs and the app's visible range (可见范围).",
		});
	}
	return answers;
}

function errcodeOf(error: unknown): number | undefined {
	const response = (error as { errorResponse?: { errcode?: unknown } }).errorResponse;
	return response?.errcode === undefined ? undefined : Number(response.errcode);
}
