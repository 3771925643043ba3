// Issue 10 in the editor: typing a sandbox approval template's ID into Approval → Submit fills the resource mapper
// with the template's controls, each with its type in the label, the required ones marked as n8n marks them.
import assert from 'node:assert/strict';
import { PACKAGE, WAIT_MS, closeNode, eventually, openNode, openWorkflow, sandboxApp, texts } from './ui.mjs';

export const title = 'approval: a sandbox template\'s controls appear in the Submit resource mapper with their types';

const ID = 'editorApproval00';
const EXPENSE_TEMPLATE_ID = '3WLJF6naF5jhnXvwisuPmE85wVMYcy2DLtLaZwLV'; // test/sandbox/approvalTemplates.ts

export function prepare({ node, workflow, sandbox }) {
	const app = sandboxApp(sandbox.url);
	return {
		credentials: [app.record],
		workflows: [
			workflow({
				id: ID,
				name: 'Editor: approval mapper',
				nodes: [
					node('Start', 'n8n-nodes-base.manualTrigger', 1),
					node('Submit approval', `${PACKAGE}.weCom`, 1, { resource: 'approval', operation: 'submit', templateId: { __rl: true, mode: 'id', value: '' } }, { credentials: app.ref }),
				],
				edges: [['Start', 'Submit approval']],
			}),
		],
	};
}

export async function check({ page, n8n, shot }) {
	await openWorkflow(page, n8n, ID);
	const ndv = await openNode(page, 'Submit approval');
	const input = ndv.getByTestId('rlc-input');
	await input.fill(EXPENSE_TEMPLATE_ID, { timeout: WAIT_MS });
	await input.press('Tab');
	const fields = page.getByTestId('mapping-fields-container').locator('.parameter-item');
	const labels = await eventually('the template\'s controls in the mapper', () => texts(fields), (list) => list.some((text) => text.includes('报销金额')));
	await shot('approval-mapper');
	for (const expected of ['报销事由 (Text', '报销金额 (Money', '发生日期 (Date', '费用类型 (Selector', '附件 (File']) {
		assert.ok(labels.some((text) => text.includes(expected)), `no field "${expected}…" in ${labels.join(' | ')}`);
	}
	// The required marks: in a resource mapper of mode 'add', n8n 2.41 (MappingFields) offers no "remove" button for a
	// required field and describes it as mandatory; optional controls can be removed. Its label asterisk is not shown there.
	const removeButtons = (title) => fields.filter({ hasText: `${title} (` }).locator('[data-test-id^="remove-field-button-"]').count();
	for (const required of ['报销事由', '报销金额', '发生日期', '费用类型']) assert.equal(await removeButtons(required), 0, `${required} is required in the template but can be removed`);
	for (const optional of ['详细说明', '票据张数', '附件']) assert.equal(await removeButtons(optional), 1, `${optional} is optional in the template but cannot be removed`);
	await closeNode(page);
}
