// Benchmark 6 (engine part): WeCom Trigger webhook latency, request to response, through the harness's webhook
// server (n8n-core's real WebhookContext, the trigger's webhook(), then an execution started per callback), versus a
// bare node:http server on 127.0.0.1 doing the same verify + decrypt + parse and answering an empty 200.
import { createServer } from 'node:http';

import { sequentialCallbacks } from '../lib/callbacks.mjs';
import { loadKit } from '../lib/engine.mjs';
import { fmt, latencyRows, log, percentile, quick, report } from '../lib/stats.mjs';
import { requireTs } from '../lib/ts.mjs';

const COUNT = quick ? 200 : 500;
const WARMUP = 50;
const kit = loadKit();
const { openCallbackRequest, secretsFrom } = requireTs('nodes/WeComTrigger/callbackRequest');
const { normalizeCallback } = requireTs('nodes/WeComTrigger/events');
const { SANDBOX_DEFAULTS } = kit;
const credentialData = { token: SANDBOX_DEFAULTS.callbackToken, encodingAESKey: SANDBOX_DEFAULTS.encodingAESKey, receiveId: SANDBOX_DEFAULTS.corpId };

const sandbox = await kit.startSandbox({ recordBodies: false });
const encrypt = (xml) => sandbox.encryptCallback(xml);
const store = new kit.CredentialStore();
const credentialId = store.add('weComCallbackApi', credentialData);
const path = 'wecom-bench';
const server = await kit.startWebhookServer({
	workflow: {
		name: 'bench trigger',
		nodes: [
			{
				id: 'trigger',
				name: 'WeCom Trigger',
				type: 'n8n-nodes-wecom-kit.weComTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: { path },
				credentials: { weComCallbackApi: { id: credentialId, name: 'WeCom callback' } },
			},
		],
		connections: {},
	},
	credentials: store,
});

// The baseline: the same cryptographic and parsing work in a plain server, no n8n.
const bare = createServer((req, res) => {
	const chunks = [];
	req.on('data', (chunk) => chunks.push(chunk));
	req.on('end', () => {
		const query = Object.fromEntries(new URL(req.url, 'http://127.0.0.1').searchParams);
		const result = openCallbackRequest({ query, rawBody: Buffer.concat(chunks) }, secretsFrom(credentialData), false);
		if (result.ok) normalizeCallback(result.callback.parsed);
		res.writeHead(result.ok ? 200 : 400).end();
	});
});
await new Promise((resolve) => bare.listen(0, '127.0.0.1', resolve));
const bareUrl = `http://127.0.0.1:${bare.address().port}/bare`;

try {
	const common = { encrypt, corpId: SANDBOX_DEFAULTS.corpId, agentId: SANDBOX_DEFAULTS.agentId };
	await sequentialCallbacks({ ...common, url: server.url(path), count: WARMUP, offset: 0 });
	await sequentialCallbacks({ ...common, url: bareUrl, count: WARMUP, offset: 0 });
	const ours = await sequentialCallbacks({ ...common, url: server.url(path), count: COUNT, offset: WARMUP });
	const base = await sequentialCallbacks({ ...common, url: bareUrl, count: COUNT, offset: WARMUP });
	await server.waitForExecutions(WARMUP + COUNT, 60000);
	const started = server.executions.length;
	const p = (values, q) => percentile(values, q);
	log(`harness trigger p50 ${fmt.ms(p(ours, 50))} p99 ${fmt.ms(p(ours, 99))}; bare p50 ${fmt.ms(p(base, 50))} p99 ${fmt.ms(p(base, 99))}; executions started ${started}; errors ${server.errors.length}`);
	report('trigger', [
		...latencyRows(
			{ p50: 'Trigger webhook latency p50, engine harness (n8n-core WebhookContext) vs bare node:http server doing the same crypto', p99: 'Trigger webhook latency p99, engine harness' },
			ours,
			base,
			`${COUNT} sequential callbacks (keep-alive), each started an execution (${started} in all incl. ${WARMUP} warm-up)`,
		),
	], { count: COUNT, p50: p(ours, 50), p99: p(ours, 99), bareP50: p(base, 50), bareP99: p(base, 99), executions: started });
} finally {
	await server.close?.();
	bare.close();
	await sandbox.close();
}
