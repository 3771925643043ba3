// What the editor checks share: the sandbox credential, the login, opening a workflow or a node, reading a list.
// Locators follow n8n 2.41's data-test-id attributes (the ones n8n's own Playwright pages use); every wait is a
// locator wait with a generous timeout, because the machine running the suite may be busy.
import { sandboxDefaults } from '../../sandbox/control-client.mjs';

const D = sandboxDefaults();
export const WAIT_MS = Number(process.env.E2E_EDITOR_WAIT_MS || 90_000);
export const PACKAGE = 'n8n-nodes-wecom-kit';

/** The weComApi credential every module's WeCom nodes use: the app secret against the sandbox. */
export function sandboxApp(sandboxUrl) {
	const id = 'editorWeComApp01';
	const name = 'WeCom app (sandbox)';
	return {
		ref: { weComApi: { id, name } },
		record: { id, name, type: 'weComApi', data: { corpId: D.corpId, corpSecret: D.corpSecret, agentId: String(D.agentId), baseUrl: sandboxUrl } },
	};
}

/** Signs in through the form, as a user does; resolves once the editor has left the sign-in page. */
export async function login(page, n8n) {
	await page.goto(`${n8n.url}/signin`, { timeout: WAIT_MS });
	await page.locator('input[name="emailOrLdapLoginId"]').fill(n8n.owner.email, { timeout: WAIT_MS });
	await page.locator('input[name="password"]').fill(n8n.owner.password);
	await page.getByTestId('form-submit-button').click();
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: WAIT_MS });
}

/** Opens a workflow and waits until its canvas shows a node. */
export async function openWorkflow(page, n8n, id) {
	await page.goto(`${n8n.url}/workflow/${id}`, { timeout: WAIT_MS });
	await page.getByTestId('canvas-node').first().waitFor({ timeout: WAIT_MS });
}

export const canvasNode = (page, name) => page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`);

/** Opens a node's panel (NDV) by double-clicking it on the canvas. */
export async function openNode(page, name) {
	await canvasNode(page, name).dblclick({ timeout: WAIT_MS });
	const ndv = page.getByTestId('ndv');
	await ndv.waitFor({ timeout: WAIT_MS });
	return ndv;
}

export async function closeNode(page) {
	// n8n 2.41's panel closes with its × button or Escape (there is no back-to-canvas link any more).
	await page.keyboard.press('Escape');
	await page.getByTestId('ndv').waitFor({ state: 'hidden', timeout: WAIT_MS });
}

/** Waits until `read()` gives a value `accept` takes, and returns it; fails with the last value seen. */
export async function eventually(what, read, accept, timeoutMs = WAIT_MS) {
	const deadline = Date.now() + timeoutMs;
	let last;
	for (;;) {
		last = await read();
		if (accept(last)) return last;
		if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(last)} after ${timeoutMs} ms`);
		// A condition polled until a deadline (not a fixed sleep): a quarter second keeps the CPU for n8n.
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

/** The trimmed texts of what a locator matches now. */
export const texts = async (locator) => (await locator.allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim());
