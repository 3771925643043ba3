// Issue 11 in the editor: Smart Sheet Record → Append with a sandbox document (by ID: WeCom cannot list documents)
// and its sheet picked from the list shows the sheet's columns, with their types, in the resource mapper.
import assert from 'node:assert/strict';
import { PACKAGE, WAIT_MS, closeNode, eventually, openNode, openWorkflow, sandboxApp, texts } from './ui.mjs';

export const title = 'smart sheet: picking a document and a sheet shows its columns in the Append resource mapper';

const ID = 'editorSheet00000';
const FIELDS = [
	{ field_title: '订单号', field_type: 'FIELD_TYPE_TEXT' },
	{ field_title: '金额', field_type: 'FIELD_TYPE_NUMBER' },
	{ field_title: '状态', field_type: 'FIELD_TYPE_SINGLE_SELECT', property_single_select: { options: [{ text: '待处理' }, { text: '已完成' }] } },
	{ field_title: '下单时间', field_type: 'FIELD_TYPE_DATE_TIME' },
];

export async function prepare({ node, workflow, sandbox, sb, defaults }) {
	const app = sandboxApp(sandbox.url);
	const doc = await sb.smartsheetSeed({ docName: '订单跟踪', creatorAgentId: defaults.agentId, sheets: [{ title: '订单', fields: FIELDS }, { title: '客户', fields: [{ field_title: '客户名', field_type: 'FIELD_TYPE_TEXT' }] }] });
	return {
		credentials: [app.record],
		state: { docid: doc.docid },
		workflows: [
			workflow({
				id: ID,
				name: 'Editor: smart sheet mapper',
				nodes: [
					node('Start', 'n8n-nodes-base.manualTrigger', 1),
					node(
						'Append rows',
						`${PACKAGE}.weCom`,
						1,
						{ resource: 'smartsheetRecord', operation: 'append', document: { __rl: true, mode: 'id', value: '' }, sheet: { __rl: true, mode: 'list', value: '' } },
						{ credentials: app.ref },
					),
				],
				edges: [['Start', 'Append rows']],
			}),
		],
	};
}

export async function check({ page, n8n, shot, state }) {
	await openWorkflow(page, n8n, ID);
	const ndv = await openNode(page, 'Append rows');
	const [documentInput, sheetInput] = [ndv.getByTestId('rlc-input').nth(0), ndv.getByTestId('rlc-input').nth(1)];
	await documentInput.fill(state.docid, { timeout: WAIT_MS });
	await documentInput.press('Tab');
	await sheetInput.click({ timeout: WAIT_MS });
	const sheets = await eventually('the document\'s sheets', () => texts(page.getByTestId('rlc-item')), (list) => list.includes('订单'));
	assert.deepEqual([...sheets].sort(), ['客户', '订单']);
	await page.getByTestId('rlc-item').filter({ hasText: '订单' }).first().click();
	const fields = page.getByTestId('mapping-fields-container').locator('.parameter-item');
	const labels = await eventually('the sheet\'s columns in the mapper', () => texts(fields), (list) => list.some((text) => text.includes('订单号')));
	await shot('smartsheet-mapper');
	for (const expected of ['订单号 (text)', '金额 (number)', '状态 (single select)', '下单时间 (date time)']) {
		assert.ok(labels.some((text) => text.includes(expected)), `no column "${expected}" in ${labels.join(' | ')}`);
	}
	assert.ok(!labels.some((text) => text.includes('客户名')), 'a column of the other sheet is shown');
	await closeNode(page);
}
