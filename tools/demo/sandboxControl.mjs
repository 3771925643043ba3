// Drives the WeCom sandbox's /__sandbox/* HTTP controls from plain ESM (test/sandbox/client.ts is the
// TypeScript twin; the demo runs without ts-node in this process).

/** @param {string} sandboxUrl */
export function sandboxControl(sandboxUrl) {
	const base = `${sandboxUrl.replace(/\/+$/, '')}/__sandbox`;
	async function call(method, action, body, query) {
		const url = new URL(`${base}/${action}`);
		for (const [k, v] of Object.entries(query ?? {})) url.searchParams.set(k, v);
		const res = await fetch(url, {
			method,
			headers: body === undefined ? {} : { 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: AbortSignal.timeout(15_000),
		});
		const data = await res.json().catch(() => ({}));
		if (res.status !== 200) throw new Error(`Sandbox control ${action} failed (HTTP ${res.status}): ${data.error ?? ''}`);
		return data;
	}
	return {
		state: () => call('GET', 'state'),
		/** @returns {Promise<Array<{ seq: number; path: string; query: Record<string,string>; json?: any; answer?: any; files?: any[]; status: number }>>} */
		requests: async (path) => (await call('GET', 'requests', undefined, path ? { path } : undefined)).requests,
		/** @returns {Promise<Array<{ msgid: string; body: any; taskId?: string; responseCode?: string; kind: string }>>} */
		messages: async () => (await call('GET', 'messages')).messages,
		/** @returns {Promise<{ type: string; filename: string; contentType: string; data: Buffer } | undefined>} */
		media: async (mediaId) => {
			const res = await fetch(`${base}/media?media_id=${encodeURIComponent(mediaId)}`);
			if (res.status === 404) return undefined;
			const m = await res.json();
			return { type: m.type, filename: m.filename, contentType: m.contentType, data: Buffer.from(m.base64, 'base64') };
		},
		/** GET with echostr to the callback URL the sandbox was started with, exactly as WeCom verifies it. */
		verifyUrl: (url) => call('POST', 'verify-url', url ? { url } : {}),
		/** @returns {Promise<{ status: number; body: string; responseCode: string; xml: string }>} */
		clickCard: (opts) => call('POST', 'click', opts),
	};
}
