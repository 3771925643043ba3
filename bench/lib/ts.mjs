// Lets the .mjs benchmark parts load the repo's TypeScript (sandbox, engine harness, node sources) the same
// way `npm run sandbox` does: ts-node, transpile only, with the root tsconfig.json (CommonJS output). preferTsExts:
// 'nodes/WeCom/WeCom.node' must resolve to WeCom.node.ts, not the codex file WeCom.node.json beside it.
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(join(repoRoot, 'package.json'));
let registered = false;

/** require() of a repo file (TypeScript or JS) by its path from the repo root, e.g. 'test/sandbox'. */
export function requireTs(pathFromRoot) {
	if (!registered) {
		require('ts-node').register({ transpileOnly: true, preferTsExts: true, project: join(repoRoot, 'tsconfig.json'), compilerOptions: { sourceMap: false } });
		registered = true;
	}
	return require(join(repoRoot, pathFromRoot));
}

/** A dev dependency of the repo (e.g. '@wecom/crypto'). */
export function requireDep(name) {
	return require(name);
}
