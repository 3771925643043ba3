// End-to-end entry (`npm run test:e2e`): packs the already built package, prepares a real n8n
// (cached after the first run), then runs each test/e2e/*.e2e.mjs in turn with Node's test runner.
// Prints how long every stage took; exits non-zero if anything failed.
//
//   node test/e2e/run.mjs                 all scenarios
//   node test/e2e/run.mjs smoke trigger   only files whose name contains one of the words
// Env: E2E_PACKAGE_TARBALL=<.tgz> skips packing; E2E_FILE_TIMEOUT_MS (default 600000, or a file's own `// e2e-timeout: <seconds> s` line) per scenario file; E2E_N8N_LOG=1 echoes n8n's output.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareN8n } from '../../tools/n8n/prepare.mjs';
import { packPackage } from './lib/package.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const FILE_TIMEOUT_MS = Number(process.env.E2E_FILE_TIMEOUT_MS || 600_000);
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

let current; // the running scenario's process group, killed if we are interrupted
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]]) {
	process.once(signal, () => {
		if (current) try { process.kill(-current.pid, 'SIGKILL'); } catch { /* already gone */ }
		process.exit(code);
	});
}

/** A file may ask for a longer limit with a line `// e2e-timeout: <seconds> s` (the queue-mode set-up starts 5 processes). */
function timeoutFor(file) {
	const declared = /^\/\/ e2e-timeout: (\d+) s\b/m.exec(readFileSync(file, 'utf8'));
	return process.env.E2E_FILE_TIMEOUT_MS ? FILE_TIMEOUT_MS : Math.max(FILE_TIMEOUT_MS, declared ? Number(declared[1]) * 1000 : 0);
}

/** One scenario file in its own process group, so a hang takes its n8n and sandbox down with it. */
function runScenario(file, env) {
	const limitMs = timeoutFor(file);
	return new Promise((resolve) => {
		const child = spawn(process.execPath, ['--test', '--test-reporter=spec', file], { env, stdio: 'inherit', detached: true });
		current = child;
		const timer = setTimeout(() => {
			console.error(`[e2e] ${basename(file)} exceeded ${secs(limitMs)}; killing it`);
			try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
		}, limitMs);
		child.on('exit', (code, signal) => {
			clearTimeout(timer);
			// children of the scenario (n8n, sandbox) left behind by a crash: end the whole group
			try { process.kill(-child.pid, 'SIGKILL'); } catch { /* nothing left */ }
			current = undefined;
			resolve(code === 0 && !signal);
		});
	});
}

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
	try {
		for (const file of files) {
			const name = basename(file);
			const t = Date.now();
			console.log(`\n[e2e] scenario ${name}`);
			const ok = await runScenario(file, env);
			timings.push([`scenario ${name}`, Date.now() - t, ok ? 'ok' : 'FAILED']);
			console.log(`[e2e] scenario ${name}: ${ok ? 'passed' : 'FAILED'} in ${secs(Date.now() - t)}`);
			if (!ok) failed.push(name);
		}
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
