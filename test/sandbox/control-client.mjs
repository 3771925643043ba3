// The WeCom sandbox from plain JavaScript (the demo, e2e scenarios, benchmarks): its fixed credentials and a
// client for its /__sandbox/* HTTP controls (routes in control.ts; client.ts is the TypeScript twin for jest).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** @returns {{ corpId: string; corpSecret: string; agentId: number; robotKey: string; callbackToken: string; encodingAESKey: string; tokenLifetimeSeconds: number }} */
export function sandboxDefaults() {
	return Object.freeze(JSON.parse(readFileSync(join(here, 'fixed-credentials.json'), 'utf8')));
}

/** @param {string} sandboxUrl the sandbox's base URL */
export function sandboxControl(sandboxUrl) {
	const base = `${sandboxUrl.replace(/\/+$/, '')}/__sandbox`;
	async function call(method, action, body, query) {
		const url = new URL(`${base}/${action}`);
		for (const [k, v] of Object.entries(query ?? {})) url.searchParams.set(k, String(v));
		const res = await fetch(url, {
			method,
			headers: body === undefined ? {} : { 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: AbortSignal.timeout(30_000),
		});
		const data = await res.json().catch(() => ({}));
		if (res.status !== 200) throw new Error(`Sandbox control ${action} failed (HTTP ${res.status}): ${data.error ?? ''}`);
		return data;
	}
	const requests = async (path) => (await call('GET', 'requests', undefined, path ? { path } : undefined)).requests;
	return {
		state: () => call('GET', 'state'),
		gettokenCount: async () => (await call('GET', 'state')).gettokenCount,
		/**
		 * Recorded requests (only those to `path` when given), oldest first.
		 * @returns {Promise<Array<{ seq: number; path: string; query: Record<string,string>; json?: any; answer?: any; files?: any[]; status: number }>>}
		 */
		requests,
		allRequests: () => requests(),
		/** The JSON bodies WeCom received on one path, in order. */
		bodies: async (path) => (await requests(path)).map((r) => r.json),
		/** @returns {Promise<Array<{ msgid: string; body: any; taskId?: string; responseCode?: string; kind: string }>>} */
		messages: async () => (await call('GET', 'messages')).messages,
		/** @returns {Promise<{ type: string; filename: string; contentType: string; data: Buffer } | undefined>} */
		async media(mediaId) {
			const res = await fetch(`${base}/media?${new URLSearchParams({ media_id: mediaId })}`);
			if (res.status === 404) return undefined;
			const m = await res.json();
			return { type: m.type, filename: m.filename, contentType: m.contentType, data: Buffer.from(m.base64, 'base64') };
		},
		/** Every access token the sandbox has handed out so far (from its recorded gettoken answers). */
		async issuedTokens() {
			const answers = (await requests('/cgi-bin/gettoken')).map((r) => r.answer ?? r.response);
			return [...new Set(answers.map((a) => a?.access_token).filter((t) => typeof t === 'string' && t))];
		},
		reset: () => call('POST', 'reset'),
		expireTokens: () => call('POST', 'expire-tokens'),
		invalidateTokens: () => call('POST', 'invalidate-tokens'),
		injectError: (path, errcode, times = 1, errmsg) => call('POST', 'inject', { path, errcode, times, errmsg }),
		setDelay: (path, ms) => call('POST', 'delay', { path, ms }),
		/** GET with echostr to `url` (default: the callback URL the sandbox was started with), as WeCom verifies it: { status, body, expected, ok } */
		verifyUrl: (url) => call('POST', 'verify-url', url ? { url } : {}),
		/** { query: {msg_signature, timestamp, nonce}, body } for an inner XML, as WeCom would post it */
		encrypt: (xml) => call('POST', 'encrypt', { xml }),
		/** Encrypts, signs and posts: { status, body, headers } */
		postCallback: (url, xml, opts = {}) => call('POST', 'callback', { url, xml, ...opts }),
		decryptReply: (body) => call('POST', 'decrypt-reply', { body }),
		/** The user clicks a card the app sent: { status, body, responseCode, xml } */
		clickCard: (opts) => call('POST', 'click', opts),
		/** The template cards users were sent, with links, buttons and the updates that replaced the buttons. */
		cards: async () => (await call('GET', 'cards')).cards,
		/** The user's browser: GET a link from a card, or POST `form` fields like n8n's form page. @returns {Promise<{status:number; body:string; contentType:string}>} */
		openLink: (url, options = {}) => call('POST', 'open-link', { url, ...options }),
		/** Approval instances submitted through oa/applyevent: [{ spNo, templateId, creator, status, applyTime, detail }] */
		approvals: async () => (await call('GET', 'approvals')).approvals,
		/**
		 * A user approves/rejects/revokes/comments one approval (spNo) or a batch in the same second (spNos); the sandbox
		 * then posts the sys_approval_change callbacks: [{ spNo, spStatus, statuChangeEvent, xml, callback: { status, body } }]
		 */
		actOnApprovals: async (opts) => (await call('POST', 'approval-act', opts)).results,
		/** Smart sheets (smartsheetControl.ts): a document made by a person, shared with `sharedWith` agent IDs; returns its snapshot */
		smartsheetSeed: (spec) => call('POST', 'smartsheet/seed', spec),
		/** @returns {Promise<{ docid: string; sheets: Array<{ sheet_id: string; title: string; fields: any[]; records: Array<{ record_id: string; values: Record<string, any> }> }> }>} */
		smartsheetDoc: (docid) => call('GET', 'smartsheet/doc', undefined, { docid }),
		smartsheetDocs: async () => (await call('GET', 'smartsheet/docs')).docs,
		smartsheetShare: (docid, agentId, shared = true) => call('POST', 'smartsheet/share', { docid, agentId, shared }),
		smartsheetDocApiApps: (agentIds) => call('POST', 'smartsheet/doc-api-apps', { agentIds }),
		/** @returns {Promise<{ key: string; path: string }>} */
		smartsheetWebhook: (docid, sheetId) => call('POST', 'smartsheet/webhook', { docid, sheetId }),
	};
}
