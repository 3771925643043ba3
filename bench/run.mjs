// `npm run bench`: runs every benchmark part (bench/parts/*.mjs), each in its own Node process so clocks patched for
// simulated time, JIT state and heap never leak between them; prints one table and writes bench/results.md.
//   --only <name>[,<name>…]  run only these parts (results.md is then left alone unless --write is given)
//   --quick                  smaller counts, for a fast look (results.md says so)
//   --write                  write results.md even with --only
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..');
const PARTS = [
	{ name: 'crypto', what: 'callback verify+decrypt+parse vs @wecom/crypto' },
	{ name: 'broadcast', what: 'requests for a 10,000-user broadcast' },
	{ name: 'gettoken', what: 'gettoken calls over a simulated 6 h' },
	{ name: 'transport', what: 'transport overhead per call' },
	{ name: 'throughput', what: '5,000 texts through the engine vs bare HTTP' },
	{ name: 'trigger', what: 'trigger webhook latency (engine harness)' },
	{ name: 'n8n', what: 'real n8n: trigger latency, end-to-end sends/s' },
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
const selected = PARTS.filter((part) => !only || only.includes(part.name));
const write = !only || args.includes('--write');

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
		const timer = setTimeout(() => child.kill('SIGTERM'), 12 * 60 * 1000);
		child.on('close', (code) => {
			clearTimeout(timer);
			const line = stdout.split('\n').find((entry) => entry.startsWith('BENCH_RESULT '));
			const seconds = (Date.now() - started) / 1000;
			if (code === 0 && line) resolve({ ...JSON.parse(line.slice('BENCH_RESULT '.length)), seconds });
			else resolve({ part: part.name, rows: [], error: `exited with ${code}${line ? '' : ' without a result'}`, seconds, stdout: stdout.slice(-2000) });
		});
	});
}

const loadStart = os.loadavg();
const startedAt = new Date();
const results = [];
for (const part of selected) {
	console.error(`\n== ${part.name}: ${part.what}${quick ? ' (quick)' : ''}`);
	const result = await runPart(part);
	console.error(`== ${part.name}: ${result.error ? `FAILED (${result.error})` : 'done'} in ${result.seconds.toFixed(1)} s`);
	results.push(result);
}
const loadEnd = os.loadavg();

const met = (value) => (value === true ? 'yes' : value === false ? '**no**' : '—');
const rows = results.flatMap((result) => result.rows.map((entry) => ({ ...entry, part: result.part })));

// Console table.
const columns = ['benchmark', 'figure', 'baseline', 'ratio', 'target', 'met'];
const cells = rows.map((entry) => columns.map((column) => (column === 'met' ? met(entry.met).replace(/\*/g, '') : String(entry[column]))));
const widths = columns.map((column, index) => Math.min(70, Math.max(column.length, ...cells.map((line) => line[index].length))));
const cut = (text, width) => (text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width));
console.log(`\n${columns.map((column, index) => cut(column, widths[index])).join(' | ')}`);
console.log(widths.map((width) => '-'.repeat(width)).join('-|-'));
for (const line of cells) console.log(line.map((cell, index) => cut(cell, widths[index])).join(' | '));
for (const failed of results.filter((result) => result.error)) console.log(`\n${failed.part} FAILED: ${failed.error}\n${failed.stdout ?? ''}`);

if (!write) {
	console.error('\n(--only without --write: bench/results.md left unchanged)');
	process.exit(results.some((result) => result.error) ? 1 : 0);
}

// Machine description.
const { N8N_VERSION } = await import(join(repoRoot, 'tools', 'n8n', 'versions.mjs'));
const n8nNode = results.find((result) => result.part === 'n8n')?.details?.n8nNodeVersion ?? '(n8n part not run)';
const cpus = os.cpus();
function transportBreakdown() {
	const breakdown = results.find((result) => result.part === 'transport')?.details?.breakdown;
	if (!breakdown) return [];
	return [
		'## Where a send\'s time goes (transport part)',
		'',
		'| path (same body, same sandbox, sequential) | mean µs/call | p50 µs | CPU µs/call (bench process incl. sandbox) | TCP connections / calls |',
		'| --- | --- | --- | --- | --- |',
		...breakdown.map((entry) => `| ${entry.path} | ${entry.meanUs.toFixed(0)} | ${entry.p50Us.toFixed(0)} | ${entry.cpuUsPerCall.toFixed(0)} | ${entry.connections} / ${entry.calls} |`),
		'',
	];
}
const escape = (text) => String(text).replace(/\|/g, '\\|');
const lines = [
	'# Benchmark results',
	'',
	`Generated by \`npm run bench${quick ? ' -- --quick' : ''}\` (bench/run.mjs) on ${startedAt.toISOString().slice(0, 10)}. Every figure is measured next to its baseline in the same run, on 127.0.0.1 only, against the WeCom sandbox (test/sandbox).${quick ? ' **Quick mode: reduced counts.**' : ''}`,
	'',
	'| benchmark | figure | baseline | ratio | target | met? |',
	'| --- | --- | --- | --- | --- | --- |',
	...rows.map((entry) => `| ${escape(entry.benchmark)} | ${escape(entry.figure)} | ${escape(entry.baseline)} | ${escape(entry.ratio)} | ${escape(entry.target)} | ${met(entry.met)} |`),
	'',
	...(results.some((result) => result.error) ? ['**Failed parts:** ' + results.filter((r) => r.error).map((r) => `${r.part} (${r.error})`).join(', '), ''] : []),
	'## Notes per figure',
	'',
	...rows.filter((entry) => entry.note).map((entry) => `- **${escape(entry.benchmark)}**: ${entry.note}`),
	'',
	...transportBreakdown(),
	'## Machine',
	'',
	`- CPU: ${cpus[0]?.model ?? 'unknown'}, ${cpus.length} logical cores`,
	`- RAM: ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
	`- OS: ${os.type()} ${os.release()} (${os.arch()})`,
	`- Node (bench process, engine harness, sandbox): ${process.version}`,
	`- Node (real n8n): ${n8nNode}; n8n ${N8N_VERSION}; n8n-core (harness) ${JSON.parse((await import('node:fs')).readFileSync(join(repoRoot, 'node_modules', 'n8n-core', 'package.json'), 'utf8')).version}`,
	`- Load average (1/5/15 min) at start ${loadStart.map((v) => v.toFixed(2)).join(' / ')}, at end ${loadEnd.map((v) => v.toFixed(2)).join(' / ')} — the machine is shared; figures measured under load are noisier, ratios less so`,
	`- Parts and their wall time: ${results.map((result) => `${result.part} ${result.seconds.toFixed(0)} s`).join(', ')}`,
	'',
	'## Method',
	'',
	'- Each part runs in its own Node process; the sandbox runs in the bench process (its CPU time is inside both the figure and the baseline of every in-process comparison).',
	'- **gettoken**: `Date.now` in the bench process is replaced by a step clock that moves only when the sandbox has answered a message/send, by 6 h / sends (2.16 s for 10,000). The credential (expiry = time of the gettoken request + `expires_in`), the transport\'s staleness check and the sandbox (`now` option, 7200 s tokens) read that one clock, so exactly 6 simulated hours pass whatever the real speed; real time does not leak in. 4 executions of 2,500 items run at once (`runMany`) on one CredentialStore.',
	'- **transport**: a small bench node calls `weComApiRequest` in a loop inside n8n-core\'s engine; the same loop also calls n8n\'s `httpRequestWithAuthentication` and `httpRequest` directly, to split the cost. Bare baselines: node:http POST of the same body with a keep-alive agent and with a new connection per call. Rounds are interleaved. TCP connections are counted by wrapping `net.Socket#connect`.',
	'- **throughput**: one execution, test.input → WeCom node (text, `={{ $json.text }}`); the bare loop posts exactly the bodies the sandbox recorded from the node\'s run, sequentially like the node, keep-alive. Best of two runs each, after warm-up.',
	'- **broadcast**: one item with 10,000 user IDs, option "Split Large User Lists"; sandbox requests counted.',
	'- **crypto**: our trigger\'s per-request work (`secretsFrom` + `openCallbackRequest`: query check, outer XML parse, signature, decrypt with strict checks, receive ID, inner XML parse; then `normalizeCallback`) vs `@wecom/crypto` `decrypt` alone, same ciphertexts (1,000 distinct template-card clicks), synchronous loops on one core, best round.',
	'- **trigger**: sequential keep-alive POSTs of sandbox-encrypted callbacks (unique MsgId) to the harness\'s webhook server (n8n-core WebhookContext; each callback starts an execution) vs a bare node:http server doing the same crypto.',
	'- **n8n**: real n8n with the packed package installed as a community package; latency on the published trigger\'s production URL vs n8n\'s own Webhook node with the same bodies, first with n8n\'s default expression engine (`vm`: n8n 2.41 acquires an isolate from a pool of one for every request to a trigger other than its own Webhook node), then in a second n8n started with `N8N_EXPRESSION_ENGINE=legacy`; sends/s = N / the WeCom node\'s executionTime stored by n8n for one webhook-started execution (Webhook → Split Out → WeCom), vs a bare keep-alive loop from the bench process.',
	'',
];
writeFileSync(join(here, 'results.md'), `${lines.join('\n')}`);
console.error('\nWrote bench/results.md');
process.exit(results.some((result) => result.error) ? 1 : 0);
