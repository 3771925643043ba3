// Bulk sends in real n8n (issue 15): our WeCom node with bounded concurrency against n8n's own HTTP Request node and a
// bare node:http loop, all sending the same personalised texts to the sandbox 40 ms ± 10 ms away (as a WeCom tens of
// milliseconds from the server would be).
//  1. 2,000 texts, one item each, text and recipient from expressions per item: ours at the default Concurrency and at
//     1, 5, 10, 20; the HTTP Request node (n8n fires every item's request at once); bare loops at 1, 5, 10, 20 lanes.
//     Interleaved rounds in one n8n; time = the node's executionTime as n8n stored it.
//  2. The same 2,000 with the sandbox enforcing a frequency limit shaped like WeCom's (N calls a minute on
//     message/send, 45009 beyond, the API then blocked for 60 s): items delivered and failed, ours and HTTP Request.
//  3. Peak RSS of the n8n process (VmHWM, reset before each run through /proc/<pid>/clear_refs) during a 20,000-item
//     run, ours at the default vs the HTTP Request node.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';

import { getJson } from '../lib/bareHttp.mjs';
import { laneLoop } from '../lib/bareLanes.mjs';
import { loadKit } from '../lib/engine.mjs';
import { freshPackageTarball } from '../lib/freshPackage.mjs';
import { fmt, log, quick, report, row } from '../lib/stats.mjs';
import { repoRoot, requireTs } from '../lib/ts.mjs';
import { bulkWorkflows, personalised, textOf } from '../lib/bulkWorkflows.mjs';

const { startN8n } = await import(`${repoRoot}/tools/n8n/instance.mjs`);
const { prepareN8n } = await import(`${repoRoot}/tools/n8n/prepare.mjs`);
const { DEFAULT_CONCURRENCY } = requireTs('nodes/WeCom/actions/concurrency');

// Counts can be lowered on a machine too loaded to finish the full run in reasonable time; the rows name the counts.
const envCount = (name, fallback) => (Number(process.env[name]) > 0 ? Number(process.env[name]) : fallback);
const SENDS = envCount('BENCH_BULK_SENDS', quick ? 300 : 2000);
const MEMORY_ITEMS = envCount('BENCH_BULK_MEMORY_ITEMS', quick ? 3000 : 20000);
const ROUNDS = envCount('BENCH_BULK_ROUNDS', quick ? 1 : 2);
/** Phases to run (timing, limited, memory); all by default. Rows are made for the phases that ran. */
const PHASES = new Set((process.env.BENCH_BULK_PHASES ?? 'timing,limited,memory').split(','));
// Ours first: with 20,000 items the HTTP Request node opens 20,000 connections at once, which can exhaust n8n's file
// descriptors (EMFILE) and leave n8n unable to reach its own database for the runs after it.
const MEMORY_ORDER = (process.env.BENCH_BULK_MEMORY_ORDER ?? 'ours-default,http').split(',');
const LEVELS = [1, 5, 10, 20];
const DELAY_MS = 40;
const JITTER_MS = 10;
/** Calls a minute the limited run allows on message/send: half the run, so the limit bites in the middle of it. */
const LIMIT_PER_MINUTE = SENDS / 2;
const BLOCK_MS = 60_000;
const SEND = '/cgi-bin/message/send';

const kit = loadKit();
const { SANDBOX_DEFAULTS } = kit;
const sandbox = await kit.startSandbox({ recordBodies: false });
sandbox.setDelay('*', DELAY_MS, JITTER_MS);
// The sandbox hands out the same token while it is valid (2 h): the HTTP Request node gets it typed in, as a user
// without our credential would paste it; our node fetches the same one through its credential.
const { access_token: token } = await getJson(`${sandbox.url}/cgi-bin/gettoken?corpid=${SANDBOX_DEFAULTS.corpId}&corpsecret=${SANDBOX_DEFAULTS.corpSecret}`);
const agentId = Number(SANDBOX_DEFAULTS.agentId);
const { workflows, credentials, ids, paths } = bulkWorkflows({ sandboxUrl: sandbox.url, token, agentId, defaults: SANDBOX_DEFAULTS });

const prepared = await prepareN8n({ quiet: true });
const n8nNodeVersion = execFileSync(prepared.nodeBin, ['--version']).toString().trim();
const tarball = await freshPackageTarball();
const setupStarted = performance.now();
const n8n = await startN8n({ packageTarball: tarball, credentials, workflows, activate: Object.values(ids), startTimeoutMs: 15 * 60_000 });
log(`n8n ready in ${fmt.int(performance.now() - setupStarted)} ms (Node ${n8nNodeVersion}, pid ${n8n.pid})`);

const runsOf = new Map();
/** Posts `items` to a workflow's webhook and waits for that execution; returns n8n's stored timings and what was sent. */
async function runWorkflow(key, items, { withData = true } = {}) {
	const level = /^ours-(\d+)$/.exec(key)?.[1];
	const workflowKey = level ? 'ours' : key;
	const id = ids[workflowKey];
	const seen = (runsOf.get(id) ?? 0) + 1;
	runsOf.set(id, seen);
	const sentBefore = sandbox.messages().length;
	const requestsBefore = sandbox.requestsTo(SEND).length;
	const body = JSON.stringify({ items, ...(level ? { concurrency: Number(level) } : {}) });
	// n8n answers before it has registered every published workflow's webhook (more so on a loaded machine): 404 → wait.
	for (let attempt = 0; ; attempt++) {
		const res = await fetch(`${n8n.url}/webhook/${paths[workflowKey]}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
		const text = await res.text();
		if (res.status === 200) break;
		if (res.status !== 404 || attempt > 300) throw new Error(`${key} webhook answered ${res.status}: ${text}`);
		await new Promise((resolve) => setTimeout(resolve, 1000));
	}
	const light = await waitFinished(id, seen);
	const [execution] = withData ? await n8n.executions({ ids: [light.id] }) : [light];
	const node = key.startsWith('http') ? 'HTTP Request' : 'WeCom';
	const nodeMs = execution.runData?.[node]?.[0]?.executionTime ?? NaN;
	const executionMs = Date.parse(`${execution.stoppedAt}Z`) - Date.parse(`${execution.startedAt}Z`);
	const answers = sandbox.requestsTo(SEND).slice(requestsBefore).map((request) => request.answer?.errcode);
	return {
		status: execution.status,
		error: execution.error,
		nodeMs,
		executionMs,
		delivered: sandbox.messages().length - sentBefore,
		requests: answers.length,
		refused: answers.filter((code) => code === 45009).length,
		erroredItems: execution.data?.[node]?.filter((json) => json?.error !== undefined).length,
	};
}

async function waitFinished(workflowId, n) {
	const deadline = Date.now() + 20 * 60_000;
	for (;;) {
		const done = (await n8n.executions({ workflowId, withData: false })).filter((e) => ['success', 'error', 'crashed', 'canceled'].includes(e.status));
		if (done.length >= n) return done[done.length - 1];
		if (Date.now() > deadline) throw new Error(`execution ${n} of ${workflowId} did not finish`);
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}

const bodies = (items) => items.map((item) => ({ touser: item.user, msgtype: 'text', agentid: agentId, text: { content: textOf(item) } }));
const load = () => os.loadavg().map((value) => value.toFixed(2)).join(' / ');

/** VmHWM/VmRSS of a process in kB; writing 5 to clear_refs resets VmHWM to the current RSS (Linux ≥ 4.0). */
const procStatus = (pid) => Object.fromEntries([...readFileSync(`/proc/${pid}/status`, 'utf8').matchAll(/^(VmHWM|VmRSS):\s+(\d+) kB/gm)].map((m) => [m[1], Number(m[2])]));
function resetPeak(pid) {
	writeFileSync(`/proc/${pid}/clear_refs`, '5');
}

const timings = new Map();
const note = (key, result) => {
	if (result.status !== 'success' || result.delivered !== SENDS) throw new Error(`${key}: ${result.status}, ${result.delivered} of ${SENDS} delivered ${JSON.stringify(result.error ?? '')}`);
	timings.set(key, [...(timings.get(key) ?? []), result.nodeMs]);
	log(`${key}: node ${fmt.int(result.nodeMs)} ms, execution ${fmt.int(result.executionMs)} ms (load ${load()})`);
};
const bareTimes = new Map();
async function bare(lanes, items) {
	const ms = await laneLoop(sandbox.url, `${SEND}?access_token=${encodeURIComponent(token)}`, bodies(items), lanes);
	bareTimes.set(lanes, [...(bareTimes.get(lanes) ?? []), ms]);
	log(`bare ${lanes} lanes: ${fmt.int(ms)} ms`);
}

try {
	const loadStart = os.loadavg();
	// Warm-up: every workflow once with a few items (JIT, our token fetch, n8n's first execution of each).
	for (const key of ['ours-default', 'ours-5', 'http']) await runWorkflow(key, personalised(40, 'warm'), { withData: false });
	await bare(10, personalised(40, 'warm'));
	bareTimes.clear();

	// 1. Interleaved: each round measures every configuration once; concurrency 1 (minutes) in the first round only.
	const rounds = PHASES.has('timing') ? ROUNDS : 0;
	for (let round = 0; round < rounds; round++) {
		const items = personalised(SENDS, `r${round}`);
		const order = ['http', 'ours-default', 'bare-10', 'ours-10', 'ours-5', 'bare-5', 'http', 'ours-20', 'bare-20', ...(round === 0 ? ['ours-1', 'bare-1'] : [])];
		for (const key of round === 0 ? order : [...order].reverse()) {
			if (key.startsWith('bare-')) await bare(Number(key.slice(5)), items);
			else note(key, await runWorkflow(key, items));
		}
	}

	// 2. WeCom's frequency-limit shape with a count the run crosses: ours then HTTP Request, each on a fresh limiter.
	const limited = {};
	for (const key of PHASES.has('limited') ? ['ours-default', 'http'] : []) {
		sandbox.clearRateLimits();
		sandbox.setRateLimit(SEND, LIMIT_PER_MINUTE, 60_000, BLOCK_MS);
		const started = performance.now();
		limited[key] = { ...(await runWorkflow(key, personalised(SENDS, `limit-${key}`))), wallMs: performance.now() - started };
		log(`limited ${key}: ${limited[key].status}, delivered ${limited[key].delivered}, 45009 answers ${limited[key].refused}, ${fmt.int(limited[key].wallMs)} ms`);
	}
	sandbox.clearRateLimits();

	// 3. Peak RSS during a 20,000-item run, ours then HTTP Request (see MEMORY_ORDER), both after the rounds above have
	// grown n8n's heap.
	const memory = [];
	for (const key of PHASES.has('memory') ? MEMORY_ORDER : []) {
		const before = procStatus(n8n.pid);
		resetPeak(n8n.pid);
		const result = await runWorkflow(key, personalised(MEMORY_ITEMS, `mem-${memory.length}`), { withData: false });
		const after = procStatus(n8n.pid);
		memory.push({ key, rssBeforeKb: before.VmRSS, peakKb: after.VmHWM, delivered: result.delivered, status: result.status, executionMs: result.executionMs, error: result.error?.message });
		log(`memory ${key}: RSS before ${fmt.int(before.VmRSS / 1024)} MiB, peak ${fmt.int(after.VmHWM / 1024)} MiB, delivered ${result.delivered}, ${result.status}, ${fmt.int(result.executionMs)} ms`);
	}
	const loadEnd = os.loadavg();

	const best = (values) => Math.min(...values);
	const sendsPerSecond = (ms) => SENDS / (ms / 1000);
	const ours = (key) => best(timings.get(key) ?? [NaN]);
	const http = best(timings.get('http') ?? [NaN]);
	const defaultKey = 'ours-default';
	const speedup = ours('ours-1') / ours(defaultKey);
	const timingRows = () => [
		row(
			`${fmt.int(SENDS)} personalised texts in real n8n, ours at the default Concurrency (${DEFAULT_CONCURRENCY}) vs ours at Concurrency 1 (sandbox ${DELAY_MS} ± ${JITTER_MS} ms)`,
			`${fmt.int(ours(defaultKey))} ms (${fmt.int(sendsPerSecond(ours(defaultKey)))} sends/s)`,
			`${fmt.int(ours('ours-1'))} ms (${fmt.int(sendsPerSecond(ours('ours-1')))} sends/s)`,
			`${fmt.n1(speedup)}× as fast`,
			'≥ 6× as fast',
			speedup >= 6,
			`the WeCom node's executionTime as n8n stored it, best of ${ROUNDS} (Concurrency 1: one run); ${LEVELS.map((level) => `Concurrency ${level} ${fmt.int(ours(`ours-${level}`))} ms`).join(', ')}`,
		),
		row(
			`${fmt.int(SENDS)} personalised texts, ours at the default vs n8n's HTTP Request node (same bodies, token typed in; it starts every item's request at once)`,
			`${fmt.int(ours(defaultKey))} ms`,
			`${fmt.int(http)} ms`,
			`${fmt.n2(ours(defaultKey) / http)}× the time`,
			'≤ 1.5× the time',
			ours(defaultKey) <= 1.5 * http,
			`HTTP Request runs: ${timings.get('http').map((ms) => fmt.int(ms)).join(', ')} ms; ours at Concurrency 20: ${fmt.int(ours('ours-20'))} ms (${fmt.n2(ours('ours-20') / http)}× the time)`,
		),
		...LEVELS.map((level) =>
			row(
				`${fmt.int(SENDS)} texts at Concurrency ${level}: ours in real n8n vs a bare node:http loop with ${level} lane(s), keep-alive`,
				`${fmt.int(ours(`ours-${level}`))} ms`,
				`${fmt.int(best(bareTimes.get(level)))} ms`,
				`${fmt.n2(ours(`ours-${level}`) / best(bareTimes.get(level)))}× the time`,
				'—',
				null,
				`floor at ${DELAY_MS} ms per answer: ${fmt.int((SENDS * DELAY_MS) / level)} ms`,
			),
		),
	];
	const limitedRows = () => [
		row(
			`${fmt.int(SENDS)} texts with a WeCom-shaped frequency limit (${fmt.int(LIMIT_PER_MINUTE)} calls a minute on message/send, 45009 beyond, then blocked ${BLOCK_MS / 1000} s): delivered / failed, ours at the default vs HTTP Request`,
			`${fmt.int(limited[defaultKey].delivered)} delivered / ${fmt.int(SENDS - limited[defaultKey].delivered)} failed`,
			`${fmt.int(limited.http.delivered)} delivered / ${fmt.int(SENDS - limited.http.delivered)} failed`,
			'—',
			`ours ${fmt.int(SENDS)} / 0`,
			limited[defaultKey].delivered === SENDS && limited[defaultKey].status === 'success',
			`ours: execution ${limited[defaultKey].status} after ${fmt.int(limited[defaultKey].wallMs / 1000)} s (the shared gate waited out the block), ${limited[defaultKey].refused} calls answered 45009 and repeated; HTTP Request: execution ${limited.http.status} in ${fmt.int(limited.http.wallMs / 1000)} s, ${limited.http.refused} items answered 45009 that n8n reports as successful items (WeCom answers HTTP 200)`,
		),
	];
	const memoryRows = () => [
		(() => {
			const oursPeak = memory.find((entry) => entry.key === defaultKey).peakKb;
			const httpPeak = Math.max(...memory.filter((entry) => entry.key === 'http').map((entry) => entry.peakKb));
			return row(
				`Peak RSS of the n8n process during a ${fmt.int(MEMORY_ITEMS)}-item run, ours at the default vs HTTP Request`,
				`${fmt.int(oursPeak / 1024)} MiB`,
				`${fmt.int(httpPeak / 1024)} MiB`,
				`${fmt.n2(oursPeak / httpPeak)}×`,
				'≤ 1.2×',
				oursPeak <= 1.2 * httpPeak,
				`VmHWM reset before each run; runs in order ${memory.map((entry) => `${entry.key === 'http' ? 'HTTP Request' : 'ours'} ${fmt.int(entry.peakKb / 1024)} MiB (RSS before ${fmt.int(entry.rssBeforeKb / 1024)} MiB, ${fmt.int(entry.delivered)} of ${fmt.int(MEMORY_ITEMS)} delivered, execution ${entry.status}${entry.error ? ` (${entry.error.slice(0, 80)})` : ''}, ${fmt.int(entry.executionMs / 1000)} s)`).join('; ')}; baseline = the larger HTTP Request peak`,
			);
		})(),
	];
	const rows = [...(timings.size ? timingRows() : []), ...(Object.keys(limited).length ? limitedRows() : []), ...(memory.length ? memoryRows() : [])];
	report('bulk', rows, {
		n8nNodeVersion,
		loadStart,
		loadEnd,
		timings: Object.fromEntries(timings),
		bare: Object.fromEntries(bareTimes),
		limited,
		memory,
		settings: { phases: [...PHASES], rounds: ROUNDS, sends: SENDS, memoryItems: MEMORY_ITEMS, delayMs: DELAY_MS, jitterMs: JITTER_MS, limitPerMinute: LIMIT_PER_MINUTE, blockMs: BLOCK_MS, defaultConcurrency: DEFAULT_CONCURRENCY },
	});
} catch (error) {
	log(`--- n8n output (tail) ---\n${n8n.logs().slice(-3000)}`);
	throw error;
} finally {
	await n8n.stop();
	await sandbox.close();
	rmSync(dirname(tarball), { recursive: true, force: true });
}
