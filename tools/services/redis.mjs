// A throwaway Redis server from Debian's `redis-server` package on 127.0.0.1 on a free port, no persistence,
// its working folder in a temp dir; stop() ends it and deletes the folder.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChild } from '../n8n/child.mjs';
import { freePort } from '../n8n/ports.mjs';
import { waitForPort } from '../n8n/wait.mjs';

export function redisBin() {
	const bin = process.env.REDIS_SERVER ?? '/usr/bin/redis-server';
	if (!existsSync(bin)) throw new Error(`redis-server not found at ${bin} (apt-get install redis-server, or set REDIS_SERVER)`);
	return bin;
}

/**
 * @param {{ port?: number; log?: boolean }} [opts]
 * @returns {Promise<{ host: string; port: number; env: Record<string, string>; logs(): string; stop(): Promise<void> }>}
 */
export async function startRedis(opts = {}) {
	const port = opts.port ?? (await freePort());
	const dir = await mkdtemp(join(tmpdir(), 'wecom-kit-redis-'));
	const child = startChild(
		redisBin(),
		['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--protected-mode', 'yes', '--loglevel', 'warning'],
		{ echo: Boolean(opts.log), prefix: '[redis] ' },
	);
	try {
		await waitForPort(port, { timeoutMs: 30_000, isDead: child.exitReason, what: 'Redis' });
	} catch (e) {
		await child.stop(2000);
		await rm(dir, { recursive: true, force: true });
		throw new Error(`${e.message}\n${child.logs().slice(-2000)}`);
	}
	return {
		host: '127.0.0.1',
		port,
		/** n8n's queue settings for this server */
		env: { QUEUE_BULL_REDIS_HOST: '127.0.0.1', QUEUE_BULL_REDIS_PORT: String(port) },
		logs: () => child.logs(),
		async stop() {
			await child.stop(5000);
			await rm(dir, { recursive: true, force: true });
		},
	};
}
