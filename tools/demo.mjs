// `npm run demo`: the package working in a real n8n against the local WeCom sandbox, in one command.
// Builds dist/ if it is missing, prepares n8n (cached), packs the package, starts the sandbox and n8n with
// the example workflows and sandbox credentials, runs the scenario (alert, file, approval card sent →
// clicked → updated) and prints where to look. Ctrl-C stops n8n and the sandbox.
//
//   node tools/demo.mjs [--once] [--port 5678] [--sandbox-port 8700] [--verbose]
//   env: DEMO_PORT, DEMO_SANDBOX_PORT (same as the flags)
import { execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { prepareN8n } from './n8n/prepare.mjs';
import { freePort } from './n8n/ports.mjs';
import { missingBuildOutputs, packPackage, repoRoot } from '../test/e2e/lib/package.mjs';
import { autoClickNewCards, runDemoScenario, startDemo } from './demo/scenario.mjs';
import { formatReport } from './demo/report.mjs';

const USAGE = `Usage: npm run demo [-- --once] [-- --port 5678] [-- --sandbox-port 8700] [-- --verbose]
  --once           run the scenario, stop everything, exit 0 (all steps passed) or 1
  --port N         n8n's port (default 5678, or a free one if 5678 is taken; env DEMO_PORT)
  --sandbox-port N the WeCom sandbox's port (default: a free one; env DEMO_SANDBOX_PORT)
  --verbose        echo n8n's and the sandbox's output
  --no-open        accepted for habit: the demo never opens a browser`;

function parseArgs(argv) {
	const opts = { once: false, verbose: false, port: process.env.DEMO_PORT, sandboxPort: process.env.DEMO_SANDBOX_PORT };
	for (let i = 0; i < argv.length; i++) {
		const [flag, inline] = argv[i].split('=', 2);
		const value = () => inline ?? argv[++i];
		if (flag === '--once') opts.once = true;
		else if (flag === '--verbose' || flag === '-v') opts.verbose = true;
		else if (flag === '--no-open') continue;
		else if (flag === '--port') opts.port = value();
		else if (flag === '--sandbox-port') opts.sandboxPort = value();
		else if (flag === '--help' || flag === '-h') {
			console.log(USAGE);
			process.exit(0);
		} else {
			console.error(`Unknown option ${argv[i]}\n${USAGE}`);
			process.exit(2);
		}
	}
	for (const key of ['port', 'sandboxPort']) {
		if (opts[key] === undefined || opts[key] === '') {
			opts[key] = undefined;
			continue;
		}
		const n = Number(opts[key]);
		if (!Number.isInteger(n) || n < 1 || n > 65535) {
			console.error(`Invalid ${key === 'port' ? '--port' : '--sandbox-port'} "${opts[key]}": give a TCP port number.`);
			process.exit(2);
		}
		opts[key] = n;
	}
	return opts;
}

const portIsFree = (port) =>
	new Promise((resolve) => {
		const server = createServer();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});

const say = (line) => console.log(`[demo] ${line}`);
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;

function npmRunBuild() {
	return new Promise((resolve, reject) => {
		const child = spawn('npm', ['run', 'build'], { cwd: repoRoot, stdio: 'inherit' });
		child.on('error', reject);
		child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`npm run build exited with ${code}; fix the build, then run the demo again.`))));
	});
}

// Signals: tools/n8n/child.mjs installs handlers that exit at once (its exit hook then SIGKILLs the
// children). While the demo is up we want a graceful stop instead (n8n shuts down, its temp folder is
// removed), so only our handler may stay; the exit hook remains as the safety net.
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];
let onSignal = () => abortSetup(); // until the demo is up
const signalHandler = (signal) => onSignal(signal);
for (const s of SIGNALS) process.on(s, signalHandler);
process.on('newListener', (event, listener) => {
	if (SIGNALS.includes(event) && listener !== signalHandler) queueMicrotask(() => process.removeListener(event, listener));
});

/**
 * A signal during setup: end every child of ours (n8n CLI imports run by execFile are not tracked by
 * child.mjs and would outlive us) and leave. A half-built temp user folder may stay in the OS temp dir.
 */
async function abortSetup() {
	onSignal = () => process.exit(130);
	console.log('\n[demo] interrupted during setup: stopping the processes started so far');
	let pids = [];
	try {
		pids = execFileSync('ps', ['-o', 'pid=', '--ppid', String(process.pid)], { encoding: 'utf8' }).split('\n').map(Number).filter((p) => p > 0);
	} catch {
		/* no children: ps exits 1 */
	}
	const alive = (pid) => {
		try {
			process.kill(pid, 0);
			return true;
		} catch {
			return false;
		}
	};
	for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGTERM');
	const deadline = Date.now() + 5000;
	while (pids.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
	for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGKILL');
	process.exit(130);
}

async function main() {
	const opts = parseArgs(process.argv.slice(2));
	const started = Date.now();

	const missing = missingBuildOutputs();
	if (missing.length) {
		say(`dist/ is incomplete (missing ${missing.join(', ')}): running npm run build`);
		await npmRunBuild();
	} else {
		say('using the existing build in dist/ (run `npm run build` first if you changed the code)');
	}

	let t = Date.now();
	say('preparing n8n (first time only: downloads n8n and Node 24 into ~/.cache/n8n-nodes-wecom-kit, several minutes)');
	await prepareN8n({ quiet: false });
	const prepareMs = Date.now() - t;

	t = Date.now();
	const tarball = await packPackage();
	say(`packed the package (${secs(Date.now() - t)})`);

	let port = opts.port;
	if (port === undefined) {
		port = !opts.once && (await portIsFree(5678)) ? 5678 : await freePort();
		if (!opts.once && port !== 5678) say(`port 5678 is taken; n8n gets port ${port}`);
	} else if (!(await portIsFree(port))) {
		throw new Error(`Port ${port} is taken; pick another with --port.`);
	}

	let demo;
	let stopping;
	const stopAll = () =>
		(stopping ??= (async () => {
			await demo?.stop();
			await rm(dirname(tarball), { recursive: true, force: true });
		})());

	t = Date.now();
	try {
		demo = await startDemo({ port, sandboxPort: opts.sandboxPort, packageTarball: tarball, log: opts.verbose, say });
	} catch (e) {
		await stopAll();
		throw e;
	}
	const startupMs = Date.now() - started;
	say(`sandbox and n8n up in ${secs(Date.now() - t)} (prepare ${secs(prepareMs)}, total ${secs(startupMs)})`);

	let stopClicking = () => {};
	onSignal = async (signal) => {
		onSignal = () => process.exit(130); // a second Ctrl-C: leave now (the exit hook kills the children)
		console.log(`\n[demo] ${signal}: stopping n8n and the sandbox ...`);
		stopClicking();
		await stopAll();
		console.log('[demo] stopped.');
		process.exit(0);
	};

	let result;
	try {
		result = await runDemoScenario(demo, { say });
	} catch (e) {
		console.error(`\n[demo] the scenario failed: ${e.message}`);
		if (opts.once) {
			await stopAll();
			return 1;
		}
		console.error(`[demo] n8n stays up so you can look: ${demo.n8n.url} (log in ${demo.owner.email} / ${demo.owner.password}). Ctrl-C stops it.`);
		return undefined;
	}
	console.log(formatReport(demo, result, { interactive: !opts.once, startupMs }));
	if (opts.once) {
		await stopAll();
		return 0;
	}
	stopClicking = autoClickNewCards(demo, { say, skipTaskIds: [result.card.taskId] });
	return undefined; // keep running until a signal
}

main().then(
	(code) => {
		if (code !== undefined) process.exit(code);
	},
	(e) => {
		console.error(`[demo] ${e.message}`);
		process.exit(1);
	},
);
