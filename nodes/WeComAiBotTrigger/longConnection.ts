/**
 * Long-connection mode of the AI Bot Trigger: the trigger joins the bot's one connection in this process
 * (nodes/shared/aibot/connection.ts), turns each message/event frame into an item, opens the answer stream with
 * the thinking text at once (same req_id, so the WeCom node's Reply continues it), and emits.
 */
import { createHash, randomBytes } from 'node:crypto';

import type { ICredentialDataDecryptedObject, IDataObject, INodeCredentialTestResult, ITriggerFunctions } from 'n8n-workflow';

import { attachFiles } from './attachments';
import { splitTriggerOn } from './options';
import {
	AiBotConnection,
	DEFAULT_AIBOT_WS_URL,
	liveConnection,
	subscribeBot,
	type AiBotConnectionConfig,
	type AiBotFrame,
	type AiBotLogger,
} from '../shared/aibot/connection';
import { AIBOT_LIMITS } from '../shared/aibot/limits';
import { aiBotDedupeKey, bodyKind, matchesAiBotFilters, normalizeBody, type AiBotFilters } from '../shared/aibot/message';
import { seenBefore } from '../WeComTrigger/dedupe';

export interface TriggerSettings {
	filters: AiBotFilters;
	download: boolean;
	deduplicate: boolean;
	stream: boolean;
	thinkingText: string;
	/** Put feedback.id on the thinking frame (WeCom reads it from a stream's first reply only). */
	feedback: boolean;
}

export function readTriggerSettings(ctx: { getNodeParameter(name: string, fallback?: unknown): unknown }): TriggerSettings {
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	const { messageTypes, eventTypes } = splitTriggerOn(ctx.getNodeParameter('events', []) as string[]);
	return {
		filters: { messageTypes, eventTypes, chatTypes: ctx.getNodeParameter('chatTypes', []) as string[] },
		download: options.download !== false,
		deduplicate: options.deduplicate !== false,
		stream: options.stream !== false,
		thinkingText: typeof options.thinkingText === 'string' && options.thinkingText !== '' ? options.thinkingText : '正在思考…',
		feedback: options.feedback === true,
	};
}

/**
 * The first frame of the answer stream: the thinking text, and with "Ask for Feedback" the feedback.id (the message's
 * msgid, so a rating names the question; a digest if it were longer than WeCom's 256 bytes).
 */
export function thinkingFrame(settings: TriggerSettings, streamId: string, msgId: string): { stream: Record<string, unknown>; feedbackId: string } {
	const stream: Record<string, unknown> = { id: streamId, finish: false, content: settings.thinkingText };
	if (!settings.feedback) return { stream, feedbackId: '' };
	const feedbackId = msgId === '' ? streamId : Buffer.byteLength(msgId) <= AIBOT_LIMITS.feedbackIdBytes ? msgId : createHash('sha256').update(msgId).digest('hex');
	stream.feedback = { id: feedbackId };
	return { stream, feedbackId };
}

export function newStreamId(): string {
	return `stream_${Date.now().toString(36)}_${randomBytes(6).toString('hex')}`;
}

export function connectionConfig(data: ICredentialDataDecryptedObject): AiBotConnectionConfig {
	const botId = String(data.botId ?? '').trim();
	const secret = String(data.secret ?? '').trim();
	const url = String(data.url ?? '').trim() || DEFAULT_AIBOT_WS_URL;
	if (botId === '' || secret === '') throw new Error('The WeCom AI Bot credential needs the Bot ID and the Secret of the long connection');
	if (!/^wss?:\/\//i.test(url)) throw new Error('The WebSocket URL must start with wss:// (or ws:// for a local sandbox)');
	return { botId, secret, url };
}

/** Joins the bot's connection; resolves once subscribed (or still trying after 10 s); returns the release function. */
export async function startLongConnection(ctx: ITriggerFunctions, data: ICredentialDataDecryptedObject): Promise<() => void> {
	const config = connectionConfig(data);
	const settings = readTriggerSettings(ctx);
	const node = ctx.getNode();
	const scope = `${ctx.getWorkflow().id ?? ''}:${node.id ?? node.name}`;
	const logger = ctx.logger as AiBotLogger;
	const listener = (frame: AiBotFrame, connection: AiBotConnection) => {
		onFrame(ctx, settings, scope, frame, connection).catch((error: unknown) => {
			logger.error(`WeCom AI Bot Trigger could not start the workflow for a frame: ${(error as Error).message}`);
		});
	};
	const { connection, release } = subscribeBot(config, listener, logger);
	const state = await connection.ready().catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
	if (state instanceof Error) {
		release();
		throw state;
	}
	if (state === 'pending') logger.warn(`${connection.label}: not subscribed yet; the trigger keeps trying in the background`);
	// Several workflows share the bot's connection and n8n activates them one by one: say when this one listens.
	logger.info(`${connection.label}: workflow ${ctx.getWorkflow().id ?? '(unsaved)'} listens (${connection.listeners.size} trigger(s) on this connection)`);
	return release;
}

async function onFrame(ctx: ITriggerFunctions, settings: TriggerSettings, scope: string, frame: AiBotFrame, connection: AiBotConnection): Promise<void> {
	const body = frame.body ?? {};
	const reqId = frame.headers?.req_id ?? '';
	if (!matchesAiBotFilters(body, settings.filters)) return;
	if (settings.deduplicate && seenBefore(scope, aiBotDedupeKey(body), ctx.getWorkflowStaticData('node'))) {
		ctx.logger.debug(`${connection.label}: ignored a redelivered ${String(body.msgtype)} (msgid seen before)`);
		return;
	}
	let streamId = '';
	let feedbackId = '';
	if (bodyKind(body).kind === 'message' && settings.stream) {
		streamId = newStreamId();
		const first = thinkingFrame(settings, streamId, String(body.msgid ?? ''));
		feedbackId = first.feedbackId;
		connection
			.request('aibot_respond_msg', { msgtype: 'stream', stream: first.stream }, reqId)
			.catch((error: unknown) => ctx.logger.warn(`${connection.label}: the thinking frame was not accepted: ${(error as Error).message}`));
	}
	const item = normalizeBody(body, { mode: 'longConnection', reqId, streamId, feedbackId, scope, receivedAt: Date.now() });
	const hasFiles = ((item.attachments ?? []) as unknown[]).length > 0;
	const output = settings.download && hasFiles ? await attachFiles(ctx.helpers, item, undefined) : { json: item };
	ctx.emit([[output]]);
}

const silentLogger: AiBotLogger = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };

/** Subscribes once and reports WeCom's answer; a live connection of this process with the same Secret answers for itself. */
export async function testLongConnection(data: ICredentialDataDecryptedObject): Promise<INodeCredentialTestResult> {
	let config: AiBotConnectionConfig;
	try {
		config = connectionConfig(data);
	} catch (error) {
		return { status: 'Error', message: (error as Error).message };
	}
	const live = liveConnection(config.botId);
	if (live && live.config.secret === config.secret && live.config.url === config.url) {
		return { status: 'OK', message: 'This n8n holds the bot\'s long connection and WeCom accepted it' };
	}
	const probe = new AiBotConnection(config, silentLogger);
	probe.start();
	try {
		const state = await probe.ready(8000);
		return state === 'subscribed'
			? { status: 'OK', message: 'WeCom accepted the Bot ID and Secret' }
			: { status: 'Error', message: 'No answer to the subscription within 8 s: check the WebSocket URL and that n8n may reach it' };
	} catch (error) {
		return { status: 'Error', message: (error as Error).message };
	} finally {
		probe.stop('closed (credential test)');
	}
}
