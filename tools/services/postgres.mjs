// A throwaway PostgreSQL server from Debian's `postgresql` package: initdb into a temp folder, `postgres` on
// 127.0.0.1 on a free port (trust auth, no fsync: test data only), stopped and deleted by stop().
//
// PostgreSQL refuses to run as root. As root (CI containers, this sandbox) initdb and the server run as the
// `postgres` system user the Debian package creates (util-linux `setpriv`, which execs in place, so signals
// reach the server itself), and the data folder is chowned to it; as any other user they run as that user.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chmod, chown, mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startChild } from '../n8n/child.mjs';
import { freePort } from '../n8n/ports.mjs';
import { delay } from '../n8n/wait.mjs';

const run = promisify(execFile);

/** The newest /usr/lib/postgresql/<major>/bin of Debian's package, or PG_BIN. */
export function postgresBin() {
	if (process.env.PG_BIN) return process.env.PG_BIN;
	const root = '/usr/lib/postgresql';
	const majors = existsSync(root) ? readdirSync(root).filter((d) => /^\d+$/.test(d)).sort((a, b) => Number(b) - Number(a)) : [];
	const found = majors.map((m) => join(root, m, 'bin')).find((dir) => existsSync(join(dir, 'postgres')));
	if (!found) throw new Error('PostgreSQL is not installed (apt-get install postgresql, or set PG_BIN to the folder holding initdb and postgres)');
	return found;
}

async function systemUser(name) {
	const { stdout } = await run('id', ['-u', name]).catch(() => ({ stdout: '' }));
	const uid = Number(stdout.trim());
	if (!stdout.trim() || Number.isNaN(uid)) return undefined;
	const gid = Number((await run('id', ['-g', name])).stdout.trim());
	return { name, uid, gid };
}

/**
 * @param {{ port?: number; log?: boolean; database?: string; template?: string }} [opts]
 *   template: a data folder saved by snapshot() (e.g. with n8n's migrations applied) to start from instead of initdb
 * @returns {Promise<{ host: string; port: number; user: string; database: string; dataDir: string; env: Record<string, string>;
 *   logs(): string; snapshot(dest: string): Promise<void>; stop(): Promise<void> }>}
 */
export async function startPostgres(opts = {}) {
	const bin = postgresBin();
	const port = opts.port ?? (await freePort());
	const root = await mkdtemp(join(tmpdir(), 'wecom-kit-pg-'));
	const dataDir = join(root, 'data');
	const asRoot = process.getuid?.() === 0;
	const owner = asRoot ? await systemUser('postgres') : undefined;
	if (asRoot && !owner) throw new Error('Running as root and there is no `postgres` system user to run PostgreSQL as (install the postgresql package)');
	const as = (cmd, args) => (owner ? ['setpriv', [`--reuid=${owner.uid}`, `--regid=${owner.gid}`, '--clear-groups', '--', cmd, ...args]] : [cmd, args]);
	if (owner) {
		await chown(root, owner.uid, owner.gid);
		await chmod(root, 0o700);
	}
	const user = 'n8n';
	const database = opts.database ?? 'postgres';
	try {
		if (opts.template && existsSync(join(opts.template, 'PG_VERSION'))) {
			await run('cp', ['-a', opts.template, dataDir]); // -a keeps the owner (root copies as postgres)
		} else {
			const [cmd, args] = as(join(bin, 'initdb'), ['-D', dataDir, '-U', user, '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync']);
			await run(cmd, args, { timeout: 120_000 });
		}
	} catch (e) {
		await rm(root, { recursive: true, force: true });
		throw new Error(`Preparing the PostgreSQL data folder failed: ${e.stderr || e.message}`);
	}

	let child;
	const launch = async () => {
		// Test settings: no durability (fsync off), a socket folder of our own, enough connections for 5 n8n processes.
		const [cmd, args] = as(join(bin, 'postgres'), [
			'-D', dataDir, '-h', '127.0.0.1', '-p', String(port), '-k', root,
			'-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off',
			'-c', 'max_connections=200', '-c', 'shared_buffers=64MB', '-c', 'log_min_messages=warning',
		]);
		child = startChild(cmd, args, { echo: Boolean(opts.log), prefix: '[postgres] ' });
		const deadline = Date.now() + 60_000;
		for (;;) {
			const ready = await run(join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port), '-U', user, '-d', database]).then(() => true, () => false);
			if (ready) return;
			if (child.exitReason() || Date.now() > deadline) {
				await child.stop(2000);
				throw new Error(`PostgreSQL did not start (${child.exitReason() ?? 'timeout'}):\n${child.logs().slice(-3000)}`);
			}
			await delay(100);
		}
	};
	// SIGINT is PostgreSQL's "fast" shutdown: ends open sessions and writes a clean checkpoint.
	const halt = () => child.stop(10_000, 'SIGINT');
	try {
		await launch();
	} catch (e) {
		await rm(root, { recursive: true, force: true });
		throw e;
	}
	return {
		host: '127.0.0.1',
		port,
		user,
		database,
		dataDir,
		/** n8n's settings for this database */
		env: { DB_TYPE: 'postgresdb', DB_POSTGRESDB_HOST: '127.0.0.1', DB_POSTGRESDB_PORT: String(port), DB_POSTGRESDB_USER: user, DB_POSTGRESDB_PASSWORD: '', DB_POSTGRESDB_DATABASE: database },
		logs: () => child.logs(),
		/** Stops the server cleanly, copies its data folder to `dest` (atomically: copy, then rename) and starts it again. */
		async snapshot(dest) {
			await halt();
			const staging = `${dest}.tmp-${process.pid}`;
			await rm(staging, { recursive: true, force: true });
			await run('cp', ['-a', dataDir, staging]);
			await rename(staging, dest).catch(async (e) => {
				await rm(staging, { recursive: true, force: true });
				if (!existsSync(dest)) throw e; // else a concurrent run saved one first
			});
			await launch();
		},
		async stop() {
			await halt();
			await rm(root, { recursive: true, force: true });
		},
	};
}
