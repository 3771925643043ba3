// The node picker finds our nodes by the words WeCom users type (the codex aliases), lists the trigger's events by
// their action texts, and shows the merged WeCom entry with a description that fits its actions and its triggers.
import assert from 'node:assert/strict';
import { WAIT_MS, eventually, texts } from './ui.mjs';

export const title = 'node picker: 企业微信 and WeChat Work find our nodes; trigger events have readable names';

export async function check({ page, n8n, shot }) {
	await page.goto(`${n8n.url}/workflow/new`, { timeout: WAIT_MS });
	await page.getByTestId('canvas-add-button').click({ timeout: WAIT_MS }); // "Add first step": the trigger picker
	const creator = page.getByTestId('node-creator');
	const search = page.getByTestId('node-creator-search-bar');
	const items = creator.getByTestId('item-iterator-item');
	const titles = async () => texts(items);

	for (const word of ['企业微信', 'WeChat Work']) {
		await search.fill(word, { timeout: WAIT_MS });
		const found = await eventually(
			`picker results for "${word}"`,
			titles,
			(list) => list.some((text) => text.startsWith('WeCom AI Bot')) && list.some((text) => /^WeCom (?!AI Bot)/.test(text)),
		);
		await shot(`picker-${word}`);
		// n8n lists triggers without " Trigger" (WeCom AI Bot). The merged entry (WeCom + WeCom Trigger) carries the trigger's description, which names both sides.
		const merged = found.find((text) => /^WeCom (?!AI Bot)/.test(text));
		assert.match(merged, /Send WeCom .*start workflows on WeCom callbacks/, merged);
	}

	await search.fill('企业微信');
	await items.filter({ has: page.getByText('WeCom', { exact: true }) }).first().click({ timeout: WAIT_MS });
	const events = await eventually(
		'the WeCom entry\'s trigger events',
		titles,
		(list) => list.some((text) => text.startsWith('On text message (文本消息)')) && list.some((text) => text.startsWith('On approval status change (审批状态变化)')),
	);
	await shot('picker-trigger-events');
	// n8n's fallback for options without an action: "On " + the start-cased name ("On message text 文本消息").
	const machineNames = events.filter((text) => /^On (message|event|other) /i.test(text));
	assert.deepEqual(machineNames, [], `events named by n8n's fallback:\n${machineNames.join('\n')}`);
	await page.keyboard.press('Escape');
}
