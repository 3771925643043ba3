// Benchmarks 6 (real n8n part) and 7: a real n8n 2.x (tools/n8n, Node 24) with our packed package installed as a
// community package, talking to the in-process WeCom sandbox on 127.0.0.1.
//  6. WeCom Trigger latency p50/p99 on the production webhook URL (published workflow), sandbox-encrypted
//     callbacks, sequential; baseline: n8n's own Webhook node in the same n8n receiving the same bodies.
//  7. End-to-end sends per second: a webhook-started workflow splits N texts into items and the WeCom node sends
//     each; rate = N / the WeCom node's execution time as n8n stored it (and / the whole execution).
//     Baseline: a bare node:http keep-alive loop posting the same bodies to the same sandbox from this process.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';

import { barePoster, getJson } from '../lib/bareHttp.mjs';
import { sequentialCallbacks } from '../lib/callbacks.mjs';
import { loadKit } from '../lib/engine.mjs';
import { fmt, log, percentile, quick, report, row } from '../lib/stats.mjs';
import { freshPackageTarball } from '../lib/freshPackage.mjs';
import { repoRoot } from '../lib/ts.mjs';

const { startN8n } = await import(`${repoRoot}/tools/n8n/instance.mjs`);
const { prepareN8n } = await import(`${repoRoot}/tools/n8n/prepare.mjs`);

const CALLBACKS = quick ? 100 : 300;
const WARMUP = 20;
const SENDS = quick ? 500 : 2000;
const PKG = 'n8n-nodes-wecom-kit';
const IDS = { trigger: 'benchTriggerWf001', plain: 'benchPlainHookWf1', send: 'benchSendWf000001', api: 'benchWeComApi001', callback: 'benchWeComCb0001' };
const PATHS = { trigger: 'bench-wecom', plain: 'bench-plain', send: 'bench-send' };
const uuid = (seed) => {
	const hex = createHash('sha1').update(seed).digest('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

const kit = loadKit();
const { SANDBOX_DEFAULTS } = kit;
const sandbox = await kit.startSandbox({ recordBodies: false });
const apiRef = { weComApi: { id: IDS.api, name: 'WeCom app (bench sandbox)' } };
const workflow = (id, name, nodes, connections = {}) => ({ id, name, active: false, settings: { executionOrder: 'v1' }, nodes, connections });
const webhookNode = (wf, path) => ({
	id: uuid(`${wf}:hook`),
	name: 'Webhook',
	type: 'n8n-nodes-base.webhook',
	typeVersion: 2,
	position: [0, 0],
	webhookId: uuid(`${wf}:hookid`),
	parameters: { path, httpMethod: 'POST', responseMode: 'onReceived', options: {} },
});
const workflows = [
	workflow(IDS.trigger, 'Bench: WeCom Trigger', [
		{
			id: uuid(`${IDS.trigger}:t`),
			name: 'WeCom Trigger',
			type: `${PKG}.weComTrigger`,
			typeVersion: 1,
			position: [0, 0],
			webhookId: uuid(`${IDS.trigger}:tid`),
			parameters: { path: PATHS.trigger, responseMode: 'empty', options: {} },
			credentials: { weComCallbackApi: { id: IDS.callback, name: 'WeCom callback (bench sandbox)' } },
		},
	]),
	workflow(IDS.plain, "Bench: n8n's Webhook node (baseline)", [webhookNode(IDS.plain, PATHS.plain)]),
	workflow(
		IDS.send,
		'Bench: send N texts',
		[
			webhookNode(IDS.send, PATHS.send),
			{
				id: uuid(`${IDS.send}:split`),
				name: 'Split Out',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: [220, 0],
				parameters: { fieldToSplitOut: 'body.items', options: {} },
			},
			{
				id: uuid(`${IDS.send}:wecom`),
				name: 'WeCom',
				type: `${PKG}.weCom`,
				typeVersion: 1,
				position: [440, 0],
				parameters: { resource: 'message', operation: 'send', toUser: 'zhangsan', msgtype: 'text', textContent: '={{ $json.text }}' },
				credentials: apiRef,
			},
		],
		{
			Webhook: { main: [[{ node: 'Split Out', type: 'main', index: 0 }]] },
			'Split Out': { main: [[{ node: 'WeCom', type: 'main', index: 0 }]] },
		},
	),
];
const credentials = [
	{
		id: IDS.api,
		name: 'WeCom app (bench sandbox)',
		type: 'weComApi',
		data: { corpId: SANDBOX_DEFAULTS.corpId, corpSecret: SANDBOX_DEFAULTS.corpSecret, agentId: String(SANDBOX_DEFAULTS.agentId), baseUrl: sandbox.url },
	},
	{
		id: IDS.callback,
		name: 'WeCom callback (bench sandbox)',
		type: 'weComCallbackApi',
		data: { token: SANDBOX_DEFAULTS.callbackToken, encodingAESKey: SANDBOX_DEFAULTS.encodingAESKey, receiveId: SANDBOX_DEFAULTS.corpId },
	},
];

/**
 * n8n answers /healthz/readiness before it has registered the production webhooks of published workflows. An
 * unsigned POST gets our trigger's own 400 once it is registered (and starts nothing); n8n registers all published
 * workflows in one pass, so a short pause after that covers the other two.
 */
async function waitRegistered(url, timeoutMs = 60000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: '<xml></xml>' });
		await res.arrayBuffer();
		if (res.status !== 404) break;
		if (Date.now() > deadline) throw new Error(`${url} still answers 404 after ${timeoutMs} ms`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	await new Promise((resolve) => setTimeout(resolve, 1000));
}

const paths = await prepareN8n({ quiet: true });
const n8nNodeVersion = execFileSync(paths.nodeBin, ['--version']).toString().trim();
const tarball = await freshPackageTarball();
log(`packed ${tarball}`);
const setupStarted = performance.now();
const n8n = await startN8n({ packageTarball: tarball, credentials, workflows, activate: [IDS.trigger, IDS.plain, IDS.send] });
log(`n8n ready in ${fmt.int(performance.now() - setupStarted)} ms (Node ${n8nNodeVersion})`);

/** Trigger latency on one n8n: our trigger's production URL, then n8n's own Webhook node with the same bodies. */
async function triggerLatency(instance, label) {
	const common = { encrypt: (xml) => sandbox.encryptCallback(xml), corpId: SANDBOX_DEFAULTS.corpId, agentId: SANDBOX_DEFAULTS.agentId };
	const ourUrl = `${instance.url}/webhook/${PATHS.trigger}`;
	const plainUrl = `${instance.url}/webhook/${PATHS.plain}`;
	await waitRegistered(ourUrl);
	await sequentialCallbacks({ ...common, url: ourUrl, count: WARMUP, offset: 0 });
	await sequentialCallbacks({ ...common, url: plainUrl, count: WARMUP, offset: 0 });
	const ours = await sequentialCallbacks({ ...common, url: ourUrl, count: CALLBACKS, offset: WARMUP });
	const plain = await sequentialCallbacks({ ...common, url: plainUrl, count: CALLBACKS, offset: WARMUP });
	const triggered = await instance.waitForExecutions(IDS.trigger, WARMUP + CALLBACKS, 180000);
	const failed = triggered.filter((execution) => execution.status !== 'success').length;
	const p = percentile;
	log(`${label}: trigger p50 ${fmt.ms(p(ours, 50))} p99 ${fmt.ms(p(ours, 99))}; n8n Webhook node p50 ${fmt.ms(p(plain, 50))} p99 ${fmt.ms(p(plain, 99))}; ${triggered.length} executions, ${failed} not successful`);
	return { ours, plain, triggered, failed };
}

let legacy;
try {
	// 6. Trigger latency in real n8n, and n8n's own Webhook node with the same bodies as the baseline.
	const { ours, plain, triggered, failed } = await triggerLatency(n8n, 'real n8n (default vm expression engine)');
	const p = percentile;

	// 7. End-to-end sends through real n8n.
	const sendsBefore = sandbox.requestsTo('/cgi-bin/message/send').length;
	const texts = Array.from({ length: SENDS }, (_, n) => ({ text: `alert #${n}: disk usage 91% on host-${n % 50}` }));
	const posted = performance.now();
	const res = await fetch(`${n8n.url}/webhook/${PATHS.send}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ items: texts }) });
	if (res.status !== 200) throw new Error(`send webhook answered ${res.status}: ${await res.text()}`);
	const [execution] = await n8n.waitForExecutions(IDS.send, 1, 600000);
	const observedMs = performance.now() - posted;
	if (execution.status !== 'success') throw new Error(`send execution ${execution.status}: ${JSON.stringify(execution.error)}`);
	const sent = sandbox.requestsTo('/cgi-bin/message/send').length - sendsBefore;
	const wecomTask = execution.runData?.WeCom?.[0];
	const nodeMs = wecomTask?.executionTime ?? NaN;
	const executionMs = Date.parse(`${execution.stoppedAt}Z`) - Date.parse(`${execution.startedAt}Z`);
	const { access_token: token } = await getJson(`${sandbox.url}/cgi-bin/gettoken?corpid=${SANDBOX_DEFAULTS.corpId}&corpsecret=${SANDBOX_DEFAULTS.corpSecret}`);
	const poster = barePoster(sandbox.url, { keepAlive: true });
	const path = `/cgi-bin/message/send?access_token=${encodeURIComponent(token)}`;
	const agentid = Number(SANDBOX_DEFAULTS.agentId);
	const bareStart = performance.now();
	for (const { text } of texts) await poster.post(path, { touser: 'zhangsan', msgtype: 'text', agentid, text: { content: text } });
	const bareMs = performance.now() - bareStart;
	poster.close();
	const nodeRate = SENDS / (nodeMs / 1000);
	const bareRate = SENDS / (bareMs / 1000);
	log(`real n8n: ${sent} sends, WeCom node ${fmt.int(nodeMs)} ms, execution ${fmt.int(executionMs)} ms, observed ${fmt.int(observedMs)} ms; bare ${fmt.int(bareMs)} ms`);

	// 6b. The same with n8n's legacy expression engine: n8n 2.41 acquires a vm isolate (pool of 1) for every request to
	// a trigger other than its own Webhook node, so under the default engine a callback waits for the previous
	// execution's isolate; without it the figure is the trigger's own cost.
	await n8n.stop();
	legacy = await startN8n({ packageTarball: tarball, credentials, workflows, activate: [IDS.trigger, IDS.plain], env: { N8N_EXPRESSION_ENGINE: 'legacy' } });
	const withoutIsolate = await triggerLatency(legacy, 'real n8n (N8N_EXPRESSION_ENGINE=legacy)');

	report('n8n', [
		row(
			`Trigger webhook latency p50, real n8n ${'2.41.1'} production URL vs n8n's own Webhook node (same bodies)`,
			fmt.ms(p(ours, 50)),
			fmt.ms(p(plain, 50)),
			fmt.ratio(p(ours, 50) / p(plain, 50)),
			'< 5,000 ms (WeCom’s limit)',
			p(ours, 99) < 5000 && failed === 0,
			`${CALLBACKS} sequential callbacks after ${WARMUP} warm-up; each started an execution (${triggered.length} stored, ${failed} not successful)`,
		),
		row('Trigger webhook latency p99, real n8n', fmt.ms(p(ours, 99)), fmt.ms(p(plain, 99)), fmt.ratio(p(ours, 99) / p(plain, 99)), '< 5,000 ms', p(ours, 99) < 5000),
		row(
			"Trigger webhook latency p50, real n8n with N8N_EXPRESSION_ENGINE=legacy (no isolate per request) vs n8n's Webhook node",
			fmt.ms(p(withoutIsolate.ours, 50)),
			fmt.ms(p(withoutIsolate.plain, 50)),
			fmt.ratio(p(withoutIsolate.ours, 50) / p(withoutIsolate.plain, 50)),
			'< 5,000 ms',
			p(withoutIsolate.ours, 99) < 5000 && withoutIsolate.failed === 0,
			`same bodies and counts; p99 ${fmt.ms(p(withoutIsolate.ours, 99))} vs ${fmt.ms(p(withoutIsolate.plain, 99))}; ${withoutIsolate.triggered.length} executions, ${withoutIsolate.failed} not successful`,
		),
		row(
			`End-to-end sends per second through real n8n (${fmt.int(SENDS)} texts, one webhook-started execution) vs bare HTTP loop`,
			`${fmt.int(nodeRate)} sends/s`,
			`${fmt.int(bareRate)} sends/s`,
			fmt.n2(nodeRate / bareRate),
			'—',
			null,
			`WeCom node ${fmt.int(nodeMs)} ms (n8n's stored executionTime); whole execution ${fmt.int(executionMs)} ms = ${fmt.int(SENDS / (executionMs / 1000))} sends/s; sandbox received ${sent}`,
		),
	], { n8nNodeVersion, callbacks: CALLBACKS, p50: p(ours, 50), p99: p(ours, 99), plainP50: p(plain, 50), plainP99: p(plain, 99), legacyP50: p(withoutIsolate.ours, 50), legacyP99: p(withoutIsolate.ours, 99), legacyPlainP50: p(withoutIsolate.plain, 50), sends: sent, nodeMs, executionMs, observedMs, bareMs, nodeRate, bareRate });
} catch (error) {
	log(`--- n8n output (tail) ---\n${(legacy ?? n8n).logs().slice(-3000)}`);
	throw error;
} finally {
	await n8n.stop();
	await legacy?.stop();
	await sandbox.close();
	rmSync(dirname(tarball), { recursive: true, force: true });
}
