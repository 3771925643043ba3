// Issue 10 in the editor: typing a sandbox approval template's ID into Approval → Submit fills the resource mapper
// with the template's controls, each with its type in the label and the template's required marks.
import assert from 'node:assert/strict';
import { PACKAGE, WAIT_MS, closeNode, eventually, openNode, openWorkflow, sandboxApp, texts } from './ui.mjs';

export const title = 'approval: a sandbox template\'s controls appear in the Submit resource mapper with types and required marks';

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
	// Required controls (报销事由, 报销金额, 发生日期, 费用类型) carry n8n's required mark; optional ones do not.
	const required = async (title) => fields.filter({ hasText: title }).first().locator('.required, [class*="required"]').count();
	for (const title of ['报销事由', '报销金额', '发生日期', '费用类型']) assert.ok((await required(title)) > 0, `${title} has no required mark`);
	for (const title of ['详细说明', '附件']) assert.equal(await required(title), 0, `${title} is marked required`);
	await closeNode(page);
}
