/**
 * Callback mode of the AI Bot Trigger: WeCom POSTs encrypted JSON to the Production URL.
 * - GET (URL verification): signature, decryption, the plaintext echostr; nothing else runs before the answer.
 * - a message: answered at once with a stream frame showing the thinking text (the stream lives in this
 *   process's stream store), then the workflow starts; the WeCom node's AI Bot → Reply feeds the answer.
 * - a refresh callback ({msgtype:"stream", stream:{id}}): answered with the stream's current frame.
 * - enter_chat / template_card_event: the HTTP answer is held for up to 4.5 s (WeCom waits 5) for the WeCom node's
 *   Welcome Message / Update Template Card; empty if nothing came.
 * - feedback_event and anything filtered out: an empty 200.
 */
import type { ICredentialDataDecryptedObject, IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { attachFiles } from './attachments';
import { newStreamId, readTriggerSettings, thinkingFrame } from './longConnection';
import { AiBotCallbackRejection, openCallbackBody, openVerification, sealAiBotReply, type AiBotQuery } from '../shared/aibot/callbackEnvelope';
import { aiBotDedupeKey, bodyKind, matchesAiBotFilters, normalizeBody, refreshStreamId } from '../shared/aibot/message';
import { awaitEventReply, frameForRefresh, openStream } from '../shared/aibot/streamStore';
import { callbackSecrets, checkCallbackCredential } from '../WeComTrigger/callbackRequest';
import { seenBefore } from '../WeComTrigger/dedupe';

/** How long the HTTP answer to enter_chat / template_card_event waits for the workflow's reply (WeCom: 5 s). */
export const EVENT_REPLY_WAIT_MS = 4500;

export function checkAiBotCallbackCredential(data: ICredentialDataDecryptedObject): string | undefined {
	return checkCallbackCredential({ token: data.token, encodingAESKey: data.encodingAESKey });
}

interface HttpResponse {
	writeHead(status: number, headers: Record<string, string | number>): void;
	end(body: string): void;
	headersSent?: boolean;
	writableEnded?: boolean;
}

function write(res: HttpResponse, status: number, body: string, contentType = 'text/plain; charset=utf-8'): void {
	if (res.headersSent || res.writableEnded) return;
	res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
	res.end(body);
}

async function readBodyIfPending(request: { rawBody?: unknown; readRawBody?: () => Promise<void> }): Promise<void> {
	if (request.rawBody !== undefined || typeof request.readRawBody !== 'function') return;
	try {
		await request.readRawBody();
	} catch {
		// the parsed body may still be there
	}
}

/** n8n keeps the exact bytes on rawBody; otherwise its parsed JSON holds the same single field. */
function rawBodyOf(request: { rawBody?: unknown; body?: unknown }): Buffer | string | undefined {
	const raw = request.rawBody;
	if (Buffer.isBuffer(raw) || typeof raw === 'string') return raw;
	if (typeof request.body === 'string') return request.body;
	if (typeof request.body === 'object' && request.body !== null && Object.keys(request.body).length > 0) return JSON.stringify(request.body);
	return undefined;
}

export async function callbackWebhook(ctx: IWebhookFunctions): Promise<IWebhookResponseData> {
	const res = ctx.getResponseObject() as unknown as HttpResponse;
	const done: IWebhookResponseData = { noWebhookResponse: true };
	if (ctx.getNodeParameter('mode', 'longConnection') !== 'callback') {
		write(res, 404, 'this trigger uses the long connection, not a callback URL');
		return done;
	}
	let data: ICredentialDataDecryptedObject;
	try {
		data = await ctx.getCredentials<ICredentialDataDecryptedObject>('weComAiBotCallbackApi');
	} catch (error) {
		ctx.logger.error(`WeCom AI Bot Trigger: no usable callback credential: ${(error as Error).message}`);
		write(res, 500, 'callback credential missing');
		return done;
	}
	const secrets = callbackSecrets({ token: data.token, encodingAESKey: data.encodingAESKey });
	if (typeof secrets === 'string') {
		ctx.logger.error(`WeCom AI Bot Trigger: the callback credential is unusable: ${secrets}`);
		write(res, 500, 'callback credential invalid');
		return done;
	}
	const request = ctx.getRequestObject();
	const query = (request.query ?? {}) as AiBotQuery;
	const isVerification = ctx.getWebhookName() === 'setup';
	let body: Record<string, unknown>;
	try {
		if (isVerification) {
			write(res, 200, openVerification(secrets, query));
			return done;
		}
		await readBodyIfPending(request as unknown as { rawBody?: unknown; readRawBody?: () => Promise<void> });
		body = openCallbackBody(secrets, query, rawBodyOf(request as unknown as { rawBody?: unknown; body?: unknown }));
	} catch (error) {
		const rejection = error instanceof AiBotCallbackRejection ? error : new AiBotCallbackRejection(400, 'bad request');
		ctx.logger.warn(`WeCom AI Bot Trigger rejected a ${isVerification ? 'URL verification' : 'callback'} (HTTP ${rejection.status}): ${rejection.publicReason}`);
		write(res, rejection.status, rejection.publicReason);
		return done;
	}
	const nonce = String(query.nonce);
	const reply = (payload: Record<string, unknown>) => write(res, 200, sealAiBotReply(secrets, payload, nonce), 'application/json; charset=utf-8');

	const refreshId = refreshStreamId(body);
	if (refreshId !== undefined) {
		const frame = frameForRefresh(refreshId);
		// A stream this process does not know (restart, another webhook process): an empty answer leaves WeCom's view as it is.
		if (frame) reply(frame);
		else write(res, 200, '');
		return done;
	}

	const settings = readTriggerSettings(ctx);
	if (!matchesAiBotFilters(body, settings.filters)) {
		write(res, 200, '');
		return done;
	}
	const node = ctx.getNode();
	const scope = `${ctx.getWorkflow().id ?? ''}:${node.id ?? node.name}`;
	if (settings.deduplicate && seenBefore(scope, aiBotDedupeKey(body), ctx.getWorkflowStaticData('node'))) {
		write(res, 200, '');
		return done;
	}

	const { kind, type } = bodyKind(body);
	let streamId = '';
	let feedbackId = '';
	let slotKey = '';
	if (kind === 'message' && settings.stream) {
		streamId = newStreamId();
		const first = thinkingFrame(settings, streamId, String(body.msgid ?? ''));
		feedbackId = first.feedbackId;
		openStream(streamId, settings.thinkingText);
		reply({ msgtype: 'stream', stream: first.stream });
	} else if (kind === 'event' && (type === 'enter_chat' || type === 'template_card_event')) {
		slotKey = `${scope}|${String(body.msgid ?? newStreamId())}`;
		// Opened before the workflow starts, answered when the WeCom node fills it or after EVENT_REPLY_WAIT_MS.
		void awaitEventReply(slotKey, EVENT_REPLY_WAIT_MS).then((payload) => (payload ? reply(payload) : write(res, 200, '')));
	} else {
		write(res, 200, '');
	}

	const item: IDataObject = normalizeBody(body, { mode: 'callback', reqId: slotKey, streamId, feedbackId, scope, receivedAt: Date.now() });
	const hasFiles = ((item.attachments ?? []) as unknown[]).length > 0;
	const output = settings.download && hasFiles ? await attachFiles(ctx.helpers, item, String(data.encodingAESKey)) : { json: item };
	return { noWebhookResponse: true, workflowData: [[output]] };
}
