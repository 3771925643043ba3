// n8n in queue mode, the way companies scale it out, started by one call: PostgreSQL and Redis (Debian's
// packages, tools/services), one main (`n8n start`: editor, triggers, the queue's producer), workers
// (`n8n worker`: run the executions) and webhook processes (`n8n webhook`: take production webhook traffic)
// behind a proxy (tools/n8n/proxy.mjs: round-robin, or hashing the request URI as users' load balancers should), all with the same N8N_ENCRYPTION_KEY and our package
// installed as a community package in every process.
//
// Each process gets a user folder of its own (n8n writes its event log and settings there); all of them share
// the database, the queue and the encryption key, which is all n8n needs to share. N8N_WEBHOOK_URL of every
// process is the proxy's URL: what WeCom would be given.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChild } from './child.mjs';
import { BROWSER_ID, DEFAULT_OWNER, FINISHED, baseEnv, publishWorkflows, readExecutions, runCli } from './instance.mjs';
import { installCommunityPackage } from './install-package.mjs';
import { freePort } from './ports.mjs';
import { kitDir, prepareN8n } from './prepare.mjs';
import { startProxy } from './proxy.mjs';
import { delay, waitForHttpOk } from './wait.mjs';
import { postgresBin, startPostgres } from '../services/postgres.mjs';
import { startRedis } from '../services/redis.mjs';

/** What queue mode needs on every process (besides the database and Redis settings). */
const QUEUE_ENV = {
	EXECUTIONS_MODE: 'queue',
	// runs manual executions on workers too (n8n 3 will always do so)
	OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
	QUEUE_BULL_PREFIX: 'wecomkit',
	// A pool of 8 per process and a 30 s ping: with the default 5 s ping, a loaded small machine (bursts of callbacks
	// waiting for pooled connections) made webhook processes answer 503 "Database is not ready!" for a moment.
	DB_POSTGRESDB_POOL_SIZE: '8',
	DB_PING_TIMEOUT_MS: '30000',
	// the instance's binary data must be readable by every process: n8n's database mode (its queue-mode default)
	N8N_DEFAULT_BINARY_DATA_MODE: 'database',
	// No task runner child per process (5 more Node processes to start): our workflows here use no Code node.
	// External mode only opens the broker and waits for a launcher that never comes.
	N8N_RUNNERS_MODE: 'external',
	N8N_RUNNERS_AUTH_TOKEN: 'wecom-kit-queue-e2e-runners',
	// Modules nothing here uses, off so that five processes start faster on a small machine.
	N8N_DISABLED_MODULES: [
		'mcp-registry', 'insights', 'external-secrets', 'oauth-server', 'mcp', 'provisioning', 'breaking-changes', 'source-control',
		'chat-hub', 'sso-oidc', 'sso-saml', 'log-streaming', 'ldap', 'quick-connect', 'workflow-builder', 'favorites', 'otel',
		'token-exchange', 'instance-version-history', 'workflow-reviews', 'instance-ai', 'agents',
	].join(','),
};

/**
 * @typedef {{ name: string; role: 'main' | 'worker' | 'webhook'; url?: string; userFolder: string; logs(): string;
 *   exitReason(): string | undefined; stop(): Promise<void> }} QueueProcess
 */

/**
 * @param {{ packageTarball?: string; credentials?: object[]; workflows?: object[]; activate?: string[];
 *   workers?: number; webhooks?: number; workerConcurrency?: number; env?: Record<string, string>; log?: boolean;
 *   startTimeoutMs?: number; proxyMode?: 'round-robin' | 'uri-hash' }} [opts]
 *   proxyMode: how the public entry spreads requests over the webhook processes (default round-robin)
 */
export async function startQueueN8n(opts = {}) {
	const started = Date.now();
	const timings = {};
	const lap = (name, t) => (timings[name] = Date.now() - t);
	const paths = await prepareN8n({ quiet: !opts.log });
	const say = opts.log ? (m) => console.error(`[queue] ${m}`) : () => {};
	const root = await mkdtemp(join(tmpdir(), 'n8n-queue-'));
	/** @type {QueueProcess[]} */
	const processes = [];
	let pg;
	let redis;
	let proxy;
	const extraProxies = [];

	const stop = async () => {
		await Promise.all([proxy?.stop(), ...extraProxies.map((p) => p.stop())]);
		await Promise.all(processes.map((p) => p.stop()));
		await Promise.all([pg?.stop(), redis?.stop()]);
		await rm(root, { recursive: true, force: true });
	};

	const owner = { ...DEFAULT_OWNER };
	owner.passwordHash = createRequire(join(paths.n8nDir, 'package.json'))('bcryptjs').hashSync(owner.password, 10);

	try {
		let t = Date.now();
		// A data folder with n8n's migrations applied, saved once per n8n version and PostgreSQL major beside the
		// n8n install: the ~150 migrations otherwise cost every set-up half a minute.
		const template = join(kitDir(), `template-postgres-${postgresBin().split('/').at(-2)}`);
		const migrated = existsSync(join(template, 'PG_VERSION'));
		[pg, redis] = await Promise.all([startPostgres({ log: opts.log, template: migrated ? template : undefined }), startRedis({ log: opts.log })]);
		lap('postgres+redis', t);
		say(`PostgreSQL on ${pg.port}, Redis on ${redis.port}`);

		const proxyPort = await freePort();
		const publicUrl = `http://127.0.0.1:${proxyPort}`;
		const mainPort = await freePort();

		const folder = async (name) => {
			const dir = join(root, name);
			await mkdir(join(dir, '.n8n'), { recursive: true });
			if (opts.packageTarball) await installCommunityPackage(dir, opts.packageTarball);
			return dir;
		};
		const envOf = async (userFolder, port, extra = {}) =>
			baseEnv({
				nodeBin: paths.nodeBin,
				userFolder,
				port,
				brokerPort: await freePort(),
				owner,
				extra: {
					...pg.env,
					...redis.env,
					...QUEUE_ENV,
					N8N_WEBHOOK_URL: `${publicUrl}/`,
					// Node 24 keeps the compiled code of n8n's thousands of modules on disk: later starts skip compiling them
					NODE_COMPILE_CACHE: join(kitDir(), 'node-compile-cache'),
					...opts.env,
					...extra,
				},
			});

		const startProcess = async (name, role, args, { port, readyPath, extraEnv, userFolder: given } = {}) => {
			const userFolder = given ?? (await folder(name));
			const healthPort = role === 'worker' ? await freePort() : undefined;
			const env = await envOf(userFolder, port ?? (await freePort()), {
				...(role === 'worker' ? { QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(healthPort), N8N_WORKER_SERVER_ADDRESS: '127.0.0.1' } : {}),
				...extraEnv,
			});
			const child = startChild(paths.nodeBin, [paths.n8nBin, ...args], { cwd: userFolder, env, echo: Boolean(opts.log), prefix: `[${name}] ` });
			const proc = {
				startedMs: 0,
				name,
				role,
				url: port ? `http://127.0.0.1:${port}` : undefined,
				userFolder,
				env,
				logs: () => child.logs(),
				exitReason: () => child.exitReason(),
				stop: () => child.stop(15_000),
			};
			processes.push(proc);
			const readyUrl = role === 'worker' ? `http://127.0.0.1:${healthPort}/healthz/readiness` : `http://127.0.0.1:${port}${readyPath ?? '/healthz/readiness'}`;
			const t0 = Date.now();
			await waitForHttpOk(readyUrl, { timeoutMs: opts.startTimeoutMs ?? 300_000, isDead: child.exitReason, what: `n8n ${name}` });
			proc.startedMs = Date.now() - t0;
			say(`${name} ready in ${proc.startedMs} ms`);
			return proc;
		};

		// Imports and publishing through the main's user folder (the first command runs n8n's migrations on PostgreSQL).
		t = Date.now();
		const mainFolder = await folder('main');
		const cliEnv = await envOf(mainFolder, mainPort);
		const importDir = join(root, 'import');
		await mkdir(importDir, { recursive: true });
		if (!migrated) {
			await runCli(paths, cliEnv, ['list:workflow'], { cwd: mainFolder, timeoutMs: 300_000 }); // runs the migrations
			await pg.snapshot(template);
		}
		if (opts.credentials?.length) {
			await writeFile(join(importDir, 'credentials.json'), JSON.stringify(opts.credentials));
			await runCli(paths, cliEnv, ['import:credentials', `--input=${join(importDir, 'credentials.json')}`], { cwd: mainFolder });
		}
		if (opts.workflows?.length) {
			await writeFile(join(importDir, 'workflows.json'), JSON.stringify(opts.workflows));
			await runCli(paths, cliEnv, ['import:workflow', `--input=${join(importDir, 'workflows.json')}`], { cwd: mainFolder });
		}
		// How the tools reach the database (publishing, reading executions) without an n8n process.
		const db = { postgres: { host: pg.host, port: pg.port, user: pg.user, database: pg.database } };
		// Published straight in the database, as `n8n publish:workflow` would, in one statement (publish-workflows.cjs).
		if (opts.activate?.length) await publishWorkflows(paths, db, opts.activate);
		await rm(importDir, { recursive: true, force: true }); // plain-text secrets
		lap('migrate+import', t);

		// All processes at once: workers and webhook processes only need the migrated database and Redis; the main
		// registers the published workflows' webhooks in the database, where webhook processes look them up.
		t = Date.now();
		const concurrency = String(opts.workerConcurrency ?? 10);
		const workerCount = opts.workers ?? 2;
		const webhookCount = opts.webhooks ?? 2;
		const webhookPorts = await Promise.all(Array.from({ length: webhookCount }, () => freePort()));
		const [main, workers, webhookProcesses] = await Promise.all([
			startProcess('main', 'main', ['start'], { port: mainPort, userFolder: mainFolder }),
			Promise.all(Array.from({ length: workerCount }, (_, i) => startProcess(`worker-${i + 1}`, 'worker', ['worker', `--concurrency=${concurrency}`]))),
			Promise.all(webhookPorts.map((port, i) => startProcess(`webhook-${i + 1}`, 'webhook', ['webhook'], { port }))),
		]);
		// published workflows' webhooks are registered after readiness answers (see instance.mjs)
		for (const deadline = Date.now() + 120_000; !main.logs().includes('Editor is now accessible via'); await delay(100)) {
			if (main.exitReason()) throw new Error(`n8n main exited: ${main.exitReason()}`);
			if (Date.now() > deadline) throw new Error('n8n main did not finish activating workflows in time');
		}
		lap('processes', t);
		proxy = await startProxy({ targets: webhookProcesses.map((w) => w.url), port: proxyPort, mode: opts.proxyMode });
		timings.total = Date.now() - started;
		say(`ready in ${timings.total} ms: ${JSON.stringify(timings)}`);

		let cookie;
		let workerSeq = workerCount;

		const instance = {
			/** the public entry (the proxy in front of the webhook processes): WeCom's callback URLs start here */
			url: publicUrl,
			mainUrl: main.url,
			main,
			workers,
			webhookProcesses,
			proxy,
			postgres: pg,
			redis,
			timings,
			owner,
			/** every process's environment is this plus its own ports and user folder */
			queueEnv: { ...QUEUE_ENV },
			executions: (filter = {}) => readExecutions(paths, db, filter),
			async waitForExecutions(workflowId, n, timeoutMs = 60_000) {
				const deadline = Date.now() + timeoutMs;
				for (;;) {
					const light = await readExecutions(paths, db, { workflowId, withData: false });
					const done = light.filter((e) => FINISHED.has(e.status));
					if (done.length >= n) return readExecutions(paths, db, { ids: done.map((e) => e.id) });
					const dead = processes.find((p) => p.exitReason());
					if (dead) throw new Error(`n8n ${dead.name} ${dead.exitReason()} while waiting for executions`);
					if (Date.now() > deadline) throw new Error(`Expected ${n} finished execution(s) of ${workflowId} within ${timeoutMs} ms, found ${done.length}`);
					await delay(300);
				}
			},
			/** executionId → the worker whose log says it ran it */
			executedBy() {
				const map = new Map();
				for (const w of instance.workers) {
					for (const m of w.logs().matchAll(/Worker started execution (\d+)/g)) map.set(m[1], w.name);
				}
				return map;
			},
			/** another entry point in front of the same webhook processes (stopped by stop()) */
			async addProxy(mode) {
				const extra = await startProxy({ targets: webhookProcesses.map((w) => w.url), mode });
				extraProxies.push(extra);
				return extra;
			},
			/** one more `n8n worker` on the same queue */
			async addWorker() {
				const w = await startProcess(`worker-${++workerSeq}`, 'worker', ['worker', `--concurrency=${concurrency}`]);
				instance.workers.push(w);
				return w;
			},
			/** a one-shot n8n CLI command against the shared database (e.g. export:credentials) */
			cli: async (args) => runCli(paths, await envOf(join(root, 'main'), await freePort()), args, { cwd: join(root, 'main') }),
			async rest(path, init = {}) {
				if (!cookie) {
					const res = await fetch(`${main.url}/rest/login`, {
						method: 'POST',
						headers: { 'content-type': 'application/json', 'browser-id': BROWSER_ID },
						body: JSON.stringify({ emailOrLdapLoginId: owner.email, password: owner.password }),
					});
					if (!res.ok) throw new Error(`n8n login failed: HTTP ${res.status} ${await res.text()}`);
					cookie = res.headers.getSetCookie().find((c) => c.startsWith('n8n-auth='))?.split(';')[0];
				}
				const headers = new Headers(init.headers);
				headers.set('cookie', cookie);
				headers.set('browser-id', BROWSER_ID);
				return fetch(`${main.url}${path}`, { ...init, headers });
			},
			logs: () => processes.map((p) => `--- ${p.name} ---\n${p.logs()}`).join('\n'),
			stop,
		};
		return instance;
	} catch (e) {
		const logs = processes.map((p) => `--- ${p.name} ---\n${p.logs().slice(-3000)}`).join('\n');
		await stop();
		throw new Error(`${e.message}\n${logs}`);
	}
}
