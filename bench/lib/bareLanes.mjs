// The bare baseline of the bulk part: the same bodies posted by `lanes` loops at once over one keep-alive agent, the
// fewest a client can do per send at that concurrency (no n8n, no expressions, no credential).
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

export async function laneLoop(baseUrl, path, bodies, lanes) {
	const target = new URL(baseUrl);
	const agent = new Agent({ keepAlive: true, maxSockets: lanes });
	const post = (body) =>
		new Promise((resolve, reject) => {
			const payload = JSON.stringify(body);
			const req = request(
				{ agent, method: 'POST', host: target.hostname, port: target.port, path, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) } },
				(res) => {
					const chunks = [];
					res.on('data', (chunk) => chunks.push(chunk));
					res.on('end', () => {
						const answer = JSON.parse(Buffer.concat(chunks).toString('utf8'));
						if (answer.errcode !== 0) reject(new Error(`bare POST: errcode ${answer.errcode} ${answer.errmsg}`));
						else resolve();
					});
					res.on('error', reject);
				},
			);
			req.on('error', reject);
			req.end(payload);
		});
	let next = 0;
	const started = performance.now();
	await Promise.all(
		Array.from({ length: lanes }, async () => {
			while (next < bodies.length) await post(bodies[next++]);
		}),
	);
	const ms = performance.now() - started;
	agent.destroy();
	return ms;
}
