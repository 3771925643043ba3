#!/usr/bin/env node
// Runs n8n's verification scanner the way n8n does for a published package, offline:
// the sources (package.json, nodes/, credentials/) and the packed tarball's compiled files.
// Needs `npm run build` first (the tarball ships dist/).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzePackage, SOURCE_FILE_PATTERNS } from '@n8n/scan-community-package/scanner/scanner.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
if (!existsSync(join(root, 'dist'))) {
	console.error('scan-package: dist/ is missing; run `npm run build` first');
	process.exit(1);
}
const work = mkdtempSync(join(tmpdir(), 'wecom-kit-scan-'));
try {
	const packed = JSON.parse(
		execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }),
	);
	const tarball = join(work, packed[0].filename);
	execFileSync('tar', ['-xzf', tarball, '-C', work]);
	const packageDir = join(work, 'package');
	const results = [
		['sources', await analyzePackage(root, SOURCE_FILE_PATTERNS)],
		['tarball', await analyzePackage(packageDir, ['**/*.js', 'package.json'])],
	];
	let failed = false;
	for (const [label, result] of results) {
		if (result.passed) {
			console.log(`scan-package: ${label}: passed (${packed[0].entryCount} files in tarball, ${packed[0].size} bytes)`);
		} else {
			failed = true;
			console.error(`scan-package: ${label}: ${result.message}\n${result.details ?? ''}`);
		}
	}
	process.exit(failed ? 1 : 0);
} finally {
	rmSync(work, { recursive: true, force: true });
}
