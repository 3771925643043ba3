/**
 * Smart Sheet Webhook → Add or Update Records through n8n's engine against the sandbox: the sheet's own webhook
 * (接收外部数据), keyed by field ID, authenticated by the key alone (no app, no access token), batched, with WeCom's
 * errors explained and the key never shown.
 */
import { inputItem, useWeComTestBed } from './kit';
import { runWorkflow, inputWorkflow } from '../harness';
import { seedOrders, storedRecords, type SeededSheet } from './smartsheetKit';

const WEBHOOK = '/cgi-bin/wedoc/smartsheet/webhook';

describe('WeCom node: Smart Sheet Webhook (接收外部数据)', () => {
	const bed = useWeComTestBed('smartsheetWebhook');

	let sheet: SeededSheet;
	let key: string;
	let credentialId: string;
	beforeEach(() => {
		sheet = seedOrders(bed.sandbox);
		key = bed.sandbox.smartsheet.createWebhook(sheet.docid, sheet.sheetId);
		credentialId = bed.credentials.add('weComSmartsheetWebhookApi', { webhookKey: `https://qyapi.weixin.qq.com${WEBHOOK}?key=${key}`, baseUrl: bed.sandbox.url });
	});

	const fieldId = (title: string) => bed.sandbox.smartsheet.docs.get(sheet.docid)?.sheets[0].fields.find((field) => field.field_title === title)?.field_id ?? '';
	const bodies = () => bed.sandbox.requestsTo(WEBHOOK).map((request) => request.json as Record<string, Array<{ record_id?: string; values: Record<string, unknown> }>>);

	async function run(parameters: Record<string, unknown>, items: unknown[] = [inputItem()], continueOnFail = false) {
		const node = {
			id: 'WeCom',
			name: 'WeCom',
			type: 'weCom',
			parameters: { resource: 'smartsheetWebhook', operation: 'write', ...parameters },
			credentials: { weComSmartsheetWebhookApi: { id: credentialId, name: 'Sheet webhook' } },
			...(continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
		};
		return await runWorkflow({ workflow: inputWorkflow(node, items), credentials: bed.credentials });
	}

	const typedFields = () => ({
		field: [
			{ key: fieldId('订单号'), type: 'FIELD_TYPE_TEXT', value: '={{ $json.order }}' },
			{ key: fieldId('金额'), type: 'FIELD_TYPE_NUMBER', value: '={{ $json.amount }}' },
			{ key: fieldId('状态'), type: 'FIELD_TYPE_SINGLE_SELECT', value: '={{ $json.status }}' },
			{ key: fieldId('下单时间'), type: 'FIELD_TYPE_DATE_TIME', value: '={{ $json.at }}' },
		],
	});

	it('adds one row per item in one request, cells in WeCom\'s format keyed by field ID, with no access token', async () => {
		const items = [1, 2, 3].map((n) => inputItem({ order: `W${n}`, amount: `${n}0`, status: '待处理', at: '2024-05-01T00:00:00Z' }));
		const result = await run({ writeAs: 'add', valuesAs: 'fields', fields: typedFields() }, items);
		expect(result.error).toBeUndefined();
		const [body, ...more] = bodies();
		expect(more).toHaveLength(0);
		expect(body.add_records[0].values).toEqual({
			[fieldId('订单号')]: [{ type: 'text', text: 'W1' }],
			[fieldId('金额')]: 10,
			[fieldId('状态')]: [{ text: '待处理' }],
			[fieldId('下单时间')]: String(Date.parse('2024-05-01T00:00:00Z')),
		});
		const [request] = bed.sandbox.requestsTo(WEBHOOK);
		expect(request.query).toEqual({ key });
		expect(bed.sandbox.requestsTo('/cgi-bin/gettoken')).toHaveLength(0);
		const output = result.output('WeCom').map((item) => item.json);
		const stored = storedRecords(bed.sandbox, sheet.docid);
		expect(output.map((json) => [json.action, json.record_id])).toEqual(stored.map((record) => ['added', record.record_id]));
		expect(stored.map((record) => [record.values.金额, (record.values.状态 as Array<{ text: string }>)[0].text])).toEqual([
			[10, '待处理'],
			[20, '待处理'],
			[30, '待处理'],
		]);
		expect(JSON.stringify(output)).not.toContain(key);
	});

	it('updates rows by record ID from raw JSON values; adds and updates of one run go in separate requests', async () => {
		const added = await run({ writeAs: 'add', valuesAs: 'json', valuesJson: `={{ JSON.stringify({ "${fieldId('订单号')}": [{ type: 'text', text: $json.order }] }) }}` }, [
			inputItem({ order: 'A' }),
			inputItem({ order: 'B' }),
		]);
		const ids = added.output('WeCom').map((item) => String(item.json.record_id));
		const result = await run(
			{
				writeAs: '={{ $json.id ? "update" : "add" }}',
				recordId: '={{ $json.id }}',
				valuesAs: 'json',
				valuesJson: `={{ JSON.stringify({ "${fieldId('金额')}": $json.amount }) }}`,
			},
			[inputItem({ id: ids[1], amount: 99 }), inputItem({ amount: 1 }), inputItem({ id: ids[0], amount: 42 })],
		);
		expect(result.error).toBeUndefined();
		expect(result.output('WeCom').map((item) => item.json.action)).toEqual(['updated', 'added', 'updated']);
		const [, adds, updates] = bodies();
		expect(adds.add_records).toHaveLength(1);
		expect(updates.update_records.map((record) => [record.record_id, record.values[fieldId('金额')]])).toEqual([
			[ids[1], 99],
			[ids[0], 42],
		]);
		expect(storedRecords(bed.sandbox, sheet.docid).map((record) => record.values.金额)).toEqual([42, 99, 1]);
	});

	it('sends 600 rows in two requests of at most 500', async () => {
		const items = Array.from({ length: 600 }, (_, n) => inputItem({ order: `N${n}`, amount: n, status: '处理中', at: 1700000000 }));
		const result = await run({ writeAs: 'add', valuesAs: 'fields', fields: typedFields() }, items);
		expect(result.error).toBeUndefined();
		expect(bodies().map((body) => body.add_records.length)).toEqual([500, 100]);
		expect(result.output('WeCom')).toHaveLength(600);
		expect(storedRecords(bed.sandbox, sheet.docid)).toHaveLength(600);
	});

	it('a bad value fails its own item before any request; with Continue On Fail the others are written', async () => {
		const items = [inputItem({ order: 'ok', amount: 1, status: '待处理', at: 1 }), inputItem({ order: 'bad', amount: 'lots', status: '待处理', at: 1 })];
		const failed = await run({ writeAs: 'add', valuesAs: 'fields', fields: typedFields() }, items);
		expect(failed.error?.message).toMatch(/Column "[^"]+" \(number\) cannot take "lots": expected a number/);
		expect(bodies()).toHaveLength(0);
		const result = await run({ writeAs: 'add', valuesAs: 'fields', fields: typedFields() }, items, true);
		expect(result.output('WeCom').map((item) => item.json.error ?? item.json.action)).toEqual(['added', expect.stringMatching(/cannot take "lots"/)]);
		expect(storedRecords(bed.sandbox, sheet.docid)).toHaveLength(1);
		const empty = await run({ writeAs: 'add', valuesAs: 'fields', fields: {} });
		expect(empty.error?.message).toBe('No values to write');
		const notObject = await run({ writeAs: 'add', valuesAs: 'json', valuesJson: '[1, 2]' });
		expect(notObject.error?.message).toBe('Values (JSON) must be a JSON object');
		const noRecord = await run({ writeAs: 'update', recordId: ' ', valuesAs: 'json', valuesJson: '{"x": 1}' });
		expect(noRecord.error?.message).toBe('Record ID is empty');
	});

	it('explains an unknown key (93000) without showing it, and a column the webhook may not write (40058)', async () => {
		credentialId = bed.credentials.add('weComSmartsheetWebhookApi', { webhookKey: 'not-a-key-0123456789', baseUrl: bed.sandbox.url });
		const unknown = await run({ writeAs: 'add', valuesAs: 'fields', fields: typedFields() }, [inputItem({ order: 'x', amount: 1, status: '待处理', at: 1 })]);
		expect(unknown.error?.message).toBe('WeCom 93000: the smart sheet webhook key is invalid, or 接收外部数据 was turned off for the sheet');
		expect(unknown.error?.description).toMatch(/子表 → 接收外部数据/);
		expect(`${unknown.error?.message} ${unknown.error?.description}`).not.toContain('not-a-key-0123456789');

		credentialId = bed.credentials.add('weComSmartsheetWebhookApi', { webhookKey: key, baseUrl: bed.sandbox.url });
		const readOnly = await run({ writeAs: 'add', valuesAs: 'json', valuesJson: JSON.stringify({ [fieldId('创建时间')]: '1700000000000' }) });
		expect(readOnly.error?.message).toMatch(/^WeCom 40058: /);
		expect(readOnly.error?.description).toMatch(/cannot be written through the webhook/);
		expect(readOnly.error?.description).not.toContain(key);
	});
});
