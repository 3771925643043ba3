// What scenario files import: a real n8n with our packed package installed, plus the WeCom sandbox.
// One n8n per scenario file (start in `before`, stop in `after`): start-up costs seconds.
export { startN8n, DEFAULT_OWNER, TEST_ENCRYPTION_KEY } from '../../../tools/n8n/instance.mjs';
export { packageTarball, packageJson, repoRoot } from './package.mjs';
export { startSandbox } from './sandbox.mjs';
export { freePort } from '../../../tools/n8n/ports.mjs';
