// A long-running child process whose output is kept in memory (and optionally echoed),
// with a stop() that escalates from SIGTERM to SIGKILL.
import { spawn } from 'node:child_process';

const MAX_LOG_CHARS = 4_000_000;

// Children still running when this process ends are killed: an n8n whose stdout pipe has lost
// its reader spins at 100% CPU instead of exiting.
const live = new Set();
let hooked = false;
function hookExit() {
	if (hooked) return;
	hooked = true;
	process.on('exit', () => {
		for (const c of live) c.kill('SIGKILL');
	});
	for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
		process.once(signal, () => process.exit(code));
	}
}

/**
 * @param {string} cmd
 * @param {string[]} args
 * @param {{ cwd?: string; env?: NodeJS.ProcessEnv; echo?: boolean; prefix?: string }} [opts]
 */
export function startChild(cmd, args, { cwd, env, echo = false, prefix = '' } = {}) {
	hookExit();
	const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
	live.add(child);
	let log = '';
	let exit; // set once the process has ended: 'exit code N' / 'signal S' / spawn error
	const exited = new Promise((resolve) => {
		child.on('error', (e) => {
			exit = `spawn error: ${e.message}`;
			resolve(exit);
		});
		child.on('exit', (code, signal) => {
			live.delete(child);
			exit = signal ? `killed by ${signal}` : `exited with code ${code}`;
			resolve(exit);
		});
	});
	const onData = (chunk) => {
		const text = chunk.toString('utf8');
		log += text;
		if (log.length > MAX_LOG_CHARS) log = log.slice(-MAX_LOG_CHARS / 2);
		if (echo) process.stderr.write(prefix ? text.replace(/^(?=.)/gm, prefix) : text);
	};
	child.stdout.on('data', onData);
	child.stderr.on('data', onData);

	return {
		pid: child.pid,
		logs: () => log,
		/** undefined while running, otherwise why it ended */
		exitReason: () => exit,
		exited,
		/** Graceful stop (SIGTERM unless told otherwise); SIGKILL after graceMs. Resolves when the process is gone. */
		async stop(graceMs = 10_000, signal = 'SIGTERM') {
			if (exit) return exit;
			child.kill(signal);
			const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
			await exited;
			clearTimeout(timer);
			return exit;
		},
	};
}
