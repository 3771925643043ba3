// The editor as a user meets it, in headless Chromium against one real n8n 2.41.1 with our package and the WeCom
// sandbox: sign in through the form, then every check module in test/e2e/editor/*.check.mjs (see the README there)
// in turn, and finally no console error from our nodes. Screenshots go to the folder printed at the start.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { packageTarball, startN8n, startSandbox } from './lib/n8n.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { node, workflow } from './lib/workflows.mjs';
import { sandboxControl, sandboxDefaults } from '../sandbox/control-client.mjs';
import { WAIT_MS, login } from './editor/ui.mjs';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'editor');
const only = process.env.E2E_EDITOR_ONLY; // e.g. "picker": run only the check modules whose file name contains it
const files = (await readdir(dir)).filter((file) => file.endsWith('.check.mjs') && (!only || file.includes(only))).sort();
const modules = await Promise.all(files.map(async (file) => ({ file, ...(await import(pathToFileURL(join(dir, file)).href)) })));

let sandbox;
let n8n;
let browser;
const states = new Map();

before(async () => {
	sandbox = await startSandbox();
	const context = { node, workflow, sandbox, sb: sandboxControl(sandbox.url), defaults: sandboxDefaults() };
	const credentials = new Map();
	const workflows = [];
	for (const module of modules) {
		const prepared = (await module.prepare?.(context)) ?? {};
		for (const credential of prepared.credentials ?? []) credentials.set(credential.id, credential);
		workflows.push(...(prepared.workflows ?? []));
		states.set(module.file, prepared.state);
	}
	n8n = await startN8n({ packageTarball: await packageTarball(), credentials: [...credentials.values()], workflows, log: Boolean(process.env.E2E_N8N_LOG) });
	browser = await launchBrowser({ screenshotsDir: process.env.E2E_SCREENSHOTS });
	console.log(`[editor] screenshots: ${browser.screenshotsDir}`);
	browser.page.setDefaultTimeout(WAIT_MS);
	await login(browser.page, n8n);
});

after(async () => {
	if (browser) console.log(`[editor] screenshots: ${browser.screenshotsDir}`);
	await browser?.close();
	await n8n?.stop();
	await sandbox?.stop();
});

for (const module of modules) {
	test(module.title, async () => {
		const shot = (name) => browser.shot(`${module.file.replace('.check.mjs', '')}-${name}`);
		try {
			await module.check({ page: browser.page, n8n, shot, state: states.get(module.file) });
		} catch (error) {
			const file = await shot('FAILED');
			error.message += `\n(screenshot: ${file})`;
			throw error;
		}
	});
}

test('no console error from our nodes', () => {
	// Ours: anything naming the package or WeCom, and failed calls of our load-options / list-search / mapper methods.
	// Requests to other hosts are n8n's own (e.g. its npm lookup of community packages), blocked by the browser lib.
	const ours = /wecom|dynamic-node-parameters/i;
	const local = (error) => !/^https?:\/\/(?!127\.0\.0\.1[:/]|localhost[:/])/.test(error.location);
	const errors = browser.consoleErrors.filter(local);
	const others = errors.filter((error) => !ours.test(`${error.text} ${error.location}`));
	if (others.length) console.log(`[editor] ${others.length} console error(s) not from our nodes:\n${others.map((e) => `  ${e.text.slice(0, 300)} @ ${e.location}`).join('\n')}`);
	assert.deepEqual(errors.filter((error) => ours.test(`${error.text} ${error.location}`)), []);
});
