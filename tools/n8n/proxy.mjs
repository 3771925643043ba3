// A small round-robin HTTP reverse proxy: the one entry point in front of n8n's webhook processes in the
// queue-mode set-up (what a load balancer or ingress is in production). Each request goes to the next
// target in turn, streamed both ways over keep-alive connections (no retries, no health checks). It counts
// what each target served, so tests can see the spread.
import { Agent, createServer, request as httpRequest } from 'node:http';
import { freePort } from './ports.mjs';

/**
 * @param {{ targets: string[]; port?: number }} opts targets: base URLs like http://127.0.0.1:5679
 * @returns {Promise<{ url: string; port: number; served: number[]; stop(): Promise<void> }>}
 */
export async function startRoundRobinProxy({ targets, port }) {
	if (!targets.length) throw new Error('startRoundRobinProxy needs at least one target');
	const agent = new Agent({ keepAlive: true, maxSockets: 256 });
	const parsed = targets.map((t) => new URL(t));
	const served = targets.map(() => 0);
	let next = 0;

	const forward = (req, res) => {
		const index = next++ % parsed.length;
		const target = parsed[index];
		const upstream = httpRequest(
			{ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: req.headers.host ?? target.host, 'x-forwarded-for': req.socket.remoteAddress ?? '' }, agent },
			(answer) => {
				served[index]++;
				res.writeHead(answer.statusCode ?? 502, answer.headers);
				answer.pipe(res);
			},
		);
		upstream.on('error', (error) => {
			if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
			res.end(`proxy: ${error.code ?? error.message}`);
		});
		req.pipe(upstream);
	};

	const server = createServer(forward);
	server.keepAliveTimeout = 30_000;
	const listenPort = port ?? (await freePort());
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(listenPort, '127.0.0.1', resolve);
	});
	return {
		url: `http://127.0.0.1:${listenPort}`,
		port: listenPort,
		served,
		async stop() {
			server.closeAllConnections();
			await new Promise((resolve) => server.close(resolve));
			agent.destroy();
		},
	};
}
