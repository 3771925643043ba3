// Our package as users get it: the `npm pack` tarball of the built repo.
// run.mjs packs once and passes the path in E2E_PACKAGE_TARBALL; a scenario started on its own
// (`node --test test/e2e/smoke.e2e.mjs`) packs for itself.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The repo's package.json (name, version, the `n8n` section listing node and credential files). */
export function packageJson() {
	return JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
}

/** Files the `n8n` section of package.json promises that the build has not produced. */
export function missingBuildOutputs() {
	const { n8n } = packageJson();
	return [...(n8n?.nodes ?? []), ...(n8n?.credentials ?? [])].filter((f) => !existsSync(join(repoRoot, f)));
}

/** Packs the repo (as built) into a fresh temp folder and returns the .tgz path. */
export async function packPackage() {
	const missing = missingBuildOutputs();
	if (missing.length) {
		throw new Error(`The build output is incomplete (missing ${missing.join(', ')}); run \`npm run build\` before the e2e tests.`);
	}
	const dest = await mkdtemp(join(tmpdir(), 'wecom-kit-pack-'));
	const env = { ...process.env };
	for (const k of Object.keys(env)) if (/^npm_/i.test(k)) delete env[k];
	const { stdout } = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dest], { cwd: repoRoot, env });
	const [info] = JSON.parse(stdout);
	return join(dest, info.filename);
}

let packed;
/** The tarball to install into n8n: E2E_PACKAGE_TARBALL if set, else packed once per process. */
export function packageTarball() {
	const given = process.env.E2E_PACKAGE_TARBALL;
	if (given) return Promise.resolve(given);
	packed ??= packPackage();
	return packed;
}
