// Starts a real n8n (the version pinned in versions.mjs, on Node 24) with a throwaway user
// folder, our package installed as a community package, credentials and workflows imported and
// trigger workflows published (straight in its database, as `n8n publish:workflow` does), and gives tests a handle to read executions and stop it.
//
// Loading our package: the `npm pack` tarball is laid out in <userFolder>/.n8n/nodes the way
// n8n's own community-package installer does it (see install-package.mjs); n8n loads it at start.
// Reading executions: straight from n8n's SQLite database with n8n's own sqlite3 + flatted
// (read-executions.cjs under Node 24), so no API key or login is needed.
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startChild } from './child.mjs';
import { installCommunityPackage } from './install-package.mjs';
import { freePort } from './ports.mjs';
import { prepareN8n } from './prepare.mjs';
import { seedUserFolder } from './template-db.mjs';
import { delay, waitForHttpOk } from './wait.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const READER = join(here, 'read-executions.cjs');
const PUBLISHER = join(here, 'publish-workflows.cjs');

/** Fixed so imported credentials (encrypted with it) stay readable across restarts of a user folder. */
export const TEST_ENCRYPTION_KEY = 'n8n-nodes-wecom-kit-e2e-encryption-key';
/** Owner created from environment variables at start, so the editor opens on a login page, not setup. */
export const DEFAULT_OWNER = Object.freeze({ email: 'owner@example.com', password: 'WeComKit-e2e-1', firstName: 'E2E', lastName: 'Owner' });
export const BROWSER_ID = 'n8n-nodes-wecom-kit-e2e';
export const FINISHED = new Set(['success', 'error', 'crashed', 'canceled']);

/** Environment for any n8n process on a user folder: offline, quiet, deterministic. */
export function baseEnv({ nodeBin, userFolder, port, brokerPort, owner, extra }) {
	const env = {};
	for (const [k, v] of Object.entries(process.env)) {
		// npm run injects npm_config_* from the repo's .npmrc; n8n's own npm calls must not see them
		if (/^npm_/i.test(k) || k.startsWith('N8N_') || k.startsWith('DB_')) continue;
		env[k] = v;
	}
	Object.assign(env, {
		PATH: `${dirname(nodeBin)}:${process.env.PATH}`,
		N8N_USER_FOLDER: userFolder,
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_WEBHOOK_URL: `http://127.0.0.1:${port}/`,
		N8N_EDITOR_BASE_URL: `http://127.0.0.1:${port}/`,
		N8N_SECURE_COOKIE: 'false',
		N8N_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
		N8N_AI_ENABLED: 'false',
		N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
		EXTERNAL_FRONTEND_HOOKS_URLS: '',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true', // ours is not (yet) on n8n's verified list
		N8N_DISABLED_MODULES: 'mcp-registry', // fetches api.n8n.io at start: errors offline
		N8N_SSRF_PROTECTION_ENABLED: 'false', // the WeCom sandbox lives on 127.0.0.1
		// 2.x always starts the JS task runner (internal mode) with a broker on a TCP port; give
		// every n8n process its own port so `n8n execute` can run beside `n8n start`.
		N8N_RUNNERS_MODE: 'internal',
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		DB_TYPE: 'sqlite',
		DB_SQLITE_POOL_SIZE: '3',
		EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
		EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
		EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS: 'true',
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_OUTPUT: 'console',
		N8N_DEPLOYMENT_TYPE: 'default',
	});
	if (owner) {
		Object.assign(env, {
			N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
			N8N_INSTANCE_OWNER_EMAIL: owner.email,
			N8N_INSTANCE_OWNER_FIRST_NAME: owner.firstName ?? '',
			N8N_INSTANCE_OWNER_LAST_NAME: owner.lastName ?? '',
			N8N_INSTANCE_OWNER_PASSWORD_HASH: owner.passwordHash,
		});
	}
	return { ...env, ...extra };
}

/** Runs one n8n CLI command to completion; rejects with its output on a non-zero exit. */
export function runCli(paths, env, args, { cwd, timeoutMs = 120_000, allowFailure = false } = {}) {
	return new Promise((resolve, reject) => {
		execFile(paths.nodeBin, [paths.n8nBin, ...args], { cwd, env, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
			const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
			const signal = err && typeof err.signal === 'string' ? err.signal : undefined;
			if (err && !allowFailure) {
				reject(new Error(`n8n ${args.join(' ')} failed (${err.killed ? 'timed out' : signal ? `killed by ${signal}` : `exit ${err.code}`}):\n${(stdout + stderr).slice(-6000)}`));
			} else resolve({ code, signal, stdout, stderr });
		});
	});
}

/** The run data `n8n execute --rawOutput` prints: one JSON object whose braces stand on their own lines. */
const RUN_DATA_JSON = /^\{[\s\S]*^\}\s*$/m;

/** The run data `n8n execute --rawOutput` printed, when it printed all of it. */
function printedRunData(stdout) {
	const match = RUN_DATA_JSON.exec(stdout);
	if (!match) return undefined;
	try {
		return JSON.parse(match[0]);
	} catch {
		return undefined;
	}
}

/**
 * What `n8n publish:workflow --id` does, for all `ids` at once (see publish-workflows.cjs). `dbPath` is the SQLite
 * file, or `{ postgres: { host, port, user, database } }` as for readExecutions.
 */
export function publishWorkflows(paths, dbPath, ids) {
	return new Promise((resolve, reject) => {
		execFile(paths.nodeBin, [PUBLISHER, JSON.stringify({ ids, n8nDir: paths.n8nDir, ...(typeof dbPath === 'string' ? { dbPath } : dbPath) })], (err, _stdout, stderr) => {
			if (err) reject(new Error(`Publishing workflows in ${typeof dbPath === 'string' ? dbPath : 'PostgreSQL'} failed: ${stderr || err.message}`));
			else resolve();
		});
	});
}

/** Executions from n8n's database: `dbPath` is the SQLite file, or `{ postgres: { host, port, user, database } }`. */
export function readExecutions(paths, dbPath, filter = {}) {
	return new Promise((resolve, reject) => {
		execFile(paths.nodeBin, [READER, JSON.stringify({ ...filter, n8nDir: paths.n8nDir, ...(typeof dbPath === 'string' ? { dbPath } : dbPath) })], { maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
			if (err) reject(new Error(`Reading executions from ${typeof dbPath === 'string' ? dbPath : 'PostgreSQL'} failed: ${stderr || err.message}`));
			else resolve(JSON.parse(stdout));
		});
	});
}

/**
 * @typedef {{ id: string; workflowId: string; status: string; mode: string; finished: boolean;
 *   startedAt: string | null; stoppedAt: string | null;
 *   data?: Record<string, object[]>; outputs?: Record<string, object[][]>;
 *   lastNodeExecuted?: string; error?: { message?: string; description?: string; node?: string };
 *   runData?: object }} Execution
 *
 * @typedef {{ url: string; port: number; userFolder: string; owner: typeof DEFAULT_OWNER | undefined;
 *   installedPackage: { name: string; version: string; dir: string } | undefined;
 *   startupMs: number;
 *   pid: number;
 *   stop(): Promise<void>;
 *   executions(filter?: { workflowId?: string; status?: string; ids?: string[]; sinceId?: string; withData?: boolean }): Promise<Execution[]>;
 *   waitForExecutions(workflowId: string, n: number, timeoutMs?: number): Promise<Execution[]>;
 *   execute(workflowId: string): Promise<Execution & { exitCode: number; exitSignal?: string; cliOk: boolean; teardownCrash: boolean; cliOutput: string; cliLog: string }>;
 *   rest(path: string, init?: RequestInit): Promise<Response>;
 *   logs(): string }} N8nInstance
 */

/**
 * @param {{ port?: number; userFolder?: string; packageTarball?: string; credentials?: object[];
 *   workflows?: object[]; activate?: string[]; env?: Record<string, string>; log?: boolean;
 *   owner?: false | { email: string; password: string; firstName?: string; lastName?: string };
 *   keepUserFolder?: boolean; freshDatabase?: boolean; startTimeoutMs?: number }} [opts]
 * @returns {Promise<N8nInstance>}
 */
export async function startN8n(opts = {}) {
	const paths = await prepareN8n({ quiet: !opts.log });
	const port = opts.port ?? (await freePort());
	const ownsFolder = !opts.userFolder;
	const userFolder = opts.userFolder ?? (await mkdtemp(join(tmpdir(), 'n8n-e2e-')));
	const dbPath = join(userFolder, '.n8n', 'database.sqlite');
	const say = opts.log ? (m) => console.error(`[n8n] ${m}`) : () => {};
	const cleanup = async () => {
		if (ownsFolder && !opts.keepUserFolder) await rm(userFolder, { recursive: true, force: true });
	};

	let owner;
	if (opts.owner !== false) {
		owner = { ...DEFAULT_OWNER, ...(opts.owner || {}) };
		// bcryptjs is pure JS, so n8n's copy works from this Node 20 orchestrator too
		const bcrypt = createRequire(join(paths.n8nDir, 'package.json'))('bcryptjs');
		owner.passwordHash = bcrypt.hashSync(owner.password, 10);
	}
	const envFor = async (brokerPort) =>
		baseEnv({ nodeBin: paths.nodeBin, userFolder, port, brokerPort: brokerPort ?? (await freePort()), owner, extra: opts.env ?? {} });

	let installedPackage;
	let child;
	const started = Date.now();
	try {
		await mkdir(join(userFolder, '.n8n'), { recursive: true });
		if (opts.packageTarball) {
			installedPackage = await installCommunityPackage(userFolder, opts.packageTarball);
			say(`installed ${installedPackage.name}@${installedPackage.version} as a community package`);
		}
		const cliEnv = await envFor();
		if (opts.freshDatabase !== true) await seedUserFolder(userFolder, paths, cliEnv);
		const importDir = join(userFolder, 'import');
		await mkdir(importDir, { recursive: true });
		// Credentials first: imported workflows reference them by ID.
		if (opts.credentials?.length) {
			const file = join(importDir, 'credentials.json');
			await writeFile(file, JSON.stringify(opts.credentials));
			const t = Date.now();
			await runCli(paths, cliEnv, ['import:credentials', `--input=${file}`], { cwd: userFolder });
			say(`imported ${opts.credentials.length} credential(s) in ${Date.now() - t} ms`);
		}
		if (opts.workflows?.length) {
			const file = join(importDir, 'workflows.json');
			await writeFile(file, JSON.stringify(opts.workflows));
			const t = Date.now();
			await runCli(paths, cliEnv, ['import:workflow', `--input=${file}`], { cwd: userFolder });
			say(`imported ${opts.workflows.length} workflow(s) in ${Date.now() - t} ms`);
		}
		if (opts.activate?.length) {
			const t = Date.now();
			await publishWorkflows(paths, dbPath, opts.activate);
			say(`published ${opts.activate.length} workflow(s) in ${Date.now() - t} ms`);
		}
		await rm(importDir, { recursive: true, force: true }); // holds credential secrets in plain text

		const t = Date.now();
		child = startChild(paths.nodeBin, [paths.n8nBin, 'start'], { cwd: userFolder, env: await envFor(), echo: Boolean(opts.log), prefix: '[n8n] ' });
		await waitForHttpOk(`http://127.0.0.1:${port}/healthz/readiness`, {
			timeoutMs: opts.startTimeoutMs ?? 120_000,
			isDead: child.exitReason,
			what: 'n8n',
		});
		// Readiness answers once the HTTP server is up, before published workflows' webhooks are registered;
		// n8n prints this line after activating them (start.js), so production URLs answer from here on.
		const activatedBy = Date.now() + (opts.startTimeoutMs ?? 120_000);
		while (!child.logs().includes('Editor is now accessible via')) {
			if (child.exitReason()) throw new Error(`n8n exited while activating workflows: ${child.exitReason()}`);
			if (Date.now() > activatedBy) throw new Error('n8n did not finish activating workflows in time');
			await delay(100);
		}
		say(`ready in ${Date.now() - t} ms (total setup ${Date.now() - started} ms)`);
	} catch (e) {
		if (child) await child.stop(5000);
		const logs = child ? `\n--- n8n output ---\n${child.logs().slice(-6000)}` : '';
		await cleanup();
		throw new Error(`${e.message}${logs}`);
	}

	const url = `http://127.0.0.1:${port}`;
	let cookie;
	const login = async () => {
		if (!owner) throw new Error('rest() needs an owner; start n8n without owner: false');
		const res = await fetch(`${url}/rest/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'browser-id': BROWSER_ID },
			body: JSON.stringify({ emailOrLdapLoginId: owner.email, password: owner.password }),
		});
		if (!res.ok) throw new Error(`n8n login failed: HTTP ${res.status} ${await res.text()}`);
		const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('n8n-auth='));
		if (!setCookie) throw new Error('n8n login answered without an n8n-auth cookie');
		cookie = setCookie.split(';')[0];
	};

	/** @type {N8nInstance} */
	const instance = {
		url,
		port,
		userFolder,
		owner: owner && { email: owner.email, password: owner.password, firstName: owner.firstName, lastName: owner.lastName },
		installedPackage,
		startupMs: Date.now() - started,
		/** The n8n main process (benchmarks read its memory from /proc). */
		pid: child.pid,
		logs: () => child.logs(),

		async stop() {
			await child.stop(15_000);
			await cleanup();
		},

		executions: (filter = {}) => readExecutions(paths, dbPath, filter),

		async waitForExecutions(workflowId, n, timeoutMs = 30_000) {
			const deadline = Date.now() + timeoutMs;
			for (;;) {
				const light = await readExecutions(paths, dbPath, { workflowId, withData: false });
				const done = light.filter((e) => FINISHED.has(e.status));
				if (done.length >= n) return readExecutions(paths, dbPath, { ids: done.map((e) => e.id) });
				if (child.exitReason()) throw new Error(`n8n ${child.exitReason()} while waiting for executions of ${workflowId}`);
				if (Date.now() > deadline) {
					throw new Error(`Expected ${n} finished execution(s) of workflow ${workflowId} within ${timeoutMs} ms, found ${done.length} (statuses: ${light.map((e) => e.status).join(', ') || 'none'})`);
				}
				await delay(250);
			}
		},

		async execute(workflowId) {
			const before = await readExecutions(paths, dbPath, { withData: false });
			const sinceId = before.length ? before[before.length - 1].id : '0';
			// A separate process: its own task-broker port, same database and user folder.
			const { code, signal, stdout, stderr } = await runCli(paths, await envFor(), ['execute', `--id=${workflowId}`, '--rawOutput'], {
				cwd: userFolder,
				allowFailure: true,
			});
			const created = (await readExecutions(paths, dbPath, { workflowId, sinceId })).filter((e) => e.mode === 'cli');
			const execution = created[created.length - 1];
			if (!execution) {
				throw new Error(`n8n execute --id=${workflowId} (exit ${code}) left no execution in the database:\n${(stdout + stderr).slice(-6000)}`);
			}
			// The run data n8n prints (--rawOutput) is in the database too; what a failure needs is the rest.
			const cliLog = `${stdout.replace(RUN_DATA_JSON, '<run data JSON>')}${stderr ? `\n--- stderr ---\n${stderr}` : ''}${signal ? `\n--- killed by ${signal} ---` : ''}`;
			// n8n 2.41's `execute` ends with process.exit() while its isolated-vm expression isolates are still alive
			// (its finally() does not dispose them), and the process then sometimes dies of SIGSEGV in isolated-vm's
			// teardown, after the run finished, was stored and its JSON printed. That is n8n's exit, not the run:
			// `cliOk` counts it as a clean exit only in exactly that case (a success printed in full, then SIGSEGV).
			const teardownCrash = signal === 'SIGSEGV' && execution.status === 'success' && printedRunData(stdout)?.status === 'success';
			if (teardownCrash) console.log(`[n8n] note: n8n execute --id=${workflowId} finished and stored a success, then died of SIGSEGV while exiting (isolated-vm teardown)`);
			return { ...execution, exitCode: code, exitSignal: signal, cliOk: code === 0 || teardownCrash, teardownCrash, cliOutput: stdout + stderr, cliLog };
		},

		async rest(path, init = {}) {
			if (!cookie) await login();
			const headers = new Headers(init.headers);
			headers.set('cookie', cookie);
			headers.set('browser-id', BROWSER_ID);
			return fetch(`${url}${path}`, { ...init, headers });
		},
	};
	return instance;
}
