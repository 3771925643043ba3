// Headless Debian Chromium (/usr/bin/chromium, from apt with fonts-noto-cjk; never a downloaded browser) driven by
// npm playwright-core, for the editor smoke tests. A fresh profile per launch, every console error and page error
// collected, screenshots into one folder the test prints.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, selectors } from 'playwright-core';

// n8n marks its elements with data-test-id (its own Playwright tests set the same): getByTestId() reads that.
selectors.setTestIdAttribute('data-test-id');

export const CHROMIUM = process.env.E2E_CHROMIUM || '/usr/bin/chromium';

// Offline and quiet: no first-run UI, no background fetches (component updates, sync, QUIC probes) to the internet.
const FLAGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

/**
 * @param {{ screenshotsDir?: string; viewport?: { width: number; height: number } }} [opts]
 * @returns {Promise<{ page: import('playwright-core').Page; screenshotsDir: string;
 *   consoleErrors: Array<{ text: string; location: string }>;
 *   shot(name: string): Promise<string>; close(): Promise<void> }>}
 */
export async function launchBrowser(opts = {}) {
	if (!existsSync(CHROMIUM)) {
		throw new Error(`No Chromium at ${CHROMIUM}: install Debian's (apt-get install -y chromium fonts-noto-cjk; .ci/run does it when missing)`);
	}
	const profile = await mkdtemp(join(tmpdir(), 'e2e-chromium-'));
	const screenshotsDir = opts.screenshotsDir ?? (await mkdtemp(join(tmpdir(), 'e2e-editor-shots-')));
	await mkdir(screenshotsDir, { recursive: true });
	// launchPersistentContext passes --user-data-dir=<profile> and --headless itself.
	const context = await chromium.launchPersistentContext(profile, {
		executablePath: CHROMIUM,
		headless: true,
		args: FLAGS,
		viewport: opts.viewport ?? { width: 1440, height: 900 },
		locale: 'en-US',
		timeout: 120_000,
	});
	// Nothing but this machine: n8n's editor looks community packages up on registry.npmjs.org, and tests stay offline.
	await context.route((url) => url.hostname !== '127.0.0.1' && url.hostname !== 'localhost', (route) => route.abort('blockedbyclient'));
	const page = context.pages()[0] ?? (await context.newPage());
	const consoleErrors = [];
	const collect = (p) => {
		p.on('console', (message) => {
			if (message.type() !== 'error') return;
			const { url, lineNumber } = message.location();
			consoleErrors.push({ text: message.text(), location: url ? `${url}:${lineNumber}` : '' });
		});
		p.on('pageerror', (error) => consoleErrors.push({ text: `${error.name}: ${error.message}\n${error.stack ?? ''}`, location: 'pageerror' }));
	};
	collect(page);
	context.on('page', collect);
	let count = 0;
	return {
		page,
		screenshotsDir,
		consoleErrors,
		async shot(name) {
			count += 1;
			const file = join(screenshotsDir, `${String(count).padStart(2, '0')}-${name.replace(/[^\p{L}\p{N}.-]+/gu, '-')}.png`);
			await page.screenshot({ path: file, fullPage: false }).catch(() => undefined);
			return file;
		},
		async close() {
			await context.close().catch(() => undefined);
			await rm(profile, { recursive: true, force: true });
		},
	};
}
