/**
 * WeCom's intelligent robot (智能机器人) side, both modes, stateful and strict like WeCom:
 *
 * Long connection (a WebSocket server on the sandbox's port, any path): `aibot_subscribe` with bot ID + secret
 * (one live connection per bot: a newer one gets the bot and the older one receives `disconnected_event` and is
 * closed), every frame acknowledged by req_id, `ping`, message and event callbacks pushed on demand, and every
 * answer checked: `aibot_respond_msg` only to a message we pushed, one stream.id per req_id, nothing after finish,
 * content ≤ 20480 bytes, images only with finish (≤ 10, JPG/PNG ≤ 10 MB, md5 matching), the stream finished within
 * 6 minutes; welcome and card updates only to their event, once, within 5 s, the card's task_id; `aibot_send_msg`;
 * the chunked upload; dropping a connection on demand.
 *
 * Callback mode: encrypted, signed JSON callbacks (receive ID "") POSTed to a URL, the reply envelope checked
 * (exact keys, signature, our nonce), stream replies followed up with refresh callbacks until finish, the
 * response_url endpoint (one use within 1 h), and media URLs serving AES-encrypted files.
 *
 * Control API: /__sandbox/aibot/* (see handleAibotControl). Errcodes for protocol mistakes are the sandbox's own
 * where WeCom documents none; each failure is also listed in `problems`.
 */
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

import { decrypt as officialDecrypt, encrypt as officialEncrypt } from '@wecom/crypto';

import { httpCall, randomNonce, sign, withQuery } from './callback';
import { WeComError } from './errors';
import { validateTemplateCard } from './templateCard';
import { acceptWebSocket, type WsPeer } from './websocket';

export const AIBOT_DEFAULTS: Readonly<{ botId: string; secret: string; token: string; encodingAESKey: string }> = Object.freeze({
	botId: 'aibsandbox0000000000000000000001',
	secret: 'aibot-sandbox-secret-Zq7Rm2Lx9Vk4',
	token: 'aibotSandboxToken42',
	encodingAESKey: 'Qm9vdHN0cmFwQWlCb3RTYW5kYm94S2V5MDEyMzQ1Njc',
});

const CONTENT_BYTES = 20480;
const STREAM_LIFETIME_MS = 6 * 60 * 1000;
const EVENT_REPLY_MS = 5000;
const RESPONSE_URL_MS = 60 * 60 * 1000;
const CARD_TYPES = ['text_notice', 'news_notice', 'button_interaction', 'vote_interaction', 'multiple_interaction'];

export interface AibotFrameRecord {
	at: number;
	botId: string;
	peerId: number;
	cmd: string;
	reqId: string;
	body?: Record<string, unknown>;
	errcode: number;
	errmsg: string;
}

export interface AibotStreamFrame {
	at: number;
	content: string;
	finish: boolean;
	images: number;
	via: 'ws' | 'callback' | 'refresh';
}

export interface AibotStream {
	id: string;
	reqId: string;
	botId: string;
	msgid: string;
	createdAt: number;
	frames: AibotStreamFrame[];
	finished: boolean;
	templateCard?: Record<string, unknown>;
}

interface PushedCallback {
	botId: string;
	kind: 'message' | 'event';
	type: string;
	at: number;
	msgid: string;
	taskId?: string;
	streamId?: string;
	answered: boolean;
	cardSent: boolean;
	/** Long connection: the pushed frame, for a redelivery with the same req_id and body. */
	frame?: { cmd: string; body: Record<string, unknown> };
}

interface ResponseCode {
	botId: string;
	createdAt: number;
	usedAt?: number;
	body?: unknown;
}

interface Upload {
	type: string;
	filename: string;
	totalSize: number;
	totalChunks: number;
	md5?: string;
	chunks: Map<number, Buffer>;
}

export interface AibotMediaFile {
	id: string;
	data: Buffer;
	key: string;
	fileName: string;
}

type Answer = { errcode: number; errmsg: string; body?: Record<string, unknown> };

function record(value: unknown): Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function bytes(text: unknown): number {
	return Buffer.byteLength(typeof text === 'string' ? text : '', 'utf8');
}

const fail = (errcode: number, errmsg: string): Answer => ({ errcode, errmsg });
const OK: Answer = { errcode: 0, errmsg: 'ok' };

export class AibotSandbox {
	readonly bots = new Map<string, { secret: string; token: string; encodingAESKey: string }>();
	readonly frames: AibotFrameRecord[] = [];
	readonly problems: string[] = [];
	readonly streams = new Map<string, AibotStream>();
	readonly sent: Array<{ at: number; botId: string; body: Record<string, unknown> }> = [];
	readonly responses: Array<{ at: number; code: string; body: unknown; errcode: number }> = [];
	readonly callbackReplies: Array<{ at: number; kind: string; status: number; payload?: Record<string, unknown>; ms: number }> = [];
	readonly media = new Map<string, AibotMediaFile>();
	/** Subscriptions that succeeded, per bot (a reconnect adds one). */
	readonly subscriptions = new Map<string, number>();
	/** Milliseconds between refresh callbacks in callback mode. */
	refreshIntervalMs = 300;
	/**
	 * The network fails under the client: the `nth` next frame with this cmd is swallowed (never acknowledged) and
	 * the connection is cut. Cleared once it fired.
	 */
	dropOnFrame: { cmd: string; nth: number } | undefined;
	/** The next this-many subscriptions get no answer at all (a server that hangs). */
	silentSubscriptions = 0;
	private readonly live = new Map<string, WsPeer>();
	private readonly peers = new Set<WsPeer>();
	private readonly callbacks = new Map<string, PushedCallback>();
	private readonly codes = new Map<string, ResponseCode>();
	private readonly uploads = new Map<string, Upload>();
	private readonly uploaded = new Map<string, { type: string; size: number }>();
	private seq = 0;
	private refreshLoops = 0;
	private stopped = false;

	constructor(
		private readonly baseUrl: () => string,
		private readonly now: () => number = Date.now,
	) {
		this.bots.set(AIBOT_DEFAULTS.botId, { secret: AIBOT_DEFAULTS.secret, token: AIBOT_DEFAULTS.token, encodingAESKey: AIBOT_DEFAULTS.encodingAESKey });
	}

	private id(prefix: string): string {
		return `${prefix}${++this.seq}${randomBytes(4).toString('hex')}`;
	}

	private problem(text: string): void {
		this.problems.push(text);
	}

	reset(): void {
		this.frames.length = 0;
		this.problems.length = 0;
		this.streams.clear();
		this.sent.length = 0;
		this.responses.length = 0;
		this.callbackReplies.length = 0;
		this.callbacks.clear();
		this.codes.clear();
		this.uploads.clear();
		this.subscriptions.clear();
		this.refreshIntervalMs = 300;
		this.dropOnFrame = undefined;
		this.silentSubscriptions = 0;
	}

	close(): void {
		this.stopped = true;
		for (const peer of this.peers) peer.destroy();
		this.peers.clear();
		this.live.clear();
	}

	liveConnections(): Record<string, number> {
		return Object.fromEntries([...this.live.entries()].filter(([, peer]) => peer.open).map(([botId, peer]) => [botId, peer.id]));
	}

	// ---------------------------------------------------------------- long connection

	upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
		const peer = acceptWebSocket(request, socket, head);
		if (!peer) return;
		this.peers.add(peer);
		let botId = '';
		peer.onClose = () => {
			this.peers.delete(peer);
			if (botId && this.live.get(botId) === peer) this.live.delete(botId);
		};
		peer.onText = (text) => {
			let frame: Record<string, unknown>;
			try {
				frame = record(JSON.parse(text));
			} catch {
				this.problem('a client frame is not JSON');
				return;
			}
			const cmd = typeof frame.cmd === 'string' ? frame.cmd : '';
			const reqId = typeof record(frame.headers).req_id === 'string' ? (record(frame.headers).req_id as string) : '';
			const body = frame.body === undefined ? undefined : record(frame.body);
			if (this.dropOnFrame && cmd === this.dropOnFrame.cmd && --this.dropOnFrame.nth <= 0) {
				this.dropOnFrame = undefined;
				if (botId && this.live.get(botId) === peer) this.live.delete(botId);
				peer.destroy();
				return;
			}
			if (cmd === 'aibot_subscribe' && this.silentSubscriptions > 0) {
				this.silentSubscriptions--;
				return;
			}
			let answer: Answer;
			if (reqId === '') {
				answer = fail(40058, 'headers.req_id missing');
			} else if (cmd === 'aibot_subscribe') {
				answer = this.subscribe(peer, body ?? {});
				if (answer.errcode === 0) botId = String((body ?? {}).bot_id);
			} else if (!botId || this.live.get(botId) !== peer) {
				answer = fail(40059, 'not subscribed: send aibot_subscribe first');
			} else {
				answer = this.command(botId, cmd, reqId, body ?? {});
			}
			this.frames.push({ at: this.now(), botId, peerId: peer.id, cmd, reqId, body, errcode: answer.errcode, errmsg: answer.errmsg });
			if (answer.errcode !== 0) this.problem(`${cmd || '(no cmd)'} ${reqId}: ${answer.errcode} ${answer.errmsg}`);
			const ack: Record<string, unknown> = { headers: { req_id: reqId }, errcode: answer.errcode, errmsg: answer.errmsg };
			if (answer.body) ack.body = answer.body;
			peer.send(JSON.stringify(ack));
		};
	}

	private subscribe(peer: WsPeer, body: Record<string, unknown>): Answer {
		const botId = typeof body.bot_id === 'string' ? body.bot_id : '';
		const bot = this.bots.get(botId);
		if (!bot || body.secret !== bot.secret) return fail(40001, 'invalid bot_id or secret');
		const previous = this.live.get(botId);
		this.live.set(botId, peer);
		this.subscriptions.set(botId, (this.subscriptions.get(botId) ?? 0) + 1);
		if (previous && previous !== peer && previous.open) this.disconnect(previous, botId);
		return OK;
	}

	/** WeCom's way to end an older connection: a disconnected_event, then the close. */
	private disconnect(peer: WsPeer, botId: string): void {
		const body = { msgid: this.id('evt'), create_time: Math.floor(this.now() / 1000), aibotid: botId, msgtype: 'event', event: { eventtype: 'disconnected_event' } };
		peer.send(JSON.stringify({ cmd: 'aibot_event_callback', headers: { req_id: this.id('req') }, body }));
		setTimeout(() => peer.close(1000, 'replaced by a newer connection'), 50);
	}

	private command(botId: string, cmd: string, reqId: string, body: Record<string, unknown>): Answer {
		switch (cmd) {
			case 'ping':
				return OK;
			case 'aibot_respond_msg':
				return this.respond(botId, reqId, body, 'ws');
			case 'aibot_respond_welcome_msg':
				return this.eventReply(botId, reqId, body, 'enter_chat');
			case 'aibot_respond_update_msg':
				return this.eventReply(botId, reqId, body, 'template_card_event');
			case 'aibot_send_msg':
				return this.sendMsg(botId, body);
			case 'aibot_upload_media_init':
				return this.uploadInit(body);
			case 'aibot_upload_media_chunk':
				return this.uploadChunk(body);
			case 'aibot_upload_media_finish':
				return this.uploadFinish(body);
			default:
				return fail(40060, `unknown cmd ${cmd}`);
		}
	}

	/** Pushes a message callback to the bot's live connection; returns its req_id and msgid. */
	pushMessage(botId: string, message: Record<string, unknown>): { reqId: string; msgid: string } {
		const peer = this.live.get(botId);
		if (!peer?.open) throw new Error(`bot ${botId} has no live long connection`);
		const reqId = this.id('aibot_msg_callback_');
		const body = this.messageBody(botId, message);
		this.callbacks.set(reqId, {
			botId,
			kind: 'message',
			type: String(body.msgtype),
			at: this.now(),
			msgid: String(body.msgid),
			answered: false,
			cardSent: false,
			frame: { cmd: 'aibot_msg_callback', body },
		});
		peer.send(JSON.stringify({ cmd: 'aibot_msg_callback', headers: { req_id: reqId }, body }));
		return { reqId, msgid: String(body.msgid) };
	}

	pushEvent(botId: string, eventtype: string, detail: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): { reqId: string; msgid: string } {
		const peer = this.live.get(botId);
		if (!peer?.open) throw new Error(`bot ${botId} has no live long connection`);
		const reqId = this.id('aibot_event_callback_');
		const body = this.eventBody(botId, eventtype, detail, extra);
		this.callbacks.set(reqId, {
			botId,
			kind: 'event',
			type: eventtype,
			at: this.now(),
			msgid: String(body.msgid),
			taskId: typeof detail.task_id === 'string' ? detail.task_id : undefined,
			answered: false,
			cardSent: false,
		});
		peer.send(JSON.stringify({ cmd: 'aibot_event_callback', headers: { req_id: reqId }, body }));
		return { reqId, msgid: String(body.msgid) };
	}

	/** Redelivers an earlier frame (same req_id and body), as after a reconnect; without cmd/body, the pushed one. */
	redeliver(botId: string, frame: { cmd?: string; reqId: string; body?: Record<string, unknown> }): void {
		const peer = this.live.get(botId);
		if (!peer?.open) throw new Error(`bot ${botId} has no live long connection`);
		const pushed = this.callbacks.get(frame.reqId)?.frame;
		const cmd = frame.cmd ?? pushed?.cmd;
		const body = frame.body ?? pushed?.body;
		if (!cmd || !body) throw new Error(`no pushed frame with req_id ${frame.reqId}`);
		peer.send(JSON.stringify({ cmd, headers: { req_id: frame.reqId }, body }));
	}

	/** The network fails: the connection is cut without a close frame. */
	drop(botId: string): boolean {
		const peer = this.live.get(botId);
		if (!peer) return false;
		this.live.delete(botId);
		peer.destroy();
		return true;
	}

	/** Another client took over: disconnected_event, then the close (what WeCom does). */
	kick(botId: string): boolean {
		const peer = this.live.get(botId);
		if (!peer) return false;
		this.live.delete(botId);
		this.disconnect(peer, botId);
		return true;
	}

	messageBody(botId: string, message: Record<string, unknown>): Record<string, unknown> {
		const chattype = message.chattype === 'group' ? 'group' : 'single';
		const userid = typeof message.userid === 'string' ? message.userid : 'zhangsan';
		const body: Record<string, unknown> = {
			msgid: typeof message.msgid === 'string' ? message.msgid : this.id('msg'),
			aibotid: botId,
			chattype,
			from: { userid },
			create_time: Math.floor(this.now() / 1000),
			response_url: this.responseUrl(botId),
			msgtype: typeof message.msgtype === 'string' ? message.msgtype : 'text',
		};
		if (chattype === 'group') body.chatid = typeof message.chatid === 'string' ? message.chatid : 'wrsandboxgroup01';
		for (const [key, value] of Object.entries(message)) {
			if (!['chattype', 'userid', 'msgid', 'chatid', 'msgtype'].includes(key)) body[key] = value;
		}
		if (body.msgtype === 'text' && body.text === undefined) body.text = { content: typeof message.content === 'string' ? message.content : 'hello' };
		delete body.content;
		return body;
	}

	eventBody(botId: string, eventtype: string, detail: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
		const userid = typeof extra.userid === 'string' ? extra.userid : 'zhangsan';
		const body: Record<string, unknown> = {
			msgid: this.id('evt'),
			create_time: Math.floor(this.now() / 1000),
			aibotid: botId,
			chattype: extra.chattype === 'group' ? 'group' : 'single',
			from: { userid, corpid: 'wwsandbox00000001' },
			msgtype: 'event',
			event: { eventtype, [eventtype]: detail },
		};
		if (eventtype === 'template_card_event') body.response_url = this.responseUrl(botId);
		if (extra.chattype === 'group') body.chatid = 'wrsandboxgroup01';
		return body;
	}

	// ---------------------------------------------------------------- the checks of answers

	private respond(botId: string, reqId: string, body: Record<string, unknown>, via: 'ws' | 'callback' | 'refresh'): Answer {
		const callback = this.callbacks.get(reqId);
		if (!callback || callback.botId !== botId || callback.kind !== 'message') return fail(40061, 'req_id is not a message callback of this bot');
		const msgtype = body.msgtype;
		if (msgtype === 'stream' || msgtype === 'stream_with_template_card') {
			const checked = this.streamFrame(callback, reqId, record(body.stream), via);
			if (checked.errcode !== 0) return checked;
			if (msgtype === 'stream_with_template_card' && body.template_card !== undefined) {
				if (callback.cardSent) return fail(40062, 'a template card was already sent for this message');
				const card = this.checkCard(record(body.template_card));
				if (card.errcode !== 0) return card;
				callback.cardSent = true;
				const stream = this.streams.get(callback.streamId ?? '');
				if (stream) stream.templateCard = record(body.template_card);
			}
			return OK;
		}
		if (msgtype === 'template_card') {
			if (callback.cardSent || callback.answered) return fail(40062, 'this message was already answered');
			const card = this.checkCard(record(body.template_card));
			if (card.errcode !== 0) return card;
			callback.cardSent = true;
			callback.answered = true;
			return OK;
		}
		if (msgtype === 'image' || msgtype === 'file' || msgtype === 'voice' || msgtype === 'video') {
			const mediaId = record(body[msgtype]).media_id;
			if (typeof mediaId !== 'string' || !this.uploaded.has(mediaId)) return fail(40007, 'invalid media_id');
			callback.answered = true;
			return OK;
		}
		return fail(40008, `invalid msgtype ${String(msgtype)} for aibot_respond_msg`);
	}

	private streamFrame(callback: PushedCallback, reqId: string, stream: Record<string, unknown>, via: AibotStreamFrame['via']): Answer {
		const id = stream.id;
		if (typeof id !== 'string' || id === '') return fail(40063, 'stream.id missing');
		if (callback.streamId !== undefined && callback.streamId !== id) return fail(40064, `stream.id ${id} differs from this message's stream ${callback.streamId}`);
		if (callback.streamId === undefined && callback.answered) return fail(40062, 'this message was already answered');
		let state = this.streams.get(id);
		if (!state) {
			if (this.streams.has(id)) return fail(40064, 'stream.id used by another message');
			state = { id, reqId, botId: callback.botId, msgid: callback.msgid, createdAt: callback.at, frames: [], finished: false };
			this.streams.set(id, state);
			callback.streamId = id;
		}
		if (state.finished) return fail(40065, 'the stream already finished');
		if (this.now() - callback.at > STREAM_LIFETIME_MS) return fail(40066, 'the stream is older than 6 minutes');
		const content = typeof stream.content === 'string' ? stream.content : '';
		if (bytes(content) > CONTENT_BYTES) return fail(40067, `stream.content has ${bytes(content)} bytes, more than ${CONTENT_BYTES}`);
		const finish = stream.finish === true;
		const items = Array.isArray(stream.msg_item) ? stream.msg_item : [];
		if (items.length > 0 && !finish) return fail(40068, 'msg_item is only allowed with finish: true');
		if (items.length > 10) return fail(40069, 'more than 10 images');
		for (const item of items) {
			const entry = record(item);
			const image = record(entry.image);
			if (entry.msgtype !== 'image' || typeof image.base64 !== 'string' || typeof image.md5 !== 'string') return fail(40070, 'msg_item entries must be {msgtype:"image", image:{base64, md5}}');
			const data = Buffer.from(image.base64, 'base64');
			if (data.length > 10 * 1024 * 1024) return fail(40071, 'image larger than 10 MB');
			const isPng = data.length > 8 && data.readUInt32BE(0) === 0x89504e47;
			const isJpg = data.length > 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff;
			if (!isPng && !isJpg) return fail(40072, 'image is neither JPG nor PNG');
			if (createHash('md5').update(data).digest('hex') !== image.md5) return fail(40073, 'image md5 does not match');
		}
		const feedback = record(stream.feedback);
		if (bytes(feedback.id) > 256) return fail(40074, 'feedback.id longer than 256 bytes');
		// WeCom reads feedback.id from the stream's first reply only (page 101031): later ones are silently ignored.
		if (feedback.id !== undefined && state.frames.length > 0) this.problem(`stream ${id}: feedback.id on frame ${state.frames.length + 1} is ignored (only the first reply sets it)`);
		state.frames.push({ at: this.now(), content, finish, images: items.length, via });
		if (finish) {
			state.finished = true;
			callback.answered = true;
		}
		return OK;
	}

	private checkCard(card: Record<string, unknown>): Answer {
		const type = card.card_type;
		if (typeof type !== 'string' || !CARD_TYPES.includes(type)) return fail(40075, 'invalid template_card.card_type');
		const taskId = card.task_id;
		if (type !== 'text_notice' && type !== 'news_notice' && (typeof taskId !== 'string' || taskId === '')) return fail(40076, 'template_card.task_id required');
		if (typeof taskId === 'string' && (bytes(taskId) > 128 || !/^[A-Za-z0-9_\-@]+$/.test(taskId))) return fail(40077, 'invalid task_id');
		if (type === 'button_interaction') {
			const buttons = card.button_list;
			if (!Array.isArray(buttons) || buttons.length === 0 || buttons.length > 6) return fail(40078, 'button_list needs 1 to 6 buttons');
		}
		// The robot's TemplateCard is the application's (page 101032): the same required parts and list limits.
		try {
			validateTemplateCard(card, 'send');
		} catch (error) {
			if (error instanceof WeComError) return fail(error.errcode, error.detail ?? 'invalid template_card');
			throw error;
		}
		return OK;
	}

	private eventReply(botId: string, reqId: string, body: Record<string, unknown>, expected: 'enter_chat' | 'template_card_event'): Answer {
		const callback = this.callbacks.get(reqId);
		if (!callback || callback.botId !== botId || callback.type !== expected) return fail(40061, `req_id is not a ${expected} event of this bot`);
		return this.checkEventReply(callback, body);
	}

	private checkEventReply(callback: PushedCallback, body: Record<string, unknown>): Answer {
		if (callback.answered) return fail(40062, 'this event was already answered');
		if (this.now() - callback.at > EVENT_REPLY_MS) return fail(40079, 'answered later than 5 s after the event');
		if (callback.type === 'enter_chat') {
			if (body.msgtype === 'text') {
				const content = record(body.text).content;
				if (typeof content !== 'string' || content === '') return fail(40080, 'text.content missing');
				if (bytes(content) > CONTENT_BYTES) return fail(40067, 'text.content too long');
			} else if (body.msgtype === 'template_card') {
				const card = this.checkCard(record(body.template_card));
				if (card.errcode !== 0) return card;
			} else {
				return fail(40008, 'a welcome message is text or template_card');
			}
		} else {
			if (body.response_type !== 'update_template_card') return fail(40081, 'response_type must be update_template_card');
			const card = record(body.template_card);
			const checked = this.checkCard(card);
			if (checked.errcode !== 0) return checked;
			if (callback.taskId !== undefined && card.task_id !== callback.taskId) return fail(40082, `template_card.task_id must be the clicked card's ${callback.taskId}`);
		}
		callback.answered = true;
		return OK;
	}

	private sendMsg(botId: string, body: Record<string, unknown>): Answer {
		if (typeof body.chatid !== 'string' || body.chatid === '') return fail(40083, 'chatid missing');
		const msgtype = body.msgtype;
		if (msgtype === 'markdown') {
			const content = record(body.markdown).content;
			if (typeof content !== 'string' || content === '') return fail(40080, 'markdown.content missing');
			if (bytes(content) > CONTENT_BYTES) return fail(40067, `markdown.content has ${bytes(content)} bytes, more than ${CONTENT_BYTES}`);
		} else if (msgtype === 'template_card') {
			const card = this.checkCard(record(body.template_card));
			if (card.errcode !== 0) return card;
		} else if (msgtype === 'image' || msgtype === 'file' || msgtype === 'voice' || msgtype === 'video') {
			const mediaId = record(body[msgtype]).media_id;
			if (typeof mediaId !== 'string' || !this.uploaded.has(mediaId)) return fail(40007, 'invalid media_id');
		} else {
			return fail(40008, `invalid msgtype ${String(msgtype)} for aibot_send_msg`);
		}
		this.sent.push({ at: this.now(), botId, body });
		return OK;
	}

	private uploadInit(body: Record<string, unknown>): Answer {
		const totalChunks = Number(body.total_chunks);
		const totalSize = Number(body.total_size);
		if (!['image', 'file', 'voice', 'video'].includes(String(body.type))) return fail(40004, 'invalid media type');
		if (!Number.isInteger(totalChunks) || totalChunks < 1 || totalChunks > 100) return fail(40084, 'total_chunks must be 1..100');
		if (!Number.isInteger(totalSize) || totalSize < 1) return fail(40085, 'total_size missing');
		const uploadId = this.id('upload');
		this.uploads.set(uploadId, { type: String(body.type), filename: String(body.filename ?? ''), totalSize, totalChunks, md5: typeof body.md5 === 'string' ? body.md5 : undefined, chunks: new Map() });
		return { ...OK, body: { upload_id: uploadId } };
	}

	private uploadChunk(body: Record<string, unknown>): Answer {
		const upload = this.uploads.get(String(body.upload_id));
		if (!upload) return fail(40086, 'invalid upload_id');
		const index = Number(body.chunk_index);
		if (!Number.isInteger(index) || index < 0 || index >= upload.totalChunks) return fail(40087, 'chunk_index out of range');
		const data = Buffer.from(String(body.base64_data ?? ''), 'base64');
		if (data.length === 0 || data.length > 512 * 1024) return fail(40088, 'a chunk must be 1 byte to 512 KB');
		upload.chunks.set(index, data);
		return OK;
	}

	private uploadFinish(body: Record<string, unknown>): Answer {
		const uploadId = String(body.upload_id);
		const upload = this.uploads.get(uploadId);
		if (!upload) return fail(40086, 'invalid upload_id');
		if (upload.chunks.size !== upload.totalChunks) return fail(40089, `${upload.chunks.size} of ${upload.totalChunks} chunks uploaded`);
		const data = Buffer.concat([...Array(upload.totalChunks).keys()].map((index) => upload.chunks.get(index) as Buffer));
		if (data.length !== upload.totalSize) return fail(40090, 'total_size does not match the chunks');
		if (upload.md5 && createHash('md5').update(data).digest('hex') !== upload.md5) return fail(40091, 'md5 does not match');
		this.uploads.delete(uploadId);
		const mediaId = this.id('media');
		this.uploaded.set(mediaId, { type: upload.type, size: data.length });
		return { ...OK, body: { type: upload.type, media_id: mediaId, created_at: String(Math.floor(this.now() / 1000)) } };
	}

	// ---------------------------------------------------------------- callback mode

	private responseUrl(botId: string): string {
		const code = randomBytes(12).toString('hex');
		this.codes.set(code, { botId, createdAt: this.now() });
		return `${this.baseUrl()}/cgi-bin/aibot/response?response_code=${code}`;
	}

	private seal(botId: string, payload: Record<string, unknown>): { query: Record<string, string>; body: string; nonce: string } {
		const bot = this.bots.get(botId) ?? this.bots.get(AIBOT_DEFAULTS.botId);
		if (!bot) throw new Error('no bot');
		const timestamp = String(Math.floor(this.now() / 1000));
		const nonce = randomNonce();
		const encrypted = officialEncrypt(bot.encodingAESKey, JSON.stringify(payload), '');
		return { query: { msg_signature: sign(bot.token, timestamp, nonce, encrypted), timestamp, nonce }, body: JSON.stringify({ encrypt: encrypted }), nonce };
	}

	/** Opens and checks an encrypted JSON reply; undefined for an empty answer. */
	openReply(botId: string, text: string, nonce: string): Record<string, unknown> | undefined {
		if (text === '') return undefined;
		const bot = this.bots.get(botId);
		if (!bot) throw new Error('no bot');
		const envelope = record(JSON.parse(text));
		const keys = Object.keys(envelope).sort().join(',');
		if (keys !== 'encrypt,msgsignature,nonce,timestamp') throw new Error(`reply envelope keys are ${keys}, expected encrypt, msgsignature, timestamp, nonce`);
		if (String(envelope.nonce) !== nonce) throw new Error('reply nonce is not the callback nonce');
		if (sign(bot.token, String(envelope.timestamp), String(envelope.nonce), String(envelope.encrypt)) !== envelope.msgsignature) throw new Error('reply msgsignature does not match');
		const { message, id } = officialDecrypt(bot.encodingAESKey, String(envelope.encrypt));
		if (id !== '') throw new Error(`reply encrypted for receive ID "${id}", expected ""`);
		return record(JSON.parse(message));
	}

	async verifyUrl(url: string, botId = AIBOT_DEFAULTS.botId): Promise<{ ok: boolean; status: number; body: string; ms: number }> {
		const bot = this.bots.get(botId);
		if (!bot) throw new Error('no bot');
		const expected = randomBytes(8).toString('hex');
		const timestamp = String(Math.floor(this.now() / 1000));
		const nonce = randomNonce();
		const echostr = officialEncrypt(bot.encodingAESKey, expected, '');
		const started = Date.now();
		const result = await httpCall('GET', withQuery(url, { msg_signature: sign(bot.token, timestamp, nonce, echostr), timestamp, nonce, echostr }), undefined, 1000);
		return { ok: result.status === 200 && result.body === expected, status: result.status, body: result.body, ms: Date.now() - started };
	}

	private async post(url: string, botId: string, payload: Record<string, unknown>, kind: string): Promise<{ status: number; payload?: Record<string, unknown> }> {
		const sealed = this.seal(botId, payload);
		const started = Date.now();
		// The robot's callbacks are JSON (the app's are XML).
		const result = await httpCall('POST', withQuery(url, sealed.query), sealed.body, EVENT_REPLY_MS, 'application/json; charset=utf-8');
		let opened: Record<string, unknown> | undefined;
		if (result.status === 200) {
			try {
				opened = this.openReply(botId, result.body, sealed.nonce);
			} catch (error) {
				this.problem(`${kind} reply: ${(error as Error).message}`);
			}
		} else {
			this.problem(`${kind}: HTTP ${result.status} ${result.body}`);
		}
		this.callbackReplies.push({ at: this.now(), kind, status: result.status, payload: opened, ms: Date.now() - started });
		return { status: result.status, payload: opened };
	}

	/** A message callback; a stream answer is followed by refresh callbacks until it finishes (in the background). */
	async callbackMessage(url: string, botId: string, message: Record<string, unknown>): Promise<{ status: number; msgid: string; reqId: string; reply?: Record<string, unknown> }> {
		const body = this.messageBody(botId, message);
		const reqId = this.id('cb_msg_');
		const callback: PushedCallback = { botId, kind: 'message', type: String(body.msgtype), at: this.now(), msgid: String(body.msgid), answered: false, cardSent: false };
		this.callbacks.set(reqId, callback);
		const result = await this.post(url, botId, body, `message ${String(body.msgid)}`);
		if (result.payload) {
			const answer = this.respond(botId, reqId, result.payload, 'callback');
			if (answer.errcode !== 0) this.problem(`message reply: ${answer.errcode} ${answer.errmsg}`);
			else if (callback.streamId && !this.streams.get(callback.streamId)?.finished) void this.refreshLoop(url, botId, reqId, body);
		}
		return { status: result.status, msgid: callback.msgid, reqId, reply: result.payload };
	}

	private async refreshLoop(url: string, botId: string, reqId: string, message: Record<string, unknown>): Promise<void> {
		this.refreshLoops++;
		try {
			const callback = this.callbacks.get(reqId);
			while (!this.stopped && callback?.streamId) {
				const stream = this.streams.get(callback.streamId);
				if (!stream || stream.finished) return;
				if (this.now() - callback.at > STREAM_LIFETIME_MS) {
					this.problem(`stream ${stream.id} did not finish within 6 minutes`);
					return;
				}
				await new Promise((resolve) => setTimeout(resolve, this.refreshIntervalMs));
				if (this.callbacks.get(reqId) !== callback) return;
				const refresh = {
					msgid: this.id('msg'),
					aibotid: botId,
					chattype: message.chattype,
					...(message.chatid ? { chatid: message.chatid } : {}),
					from: message.from,
					msgtype: 'stream',
					stream: { id: stream.id },
				};
				let result: { status: number; payload?: Record<string, unknown> };
				try {
					result = await this.post(url, botId, refresh, `refresh ${stream.id}`);
				} catch (error) {
					this.problem(`refresh ${stream.id}: ${(error as Error).message}`);
					continue;
				}
				if (!result.payload) continue;
				if (result.payload.msgtype !== 'stream' && result.payload.msgtype !== 'stream_with_template_card') {
					this.problem(`refresh ${stream.id}: answered with msgtype ${String(result.payload.msgtype)}`);
					continue;
				}
				const answer = this.respond(botId, reqId, result.payload, 'refresh');
				if (answer.errcode !== 0) this.problem(`refresh ${stream.id}: ${answer.errcode} ${answer.errmsg}`);
			}
		} finally {
			this.refreshLoops--;
		}
	}

	/** An event callback; checks the reply the rules of the event demand. */
	async callbackEvent(
		url: string,
		botId: string,
		eventtype: string,
		detail: Record<string, unknown> = {},
		extra: Record<string, unknown> = {},
	): Promise<{ status: number; msgid: string; reply?: Record<string, unknown>; errcode: number; errmsg: string }> {
		const body = this.eventBody(botId, eventtype, detail, extra);
		const callback: PushedCallback = {
			botId,
			kind: 'event',
			type: eventtype,
			at: this.now(),
			msgid: String(body.msgid),
			taskId: typeof detail.task_id === 'string' ? detail.task_id : undefined,
			answered: false,
			cardSent: false,
		};
		this.callbacks.set(this.id('cb_evt_'), callback);
		const result = await this.post(url, botId, body, `event ${eventtype}`);
		let answer: Answer = OK;
		if (result.payload) {
			answer = eventtype === 'feedback_event' ? fail(40092, 'feedback events take an empty reply') : this.checkEventReply(callback, result.payload);
			if (answer.errcode !== 0) this.problem(`event ${eventtype} reply: ${answer.errcode} ${answer.errmsg}`);
		}
		return { status: result.status, msgid: callback.msgid, reply: result.payload, errcode: answer.errcode, errmsg: answer.errmsg };
	}

	/** POST /cgi-bin/aibot/response?response_code=…: once, within an hour. */
	activeReply(query: Record<string, string>, json: unknown): Record<string, unknown> {
		const code = query.response_code ?? '';
		const entry = this.codes.get(code);
		const body = record(json);
		let answer: Answer;
		if (!entry) answer = fail(40093, 'invalid response_code');
		else if (entry.usedAt !== undefined) answer = fail(40094, 'response_code already used');
		else if (this.now() - entry.createdAt > RESPONSE_URL_MS) answer = fail(40095, 'response_code expired (1 hour)');
		else if (body.msgtype === 'markdown') {
			const content = record(body.markdown).content;
			if (typeof content !== 'string' || content === '') answer = fail(40080, 'markdown.content missing');
			else if (bytes(content) > CONTENT_BYTES) answer = fail(40067, `markdown.content has ${bytes(content)} bytes, more than ${CONTENT_BYTES}`);
			else answer = OK;
		} else if (body.msgtype === 'template_card') {
			answer = this.checkCard(record(body.template_card));
		} else answer = fail(40008, 'msgtype must be markdown or template_card');
		if (answer.errcode === 0 && entry) {
			entry.usedAt = this.now();
			entry.body = body;
		}
		if (answer.errcode !== 0) this.problem(`response_url: ${answer.errcode} ${answer.errmsg}`);
		this.responses.push({ at: this.now(), code, body, errcode: answer.errcode });
		return { errcode: answer.errcode, errmsg: answer.errmsg };
	}

	/** Stores a file and returns its URL and key: per-file aeskey (long connection) or the bot's EncodingAESKey (callback). */
	addMedia(data: Buffer, fileName: string, mode: 'ws' | 'callback', botId = AIBOT_DEFAULTS.botId): { url: string; aeskey?: string } {
		const bot = this.bots.get(botId);
		if (!bot) throw new Error('no bot');
		const key = mode === 'ws' ? randomBytes(32).toString('base64') : bot.encodingAESKey;
		const id = this.id('file');
		this.media.set(id, { id, data, key, fileName });
		return { url: `${this.baseUrl()}/aibot-media/${id}`, ...(mode === 'ws' ? { aeskey: key } : {}) };
	}

	/** GET /aibot-media/<id>: the file, AES-256-CBC encrypted (PKCS#7 to 32 bytes, IV = key[0..16]). */
	mediaResponse(id: string): { status: number; headers: Record<string, string>; data: Buffer } {
		const file = this.media.get(id);
		if (!file) return { status: 404, headers: { 'Content-Type': 'text/plain' }, data: Buffer.from('not found') };
		const key = Buffer.from(file.key.endsWith('=') ? file.key : `${file.key}=`, 'base64');
		const pad = 32 - (file.data.length % 32);
		const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
		cipher.setAutoPadding(false);
		const data = Buffer.concat([cipher.update(Buffer.concat([file.data, Buffer.alloc(pad, pad)])), cipher.final()]);
		return {
			status: 200,
			headers: { 'Content-Type': 'application/octet-stream', 'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}` },
			data,
		};
	}

	streamList(): AibotStream[] {
		return [...this.streams.values()];
	}

	state(): Record<string, unknown> {
		return {
			bot: AIBOT_DEFAULTS,
			live: this.liveConnections(),
			subscriptions: Object.fromEntries(this.subscriptions),
			frames: this.frames,
			problems: this.problems,
			streams: this.streamList(),
			sent: this.sent,
			responses: this.responses,
			callbackReplies: this.callbackReplies,
			refreshLoops: this.refreshLoops,
		};
	}
}

class ControlError extends Error {}

function str(body: Record<string, unknown>, key: string, fallback?: string): string {
	const value = body[key] ?? fallback;
	if (typeof value !== 'string') throw new ControlError(`"${key}" must be a string`);
	return value;
}

/** /__sandbox/aibot/<action> */
export async function handleAibotControl(aibot: AibotSandbox, action: string, body: Record<string, unknown>, callbackUrl?: string): Promise<{ status: number; body: unknown }> {
	const botId: string = typeof body.botId === 'string' ? body.botId : AIBOT_DEFAULTS.botId;
	const url = () => str(body, 'url', callbackUrl);
	try {
		switch (action) {
			case 'state':
				return { status: 200, body: aibot.state() };
			case 'reset':
				aibot.reset();
				return { status: 200, body: { ok: true } };
			case 'settings':
				if (typeof body.refreshIntervalMs === 'number') aibot.refreshIntervalMs = body.refreshIntervalMs;
				if (typeof body.dropOnFrame === 'object' && body.dropOnFrame !== null) {
					const drop = body.dropOnFrame as Record<string, unknown>;
					aibot.dropOnFrame = { cmd: String(drop.cmd), nth: Number(drop.nth ?? 1) };
				}
				return { status: 200, body: { ok: true, refreshIntervalMs: aibot.refreshIntervalMs } };
			case 'message': {
				const message = typeof body.message === 'object' && body.message !== null ? (body.message as Record<string, unknown>) : {};
				if (body.mode === 'callback') return { status: 200, body: await aibot.callbackMessage(url(), botId, message) };
				return { status: 200, body: aibot.pushMessage(botId, message) };
			}
			case 'event': {
				const eventtype = str(body, 'eventtype');
				const detail = typeof body.detail === 'object' && body.detail !== null ? (body.detail as Record<string, unknown>) : {};
				const extra = typeof body.extra === 'object' && body.extra !== null ? (body.extra as Record<string, unknown>) : {};
				if (body.mode === 'callback') return { status: 200, body: await aibot.callbackEvent(url(), botId, eventtype, detail, extra) };
				return { status: 200, body: aibot.pushEvent(botId, eventtype, detail, extra) };
			}
			case 'redeliver':
				aibot.redeliver(botId, {
					cmd: typeof body.cmd === 'string' ? body.cmd : undefined,
					reqId: str(body, 'reqId'),
					body: typeof body.body === 'object' && body.body !== null ? (body.body as Record<string, unknown>) : undefined,
				});
				return { status: 200, body: { ok: true } };
			case 'drop':
				return { status: 200, body: { dropped: aibot.drop(botId) } };
			case 'kick':
				return { status: 200, body: { kicked: aibot.kick(botId) } };
			case 'media':
				return { status: 200, body: aibot.addMedia(Buffer.from(str(body, 'base64'), 'base64'), str(body, 'fileName', 'file.bin'), body.mode === 'callback' ? 'callback' : 'ws', botId) };
			case 'verify-url':
				return { status: 200, body: await aibot.verifyUrl(url(), botId) };
			default:
				return { status: 404, body: { error: `Unknown aibot control "${action}".` } };
		}
	} catch (error) {
		return { status: 400, body: { error: error instanceof Error ? error.message : String(error) } };
	}
}
