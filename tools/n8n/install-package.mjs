// Installs an `npm pack` tarball as an n8n community package in a user folder, laid out exactly
// the way n8n 2.41's own installer does it (CommunityPackagesService.downloadPackage):
//   <userFolder>/.n8n/nodes/package.json                     { name: 'installed-nodes', dependencies: { pkg: version } }
//   <userFolder>/.n8n/nodes/node_modules/<pkg>/              the tarball, extracted with --strip-components=1
//   <pkg>/package.json                                       without devDependencies/peerDependencies/optionalDependencies
// At start-up n8n scans nodes/node_modules for `n8n-nodes-*` and `@scope/n8n-nodes-*` folders and
// loads each one (a DB record in installed_packages is only needed for the Settings page list).
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * @param {string} userFolder the folder n8n gets as N8N_USER_FOLDER
 * @param {string} tarball path of an `npm pack` .tgz
 * @returns {Promise<{ name: string; version: string; dir: string }>}
 */
export async function installCommunityPackage(userFolder, tarball) {
	if (!existsSync(tarball)) throw new Error(`Package tarball not found: ${tarball}`);
	const nodesDir = join(userFolder, '.n8n', 'nodes');
	const staging = join(nodesDir, '.staging');
	await rm(staging, { recursive: true, force: true });
	await mkdir(staging, { recursive: true });
	await run('tar', ['-xzf', tarball, '-C', staging, '--strip-components=1']);
	const pkgJson = JSON.parse(await readFile(join(staging, 'package.json'), 'utf8'));
	const { name, version } = pkgJson;
	if (!/^(@[^/]+\/)?n8n-nodes-/.test(name)) {
		throw new Error(`n8n only loads community packages named n8n-nodes-* or @scope/n8n-nodes-*, got ${name}`);
	}
	const dir = join(nodesDir, 'node_modules', ...name.split('/'));
	await mkdir(join(dir, '..'), { recursive: true });
	await rm(dir, { recursive: true, force: true }); // reinstall over a reused user folder
	await run('mv', [staging, dir]);

	const { devDependencies, peerDependencies, optionalDependencies, ...kept } = pkgJson;
	await writeFile(join(dir, 'package.json'), JSON.stringify(kept, null, 2));
	if (kept.dependencies && Object.keys(kept.dependencies).length > 0) {
		// n8n runs the same npm install (ignore-scripts, shallow) inside the package folder.
		await run('npm', ['install', '--audit=false', '--fund=false', '--bin-links=false', '--install-strategy=shallow', '--ignore-scripts=true', '--package-lock=false'], { cwd: dir });
	}

	const manifestPath = join(nodesDir, 'package.json');
	const manifest = existsSync(manifestPath)
		? JSON.parse(await readFile(manifestPath, 'utf8'))
		: { name: 'installed-nodes', private: true, dependencies: {} };
	manifest.dependencies = { ...manifest.dependencies, [name]: version };
	await writeFile(manifestPath, JSON.stringify(manifest, null, 2));
	return { name, version, dir };
}
