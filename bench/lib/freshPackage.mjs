// The package as users get it (npm pack), built from the current sources into a private temp folder, so the bench
// measures what is in nodes/ and credentials/ now without rebuilding the shared dist/ others may be using.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';

import { repoRoot } from './ts.mjs';

const run = promisify(execFile);

function copyIcons(from, to) {
	for (const entry of readdirSync(from)) {
		const path = join(from, entry);
		if (statSync(path).isDirectory()) copyIcons(path, to);
		else if (/\.(png|svg)$/.test(entry)) cpSync(path, join(to, relative(repoRoot, path)));
	}
}

export async function freshPackageTarball() {
	const dir = mkdtempSync(join(tmpdir(), 'wecom-kit-bench-pkg-'));
	await run(process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(repoRoot, 'tsconfig.json'), '--outDir', join(dir, 'dist')], { cwd: repoRoot });
	for (const folder of ['nodes', 'credentials']) copyIcons(join(repoRoot, folder), join(dir, 'dist'));
	for (const file of ['package.json', 'index.js', 'README.md']) cpSync(join(repoRoot, file), join(dir, file));
	const env = { ...process.env };
	for (const key of Object.keys(env)) if (/^npm_/i.test(key)) delete env[key];
	const { stdout } = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], { cwd: dir, env });
	return join(dir, JSON.parse(stdout)[0].filename);
}
