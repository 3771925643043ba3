// The baseline every transport figure is compared with: a plain node:http POST of the same JSON body to the same
// sandbox endpoint, with no n8n, no credential lookup and no error mapping.
import { Agent, request } from 'node:http';

/**
 * keepAlive true: one reused connection (the best a bare client can do); false: a new TCP connection per request,
 * which is what n8n's HTTP helper does (it builds a fresh http.Agent for every request).
 */
export function barePoster(baseUrl, { keepAlive = true } = {}) {
	const target = new URL(baseUrl);
	const agent = new Agent({ keepAlive, maxSockets: keepAlive ? 8 : Infinity });
	const post = (path, body) =>
		new Promise((resolve, reject) => {
			const payload = typeof body === 'string' ? body : JSON.stringify(body);
			const req = request(
				{
					agent,
					method: 'POST',
					host: target.hostname,
					port: target.port,
					path,
					headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) },
				},
				(res) => {
					const chunks = [];
					res.on('data', (chunk) => chunks.push(chunk));
					res.on('end', () => {
						const text = Buffer.concat(chunks).toString('utf8');
						try {
							const json = JSON.parse(text);
							if (json.errcode !== 0) reject(new Error(`bare POST ${path}: errcode ${json.errcode} ${json.errmsg}`));
							else resolve(json);
						} catch (error) {
							reject(error);
						}
					});
					res.on('error', reject);
				},
			);
			req.on('error', reject);
			req.end(payload);
		});
	return { post, close: () => agent.destroy() };
}

/** GET helper returning the parsed JSON (used to fetch a token for the bare loop). */
export async function getJson(url) {
	const res = await fetch(url);
	return await res.json();
}
