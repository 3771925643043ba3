// n8n queue mode (tools/n8n/queue.mjs via test/e2e/lib/queueSetup.mjs): PostgreSQL, Redis, a main, webhook
// processes behind the proxy, and first one worker, then two.
//  - sends per second for many small executions (a Webhook answering when its execution is done → WeCom: Send,
//    one message each), 20 in flight, with one worker and then with a second one added: the ratio;
//  - callback latency p50/p99 through the proxy and the webhook processes: our WeCom Trigger vs n8n's own Webhook
//    node in the same set-up, the same sequential bodies.
import { performance } from 'node:perf_hooks';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';

import { fmt, latencyRows, log, percentile, quick, report, row } from '../lib/stats.mjs';
import { freshPackageTarball } from '../lib/freshPackage.mjs';
import { repoRoot } from '../lib/ts.mjs';

const EXECUTIONS = quick ? 40 : 100;
const IN_FLIGHT = 20;
const CALLBACKS = quick ? 40 : 100;
const WARMUP = 10;

const tarball = await freshPackageTarball();
process.env.E2E_PACKAGE_TARBALL = tarball;
const { startQueueSetup } = await import(`${repoRoot}/test/e2e/lib/queueSetup.mjs`);
const { Q_PATHS } = await import(`${repoRoot}/test/e2e/lib/queueWorkflows.mjs`);
const { forgeCallback, innerXml } = await import(`${repoRoot}/test/e2e/lib/triggerCallbacks.mjs`);
const { SANDBOX } = await import(`${repoRoot}/test/e2e/lib/queueWorkflows.mjs`);

/** `count` webhook calls, `IN_FLIGHT` at a time; each answers when its execution has finished. Returns sends/s. */
async function sendsPerSecond(url, count, label) {
	let next = 0;
	const started = performance.now();
	const lane = async () => {
		while (next < count) {
			const n = next++;
			const res = await fetch(`${url}/webhook/${Q_PATHS.send}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'zhangsan', text: `${label} ${n}` }) });
			const text = await res.text();
			if (res.status !== 200) throw new Error(`${label} ${n}: HTTP ${res.status} ${text.slice(0, 300)}`);
		}
	};
	await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
	return count / ((performance.now() - started) / 1000);
}

let msgId = 9_100_000_000_000_000;
const callbackXml = (n) =>
	innerXml({ ToUserName: SANDBOX.corpId, FromUserName: 'zhangsan', CreateTime: 1_700_000_000 + n, MsgType: 'text', Content: `ping ${n} 你好`, MsgId: String(++msgId), AgentID: SANDBOX.agentId });

/** Sequential POSTs of distinct signed callbacks to `path` through the proxy; latencies in ms. */
async function latencies(url, path, count) {
	const out = [];
	for (let n = 0; n < count; n++) {
		const { query, body } = forgeCallback(callbackXml(n));
		const t = performance.now();
		const res = await fetch(`${url}/webhook/${path}?${new URLSearchParams(query)}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body });
		await res.text();
		if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status}`);
		out.push(performance.now() - t);
	}
	return out;
}

const ctx = await startQueueSetup({ workers: 1 });
try {
	const { q, sb } = ctx;
	log(`queue set-up ready (1 worker): ${JSON.stringify(q.timings)}`);
	await sendsPerSecond(q.url, WARMUP, 'warm-up 1');
	const oneWorker = await sendsPerSecond(q.url, EXECUTIONS, 'one worker');
	log(`1 worker: ${fmt.n1(oneWorker)} sends/s`);
	const added = await q.addWorker();
	log(`${added.name} ready in ${added.startedMs} ms`);
	await sendsPerSecond(q.url, WARMUP * 2, 'warm-up 2');
	const twoWorkers = await sendsPerSecond(q.url, EXECUTIONS, 'two workers');
	log(`2 workers: ${fmt.n1(twoWorkers)} sends/s`);
	const perWorker = {};
	for (const worker of q.executedBy().values()) perWorker[worker] = (perWorker[worker] ?? 0) + 1;
	const gettokens = await sb.gettokenCount();

	await latencies(q.url, Q_PATHS.trigger, WARMUP);
	await latencies(q.url, Q_PATHS.plainHook, WARMUP);
	const ours = [];
	const plain = [];
	// interleaved rounds, so both see the same machine load
	for (let round = 0; round < 4; round++) {
		ours.push(...(await latencies(q.url, Q_PATHS.trigger, CALLBACKS / 4)));
		plain.push(...(await latencies(q.url, Q_PATHS.plainHook, CALLBACKS / 4)));
	}
	const p = percentile;
	log(`trigger p50 ${fmt.ms(p(ours, 50))} p99 ${fmt.ms(p(ours, 99))}; Webhook node p50 ${fmt.ms(p(plain, 50))} p99 ${fmt.ms(p(plain, 99))}`);

	report(
		'queue',
		[
			row(
				`Queue mode: sends/s, ${EXECUTIONS} one-message executions (${IN_FLIGHT} in flight through 2 webhook processes), 2 workers vs 1`,
				`${fmt.n1(twoWorkers)} sends/s`,
				`${fmt.n1(oneWorker)} sends/s (1 worker)`,
				fmt.ratio(twoWorkers / oneWorker),
				'—',
				null,
				`each call answers when its execution on a worker has finished (Webhook "when last node finishes"); worker concurrency 10; all on one shared 2-core machine with PostgreSQL, Redis, main and the webhook processes, so a second worker adds processes, not cores; executions per worker over the run ${JSON.stringify(perWorker)}; gettoken calls in all: ${gettokens}`,
			),
			...latencyRows(
				{ p50: "Queue mode: callback latency p50 through proxy + webhook processes, WeCom Trigger vs n8n's Webhook node", p99: "Queue mode: callback latency p99, WeCom Trigger vs n8n's Webhook node" },
				ours,
				plain,
				`${CALLBACKS} sequential signed callbacks each, 4 interleaved rounds after ${WARMUP} warm-up; every callback starts an execution on a worker (the webhook process answers first, then queues it)`,
			),
		],
		{ executions: EXECUTIONS, inFlight: IN_FLIGHT, oneWorker, twoWorkers, perWorker, gettokens, callbacks: CALLBACKS, p50: p(ours, 50), p99: p(ours, 99), plainP50: p(plain, 50), plainP99: p(plain, 99), timings: q.timings },
	);
} finally {
	await ctx.stop();
	rmSync(dirname(tarball), { recursive: true, force: true });
}
