/**
 * examples/smartsheet-orders.json's WeCom nodes as the file has them, run through n8n's engine against the sandbox
 * (only the placeholders swapped for a seeded sheet and the bed's credential; the triggers replaced by test input):
 * orders become rows, and the owners of the rows marked 待处理 are told and the rows set to 处理中.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { runWorkflow } from '../harness';
import type { WorkflowNode } from '../harness/runWorkflow';
import type { FieldSpec } from '../sandbox/smartsheet';
import { AGENT_ID, useWeComTestBed } from './kit';
import { storedRecords } from './smartsheetKit';

interface ExampleNode {
	name: string;
	type: string;
	parameters: Record<string, unknown>;
}

const example = JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', 'smartsheet-orders.json'), 'utf8')) as { nodes: ExampleNode[] };

const ORDER_COLUMNS: FieldSpec[] = [
	{ field_title: '订单号', field_type: 'FIELD_TYPE_TEXT' },
	{ field_title: '客户', field_type: 'FIELD_TYPE_TEXT' },
	{ field_title: '金额', field_type: 'FIELD_TYPE_NUMBER' },
	{ field_title: '负责人', field_type: 'FIELD_TYPE_USER' },
	{ field_title: '状态', field_type: 'FIELD_TYPE_SINGLE_SELECT', property_single_select: { options: [{ text: '待处理' }, { text: '处理中' }, { text: '已完成' }] } },
	{ field_title: '下单时间', field_type: 'FIELD_TYPE_DATE_TIME' },
];

describe('examples/smartsheet-orders.json', () => {
	const bed = useWeComTestBed('smartsheetRecord');

	function exampleNodes(docid: string, sheetId: string) {
		const text = JSON.stringify(example.nodes).split('REPLACE_WITH_YOUR_DOCID').join(docid).split('REPLACE_WITH_SHEET_ID').join(sheetId);
		const nodes = JSON.parse(text) as ExampleNode[];
		return (name: string, x: number): WorkflowNode => {
			const found = nodes.find((entry) => entry.name === name);
			if (!found) throw new Error(`examples/smartsheet-orders.json has no node "${name}"`);
			return { id: name, name, type: 'weCom', typeVersion: 1, position: [x, 0], parameters: found.parameters, credentials: { weComApi: { id: bed.credentialId, name: 'WeCom' } } };
		};
	}

	it('appends the posted orders as rows, then tells the owners of the pending ones and marks them 处理中', async () => {
		const doc = bed.sandbox.smartsheet.seed({ corpId: bed.sandbox.corpId, doc_name: '订单', creatorAgentId: AGENT_ID, sheets: [{ title: '订单', fields: ORDER_COLUMNS }] });
		const node = exampleNodes(doc.docid, doc.sheets[0].sheet_id);
		const orders = [
			{ id: 'SO-1001', customer: '华东建材', total: '1,280.50', owner: 'zhangsan', createdAt: '2026-12-01T09:30:00+08:00' },
			{ id: 'SO-1002', customer: '北方物流', total: 560, owner: 'lisi', createdAt: '2026-12-01T10:00:00+08:00' },
		];
		// What the webhook and Split Out hand on: one item per order.
		const appended = await runWorkflow({
			workflow: {
				nodes: [{ id: 'input', name: 'Input', type: 'test.input', typeVersion: 1, position: [0, 0], parameters: { items: orders.map((json) => ({ json })) } }, node('Append orders', 200)],
				connections: { Input: { main: [[{ node: 'Append orders', type: 'main', index: 0 }]] } },
			},
			credentials: bed.credentials,
		});
		expect(appended.error).toBeUndefined();
		expect(appended.output('Append orders').map((item) => item.json)).toEqual([
			expect.objectContaining({ 订单号: 'SO-1001', 客户: '华东建材', 金额: 1280.5, 负责人: ['zhangsan'], 状态: '待处理', 下单时间: '2026-12-01T01:30:00.000Z' }),
			expect.objectContaining({ 订单号: 'SO-1002', 金额: 560, 负责人: ['lisi'], 状态: '待处理' }),
		]);
		// A row someone already took on is not pending.
		const [first] = storedRecords(bed.sandbox, doc.docid);
		const status = doc.sheets[0].fields.find((field) => field.field_title === '状态');
		const options = (status?.properties.property_single_select?.options ?? []) as Array<{ id: string; text: string; style: number }>;
		const done = options.find((option) => option.text === '已完成');
		doc.sheets[0].byId.get(first.record_id)?.values.set(status?.field_id ?? '', [done]);

		const hourly = await runWorkflow({
			workflow: {
				nodes: [
					{ id: 'input', name: 'Input', type: 'test.input', typeVersion: 1, position: [0, 0], parameters: { items: [{ json: {} }] } },
					node('Pending orders', 200),
					node('Notify owner', 400),
					node('Mark 处理中', 600),
				],
				connections: {
					Input: { main: [[{ node: 'Pending orders', type: 'main', index: 0 }]] },
					'Pending orders': { main: [[{ node: 'Notify owner', type: 'main', index: 0 }]] },
					'Notify owner': { main: [[{ node: 'Mark 处理中', type: 'main', index: 0 }]] },
				},
			},
			credentials: bed.credentials,
		});
		expect(hourly.error).toBeUndefined();
		const [message, ...more] = bed.sandbox.requestsTo('/cgi-bin/message/send').map((request) => request.json as { touser: string; markdown: { content: string } });
		expect(more).toHaveLength(0);
		expect(message.touser).toBe('lisi');
		expect(message.markdown.content).toMatch(/\*\*订单 SO-1002\*\* <font color="warning">待处理<\/font>\n> 客户: 北方物流\n> 金额: 560/);
		expect(storedRecords(bed.sandbox, doc.docid).map((record) => (record.values.状态 as Array<{ text: string }>)[0].text)).toEqual(['已完成', '处理中']);
	});
});
