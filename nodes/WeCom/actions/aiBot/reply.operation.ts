import { randomBytes } from 'node:crypto';

import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import { limitGuard, replyToField } from './fields';
import { awaitConnection, noConnectionReason, postResponseUrl, readReplyTarget } from '../../helpers/aiBotDelivery';
import { updateDisplayOptions } from '../../helpers/displayOptions';
import { AIBOT_LIMITS, checkContent, checkFeedbackId, checkImages, streamImage, truncateBytes, type StreamImage } from '../../../shared/aibot/limits';
import type { ReplyTarget } from '../../../shared/aibot/message';
import { AiBotConnectionError } from '../../../shared/aibot/connection';
import { abandonStream, feedStream, getStream, waitDelivered } from '../../../shared/aibot/streamStore';

const properties: INodeProperties[] = [
	replyToField,
	{
		displayName: 'Answer',
		name: 'content',
		type: 'string',
		typeOptions: { rows: 5 },
		default: '',
		required: true,
		description: 'Markdown, at most 20480 bytes; it replaces the thinking text of the stream',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Fall Back to Response URL',
				name: 'fallback',
				type: 'boolean',
				default: true,
				description:
					'Whether to post the answer through the message\'s response_url when the stream cannot be fed (queue-mode worker, n8n restarted, stream expired); otherwise the item fails',
			},
			{
				displayName: 'Feedback ID',
				name: 'feedbackId',
				type: 'string',
				default: '',
				description:
					'An ID (≤ 256 bytes) that feedback_event brings back when the user rates this answer. WeCom reads it from the first frame of a stream only: with the trigger\'s thinking frame, use the trigger\'s Ask for Feedback option instead; this one applies when this node opens the stream or posts through response_url.',
			},
			{
				displayName: 'Image Binary Fields',
				name: 'images',
				type: 'string',
				default: '',
				placeholder: 'data, chart',
				description: 'Binary fields of JPG/PNG images (≤ 10, each ≤ 10 MB) shown under the answer, sent with the final frame',
			},
			{
				displayName: 'Stream Steps',
				name: 'steps',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 20 },
				default: 1,
				description: 'Send the answer in this many growing frames (1 = all at once), so long answers appear progressively',
			},
			{
				displayName: 'Truncate Long Answers',
				name: 'truncate',
				type: 'boolean',
				default: false,
				description: 'Whether to cut answers longer than 20480 bytes instead of failing the item',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['aiBot'], operation: ['reply'] } }, properties);

/** How often one stream frame is sent again after the long connection dropped under it (each after a reconnect). */
const MAX_FRAME_RESENDS = 2;

/** Prefixes of the answer, ending with the whole answer: what each stream frame shows. */
export function streamSteps(content: string, steps: number): string[] {
	const characters = [...content];
	const count = Math.max(1, Math.min(steps, characters.length || 1));
	return Array.from({ length: count }, (_, index) => characters.slice(0, Math.ceil(((index + 1) * characters.length) / count)).join(''));
}

async function readImages(ctx: IExecuteFunctions, itemIndex: number, names: string): Promise<StreamImage[]> {
	const fields = names
		.split(',')
		.map((name) => name.trim())
		.filter((name) => name !== '');
	limitGuard(ctx, itemIndex, () => checkImages(fields.length));
	const images: StreamImage[] = [];
	for (const field of fields) {
		const data = await ctx.helpers.getBinaryDataBuffer(itemIndex, field);
		images.push(limitGuard(ctx, itemIndex, () => streamImage(data, `Binary field "${field}"`)));
	}
	return images;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const target = readReplyTarget(this, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	let content = this.getNodeParameter('content', itemIndex) as string;
	if (content.trim() === '') throw new NodeOperationError(this.getNode(), 'The answer is empty', { itemIndex });
	if (options.truncate === true) content = truncateBytes(content, AIBOT_LIMITS.contentBytes);
	limitGuard(this, itemIndex, () => checkContent(content, 'The answer'));
	// The node's own ID, else the one the trigger put on the thinking frame (for the response_url fallback).
	const feedbackId = typeof options.feedbackId === 'string' && options.feedbackId !== '' ? options.feedbackId : target.feedbackId || undefined;
	if (feedbackId) limitGuard(this, itemIndex, () => checkFeedbackId(feedbackId));
	const images = await readImages(this, itemIndex, typeof options.images === 'string' ? options.images : '');
	const steps = streamSteps(content, Number(options.steps ?? 1));
	const fallback = options.fallback !== false;

	const reason =
		target.mode === 'longConnection'
			? await replyOverConnection(target, steps, images, feedbackId)
			: await replyThroughStore(target, steps, images);
	if (typeof reason !== 'string') return [{ json: { ...reason, msgId: target.msgId, chatId: target.chatId } }];

	if (!fallback || target.responseUrl === '') {
		throw new NodeOperationError(this.getNode(), `The answer could not be streamed: ${reason}`, {
			itemIndex,
			description: target.responseUrl === '' ? 'The message carries no response_url to fall back to.' : 'Turn on "Fall Back to Response URL" to post it through the message\'s response_url.',
		});
	}
	const markdown: IDataObject = { content };
	if (feedbackId) markdown.feedback = { id: feedbackId };
	await postResponseUrl(this, itemIndex, target, { msgtype: 'markdown', markdown });
	return [{ json: { delivered: 'responseUrl', reason, imagesDropped: images.length, msgId: target.msgId, chatId: target.chatId } }];
}

/** Frames with the message's req_id on the bot's socket; a string says why it could not. */
async function replyOverConnection(target: ReplyTarget, steps: string[], images: StreamImage[], feedbackId?: string): Promise<IDataObject | string> {
	if (target.reqId === '') return 'the item has no req_id of a long-connection message';
	if (target.receivedAt > 0 && Date.now() - target.receivedAt > AIBOT_LIMITS.streamLifetimeMs) return 'the message is older than the 6 minutes a stream may last';
	let connection = await awaitConnection(target.botId);
	if (!connection) return noConnectionReason(target.botId);
	const streamId = target.streamId || `stream_${randomBytes(8).toString('hex')}`;
	let sent = 0;
	let resent = 0;
	for (const [index, text] of steps.entries()) {
		const finish = index === steps.length - 1;
		const stream: IDataObject = { id: streamId, finish, content: text };
		if (finish && images.length > 0) stream.msg_item = images.map((image) => ({ msgtype: 'image', image }));
		// WeCom takes feedback.id from a stream's first reply only (page 101031; the SDK's replyStream says the same).
		if (feedbackId && index === 0 && target.streamId === '') stream.feedback = { id: feedbackId };
		for (let attempt = 0; ; attempt++) {
			try {
				await connection.request('aibot_respond_msg', { msgtype: 'stream', stream }, target.reqId);
				break;
			} catch (error) {
				// The socket dropped under this frame: wait for the reconnect and send it again on the new socket (a
				// stream frame replaces the shown text, so a repeat shows nothing twice). WeCom's refusals are final.
				const dropped = error instanceof AiBotConnectionError && error.errcode === undefined;
				const next = dropped && attempt < MAX_FRAME_RESENDS ? await awaitConnection(target.botId) : undefined;
				if (!next) return `${(error as Error).message} (after ${sent} of ${steps.length} frames)`;
				connection = next;
				resent++;
			}
		}
		sent++;
	}
	return { delivered: 'stream', via: 'longConnection', streamId, frames: sent, resent, images: images.length };
}

/** Callback mode: the trigger answers WeCom's refresh callbacks from this process's stream store. */
async function replyThroughStore(target: ReplyTarget, steps: string[], images: StreamImage[]): Promise<IDataObject | string> {
	if (target.streamId === '') return 'the trigger opened no stream for this message (its "Start Stream With Thinking Text" option is off)';
	const known = getStream(target.streamId);
	if (!known) {
		return 'this n8n process does not hold the stream: the callback was received by another process (queue mode) or before a restart';
	}
	for (const [index, text] of steps.entries()) {
		const finish = index === steps.length - 1;
		const fed = feedStream(target.streamId, { content: text, finish, images: finish ? images : undefined });
		if (fed !== 'fed') return fed === 'expired' ? 'the stream is close to WeCom\'s 6-minute limit' : `the stream is ${fed}`;
		if (!finish) {
			// Give WeCom's next refresh the chance to show this step.
			const seen = known.refreshes;
			for (let waited = 0; known.refreshes === seen && waited < 3000; waited += 50) await sleep(50);
		}
	}
	// WeCom refreshes every second or so; a stream whose final frame nobody fetched goes the fallback way.
	if (await waitDelivered(target.streamId, 30_000)) {
		return { delivered: 'stream', via: 'callback', streamId: target.streamId, frames: steps.length, images: images.length, refreshes: known.refreshes };
	}
	abandonStream(target.streamId);
	return 'WeCom did not fetch the answer with a refresh callback within 30 s';
}
