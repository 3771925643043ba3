/**
 * The intelligent robot's long connection (长连接): one WebSocket per bot to wss://openws.work.weixin.qq.com,
 * opened by us with Bot ID + Secret, so n8n needs no public URL. Protocol (page 101463, WeCom's own client
 * @wecom/aibot-node-sdk): JSON frames {cmd, headers:{req_id}, body}; `aibot_subscribe` right after open; `ping`
 * every 30 s (the connection counts as dead after two unanswered pings); every frame we send is acknowledged with
 * its req_id ({headers, errcode, errmsg}), frames of one req_id go out one after the other; WeCom pushes
 * `aibot_msg_callback` and `aibot_event_callback`, and `disconnected_event` when a newer connection of the same
 * bot took over (then we stop: reconnecting would only push the other one out).
 *
 * No timers and no `process` (n8n's scanner): waits are `sleep` from n8n-workflow in short steps that end early
 * when the connection stops. The socket is the global WebSocket of Node ≥ 22 (tests may inject another one).
 *
 * One connection per bot per n8n process: `subscribeBot` shares it among all triggers of that bot (a module-level
 * registry), and the AI Bot node's replies find it with `liveConnection(botId)`.
 */
import { randomBytes } from 'node:crypto';

import { sleep } from 'n8n-workflow';

export const DEFAULT_AIBOT_WS_URL = 'wss://openws.work.weixin.qq.com';
export const HEARTBEAT_MS = 30_000;
const ACK_TIMEOUT_MS = 5000;
const SUBSCRIBE_TIMEOUT_MS = 10_000;
const RECONNECT_BASE_MS = 1000;
const RECONNECT_MAX_MS = 30_000;
const MAX_MISSED_PINGS = 2;
const MAX_AUTH_FAILURES = 5;
const WAIT_STEP_MS = 100;

/** The part of the WHATWG WebSocket this client uses (Node ≥ 22's global, or the `ws` package in tests). */
export interface SocketLike {
	readonly readyState: number;
	send(data: string): void;
	close(code?: number, reason?: string): void;
	addEventListener(type: 'open' | 'message' | 'close' | 'error', listener: (event: { data?: unknown; code?: number; message?: string }) => void): void;
}
export type SocketConstructor = new (url: string) => SocketLike;

// The global of Node ≥ 22 (and browsers); absent on Node 20. Declared here because @types/node 20 lacks it.
declare const WebSocket: SocketConstructor | undefined;

let socketOverride: SocketConstructor | undefined;

/** Tests on Node 20 (no global WebSocket) inject a client; undefined restores the global. */
export function setSocketConstructor(constructor: SocketConstructor | undefined): void {
	socketOverride = constructor;
}

function socketConstructor(): SocketConstructor {
	if (socketOverride) return socketOverride;
	if (typeof WebSocket === 'undefined') {
		throw new AiBotConnectionError(
			'This n8n runs on a Node.js without a global WebSocket; the long connection needs Node.js 22 or later (n8n 2.x requires 24)',
		);
	}
	return WebSocket;
}

export interface AiBotFrame {
	cmd?: string;
	headers?: { req_id?: string };
	body?: Record<string, unknown>;
	errcode?: number;
	errmsg?: string;
}

export class AiBotConnectionError extends Error {
	constructor(
		message: string,
		readonly errcode?: number,
	) {
		super(message);
		this.name = 'AiBotConnectionError';
	}
}

export interface AiBotLogger {
	info(message: string): void;
	warn(message: string): void;
	error(message: string): void;
	debug(message: string): void;
}

export interface AiBotConnectionConfig {
	botId: string;
	secret: string;
	url: string;
	heartbeatMs?: number;
	/** How long a socket may wait for the subscription's answer before it is closed and opened again. */
	subscribeTimeoutMs?: number;
}

export type ConnectionState = 'connecting' | 'subscribed' | 'reconnecting' | 'replaced' | 'failed' | 'stopped';

export function newReqId(cmd: string): string {
	return `${cmd}_${Date.now()}_${randomBytes(4).toString('hex')}`;
}

type FrameListener = (frame: AiBotFrame, connection: AiBotConnection) => void;

interface PendingAck {
	resolve(frame: AiBotFrame): void;
	reject(error: Error): void;
}

/**
 * WeCom's frames are JSON; the official SDK strips control characters before parsing because some frames carry
 * them raw inside strings (invalid JSON). A frame is tried as it is first, then cleaned the same way.
 */
export function parseFrame(text: string): AiBotFrame | undefined {
	for (const candidate of [text, text.replace(/[\x00-\x08\x0B-\x0D\x0E-\x1F]/g, '')]) {
		try {
			const value = JSON.parse(candidate) as unknown;
			if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as AiBotFrame;
		} catch {
			// the cleaned text next
		}
	}
	return undefined;
}

/** The secret never appears in a log line or error; the URL does (it is no secret), without its query. */
function safeUrl(url: string): string {
	try {
		const parsed = new URL(url);
		return `${parsed.protocol}//${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
	} catch {
		return '(invalid URL)';
	}
}

export class AiBotConnection {
	state: ConnectionState = 'connecting';
	/** How many times a subscription succeeded (1 = first, 2 = first reconnect …). */
	subscriptions = 0;
	readonly listeners = new Set<FrameListener>();
	private socket: SocketLike | undefined;
	private stopped = false;
	private generation = 0;
	private missedPings = 0;
	private readonly pending = new Map<string, PendingAck>();
	private readonly chains = new Map<string, Promise<unknown>>();
	private readyWaiters: Array<(outcome: 'subscribed' | Error) => void> = [];
	private readonly heartbeatMs: number;
	private readonly subscribeTimeoutMs: number;

	constructor(
		readonly config: AiBotConnectionConfig,
		private readonly logger: AiBotLogger,
	) {
		this.heartbeatMs = config.heartbeatMs ?? HEARTBEAT_MS;
		this.subscribeTimeoutMs = config.subscribeTimeoutMs ?? SUBSCRIBE_TIMEOUT_MS;
	}

	get label(): string {
		return `WeCom AI Bot ${this.config.botId} (${safeUrl(this.config.url)})`;
	}

	start(): void {
		void this.run().catch((error: unknown) => {
			this.state = 'failed';
			this.logger.error(`${this.label}: the long connection stopped: ${(error as Error).message}`);
			this.settleReady(error as Error);
		});
	}

	/** Resolves once subscribed; rejects when WeCom refuses the Bot ID/Secret; resolves 'pending' after `timeoutMs`. */
	async ready(timeoutMs = SUBSCRIBE_TIMEOUT_MS): Promise<'subscribed' | 'pending'> {
		if (this.state === 'subscribed') return 'subscribed';
		if (this.state === 'failed' || this.state === 'replaced' || this.state === 'stopped') {
			throw new AiBotConnectionError(`${this.label}: the long connection is ${this.state}`);
		}
		let outcome: 'subscribed' | Error | undefined;
		this.readyWaiters.push((value) => (outcome = value));
		for (let waited = 0; outcome === undefined && waited < timeoutMs; waited += WAIT_STEP_MS) await sleep(WAIT_STEP_MS);
		if (outcome instanceof Error) throw outcome;
		return outcome ?? 'pending';
	}

	stop(reason = 'stopped'): void {
		if (this.stopped) return;
		this.stopped = true;
		if (this.state !== 'replaced' && this.state !== 'failed') this.state = 'stopped';
		this.generation++;
		this.rejectPending(new AiBotConnectionError(`${this.label}: the long connection was ${reason}`));
		try {
			this.socket?.close(1000, reason);
		} catch {
			// already closed
		}
		this.socket = undefined;
		this.logger.info(`${this.label}: long connection ${reason}`);
	}

	get isStopped(): boolean {
		return this.stopped;
	}

	/**
	 * Sends one frame and waits for WeCom's acknowledgement (5 s). Frames with the same req_id go out in order, each
	 * after the previous one was acknowledged. Rejects with WeCom's errcode/errmsg, or when the connection is down.
	 */
	async request(cmd: string, body: Record<string, unknown>, reqId: string = newReqId(cmd)): Promise<AiBotFrame> {
		const previous = this.chains.get(reqId) ?? Promise.resolve();
		const next = previous.catch(() => undefined).then(async () => await this.sendAndWait(cmd, body, reqId));
		this.chains.set(reqId, next);
		try {
			return await next;
		} finally {
			if (this.chains.get(reqId) === next) this.chains.delete(reqId);
		}
	}

	private async sendAndWait(cmd: string, body: Record<string, unknown> | undefined, reqId: string): Promise<AiBotFrame> {
		const socket = this.socket;
		if (this.stopped || !socket || this.state !== 'subscribed' || socket.readyState !== 1) {
			throw new AiBotConnectionError(`${this.label}: the long connection is not open (${this.state})`);
		}
		let settled: AiBotFrame | Error | undefined;
		this.pending.set(reqId, { resolve: (frame) => (settled = frame), reject: (error) => (settled = error) });
		socket.send(JSON.stringify(body === undefined ? { cmd, headers: { req_id: reqId } } : { cmd, headers: { req_id: reqId }, body }));
		for (let waited = 0; settled === undefined && waited < ACK_TIMEOUT_MS; waited += 20) await sleep(20);
		this.pending.delete(reqId);
		if (settled === undefined) throw new AiBotConnectionError(`${this.label}: WeCom did not acknowledge ${cmd} within 5 s`);
		if (settled instanceof Error) throw settled;
		if (settled.errcode !== undefined && settled.errcode !== 0) {
			throw new AiBotConnectionError(`WeCom refused ${cmd}: errcode ${settled.errcode} ${settled.errmsg ?? ''}`.trim(), settled.errcode);
		}
		return settled;
	}

	private async run(): Promise<void> {
		let attempts = 0;
		let authFailures = 0;
		while (!this.stopped) {
			const outcome = await this.session();
			if (this.stopped) return;
			if (outcome === 'replaced') {
				this.state = 'replaced';
				this.stopped = true;
				this.logger.warn(
					`${this.label}: WeCom sent disconnected_event (another connection of this bot took over, e.g. another n8n or a second process); this one stops and does not reconnect`,
				);
				this.settleReady(new AiBotConnectionError(`${this.label}: another connection of this bot took over`));
				return;
			}
			if (outcome === 'auth-failed') {
				authFailures++;
				if (authFailures >= MAX_AUTH_FAILURES) {
					this.state = 'failed';
					this.stopped = true;
					this.logger.error(`${this.label}: WeCom refused the subscription ${authFailures} times; giving up (check Bot ID and Secret)`);
					return;
				}
			} else if (outcome === 'was-subscribed') {
				attempts = 0;
			}
			attempts++;
			const delay = Math.min(RECONNECT_BASE_MS * 2 ** (attempts - 1), RECONNECT_MAX_MS);
			this.state = 'reconnecting';
			this.logger.warn(`${this.label}: connection lost; reconnecting in ${delay} ms (attempt ${attempts})`);
			await this.pause(delay, this.generation);
		}
	}

	/** One socket from open to close. */
	private async session(): Promise<'was-subscribed' | 'never-subscribed' | 'auth-failed' | 'replaced'> {
		const generation = ++this.generation;
		this.state = this.subscriptions === 0 ? 'connecting' : 'reconnecting';
		this.missedPings = 0;
		let result: 'was-subscribed' | 'never-subscribed' | 'auth-failed' | 'replaced' | undefined;
		let subscribed = false;
		let closed = false;
		let socket: SocketLike;
		// Thrown on a Node.js without WebSocket: run() ends the connection with that message.
		const Socket = socketConstructor();
		try {
			socket = new Socket(this.config.url);
		} catch (error) {
			this.logger.warn(`${this.label}: cannot open the WebSocket: ${(error as Error).message}`);
			return 'never-subscribed';
		}
		this.socket = socket;
		const subscribeId = newReqId('aibot_subscribe');
		socket.addEventListener('open', () => {
			if (generation !== this.generation) return;
			this.logger.debug(`${this.label}: socket open, subscribing`);
			socket.send(
				JSON.stringify({ cmd: 'aibot_subscribe', headers: { req_id: subscribeId }, body: { bot_id: this.config.botId, secret: this.config.secret } }),
			);
		});
		socket.addEventListener('message', (event) => {
			if (generation !== this.generation) return;
			const frame = parseFrame(typeof event.data === 'string' ? event.data : String(event.data));
			if (!frame) {
				this.logger.warn(`${this.label}: ignored a frame that is not JSON`);
				return;
			}
			const reqId = frame.headers?.req_id ?? '';
			if (frame.cmd === undefined || frame.cmd === '') {
				if (reqId === subscribeId) {
					if (frame.errcode === 0) {
						subscribed = true;
						this.subscriptions++;
						this.state = 'subscribed';
						this.logger.info(`${this.label}: subscribed${this.subscriptions > 1 ? ` again (reconnect ${this.subscriptions - 1})` : ''}`);
						this.settleReady('subscribed');
						void this.heartbeat(generation);
					} else {
						result = 'auth-failed';
						const error = new AiBotConnectionError(
							`WeCom refused the subscription of bot ${this.config.botId}: errcode ${String(frame.errcode)} ${frame.errmsg ?? ''} (check the Bot ID and Secret in the credential)`.trim(),
							frame.errcode,
						);
						this.logger.error(error.message);
						this.settleReady(error);
						socket.close(1000, 'subscription refused');
					}
					return;
				}
				if (reqId.startsWith('ping')) {
					this.missedPings = 0;
					return;
				}
				const pending = this.pending.get(reqId);
				if (pending) pending.resolve(frame);
				return;
			}
			if (frame.cmd === 'aibot_event_callback' && (frame.body?.event as { eventtype?: string } | undefined)?.eventtype === 'disconnected_event') {
				result = 'replaced';
				this.dispatch(frame);
				socket.close(1000, 'replaced');
				return;
			}
			if (frame.cmd === 'aibot_msg_callback' || frame.cmd === 'aibot_event_callback') this.dispatch(frame);
		});
		socket.addEventListener('error', (event) => {
			if (generation === this.generation) this.logger.debug(`${this.label}: socket error ${event.message ?? ''}`.trim());
		});
		socket.addEventListener('close', (event) => {
			closed = true;
			if (generation === this.generation) this.logger.debug(`${this.label}: socket closed (${String(event.code ?? '')})`);
		});
		// A socket that opens but never gets its subscription answered would otherwise hang here without heartbeats.
		for (let waited = 0; !closed && !this.stopped && generation === this.generation; waited += WAIT_STEP_MS) {
			if (!subscribed && result === undefined && waited >= this.subscribeTimeoutMs) {
				this.logger.warn(`${this.label}: no answer to the subscription within ${this.subscribeTimeoutMs / 1000} s; reconnecting`);
				try {
					socket.close(4000, 'subscription timeout');
				} catch {
					// closing anyway
				}
				this.generation++;
				break;
			}
			await sleep(WAIT_STEP_MS);
		}
		if (generation === this.generation) {
			this.rejectPending(new AiBotConnectionError(`${this.label}: the long connection dropped`));
			this.socket = undefined;
		}
		return result ?? (subscribed ? 'was-subscribed' : 'never-subscribed');
	}

	private async heartbeat(generation: number): Promise<void> {
		while (!this.stopped && generation === this.generation) {
			await this.pause(this.heartbeatMs, generation);
			if (this.stopped || generation !== this.generation) return;
			if (this.missedPings >= MAX_MISSED_PINGS) {
				this.logger.warn(`${this.label}: ${this.missedPings} pings unanswered; treating the connection as dead`);
				try {
					this.socket?.close(4000, 'heartbeat timeout');
				} catch {
					// closing anyway
				}
				this.generation++;
				return;
			}
			this.missedPings++;
			try {
				this.socket?.send(JSON.stringify({ cmd: 'ping', headers: { req_id: newReqId('ping') } }));
			} catch {
				// the close event follows
			}
		}
	}

	private dispatch(frame: AiBotFrame): void {
		for (const listener of this.listeners) {
			try {
				listener(frame, this);
			} catch (error) {
				this.logger.error(`${this.label}: a trigger failed to take a frame: ${(error as Error).message}`);
			}
		}
	}

	private async pause(ms: number, generation: number): Promise<void> {
		for (let waited = 0; waited < ms && !this.stopped && generation === this.generation; waited += WAIT_STEP_MS) {
			await sleep(Math.min(WAIT_STEP_MS, ms - waited));
		}
	}

	private rejectPending(error: Error): void {
		for (const pending of this.pending.values()) pending.reject(error);
		this.pending.clear();
	}

	private settleReady(outcome: 'subscribed' | Error): void {
		const waiters = this.readyWaiters;
		this.readyWaiters = [];
		for (const waiter of waiters) waiter(outcome);
	}
}

/** One connection per bot in this process, shared by every trigger of that bot. */
const registry = new Map<string, AiBotConnection>();

/**
 * Adds `listener` to the bot's connection (opening it if needed) and returns the function that removes it again;
 * the connection closes with its last listener. A changed Secret or URL reopens the connection with the new values.
 */
export function subscribeBot(config: AiBotConnectionConfig, listener: FrameListener, logger: AiBotLogger): { connection: AiBotConnection; release: () => void } {
	let connection = registry.get(config.botId);
	if (connection && (connection.isStopped || connection.config.secret !== config.secret || connection.config.url !== config.url)) {
		const listeners = [...connection.listeners];
		if (!connection.isStopped) connection.stop('reopened with new settings');
		connection = undefined;
		registry.delete(config.botId);
		const fresh = new AiBotConnection(config, logger);
		for (const existing of listeners) fresh.listeners.add(existing);
		connection = fresh;
		registry.set(config.botId, fresh);
		fresh.listeners.add(listener);
		fresh.start();
	} else if (!connection) {
		connection = new AiBotConnection(config, logger);
		registry.set(config.botId, connection);
		connection.listeners.add(listener);
		connection.start();
	} else {
		connection.listeners.add(listener);
	}
	const owned = connection;
	return {
		connection: owned,
		release: () => {
			owned.listeners.delete(listener);
			if (owned.listeners.size === 0) {
				if (registry.get(owned.config.botId) === owned) registry.delete(owned.config.botId);
				owned.stop('closed (workflow deactivated)');
			}
		},
	};
}

/** The bot's connection in this process when it is subscribed, for replies. */
export function liveConnection(botId: string): AiBotConnection | undefined {
	const connection = registry.get(botId);
	return connection && connection.state === 'subscribed' ? connection : undefined;
}

/** Any connection of the bot in this process, whatever its state (for error messages). */
export function knownConnection(botId: string): AiBotConnection | undefined {
	return registry.get(botId);
}

/** Tests: stop everything. */
export function stopAllConnections(): void {
	for (const connection of registry.values()) connection.stop('stopped (tests)');
	registry.clear();
}
