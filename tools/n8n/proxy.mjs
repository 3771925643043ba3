// A small HTTP reverse proxy: the one entry point in front of n8n's webhook processes in the queue-mode set-up
// (what a load balancer or ingress is in production). Request bodies are read, then sent, and answers streamed back, over keep-alive
// connections (no health checks; see send() for the one resend); it counts what each target served, so tests can see the spread.
//
// Two ways to pick the target:
// - 'round-robin': each request goes to the next target in turn;
// - 'uri-hash': the target is a function of the request URI (path + query), like nginx's
//   `hash $request_uri consistent;`. WeCom signs every callback with msg_signature/timestamp/nonce in the query,
//   so all copies of one callback carry the same URI and reach the same webhook process, where the trigger's
//   in-process de-duplication sees them one after another. Rendezvous hashing (highest score per target) keeps
//   the mapping of the remaining targets when one is removed, as nginx's `consistent` does.
import { createHash } from 'node:crypto';
import { Agent, createServer, request as httpRequest } from 'node:http';
import { freePort } from './ports.mjs';

/** The index of the target a URI hashes to (rendezvous hashing over the targets' base URLs). */
export function uriHashTarget(targets, uri) {
	let best = 0;
	let bestScore = -1n;
	targets.forEach((target, index) => {
		const score = createHash('sha1').update(`${target}\n${uri}`).digest().readBigUInt64BE(0);
		if (score > bestScore) [best, bestScore] = [index, score];
	});
	return best;
}

/**
 * @param {{ targets: string[]; port?: number; mode?: 'round-robin' | 'uri-hash' }} opts targets: base URLs like http://127.0.0.1:5679
 * @returns {Promise<{ url: string; port: number; mode: string; served: number[]; stop(): Promise<void> }>}
 */
export async function startProxy({ targets, port, mode = 'round-robin' }) {
	if (!targets.length) throw new Error('startProxy needs at least one target');
	if (mode !== 'round-robin' && mode !== 'uri-hash') throw new Error(`Unknown proxy mode "${mode}" (round-robin or uri-hash)`);
	const agent = new Agent({ keepAlive: true, maxSockets: 256 });
	const parsed = targets.map((t) => new URL(t));
	const served = targets.map(() => 0);
	let next = 0;
	const pick = mode === 'uri-hash' ? (req) => uriHashTarget(targets, req.url ?? '/') : () => next++ % parsed.length;

	// The body is read first (webhook bodies are small) so that a request can be sent again when the keep-alive
	// connection it was given had just been closed by n8n (idle timeout): the reset then comes before any answer, on
	// a reused socket, and the request never reached n8n. That is the one case resent (Node's documented pattern).
	const send = (req, res, index, body, attempt) => {
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
			if (upstream.reusedSocket && error.code === 'ECONNRESET' && attempt === 0 && !res.headersSent) return send(req, res, index, body, 1);
			if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
			res.end(`proxy: ${error.code ?? error.message}`);
		});
		upstream.end(body);
	};

	const forward = (req, res) => {
		const index = pick(req);
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', () => send(req, res, index, Buffer.concat(chunks), 0));
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
		mode,
		served,
		async stop() {
			server.closeAllConnections();
			await new Promise((resolve) => server.close(resolve));
			agent.destroy();
		},
	};
}
