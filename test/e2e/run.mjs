// End-to-end entry (`npm run test:e2e`): packs the already built package, prepares a real n8n
// (cached after the first run), then runs the test/e2e/*.e2e.mjs scenarios with Node's test runner, two at a time
// (each has its own n8n, sandbox and ports; most of a scenario's time is n8n starting and waiting on timers, so two
// share a 2-core machine well). Each scenario's output is printed as one block when it ends, so the two do not mix.
// Prints how long every stage took; exits non-zero if anything failed.
//
//   node test/e2e/run.mjs                 all scenarios
//   node test/e2e/run.mjs smoke trigger   only files whose name contains one of the words
// Env: E2E_PACKAGE_TARBALL=<.tgz> skips packing; E2E_PARALLEL (default 2; 1 = one after the other, output live);
// E2E_FILE_TIMEOUT_MS (default 600000, or a file's own `// e2e-timeout: <seconds> s` line) per scenario file;
// E2E_N8N_LOG=1 echoes n8n's output.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareN8n } from '../../tools/n8n/prepare.mjs';
import { packPackage } from './lib/package.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const FILE_TIMEOUT_MS = Number(process.env.E2E_FILE_TIMEOUT_MS || 600_000);
const PARALLEL = Math.max(1, Number(process.env.E2E_PARALLEL || 2));
const timings = [];

const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
async function stage(name, fn) {
	const t = Date.now();
	console.log(`\n[e2e] ${name} ...`);
	try {
		const result = await fn();
		timings.push([name, Date.now() - t, 'ok']);
		console.log(`[e2e] ${name}: ${secs(Date.now() - t)}`);
		return result;
	} catch (e) {
		timings.push([name, Date.now() - t, 'FAILED']);
		throw e;
	}
}

const running = new Set(); // the running scenarios' process groups, killed if we are interrupted
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]]) {
	process.once(signal, () => {
		for (const child of running) try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
		process.exit(code);
	});
}

/** A file may ask for a longer limit with a line `// e2e-timeout: <seconds> s` (the queue-mode set-up starts 5 processes). */
function timeoutFor(file) {
	const declared = /^\/\/ e2e-timeout: (\d+) s\b/m.exec(readFileSync(file, 'utf8'));
	return process.env.E2E_FILE_TIMEOUT_MS ? FILE_TIMEOUT_MS : Math.max(FILE_TIMEOUT_MS, declared ? Number(declared[1]) * 1000 : 0);
}

/**
 * One scenario file in its own process group, so a hang takes its n8n and sandbox down with it. With `buffered`, its
 * output is kept and printed in one block when it ends (two scenarios run at once).
 */
function runScenario(file, env, buffered) {
	const limitMs = timeoutFor(file);
	return new Promise((resolve) => {
		const child = spawn(process.execPath, ['--test', '--test-reporter=spec', file], { env, stdio: buffered ? ['ignore', 'pipe', 'pipe'] : 'inherit', detached: true });
		running.add(child);
		const chunks = [];
		if (buffered) {
			child.stdout.on('data', (chunk) => chunks.push(chunk));
			child.stderr.on('data', (chunk) => chunks.push(chunk));
		}
		const timer = setTimeout(() => {
			chunks.push(Buffer.from(`[e2e] ${basename(file)} exceeded ${secs(limitMs)}; killing it\n`));
			if (!buffered) console.error(`[e2e] ${basename(file)} exceeded ${secs(limitMs)}; killing it`);
			try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
		}, limitMs);
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			// children of the scenario (n8n, sandbox) left behind by a crash: end the whole group
			try { process.kill(-child.pid, 'SIGKILL'); } catch { /* nothing left */ }
			running.delete(child);
			resolve({ ok: code === 0 && !signal, output: Buffer.concat(chunks).toString('utf8') });
		});
	});
}

/** Longest first, so the last scenario to start is a short one; unknown files count as average. */
const USUAL_SECONDS = { queue: 330, editor: 145, tokens: 130, trigger: 130, aibot: 125, 'send-and-wait': 90, sends: 65, examples: 60, approvals: 50, smoke: 40, contacts: 40, smartsheet: 40 };
const usualSeconds = (file) => USUAL_SECONDS[basename(file, '.e2e.mjs')] ?? 60;

async function main() {
	const filters = process.argv.slice(2);
	const files = (await readdir(here))
		.filter((f) => f.endsWith('.e2e.mjs'))
		.filter((f) => !filters.length || filters.some((w) => f.includes(w)))
		.sort()
		.map((f) => join(here, f));
	if (!files.length) throw new Error(`No scenario files matched ${filters.join(', ') || '*.e2e.mjs'} in ${here}`);

	const total = Date.now();
	await stage('prepare n8n', () => prepareN8n());
	// E2E_PACKAGE_TARBALL: test a tarball packed elsewhere (e.g. the one CI publishes) instead
	const given = process.env.E2E_PACKAGE_TARBALL;
	const tarball = given || (await stage('npm pack', () => packPackage()));
	console.log(`[e2e] package: ${tarball}`);

	const env = { ...process.env, E2E_PACKAGE_TARBALL: tarball };
	const failed = [];
	const buffered = PARALLEL > 1 && files.length > 1;
	const queue = [...files].sort((a, b) => usualSeconds(b) - usualSeconds(a));
	console.log(`[e2e] ${files.length} scenario file(s), ${Math.min(PARALLEL, files.length)} at a time`);
	try {
		const lane = async () => {
			for (let file = queue.shift(); file; file = queue.shift()) {
				const name = basename(file);
				const t = Date.now();
				console.log(`\n[e2e] scenario ${name} started`);
				const { ok, output } = await runScenario(file, env, buffered);
				if (buffered) process.stdout.write(`\n[e2e] ---- output of ${name} ----\n${output}${output.endsWith('\n') ? '' : '\n'}[e2e] ---- end of ${name} ----\n`);
				timings.push([`scenario ${name}`, Date.now() - t, ok ? 'ok' : 'FAILED']);
				console.log(`[e2e] scenario ${name}: ${ok ? 'passed' : 'FAILED'} in ${secs(Date.now() - t)}`);
				if (!ok) failed.push(name);
			}
		};
		await Promise.all(Array.from({ length: Math.min(PARALLEL, files.length) }, lane));
	} finally {
		if (!given) await rm(dirname(tarball), { recursive: true, force: true });
	}
	timings.push(['total', Date.now() - total, failed.length ? 'FAILED' : 'ok']);
	return failed;
}

main()
	.then((failed) => {
		printTimings();
		if (failed.length) {
			console.error(`[e2e] failed: ${failed.join(', ')}`);
			process.exit(1);
		}
	})
	.catch((e) => {
		printTimings();
		console.error(`[e2e] ${e.message}`);
		process.exit(1);
	});

function printTimings() {
	console.log('\n[e2e] timings');
	for (const [name, ms, status] of timings) console.log(`  ${name.padEnd(40)} ${secs(ms).padStart(9)}  ${status}`);
}
