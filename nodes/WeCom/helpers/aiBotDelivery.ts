/**
 * How an AI Bot answer reaches the person (design: README → "WeCom AI Bot"):
 *
 * - long connection: frames on the trigger's socket, found in this process's registry by bot ID
 *   (nodes/shared/aibot/connection.ts), with the req_id of the user's message;
 * - callback mode: the stream store of this process (nodes/shared/aibot/streamStore.ts), from which the trigger
 *   answers WeCom's refresh callbacks; event replies through the trigger's held HTTP answer;
 * - otherwise (queue-mode worker, n8n restarted, stream expired, socket gone): the message's response_url (once,
 *   within an hour), and if there is none, the item fails with an error that says why. Never silently.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { liveConnection, knownConnection, type AiBotConnection } from '../../shared/aibot/connection';
import { AIBOT_LIMITS } from '../../shared/aibot/limits';
import type { ReplyTarget } from '../../shared/aibot/message';

/** How long a reply waits for a dropped long connection to come back before using the fallback. */
const RECONNECT_WAIT_MS = 10_000;

export function readReplyTarget(ctx: IExecuteFunctions, itemIndex: number, parameter = 'replyTo'): ReplyTarget {
	const raw = ctx.getNodeParameter(parameter, itemIndex, undefined) as unknown;
	let value: unknown = raw;
	if (typeof raw === 'string') {
		try {
			value = raw.trim() === '' ? undefined : JSON.parse(raw);
		} catch {
			value = undefined;
		}
	}
	const target = value as Partial<ReplyTarget> | undefined;
	if (!target || typeof target !== 'object' || (target.mode !== 'callback' && target.mode !== 'longConnection') || typeof target.botId !== 'string') {
		throw new NodeOperationError(
			ctx.getNode(),
			'Reply To must be the replyTo object the WeCom AI Bot Trigger outputs, e.g. {{ $(\'WeCom AI Bot Trigger\').item.json.replyTo }}',
			{ itemIndex, description: 'Point the expression at your trigger node by its name; replyTo carries the mode, bot, req_id, stream and response_url of the message.' },
		);
	}
	return {
		mode: target.mode,
		botId: target.botId,
		msgId: String(target.msgId ?? ''),
		chatId: String(target.chatId ?? ''),
		chatType: String(target.chatType ?? 'single'),
		userId: String(target.userId ?? ''),
		kind: target.kind === 'event' ? 'event' : 'message',
		eventType: String(target.eventType ?? ''),
		reqId: String(target.reqId ?? ''),
		streamId: String(target.streamId ?? ''),
		feedbackId: String(target.feedbackId ?? ''),
		responseUrl: String(target.responseUrl ?? ''),
		receivedAt: Number(target.receivedAt ?? 0),
		scope: String(target.scope ?? ''),
		taskId: String(target.taskId ?? ''),
	};
}

/** The bot's subscribed connection in this process, waiting up to 10 s for one that is reconnecting. */
export async function awaitConnection(botId: string, waitMs = RECONNECT_WAIT_MS): Promise<AiBotConnection | undefined> {
	for (let waited = 0; ; waited += 100) {
		const live = liveConnection(botId);
		if (live) return live;
		const known = knownConnection(botId);
		if (!known || known.isStopped || waited >= waitMs) return undefined;
		await sleep(100);
	}
}

export function noConnectionReason(botId: string): string {
	const known = knownConnection(botId);
	if (!known) {
		return `this n8n process holds no long connection for bot ${botId}. The connection lives in the process that runs the active WeCom AI Bot Trigger (in queue mode: the main process, while executions run on workers)`;
	}
	return `the long connection of bot ${botId} is ${known.state}`;
}

/** Responses this process already sent to a response_url (WeCom accepts each once). */
const usedResponseUrls = new Map<string, number>();

/** POSTs a markdown or template_card answer to response_url (once, within an hour of the message). */
export async function postResponseUrl(ctx: IExecuteFunctions, itemIndex: number, target: ReplyTarget, body: IDataObject): Promise<IDataObject> {
	const url = target.responseUrl;
	if (url === '') throw new NodeOperationError(ctx.getNode(), 'The message carries no response_url', { itemIndex });
	if (usedResponseUrls.has(url)) {
		throw new NodeOperationError(ctx.getNode(), 'This message\'s response_url was already used: WeCom accepts one active reply per message', { itemIndex });
	}
	if (target.receivedAt > 0 && Date.now() - target.receivedAt > AIBOT_LIMITS.responseUrlLifetimeMs) {
		throw new NodeOperationError(ctx.getNode(), 'The response_url is older than one hour; WeCom no longer accepts a reply through it', { itemIndex });
	}
	let answer: IDataObject;
	try {
		answer = (await ctx.helpers.httpRequest({ method: 'POST', url, body, json: true, timeout: 15_000 })) as IDataObject;
	} catch (error) {
		throw new NodeApiError(ctx.getNode(), { message: (error as Error).message }, { message: 'The answer could not be posted to the response_url', itemIndex });
	}
	const errcode = Number(answer?.errcode ?? 0);
	if (errcode !== 0) {
		throw new NodeApiError(ctx.getNode(), answer as never, {
			message: `WeCom refused the active reply: errcode ${errcode} ${String(answer.errmsg ?? '')}`.trim(),
			description: 'A response_url works once, within one hour of the message; markdown content is at most 20480 bytes.',
			itemIndex,
		});
	}
	usedResponseUrls.set(url, Date.now());
	if (usedResponseUrls.size > 5000) usedResponseUrls.clear();
	return answer;
}

/** The reason an event reply cannot go out any more (5 s after the event), or undefined. */
export function eventReplyTooLate(target: ReplyTarget): string | undefined {
	if (target.receivedAt <= 0) return undefined;
	const age = Date.now() - target.receivedAt;
	return age > AIBOT_LIMITS.eventReplyMs
		? `the event arrived ${Math.round(age / 100) / 10} s ago; WeCom accepts welcome messages and card updates only within 5 s of the event (keep the nodes before this one fast)`
		: undefined;
}
