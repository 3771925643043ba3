import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { AibotSandbox, handleAibotControl } from './aibot';
import { approvalChangeXml } from './approval';
import { buildClickXml } from './cardClick';
import { decryptReply, encryptCallback, httpCall, withQuery } from './callback';
import { browse, cardViews } from './userView';
import { handleControl } from './control';
import { SANDBOX_DEFAULTS } from './defaults';
import { errorAnswer, WeComError } from './errors';
import { boundaryOf, parseMultipart } from './multipart';
import { RateLimiter } from './rateLimiter';
import { agentRoutes } from './routes/agent';
import { appchatRoutes } from './routes/appchat';
import { approvalRoutes } from './routes/approval';
import type { Route, RouteContext, RouteResult } from './routes/context';
import { CONTACTS_PATH, contactsRoutes } from './routes/contacts';
import { binaryAnswer, mediaRoutes } from './routes/media';
import { messageRoutes } from './routes/message';
import { tokenRoutes } from './routes/token';
import { webhookRoutes } from './routes/webhook';
import { wedocRoutes } from './routes/wedoc';
import { SandboxStore } from './state';
import type { RecordedRequest, SandboxApp, SandboxCallbackConfig, SandboxOptions, WeComAnswer, WeComSandbox } from './types';
import { isRecord, normalizePath } from './util';

const ROUTES: Record<string, Route> = {
	...tokenRoutes,
	...messageRoutes,
	...mediaRoutes,
	...appchatRoutes,
	...contactsRoutes,
	...agentRoutes,
	...webhookRoutes,
	...approvalRoutes,
	...wedocRoutes,
};
const MAX_BODY = 64 * 1024 * 1024;

type Injection = { kind: 'error'; errcode: number; errmsg?: string } | { kind: 'status'; status: number } | { kind: 'drop' };

/** Starts the WeCom imitation on 127.0.0.1 (see index.ts for the contract). */
export async function startSandbox(options: SandboxOptions = {}): Promise<WeComSandbox> {
	const now = options.now ?? Date.now;
	const recordBodies = options.recordBodies !== false;
	const defaultApp: SandboxApp = { corpId: SANDBOX_DEFAULTS.corpId, corpSecret: SANDBOX_DEFAULTS.corpSecret, agentId: SANDBOX_DEFAULTS.agentId };
	// The corp's contacts sync secret (通讯录同步): no agent of its own.
	const contactsApp: SandboxApp = { corpId: SANDBOX_DEFAULTS.corpId, corpSecret: SANDBOX_DEFAULTS.contactsSecret, agentId: 0, kind: 'contacts' };
	const apps = [defaultApp, contactsApp, ...(options.apps ?? [])].filter(
		(app, index, all) => all.findIndex((other) => other.corpId === app.corpId && other.corpSecret === app.corpSecret) === index,
	);
	const robotKeys = [...new Set([SANDBOX_DEFAULTS.robotKey, ...(options.robotKeys ?? [])])];
	const callbackConfig: SandboxCallbackConfig = options.callback ?? {
		token: SANDBOX_DEFAULTS.callbackToken,
		encodingAESKey: SANDBOX_DEFAULTS.encodingAESKey,
		receiveId: SANDBOX_DEFAULTS.corpId,
	};
	const store = new SandboxStore(apps, robotKeys, now, (options.tokenLifetimeSeconds ?? SANDBOX_DEFAULTS.tokenLifetimeSeconds) * 1000);
	const limiter = new RateLimiter(now);
	const injections = new Map<string, Injection[]>();
	const delays = new Map<string, { ms: number; jitterMs: number }>();
	let inFlight = 0;
	let maxInFlight = 0;
	const requests: RecordedRequest[] = [];
	let seq = 0;
	/** Where change_contact callbacks go (off until set). */
	let contactCallbackUrl: string | undefined;
	const contactCallbacks: Array<Promise<unknown>> = [];
	store.contacts.onChange = (fields) => {
		if (!contactCallbackUrl) return;
		const xml = contactChangeXml(SANDBOX_DEFAULTS.corpId, Math.floor(now() / 1000), fields);
		contactCallbacks.push(sandbox.postCallback(contactCallbackUrl, xml).catch((error: unknown) => log(`contact callback failed: ${String(error)}`)));
	};
	let baseUrl = '';
	const aibot = new AibotSandbox(() => baseUrl, now);

	const inject = (path: string, injection: Injection, times = 1) => {
		const key = normalizePath(path);
		const queue = injections.get(key) ?? [];
		for (let count = 0; count < times; count++) queue.push(injection);
		injections.set(key, queue);
	};

	const callbackUrl = (url: string | undefined): string => {
		const target = url ?? callbackConfig.url;
		if (!target) throw new Error('No callback URL: pass one, or start the sandbox with callback.url.');
		return target;
	};

	const sandbox: WeComSandbox = {
		url: '',
		port: 0,
		requests,
		requestsTo: (path) => {
			const key = normalizePath(path);
			return requests.filter((entry) => entry.path === key);
		},
		gettokenCount: () => store.gettokenCount,
		contacts: () => store.contacts,
		configureContactsApp: (secret, settings) => {
			store.contacts.settings.set(secret, { ...(store.contacts.settings.get(secret) ?? {}), ...settings });
		},
		sendContactCallbacks: (url) => {
			contactCallbackUrl = url;
		},
		contactCallbacksSent: async () => {
			const pending = contactCallbacks.splice(0);
			await Promise.all(pending);
			return pending.length;
		},
		reset: () => {
			requests.length = 0;
			seq = 0;
			store.clear();
			contactCallbackUrl = undefined;
			limiter.clear();
			injections.clear();
			delays.clear();
			maxInFlight = inFlight;
		},
		expireTokens: () => store.expireTokens(),
		invalidateTokens: () => store.invalidateTokens(),
		injectError: (path, errcode, times = 1, errmsg) => inject(path, { kind: 'error', errcode, errmsg }, times),
		injectHttpStatus: (path, status, times = 1) => inject(path, { kind: 'status', status }, times),
		dropConnection: (path, times = 1) => inject(path, { kind: 'drop' }, times),
		setDelay: (path, ms, jitterMs = 0) => {
			const key = path === '*' ? '*' : normalizePath(path);
			if (ms > 0) delays.set(key, { ms, jitterMs: Math.max(0, Math.min(jitterMs, ms)) });
			else delays.delete(key);
		},
		setRateLimit: (path, limit, windowMs, blockMs) => limiter.set(path, limit, windowMs, blockMs),
		clearRateLimits: () => limiter.clear(),
		enforceWeComLimits: (limits) => limiter.enforceWeComLimits(limits),
		inFlight: () => inFlight,
		maxInFlight: () => maxInFlight,
		resetMaxInFlight: () => {
			maxInFlight = inFlight;
		},
		messages: () => [...store.messages],
		media: (mediaId) => {
			const record = store.media.get(mediaId);
			return record ? { type: record.type, filename: record.filename, contentType: record.contentType, data: record.data } : undefined;
		},
		encryptCallback: (innerXml, opts) => encryptCallback(callbackConfig, agentIdOfCorp(apps, callbackConfig.receiveId), innerXml, now(), opts),
		verifyCallbackUrl: async (url) => {
			const expected = randomBytes(9).readBigUInt64BE(0).toString();
			const signed = encryptCallback(callbackConfig, 0, expected, now());
			const echostr = /<Encrypt><!\[CDATA\[(.*)\]\]><\/Encrypt>/.exec(signed.body)?.[1] ?? '';
			const result = await httpCall('GET', withQuery(callbackUrl(url), { ...signed.query, echostr }), undefined, 1000);
			return { status: result.status, body: result.body, expected, ok: result.status === 200 && result.body === expected };
		},
		postCallback: async (url, innerXml, opts) => {
			const signed = sandbox.encryptCallback(innerXml, opts);
			return await httpCall('POST', withQuery(callbackUrl(url), signed.query), signed.body, opts?.timeoutMs);
		},
		decryptReply: (body) => decryptReply(callbackConfig, body),
		clickCard: async (opts) => {
			const { xml, responseCode } = buildClickXml(store, opts);
			const result = await sandbox.postCallback(callbackUrl(opts.url), xml, { timeoutMs: opts.timeoutMs });
			return { status: result.status, body: result.body, responseCode, xml };
		},
		cards: () => cardViews(requests, store),
		openLink: async (url, linkOptions) => await browse(url, linkOptions),
		aibot,
		approvals: () =>
			[...store.approvals.instances.values()].map((instance) => ({
				spNo: instance.spNo,
				templateId: instance.templateId,
				creator: instance.creator,
				status: instance.status,
				applyTime: instance.applyTime,
				detail: store.approvals.detail(instance),
			})),
		actOnApprovals: async (opts) => {
			const spNos = opts.spNos ?? (opts.spNo !== undefined ? [opts.spNo] : []);
			if (spNos.length === 0) throw new Error('actOnApprovals needs spNo or spNos');
			// One clock reading for the whole batch: WeCom's callbacks of a batch approval share their CreateTime.
			const createTime = Math.floor(now() / 1000);
			const acted = spNos.map((spNo) => {
				const changeEvent = store.approvals.act(spNo, opts.userId, opts.action, opts.speech);
				const instance = store.approvals.get(spNo);
				return { spNo, spStatus: instance.status, statuChangeEvent: changeEvent, xml: approvalChangeXml(instance, changeEvent, createTime) };
			});
			if (opts.url === false) return acted;
			const target = callbackUrl(opts.url);
			const timestamp = String(createTime);
			return await Promise.all(
				acted.map(async (entry) => {
					const result = await sandbox.postCallback(target, entry.xml, { timestamp });
					return { ...entry, callback: { status: result.status, body: result.body } };
				}),
			);
		},
		smartsheet: store.smartsheet,
		corpId: defaultApp.corpId,
		close: async () => {
			aibot.close();
			await new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			});
		},
	};

	const log = (line: string) => {
		if (options.log) console.log(line);
	};

	async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
		// Arrival time (before the body is read) is what rate limits count, as at WeCom's front door.
		const arrivedAt = now();
		const raw = await readBody(request);
		const target = new URL(request.url ?? '/', 'http://127.0.0.1');
		const path = target.pathname;
		const query: Record<string, string> = {};
		for (const [key, value] of target.searchParams) if (!(key in query)) query[key] = value;
		const method = request.method ?? 'GET';

		if (path.startsWith('/__sandbox/aibot/') || path === '/cgi-bin/aibot/response' || path.startsWith('/aibot-media/')) {
			await handleAibotHttp(aibot, response, { method, path, query, raw: raw ?? Buffer.alloc(0), callbackUrl: callbackConfig.url });
			return;
		}
		if (path.startsWith('/__sandbox')) {
			const result = await handleControl(sandbox, { method, path, query, body: raw ?? Buffer.alloc(0), callbackUrl: callbackConfig.url });
			sendJson(response, result.status, result.body);
			return;
		}
		inFlight++;
		maxInFlight = Math.max(maxInFlight, inFlight);
		try {
			await handleApi(request, response, { arrivedAt, raw, path, query, method });
		} finally {
			inFlight--;
		}
	}

	async function handleApi(
		request: IncomingMessage,
		response: ServerResponse,
		{ arrivedAt, raw, path, query, method }: { arrivedAt: number; raw: Buffer | undefined; path: string; query: Record<string, string>; method: string },
	): Promise<void> {

		const entry: RecordedRequest = { seq: ++seq, method, path, query, response: undefined, status: 0, at: arrivedAt };
		requests.push(entry);
		// Every gettoken call counts, including ones answered by an injected fault.
		if (path === '/cgi-bin/gettoken') store.gettokenCount++;
		const finish = (status: number, answer: unknown) => {
			entry.status = status;
			entry.response = answer;
			entry.answeredAtSeq = seq;
			if (isRecord(answer)) entry.answer = answer as WeComAnswer;
			log(`${method} ${path} -> ${status}${isRecord(answer) && 'errcode' in answer ? ` errcode ${String(answer.errcode)}` : ''}`);
		};
		if (raw === undefined) {
			finish(413, 'body too large');
			sendText(response, 413, 'Request Entity Too Large');
			return;
		}

		const context: RouteContext = { store, limiter, method, path, query, json: undefined, baseUrl, recordBodies, range: request.headers.range, at: arrivedAt };
		const boundary = boundaryOf(request.headers['content-type']);
		if (boundary) {
			context.parts = parseMultipart(raw, boundary);
			if (recordBodies && context.parts) {
				entry.files = context.parts
					.filter((part) => part.filename !== undefined)
					.map((part) => ({
						field: part.name,
						filename: part.filename ?? '',
						contentType: part.contentType,
						size: part.data.length,
						sha256: createHash('sha256').update(part.data).digest('hex'),
					}));
			}
		} else if (raw.length > 0) {
			try {
				const parsed: unknown = JSON.parse(raw.toString('utf8'));
				context.json = isRecord(parsed) ? parsed : 'invalid';
				if (recordBodies) {
					entry.json = parsed;
					entry.body = parsed;
				}
			} catch {
				context.json = 'invalid';
			}
		}

		const delay = delays.get(path) ?? (path.startsWith('/cgi-bin/') ? delays.get('*') : undefined);
		if (delay) {
			const ms = delay.ms + (Math.random() * 2 - 1) * delay.jitterMs;
			await new Promise((resolve) => setTimeout(resolve, ms));
		}
		if (response.destroyed) return;

		const injection = injections.get(path)?.shift();
		if (injection?.kind === 'drop') {
			finish(0, undefined);
			request.socket.destroy();
			return;
		}
		if (injection?.kind === 'status') {
			const body = `<html><head><title>${injection.status}</title></head><body><center><h1>${injection.status}</h1></center><hr><center>stgw</center></body></html>`;
			finish(injection.status, body);
			sendText(response, injection.status, body, 'text/html');
			return;
		}
		if (injection?.kind === 'error') {
			const answer = injection.errmsg ? { errcode: injection.errcode, errmsg: injection.errmsg } : errorAnswer(injection.errcode);
			finish(200, answer);
			sendJson(response, 200, answer);
			return;
		}

		let result: RouteResult;
		try {
			result = route(context);
		} catch (error) {
			if (!(error instanceof WeComError)) {
				log(`sandbox error on ${path}: ${error instanceof Error ? error.stack : String(error)}`);
				const answer = errorAnswer(-1);
				finish(500, answer);
				sendJson(response, 500, answer);
				return;
			}
			result = { kind: 'json', answer: errorAnswer(error.errcode, error.detail) };
		}
		if (result.kind === 'binary') {
			finish(result.status, `<binary ${result.data.length} bytes ${result.headers['Content-Type'] ?? ''}>`);
			response.writeHead(result.status, { ...result.headers, 'Content-Length': result.data.length });
			response.end(result.data);
			return;
		}
		const status = result.answer.errcode === 404 ? 404 : 200;
		finish(status, result.answer);
		sendJson(response, status, result.answer);
	}

	function route(context: RouteContext): RouteResult {
		const cdn = /^\/media-cdn\/([^/.]+)\.(png|jpg)$/.exec(context.path);
		if (cdn) {
			const record = store.media.get(cdn[1]);
			if (record?.permanent) return binaryAnswer(record, context.range);
			return { kind: 'binary', status: 404, headers: { 'Content-Type': 'text/plain' }, data: Buffer.from('not found') };
		}
		const handler = ROUTES[context.path];
		if (!handler) {
			return { kind: 'json', answer: { errcode: 404, errmsg: `api not found: ${context.path} is not a WeCom API the sandbox knows` } };
		}
		if (handler.needsToken) {
			context.app = store.appForToken(context.query.access_token);
			if (!limiter.take(context.path, context.app.corpId, context.at)) throw new WeComError(45009);
			// The contacts sync secret opens the contacts API only.
			if (context.app.kind === 'contacts' && !CONTACTS_PATH.test(context.path)) {
				throw new WeComError(48002, 'the contacts sync secret cannot call this API; use an app secret');
			}
		}
		return handler.handle(context);
	}

	const server = createServer((request, response) => {
		handle(request, response).catch((error: unknown) => {
			log(`sandbox failure: ${error instanceof Error ? error.message : String(error)}`);
			if (!response.headersSent) sendJson(response, 500, errorAnswer(-1));
		});
	});
	// The intelligent robot's long connection (WebSocket upgrade on any path).
	server.on('upgrade', (request, socket, head) => aibot.upgrade(request, socket, head));
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
	});
	const port = (server.address() as AddressInfo).port;
	baseUrl = `http://127.0.0.1:${port}`;
	sandbox.url = baseUrl;
	sandbox.port = port;
	return sandbox;
}

/** The robot's HTTP side: its control API, response_url, and the encrypted media URLs. */
async function handleAibotHttp(
	aibot: AibotSandbox,
	response: ServerResponse,
	req: { method: string; path: string; query: Record<string, string>; raw: Buffer; callbackUrl?: string },
): Promise<void> {
	let json: unknown;
	if (req.raw.length > 0) {
		try {
			json = JSON.parse(req.raw.toString('utf8'));
		} catch {
			json = 'invalid';
		}
	}
	if (req.path.startsWith('/aibot-media/')) {
		const file = aibot.mediaResponse(req.path.slice('/aibot-media/'.length));
		response.writeHead(file.status, { ...file.headers, 'Content-Length': file.data.length });
		response.end(file.data);
		return;
	}
	if (req.path === '/cgi-bin/aibot/response') {
		if (req.method !== 'POST') return sendJson(response, 200, { errcode: 43002, errmsg: 'require POST method' });
		if (json === 'invalid' || json === undefined) return sendJson(response, 200, { errcode: 47001, errmsg: 'Warning: wrong json format.' });
		return sendJson(response, 200, aibot.activeReply(req.query, json));
	}
	const body = isRecord(json) ? json : {};
	if (json === 'invalid') return sendJson(response, 400, { error: 'The control body must be a JSON object.' });
	const result = await handleAibotControl(aibot, req.path.slice('/__sandbox/aibot/'.length), body, req.callbackUrl);
	sendJson(response, result.status, result.body);
}

function agentIdOfCorp(apps: SandboxApp[], corpId: string): number {
	return (apps.find((app) => app.corpId === corpId) ?? apps[0]).agentId;
}

/** The whole body, or undefined past MAX_BODY. */
function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		let tooLarge = false;
		request.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > MAX_BODY) tooLarge = true;
			else chunks.push(chunk);
		});
		request.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks)));
		request.on('error', reject);
	});
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
	if (response.destroyed) return;
	const text = JSON.stringify(body);
	response.writeHead(status, { 'Content-Type': 'application/json; charset=UTF-8', 'Content-Length': Buffer.byteLength(text) });
	response.end(text);
}

function sendText(response: ServerResponse, status: number, body: string, contentType = 'text/plain'): void {
	if (response.destroyed) return;
	response.writeHead(status, { 'Content-Type': `${contentType}; charset=utf-8`, 'Content-Length': Buffer.byteLength(body) });
	response.end(body);
}

/** The plaintext XML of a change_contact callback (page 90970): fields as WeCom's tags, CDATA for text. */
function contactChangeXml(corpId: string, createTime: number, fields: Record<string, string>): string {
	const cdata = (value: string) => `<![CDATA[${value.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
	const body = Object.entries(fields)
		.filter(([, value]) => value !== '')
		.map(([key, value]) => `<${key}>${cdata(value)}</${key}>`)
		.join('');
	return `<xml><ToUserName>${cdata(corpId)}</ToUserName><FromUserName>${cdata('sys')}</FromUserName><CreateTime>${createTime}</CreateTime><MsgType>${cdata('event')}</MsgType><Event>${cdata('change_contact')}</Event>${body}</xml>`;
}
