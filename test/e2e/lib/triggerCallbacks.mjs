// What WeCom's servers do to a trigger URL, for the real-n8n trigger scenarios: the sandbox's
// /__sandbox HTTP controls (it encrypts with the official @wecom/crypto and signs as WeCom does),
// plain HTTP requests with any query and body, and forged callbacks (other receive ID, token, key)
// built with @wecom/crypto for the requests the trigger must refuse.
import { encrypt as officialEncrypt, getSignature } from '@wecom/crypto';
import { SANDBOX } from './triggerWorkflows.mjs';

export { sandboxControl } from '../../sandbox/control-client.mjs';

/** One HTTP request with the query appended exactly as given (so parameters can be dropped or repeated). */
export async function send(method, url, query, body, contentType = 'text/xml') {
	const res = await fetch(`${url}${query ? `?${query}` : ''}`, {
		method,
		headers: body === undefined ? {} : { 'content-type': contentType },
		body,
	});
	return { status: res.status, body: await res.text(), contentType: res.headers.get('content-type') ?? '' };
}

export const queryString = (params) => new URLSearchParams(params).toString();

/** WeCom's SHA-1 signature over the sorted token, timestamp, nonce and ciphertext. */
export const sign = (timestamp, nonce, encrypted, token = SANDBOX.callbackToken) => getSignature(token, timestamp, nonce, encrypted);

/** A callback encrypted and signed by the official package, for any receive ID, token or key. */
export function forgeCallback(innerXml, { receiveId = SANDBOX.corpId, token = SANDBOX.callbackToken, encodingAESKey = SANDBOX.encodingAESKey } = {}) {
	const timestamp = String(Math.floor(Date.now() / 1000));
	const nonce = String(1_000_000 + Math.floor(Math.random() * 1e9));
	const encrypted = officialEncrypt(encodingAESKey, innerXml, receiveId);
	return {
		query: { msg_signature: getSignature(token, timestamp, nonce, encrypted), timestamp, nonce },
		body: `<xml><ToUserName><![CDATA[${SANDBOX.corpId}]]></ToUserName><AgentID><![CDATA[${SANDBOX.agentId}]]></AgentID><Encrypt><![CDATA[${encrypted}]]></Encrypt></xml>`,
		encrypted,
	};
}

/** WeCom's inner XML: strings in CDATA, numbers bare; `extra` is appended verbatim before </xml>. */
export function innerXml(fields, extra = '') {
	const body = Object.entries(fields)
		.map(([key, value]) => (typeof value === 'number' ? `<${key}>${value}</${key}>` : `<${key}><![CDATA[${value}]]></${key}>`))
		.join('');
	return `<xml>${body}${extra}</xml>`;
}

/**
 * n8n answers /healthz/readiness before it has registered the production webhooks of published
 * workflows (they are added while active workflows are loaded, one webhook at a time), so requests
 * right after start get 404 "not registered". Waits until GET and POST of each URL reach the node:
 * an unsigned request then gets the trigger's own 400, not n8n's 404.
 */
export async function waitForTriggerUrls(urls, timeoutMs = 30_000) {
	const deadline = Date.now() + timeoutMs;
	for (const url of urls) {
		for (const method of ['GET', 'POST']) {
			for (;;) {
				const res = await send(method, url, '', method === 'POST' ? '<xml></xml>' : undefined);
				if (res.status !== 404) break;
				if (Date.now() > deadline) throw new Error(`${method} ${url} still answers 404 after ${timeoutMs} ms: ${res.body.slice(0, 300)}`);
				await new Promise((resolve) => setTimeout(resolve, 200));
			}
		}
	}
}
