// Callback traffic for the trigger latency benchmarks: distinct text messages (unique MsgId, so the trigger's retry
// de-duplication never swallows one), encrypted and signed by the sandbox exactly as WeCom does, and a keep-alive
// HTTP client that times each request from write to the end of the answer.
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

export function textCallbackXml(corpId, agentId, n) {
	return (
		`<xml><ToUserName><![CDATA[${corpId}]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName>` +
		`<CreateTime>${1700000000 + n}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[ping ${n} 你好]]></Content>` +
		`<MsgId>${7000000000000000000n + BigInt(n)}</MsgId><AgentID>${agentId}</AgentID></xml>`
	);
}

/** POSTs `body` to `url` + query; resolves { status, body, ms }. */
export function timedPoster() {
	const agent = new Agent({ keepAlive: true, maxSockets: 1 });
	const post = (url, query, body) =>
		new Promise((resolve, reject) => {
			const target = new URL(url);
			const search = new URLSearchParams(query).toString();
			const started = performance.now();
			const req = request(
				{
					agent,
					method: 'POST',
					host: target.hostname,
					port: target.port,
					path: `${target.pathname}?${search}`,
					headers: { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(body) },
				},
				(res) => {
					const chunks = [];
					res.on('data', (chunk) => chunks.push(chunk));
					res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started }));
					res.on('error', reject);
				},
			);
			req.on('error', reject);
			req.end(body);
		});
	return { post, close: () => agent.destroy() };
}

/** Sends `count` distinct callbacks one after another; returns the latencies (ms). Throws on any non-200. */
export async function sequentialCallbacks({ url, count, encrypt, corpId, agentId, offset = 0 }) {
	const client = timedPoster();
	const latencies = [];
	try {
		for (let n = 0; n < count; n++) {
			const signed = encrypt(textCallbackXml(corpId, agentId, offset + n));
			const result = await client.post(url, signed.query, signed.body);
			if (result.status !== 200) throw new Error(`callback ${n} to ${url} answered ${result.status}: ${result.body.slice(0, 200)}`);
			latencies.push(result.ms);
		}
	} finally {
		client.close();
	}
	return latencies;
}
