// `npm run bench`: runs every benchmark part (bench/parts/*.mjs), each in its own Node process so clocks patched for
// simulated time, JIT state and heap never leak between them; prints one table, stores each part's result in
// bench/results/<part>.json and rebuilds bench/results.md from all stored results.
//   --only <name>[,<name>…]  run only these parts (nothing is stored unless --write is given; then only these parts'
//                            results are replaced and results.md is rebuilt with every other part's stored figures)
//   --quick                  smaller counts, for a fast look (stored and shown as quick)
//   --write                  store results even with --only
//   --render                 run nothing; rebuild results.md from the stored results
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadParts, machine, renderMarkdown, storePart } from './lib/results.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..');
const resultsDir = join(here, 'results');
// `method` is how the part measures; it is printed under "Method" in results.md next to the part's stored figures.
const PARTS = [
	{
		name: 'crypto',
		what: 'callback verify+decrypt+parse vs @wecom/crypto',
		method: "our trigger's per-request work (`secretsFrom` + `openCallbackRequest`: query check, outer XML parse, signature, decrypt with strict checks, receive ID, inner XML parse; then `normalizeCallback`) vs `@wecom/crypto` `decrypt` alone, same ciphertexts (1,000 distinct template-card clicks), synchronous loops on one core, best round.",
	},
	{
		name: 'broadcast',
		what: 'requests for a 10,000-user broadcast',
		method: 'one item with 10,000 user IDs, option "Split Large User Lists"; sandbox requests counted.',
	},
	{
		name: 'gettoken',
		what: 'gettoken calls over a simulated 6 h',
		method: "`Date.now` in the bench process is replaced by a step clock that moves only when the sandbox has answered a message/send, by 6 h / sends (2.16 s for 10,000). The credential (expiry = time of the gettoken request + `expires_in`), the transport's staleness check and the sandbox (`now` option, 7200 s tokens) read that one clock, so exactly 6 simulated hours pass whatever the real speed; real time does not leak in. 4 executions of 2,500 items run at once (`runMany`) on one CredentialStore.",
	},
	{
		name: 'transport',
		what: 'transport overhead per call',
		method: "a small bench node calls `weComApiRequest` in a loop inside n8n-core's engine; the same loop also calls n8n's `httpRequestWithAuthentication` and `httpRequest` directly, to split the cost. Bare baselines: node:http POST of the same body with a keep-alive agent and with a new connection per call. Rounds are interleaved. TCP connections are counted by wrapping `net.Socket#connect`.",
	},
	{
		name: 'throughput',
		what: '5,000 texts through the engine vs bare HTTP',
		method: "one execution, test.input → WeCom node (text, `={{ $json.text }}`); the bare loop posts exactly the bodies the sandbox recorded from the node's run, sequentially like the node, keep-alive. Best of two runs each, after warm-up.",
	},
	{
		name: 'trigger',
		what: 'trigger webhook latency (engine harness)',
		method: "sequential keep-alive POSTs of sandbox-encrypted callbacks (unique MsgId) to the harness's webhook server (n8n-core WebhookContext; each callback starts an execution) vs a bare node:http server doing the same crypto.",
	},
	{
		name: 'n8n',
		what: 'real n8n: trigger latency, end-to-end sends/s',
		method: "real n8n with the packed package installed as a community package; latency on the published trigger's production URL vs n8n's own Webhook node with the same bodies, first with n8n's default expression engine (`vm`: n8n 2.41 acquires an isolate from a pool of one for every request to a trigger other than its own Webhook node), then in a second n8n started with `N8N_EXPRESSION_ENGINE=legacy`; sends/s = N / the WeCom node's executionTime stored by n8n for one webhook-started execution (Webhook → Split Out → WeCom), vs a bare keep-alive loop from the bench process.",
	},
	{
		name: 'smartsheet',
		what: 'requests and wall time to append 5,000 smart sheet rows',
		method: "one execution, test.input (5,000 items) → WeCom node, Smart Sheet Record → Append with columns mapped automatically (text, number, checkbox, date from ISO, single select), against the in-process sandbox, which validates every cell; add_records requests counted vs ceil(rows / 500) (WeCom: 单次添加建议在500行内, page 99907). Wall time is best of two runs after a 500-row warm-up, vs a bare keep-alive node:http loop posting exactly the add_records bodies the node sent.",
	},
	{
		name: 'bulk',
		what: 'real n8n: bulk sends with bounded concurrency vs HTTP Request node, rate limit, memory',
		method: "real n8n 2.41.1 with the packed package as a community package; the sandbox answers every API call after 40 ms ± 10 ms (uniform). Each workflow is Webhook → Split Out → one node, started by one POST carrying the items; recipient and text come from expressions per item (`{{ $json.user }}`, `\"Hi \" + $json.name + …`). Ours: one workflow with the field left unset (the default) and one whose Concurrency comes from the request; HTTP Request node 4.2: POST message/send with the token typed into the query and the same body built by an expression (n8n starts all items' requests at once). Time = the node's executionTime n8n stored for that execution; rounds interleave ours, HTTP Request and the bare loops (node:http, one keep-alive agent, N lanes, the same bodies) in one n8n; best of the rounds. Rate limit: the sandbox's sliding-window rule on message/send (N calls a minute, then 45009 and the API blocked 60 s, WeCom's shape with a lower count), counts and blocks cleared before each of the two runs; delivered = messages the sandbox accepted. Memory: VmHWM of n8n's main process (Linux /proc; reset through clear_refs before each run), ours first, then HTTP Request (its 20,000 requests at once can exhaust n8n's file descriptors, EMFILE, after which n8n cannot reach its own database). Counts and phases can be lowered on a loaded machine (BENCH_BULK_SENDS, _ROUNDS, _MEMORY_ITEMS, _PHASES, _MEMORY_ORDER); the rows name the counts.",
	},
	{
		name: 'queue',
		what: 'n8n queue mode: sends/s with 1 vs 2 workers, callback latency via webhook processes',
		method: "n8n queue mode from tools/n8n/queue.mjs (PostgreSQL, Redis, main, 2 `n8n webhook` processes behind the round-robin proxy), first with 1 worker, then with a second added (`addWorker`), all on this one machine; sends/s = N webhook calls (20 in flight, each answering when its execution has finished: Webhook → WeCom Send, one text) / wall time from the first call to the last answer, after warm-up; callback latency: sequential signed callbacks (unique MsgId) through the proxy to the published WeCom Trigger vs n8n's own Webhook node (answering at once) with the same bodies, 4 interleaved rounds, each request timed from send to the end of the answer.",
	},
];

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const onlyIndex = args.indexOf('--only');
const only = onlyIndex >= 0 ? (args[onlyIndex + 1] ?? '').split(',').filter(Boolean) : undefined;
if (only) {
	const unknown = only.filter((name) => !PARTS.some((part) => part.name === name));
	if (unknown.length || only.length === 0) {
		console.error(`Unknown part(s) ${unknown.join(', ') || '(none given)'}; choose from ${PARTS.map((part) => part.name).join(', ')}`);
		process.exit(2);
	}
}
const render = args.includes('--render');
const selected = render ? [] : PARTS.filter((part) => !only || only.includes(part.name));
const write = render || !only || args.includes('--write');

function runPart(part) {
	return new Promise((resolve) => {
		const started = Date.now();
		const child = spawn(process.execPath, [join(here, 'parts', `${part.name}.mjs`), ...(quick ? ['--quick'] : [])], {
			cwd: repoRoot,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let stdout = '';
		child.stdout.on('data', (chunk) => (stdout += chunk));
		child.stderr.on('data', (chunk) => process.stderr.write(`[${part.name}] ${chunk}`));
		// Generous: under load on the shared machine a real-n8n part spends minutes just starting n8n.
		const timer = setTimeout(() => child.kill('SIGTERM'), 120 * 60 * 1000);
		child.on('close', (code) => {
			clearTimeout(timer);
			const line = stdout.split('\n').find((entry) => entry.startsWith('BENCH_RESULT '));
			const seconds = (Date.now() - started) / 1000;
			if (code === 0 && line) resolve({ ...JSON.parse(line.slice('BENCH_RESULT '.length)), seconds });
			else resolve({ part: part.name, rows: [], error: `exited with ${code}${line ? '' : ' without a result'}`, seconds, stdout: stdout.slice(-2000) });
		});
	});
}

const results = [];
for (const part of selected) {
	console.error(`\n== ${part.name}: ${part.what}${quick ? ' (quick)' : ''}`);
	const loadStart = os.loadavg();
	const date = new Date().toISOString();
	const result = await runPart(part);
	console.error(`== ${part.name}: ${result.error ? `FAILED (${result.error})` : 'done'} in ${result.seconds.toFixed(1)} s`);
	results.push({ ...result, date, quick, loadStart, loadEnd: os.loadavg(), machine: machine(repoRoot) });
}

// Console table (this run's parts only).
const met = (value) => (value === true ? 'yes' : value === false ? 'no' : '—');
const rows = results.flatMap((result) => result.rows);
const columns = ['benchmark', 'figure', 'baseline', 'ratio', 'target', 'met'];
const cells = rows.map((entry) => columns.map((column) => (column === 'met' ? met(entry.met) : String(entry[column]))));
const widths = columns.map((column, index) => Math.min(70, Math.max(column.length, ...cells.map((line) => line[index].length))));
const cut = (text, width) => (text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width));
console.log(`\n${columns.map((column, index) => cut(column, widths[index])).join(' | ')}`);
console.log(widths.map((width) => '-'.repeat(width)).join('-|-'));
for (const line of cells) console.log(line.map((cell, index) => cut(cell, widths[index])).join(' | '));
for (const failed of results.filter((result) => result.error)) console.log(`\n${failed.part} FAILED: ${failed.error}\n${failed.stdout ?? ''}`);

if (!write) {
	console.error('\n(--only without --write: nothing stored, bench/results.md left unchanged)');
	process.exit(results.some((result) => result.error) ? 1 : 0);
}

// A failed part keeps its previously stored result: a broken run must not wipe figures measured earlier.
for (const result of results.filter((entry) => !entry.error)) storePart(resultsDir, result);
const { N8N_VERSION } = await import(join(repoRoot, 'tools', 'n8n', 'versions.mjs'));
const stored = loadParts(resultsDir, PARTS);
for (const orphan of stored.orphans) console.error(`(bench/results/${orphan}.json belongs to no registered part; not shown)`);
writeFileSync(join(here, 'results.md'), renderMarkdown({ ...stored, parts: PARTS, n8nVersion: N8N_VERSION }));
const failed = results.filter((result) => result.error).map((result) => result.part);
console.error(`\nStored ${results.length - failed.length} part result(s) in bench/results/; rebuilt bench/results.md${failed.length ? ` (failed, previous result kept: ${failed.join(', ')})` : ''}`);
process.exit(failed.length ? 1 : 0);
