// The WeCom sandbox's /__sandbox/* HTTP controls (test/sandbox/control.ts) from plain ESM, plus the
// sandbox's fixed credentials read from test/sandbox/defaults.ts (the one place they are written).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './package.mjs';

let defaults;
/** SANDBOX_DEFAULTS (corpId, corpSecret, agentId, robotKey, callbackToken, encodingAESKey, ...). */
export function sandboxDefaults() {
	if (defaults) return defaults;
	const source = readFileSync(join(repoRoot, 'test', 'sandbox', 'defaults.ts'), 'utf8');
	const block = /SANDBOX_DEFAULTS\s*=\s*\{([\s\S]*?)\}\s*as const/.exec(source);
	if (!block) throw new Error('SANDBOX_DEFAULTS not found in test/sandbox/defaults.ts');
	defaults = {};
	for (const [, key, text, num] of block[1].matchAll(/^\s*(\w+):\s*(?:'([^']*)'|(-?\d+(?:\.\d+)?))\s*,/gm)) {
		defaults[key] = text ?? Number(num);
	}
	for (const key of ['corpId', 'corpSecret', 'agentId', 'robotKey', 'encodingAESKey']) {
		if (defaults[key] === undefined) throw new Error(`SANDBOX_DEFAULTS.${key} could not be read from test/sandbox/defaults.ts`);
	}
	return defaults;
}

/** @param {string} url the sandbox's base URL */
export function sandboxControl(url) {
	const call = async (method, action, body, query) => {
		const qs = query ? `?${new URLSearchParams(query)}` : '';
		const res = await fetch(`${url}/__sandbox/${action}${qs}`, {
			method,
			headers: body ? { 'content-type': 'application/json' } : undefined,
			body: body ? JSON.stringify(body) : undefined,
		});
		const answer = await res.json().catch(() => ({}));
		if (res.status !== 200) throw new Error(`Sandbox control ${action} failed (${res.status}): ${answer.error ?? ''}`);
		return answer;
	};
	return {
		state: () => call('GET', 'state'),
		async gettokenCount() {
			return (await call('GET', 'state')).gettokenCount;
		},
		/** Recorded requests (optionally only those to one path), oldest first. */
		async requests(path) {
			return (await call('GET', 'requests', undefined, path ? { path } : undefined)).requests;
		},
		/** The JSON bodies WeCom received on one path, in order. */
		async bodies(path) {
			return (await this.requests(path)).map((r) => r.json);
		},
		async messages() {
			return (await call('GET', 'messages')).messages;
		},
		async media(mediaId) {
			const res = await fetch(`${url}/__sandbox/media?${new URLSearchParams({ media_id: mediaId })}`);
			if (res.status === 404) return undefined;
			const m = await res.json();
			return { ...m, data: Buffer.from(m.base64, 'base64') };
		},
		/** Every access token the sandbox has handed out so far (from its recorded gettoken answers). */
		async issuedTokens() {
			const answers = (await this.requests('/cgi-bin/gettoken')).map((r) => r.answer ?? r.response);
			return [...new Set(answers.map((a) => a?.access_token).filter((t) => typeof t === 'string' && t))];
		},
		reset: () => call('POST', 'reset'),
		expireTokens: () => call('POST', 'expire-tokens'),
		invalidateTokens: () => call('POST', 'invalidate-tokens'),
		injectError: (path, errcode, times = 1, errmsg) => call('POST', 'inject', { path, errcode, times, errmsg }),
		setDelay: (path, ms) => call('POST', 'delay', { path, ms }),
	};
}
