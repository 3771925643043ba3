// Adding the WeCom node from the picker ("What happens next?") and reading its canvas subtitle: the display names of
// the resource and operation ("Send: Message"), not their values ("send: message"). A second node, imported with
// the Group Robot resource, shows "Send: Group Robot".
import assert from 'node:assert/strict';
import { PACKAGE, WAIT_MS, closeNode, eventually, openWorkflow, texts } from './ui.mjs';

export const title = 'canvas: the WeCom node added from the picker shows "Send: Message"; a robot node shows "Send: Group Robot"';

const ID = 'editorSubtitle00';

export function prepare({ node, workflow }) {
	return {
		workflows: [
			workflow({
				id: ID,
				name: 'Editor: subtitle',
				nodes: [
					node('Start', 'n8n-nodes-base.manualTrigger', 1),
					node('Robot', `${PACKAGE}.weCom`, 1, { resource: 'robot', operation: 'send' }),
				],
				edges: [['Start', 'Robot']],
			}),
		],
	};
}

export async function check({ page, n8n, shot }) {
	await openWorkflow(page, n8n, ID);
	await page.getByTestId('node-creator-plus-button').click({ timeout: WAIT_MS });
	const creator = page.getByTestId('node-creator');
	const items = creator.getByTestId('item-iterator-item');
	await page.getByTestId('node-creator-search-bar').fill('企业微信', { timeout: WAIT_MS });
	await items.filter({ has: page.getByText('WeCom', { exact: true }) }).first().click({ timeout: WAIT_MS });
	// n8n 2.41 shows a community node's details with its actions grouped by resource: add Message → Send.
	await creator.getByText('Send a message', { exact: true }).first().click({ timeout: WAIT_MS });
	await page.getByTestId('ndv').waitFor({ timeout: WAIT_MS });
	await closeNode(page);

	const ours = page.locator(`[data-test-id="canvas-node"][data-node-type="${PACKAGE}.weCom"]`);
	const shown = await eventually('the WeCom nodes on the canvas', () => texts(ours), (list) => list.some((text) => text.includes('Send: Message')));
	await shot('canvas-subtitles');
	assert.ok(shown.some((text) => text.includes('Send: Group Robot')), shown.join(' | '));
	assert.ok(!shown.some((text) => /send: (message|robot)/.test(text)), shown.join(' | '));
}
