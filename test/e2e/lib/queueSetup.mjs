// The one queue-mode set-up the queue scenarios share (start-up costs minutes on a small machine): the WeCom
// sandbox, then n8n in queue mode (tools/n8n/queue.mjs: PostgreSQL, Redis, main, 2 workers, 2 webhook processes
// behind a round-robin proxy) with every queue workflow imported and published, plus a second entry point that
// hashes the request URI (what the README tells users to configure on their load balancer).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startQueueN8n } from '../../../tools/n8n/queue.mjs';
import { freePort, packageTarball, startSandbox } from './n8n.mjs';
import { sandboxControl } from '../../sandbox/control-client.mjs';
import { Q_PATHS, Q_PUBLISHED, queueCredentials, queueWorkflows } from './queueWorkflows.mjs';
import { waitForTriggerUrls } from './triggerCallbacks.mjs';

/** The sandbox's AI bot controls (/__sandbox/aibot/*). */
export function aibotControl(sandboxUrl) {
	return async (action, body) => {
		const res = await fetch(`${sandboxUrl}/__sandbox/aibot/${action}`, {
			method: body === undefined ? 'GET' : 'POST',
			headers: body === undefined ? {} : { 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: AbortSignal.timeout(30_000),
		});
		const data = await res.json();
		if (res.status !== 200) throw new Error(`aibot control ${action}: HTTP ${res.status} ${data.error ?? ''}`);
		return data;
	};
}

/**
 * @param {{ log?: boolean; workers?: number }} [opts]
 * @returns {Promise<{ q: any; sandbox: any; sb: ReturnType<typeof sandboxControl>; aibot: ReturnType<typeof aibotControl>; bot: any;
 *   hashProxy: any; measured: Record<string, unknown>; stop(): Promise<void> }>}
 */
export async function startQueueSetup(opts = {}) {
	const sandbox = await startSandbox({ port: await freePort(), log: Boolean(process.env.E2E_SANDBOX_LOG) });
	let q;
	try {
		const aibot = aibotControl(sandbox.url);
		const { bot } = await aibot('state');
		await aibot('settings', { refreshIntervalMs: 250 });
		q = await startQueueN8n({
			packageTarball: await packageTarball(),
			credentials: queueCredentials(sandbox.url, bot),
			workflows: queueWorkflows(),
			activate: Q_PUBLISHED,
			workers: opts.workers ?? 2,
			log: Boolean(opts.log),
		});
		const hashProxy = await q.addProxy('uri-hash');
		// webhook processes find published webhooks in the database: wait until each one answers our trigger paths
		const paths = [Q_PATHS.trigger, Q_PATHS.dupDirect, Q_PATHS.dupHash];
		await waitForTriggerUrls(q.webhookProcesses.flatMap((w) => paths.map((p) => `${w.url}/webhook/${p}`)), 120_000);
		return {
			q,
			sandbox,
			sb: sandboxControl(sandbox.url),
			aibot,
			bot,
			hashProxy,
			measured: { startupMs: q.timings },
			async stop() {
				await q.stop();
				await sandbox.stop();
			},
		};
	} catch (e) {
		await q?.stop();
		await sandbox.stop();
		throw e;
	}
}

/** The decrypted data n8n stores for credential `id`, read with `n8n export:credentials --decrypted` (temp file removed at once). */
export async function storedCredential(q, id) {
	const dir = await mkdtemp(join(tmpdir(), 'n8n-queue-cred-'));
	const file = join(dir, 'credential.json');
	try {
		await q.cli(['export:credentials', `--id=${id}`, '--decrypted', `--output=${file}`]);
		const exported = JSON.parse(await readFile(file, 'utf8'));
		return (Array.isArray(exported) ? exported : [exported]).find((c) => c.id === id)?.data;
	} finally {
		await rm(dir, { recursive: true, force: true });
	}
}
