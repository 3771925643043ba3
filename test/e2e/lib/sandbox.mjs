// Starts the local WeCom API imitation (test/sandbox/cli.ts) as a child process for a scenario.
// Its control API lives under /__sandbox/* (see test/sandbox); this helper only starts/stops it.
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import { startChild } from '../../../tools/n8n/child.mjs';
import { freePort } from '../../../tools/n8n/ports.mjs';
import { waitForPort } from '../../../tools/n8n/wait.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/**
 * @param {{ port?: number; callbackUrl?: string; args?: string[]; log?: boolean; timeoutMs?: number }} [opts]
 *   callbackUrl: where the sandbox delivers encrypted WeCom callbacks (e.g. an n8n production webhook URL)
 * @returns {Promise<{ url: string; port: number; logs(): string; stop(): Promise<void> }>}
 */
export async function startSandbox(opts = {}) {
	const port = opts.port ?? (await freePort());
	const child = startChild(
		process.execPath,
		['-r', 'ts-node/register/transpile-only', 'test/sandbox/cli.ts', '--port', String(port), '--quiet', ...(opts.callbackUrl ? ['--callback-url', opts.callbackUrl] : []), ...(opts.args ?? [])],
		{ cwd: repoRoot, env: process.env, echo: Boolean(opts.log), prefix: '[sandbox] ' },
	);
	try {
		await waitForPort(port, { timeoutMs: opts.timeoutMs ?? 30_000, isDead: child.exitReason, what: 'WeCom sandbox' });
	} catch (e) {
		await child.stop(2000);
		throw new Error(`${e.message}\n--- sandbox output ---\n${child.logs().slice(-4000)}`);
	}
	return {
		url: `http://127.0.0.1:${port}`,
		port,
		logs: child.logs,
		async stop() {
			await child.stop(5000);
		},
	};
}
