// A database with all of n8n's migrations already applied, kept beside the n8n install and
// copied into every fresh user folder: the ~150 migrations otherwise cost each new instance
// about 1.6 s on its first CLI command.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { kitDir } from './prepare.mjs';

const run = promisify(execFile);
const DB = 'database.sqlite';

/**
 * @param {{ nodeBin: string; n8nBin: string }} paths
 * @param {NodeJS.ProcessEnv} env environment of an n8n CLI process (its N8N_USER_FOLDER is replaced)
 * @returns {Promise<string>} path of the migrated template database file
 */
export async function templateDatabase(paths, env) {
	const dir = join(kitDir(), 'template-db');
	const file = join(dir, DB);
	if (existsSync(file)) return file;
	const work = await mkdtemp(join(kitDir(), '.template-db-'));
	try {
		// any command that opens the database runs the migrations; list:workflow has no side effects
		await run(paths.nodeBin, [paths.n8nBin, 'list:workflow'], { cwd: work, env: { ...env, N8N_USER_FOLDER: work }, timeout: 120_000 });
		const built = join(work, 'final');
		await mkdir(built);
		// keep the WAL too in case the CLI exited without checkpointing it (the -shm index is rebuilt)
		for (const name of [DB, `${DB}-wal`]) {
			if (existsSync(join(work, '.n8n', name))) await copyFile(join(work, '.n8n', name), join(built, name));
		}
		try {
			await rename(built, dir);
		} catch (e) {
			if (!existsSync(file)) throw e; // otherwise a concurrent run won the race: use theirs
		}
		return file;
	} finally {
		await rm(work, { recursive: true, force: true });
	}
}

/** Gives a new user folder the migrated database, unless it already has one. */
export async function seedUserFolder(userFolder, paths, env) {
	const target = join(userFolder, '.n8n', DB);
	if (existsSync(target)) return false;
	await mkdir(join(userFolder, '.n8n'), { recursive: true });
	const source = await templateDatabase(paths, env);
	await copyFile(source, target);
	if (existsSync(`${source}-wal`)) await copyFile(`${source}-wal`, `${target}-wal`);
	return true;
}
