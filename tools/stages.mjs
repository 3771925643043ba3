// `npm test`: runs the given npm scripts in order, stops at the first failure, and prints how long each took
// (CI reads these lines; the e2e stage prints its own breakdown too).
import { spawnSync } from 'node:child_process';

const stages = process.argv.slice(2);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const timings = [];
let failed;
for (const stage of stages) {
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
for (const [stage, ms, result] of timings) console.log(`  ${stage.padEnd(12)} ${(ms / 1000).toFixed(1).padStart(7)} s  ${result}`);
const total = timings.reduce((sum, [, ms]) => sum + ms, 0);
console.log(`  ${'total'.padEnd(12)} ${(total / 1000).toFixed(1).padStart(7)} s`);
if (failed) {
	console.error(`[test] ${failed}`);
	process.exit(1);
}
