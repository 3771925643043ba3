// The sandbox's fixed credentials, read from their one source (test/sandbox/defaults.ts) through
// ts-node's CommonJS hook, so the demo and the sandbox never disagree.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { repoRoot } from './workflows.mjs';

const require = createRequire(import.meta.url);

/** @returns {{ corpId: string; corpSecret: string; agentId: number; robotKey: string; callbackToken: string; encodingAESKey: string }} */
export function sandboxDefaults() {
	require('ts-node').register({ transpileOnly: true, project: join(repoRoot, 'tsconfig.json') });
	return require(join(repoRoot, 'test', 'sandbox', 'defaults.ts')).SANDBOX_DEFAULTS;
}
