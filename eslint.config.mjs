// Lint with exactly the configuration n8n's verification scanner applies (@n8n/scan-community-package),
// so a clean `npm run lint` means a clean scan.
import { buildScanConfig } from '@n8n/scan-community-package/scanner/scanner.mjs';

export default [
	{ ignores: ['dist/**', 'node_modules/**', 'test/**', 'bench/**', 'tools/**', 'examples/**', '*.js', '*.mjs'] },
	...(await buildScanConfig()),
];
