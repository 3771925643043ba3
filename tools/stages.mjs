// `npm test`: runs the given npm scripts in order, stops at the first failure, and prints how long each took
// (CI reads these lines; the e2e stage prints its own breakdown too).
//
// When the e2e stage is among them, the real n8n it needs is prepared in the background from the start: on a fresh
// machine that install (npm downloads, then two native rebuilds) takes 5-7 minutes, mostly waiting on the network,
// and overlaps build, lint, typecheck and the unit tests instead of following them. The e2e stage's own prepare
// waits for it through prepare.mjs's lock; a machine with n8n cached loses nothing (the marker is found at once).
import { spawn, spawnSync } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const stages = process.argv.slice(2);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const timings = [];
let failed;

let background;
if (stages.includes('test:e2e') && process.env.N8N_KIT_NO_BACKGROUND_PREPARE !== '1') {
	const logFile = join(tmpdir(), `n8n-kit-prepare-${process.pid}.log`);
	const started = Date.now();
	// Niced: the stages in the foreground (jest's timing-bound engine tests among them) keep the CPU; the install mostly
	// waits on the network and its native rebuild takes what is left.
	const niced = spawnSync('nice', ['-n', '15', 'true']).status === 0;
	const command = niced ? ['nice', ['-n', '15', process.execPath, 'tools/n8n/prepare.mjs']] : [process.execPath, ['tools/n8n/prepare.mjs']];
	const child = spawn(command[0], command[1], { stdio: ['ignore', openSync(logFile, 'w'), openSync(logFile, 'a')] });
	child.unref();
	background = { logFile, started };
	console.log(`[test] preparing n8n for the e2e stage in the background (log: ${logFile})`);
}

for (const stage of stages) {
	if (stage === 'test:e2e' && background) reportBackground();
	console.log(`\n[test] ${stage}`);
	const started = Date.now();
	const { status, signal } = spawnSync(npm, ['run', stage], { stdio: 'inherit' });
	timings.push([stage, Date.now() - started, status === 0 ? 'ok' : 'FAILED']);
	if (status !== 0) {
		failed = `${stage} ${signal ? `was killed by ${signal}` : `exited with ${status}`}`;
		break;
	}
}
console.log('\n[test] stage timings');
if (background) console.log(`  ${'n8n prepare'.padEnd(12)} ${backgroundState()}  (in the background from the start; not added to the total)`);
for (const [stage, ms, result] of timings) console.log(`  ${stage.padEnd(12)} ${(ms / 1000).toFixed(1).padStart(7)} s  ${result}`);
const total = timings.reduce((sum, [, ms]) => sum + ms, 0);
console.log(`  ${'total'.padEnd(12)} ${(total / 1000).toFixed(1).padStart(7)} s`);
if (failed) {
	console.error(`[test] ${failed}`);
	process.exit(1);
}

/**
 * How the background prepare is doing, from what it printed (spawnSync blocks this process's event loop, so the
 * child's exit event cannot be relied on): prepare.mjs ends with "ready in N s" or "failed: ...".
 */
function backgroundState() {
	const text = readFileSync(background.logFile, 'utf8');
	const ready = /\[prepare-n8n\] ready in ([\d.]+) s/.exec(text);
	if (ready) return `${ready[1].padStart(7)} s  ok`;
	if (/\[prepare-n8n\] failed:/.test(text)) return `${''.padStart(9)}  FAILED`;
	return `${((Date.now() - background.started) / 1000).toFixed(1).padStart(7)} s  still running`;
}

/** What the background prepare printed so far; a failure there is retried (and reported) by the e2e stage itself. */
function reportBackground() {
	const text = readFileSync(background.logFile, 'utf8').trim();
	console.log(`\n[test] background n8n prepare: ${backgroundState().trim()}${text ? `:\n${text.split('\n').slice(-6).join('\n')}` : ''}`);
}
