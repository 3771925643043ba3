// Smart sheets (智能表格) in a real n8n: one published workflow with four production webhooks, each starting its own
// execution inside the `n8n start` process (no CLI process per run):
// - 1,200 rows made from items are appended in ceil(1200 / 500) add_records requests, one output item per row;
// - Get Many with a filter reads exactly the matching rows back, values converted to plain ones;
// - the same Append or Update run repeated leaves exactly one row per key with the newest values;
// - the sheet's own webhook (接收外部数据, no app, no token) adds rows through its separate credential.
// Each test checks what n8n stored for the execution and what the WeCom sandbox holds afterwards.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { packageTarball, startN8n, startSandbox } from './lib/n8n.mjs';
import { sandboxControl, sandboxDefaults } from '../sandbox/control-client.mjs';
import { bodyItems, node, weComApiCredential, weComNode, webhookTrigger, workflow, workflowId } from './lib/workflows.mjs';

const D = sandboxDefaults();
const WEDOC = '/cgi-bin/wedoc/smartsheet';
const RECORDS_PER_CALL = 500; // WeCom: 单次添加建议在500行内 (add/update/delete_records)
const ROWS = 1200;
const KEYS = 60;
const ID = workflowId('smartsheetHooks');
const PATHS = { append: 'e2e-sheet-append', pending: 'e2e-sheet-pending', upsert: 'e2e-sheet-upsert', hook: 'e2e-sheet-hook' };
const FIELDS = [
	{ field_title: '订单号', field_type: 'FIELD_TYPE_TEXT' },
	{ field_title: '金额', field_type: 'FIELD_TYPE_NUMBER' },
	{ field_title: '状态', field_type: 'FIELD_TYPE_SINGLE_SELECT', property_single_select: { options: [{ text: '待处理' }, { text: '处理中' }, { text: '已完成' }] } },
	{ field_title: '负责人', field_type: 'FIELD_TYPE_USER' },
	{ field_title: '下单时间', field_type: 'FIELD_TYPE_DATE_TIME' },
];
const START = Date.UTC(2026, 0, 1);

let sandbox;
let sb;
let n8n;
let sheet; // { docid, sheetId, fieldIds: { title: field_id } }

const rl = (value) => ({ __rl: true, mode: 'id', value });
const autoMapped = (matchingColumns = []) => ({ mappingMode: 'autoMapInputData', value: null, matchingColumns, schema: [], attemptToConvertTypes: false, convertFieldsToString: false });
const mark = async () => (await sb.state()).requestCount;
const since = async (from, path) => (await sb.requests()).slice(from).filter((r) => r.path === path);

/** POSTs to a production webhook; the answer comes when the execution has finished (responseMode lastNode). */
async function call(path, body) {
	const res = await fetch(`${n8n.url}/webhook/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(120_000) });
	const text = await res.text();
	assert.equal(res.status, 200, text.slice(0, 2000));
	return JSON.parse(text);
}

/**
 * n8n 2.41 registers published workflows' webhooks through its publication service, some seconds after it reports
 * ready (more under load). A GET to a POST-only webhook answers "not registered for GET requests" once it is there,
 * and starts nothing.
 */
async function waitForWebhooks(paths, timeoutMs = 180_000) {
	const deadline = Date.now() + timeoutMs;
	for (const path of paths) {
		for (;;) {
			const res = await fetch(`${n8n.url}/webhook/${path}`, { signal: AbortSignal.timeout(10_000) }).catch(() => undefined);
			const body = res ? await res.text() : '';
			if (res && !body.includes('is not registered.')) break;
			if (Date.now() > deadline) throw new Error(`n8n did not register POST /webhook/${path} within ${timeoutMs} ms\n--- n8n output ---\n${n8n.logs().slice(-4000)}`);
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
	}
}

/** The newest finished execution of the workflow, once n8n has stored `count` of them. */
async function execution(count) {
	const executions = await n8n.waitForExecutions(ID, count, 60_000);
	const newest = executions.sort((a, b) => Number(a.id) - Number(b.id)).at(-1);
	assert.equal(newest.status, 'success', JSON.stringify(newest.error));
	assert.equal(newest.mode, 'webhook');
	return newest;
}

/** The sheet's rows in the sandbox, cells keyed by column title. */
async function storedRows() {
	const doc = await sb.smartsheetDoc(sheet.docid);
	return doc.sheets[0].records;
}

const text = (cell) => cell?.map((segment) => segment.text).join('');

before(async () => {
	sandbox = await startSandbox();
	sb = sandboxControl(sandbox.url);
	const seeded = await sb.smartsheetSeed({ docName: '订单跟踪', creatorAgentId: D.agentId, sheets: [{ title: '订单', fields: FIELDS }] });
	sheet = { docid: seeded.docid, sheetId: seeded.sheets[0].sheet_id, fieldIds: Object.fromEntries(seeded.sheets[0].fields.map((f) => [f.field_title, f.field_id])) };
	const { key } = await sb.smartsheetWebhook(sheet.docid, sheet.sheetId);

	const app = weComApiCredential('sheetWeComApp001', 'WeCom app (sandbox)', { corpId: D.corpId, corpSecret: D.corpSecret, agentId: String(D.agentId), baseUrl: sandbox.url });
	// The whole address as users copy it from 接收外部数据; the credential sends only its key.
	const hookCredential = {
		ref: { type: 'weComSmartsheetWebhookApi', id: 'sheetWeComHook01', name: 'WeCom sheet webhook (sandbox)' },
		record: { id: 'sheetWeComHook01', name: 'WeCom sheet webhook (sandbox)', type: 'weComSmartsheetWebhookApi', data: { webhookKey: `https://qyapi.weixin.qq.com/cgi-bin/wedoc/smartsheet/webhook?key=${key}`, baseUrl: sandbox.url } },
	};
	const target = { resource: 'smartsheetRecord', document: rl(sheet.docid), sheet: rl(sheet.sheetId) };
	const rows = node('Rows', 'n8n-nodes-base.code', 2, {
		mode: 'runOnceForAllItems',
		language: 'javaScript',
		jsCode: [
			'const { count, prefix } = $input.first().json.body;',
			`const start = ${START};`,
			"const status = (n) => (n % 3 === 0 ? '待处理' : '已完成');",
			"return Array.from({ length: count }, (_, n) => ({ json: { 订单号: prefix + n, 金额: n, 状态: status(n), 负责人: n % 2 ? 'lisi' : 'zhangsan', 下单时间: new Date(start + n * 60000).toISOString() } }));",
		].join('\n'),
	});
	const hooks = workflow({
		id: ID,
		name: 'E2E smart sheets: append, read with a filter, append or update, sheet webhook',
		nodes: [
			webhookTrigger(PATHS.append, 'Append hook'),
			rows,
			weComNode('Append', { ...target, operation: 'append', columns: autoMapped() }, { credential: app.ref }),
			webhookTrigger(PATHS.pending, 'Pending hook'),
			weComNode(
				'Pending',
				{ ...target, operation: 'getMany', returnAll: true, filters: { conditions: [{ column: '状态', operator: 'is', value: '待处理' }] }, match: 'all' },
				{ credential: app.ref },
			),
			webhookTrigger(PATHS.upsert, 'Upsert hook'),
			bodyItems('Upsert items'),
			weComNode('Upsert', { ...target, operation: 'appendOrUpdate', columns: autoMapped(['订单号']) }, { credential: app.ref }),
			webhookTrigger(PATHS.hook, 'Sheet webhook hook'),
			bodyItems('Hook items'),
			weComNode(
				'Via webhook',
				{
					resource: 'smartsheetWebhook',
					operation: 'write',
					writeAs: 'add',
					valuesAs: 'fields',
					fields: {
						field: [
							{ key: sheet.fieldIds['订单号'], type: 'FIELD_TYPE_TEXT', value: '={{ $json.order }}' },
							{ key: sheet.fieldIds['金额'], type: 'FIELD_TYPE_NUMBER', value: '={{ $json.amount }}' },
							{ key: sheet.fieldIds['状态'], type: 'FIELD_TYPE_SINGLE_SELECT', value: '待处理' },
						],
					},
				},
				{ credential: hookCredential.ref },
			),
		],
		edges: [
			['Append hook', 'Rows'],
			['Rows', 'Append'],
			['Pending hook', 'Pending'],
			['Upsert hook', 'Upsert items'],
			['Upsert items', 'Upsert'],
			['Sheet webhook hook', 'Hook items'],
			['Hook items', 'Via webhook'],
		],
	});
	n8n = await startN8n({
		packageTarball: await packageTarball(),
		credentials: [app.record, hookCredential.record],
		workflows: [hooks],
		activate: [ID],
		startTimeoutMs: 300_000, // a loaded machine, not our code; the scenario itself asserts no timing
		log: Boolean(process.env.E2E_N8N_LOG),
	});
	await waitForWebhooks(Object.values(PATHS));
});

after(async () => {
	await n8n?.stop();
	await sandbox?.stop();
});

let executions = 0;

test(`${ROWS} items are appended in ceil(${ROWS} / ${RECORDS_PER_CALL}) add_records requests, one output item per row`, async () => {
	const from = await mark();
	const answer = await call(PATHS.append, { count: ROWS, prefix: 'A' });
	assert.equal(answer.length, ROWS);

	const adds = await since(from, `${WEDOC}/add_records`);
	assert.equal(adds.length, Math.ceil(ROWS / RECORDS_PER_CALL));
	assert.deepEqual(adds.map((r) => r.json.records.length), [500, 500, 200]);
	for (const r of adds) assert.equal(r.answer.errcode, 0);
	assert.equal((await since(from, `${WEDOC}/get_fields`)).length, 1, 'the columns are read once per run, not per item');

	const run = await execution(++executions);
	const output = run.data.Append;
	assert.equal(output.length, ROWS);
	assert.equal(new Set(output.map((json) => json.record_id)).size, ROWS, 'every row has its own record ID');
	assert.deepEqual(output[1199], {
		record_id: output[1199].record_id,
		订单号: 'A1199',
		金额: 1199,
		状态: '已完成',
		负责人: ['lisi'],
		下单时间: new Date(START + 1199 * 60000).toISOString(),
	});

	const stored = await storedRows();
	assert.equal(stored.length, ROWS);
	assert.deepEqual(stored.map((r) => r.record_id), output.map((json) => json.record_id), 'output item n is row n');
	assert.deepEqual(stored[3].values, {
		订单号: [{ type: 'text', text: 'A3' }],
		金额: 3,
		状态: [{ id: stored[3].values['状态'][0].id, text: '待处理', style: stored[3].values['状态'][0].style }],
		负责人: [{ user_id: 'lisi', id_type: 1 }],
		下单时间: String(START + 3 * 60000),
	});
});

test('Get Many with a filter reads back exactly the rows marked 待处理, as plain values', async () => {
	const from = await mark();
	const answer = await call(PATHS.pending, {});
	const expected = Array.from({ length: ROWS }, (_, n) => n).filter((n) => n % 3 === 0);
	assert.equal(answer.length, expected.length);

	const reads = await since(from, `${WEDOC}/get_records`);
	assert.equal(reads.length, 1, `${expected.length} rows fit in one read (≤ 1000)`);
	const [condition] = reads[0].json.filter_spec.conditions;
	assert.deepEqual(
		{ conjunction: reads[0].json.filter_spec.conjunction, field_id: condition.field_id, operator: condition.operator, values: condition.string_value.value.length },
		{ conjunction: 'CONJUNCTION_AND', field_id: sheet.fieldIds['状态'], operator: 'OPERATOR_IS', values: 1 },
	);

	const run = await execution(++executions);
	const output = run.data.Pending;
	assert.deepEqual(output.map((json) => json.订单号), expected.map((n) => `A${n}`));
	assert.ok(output.every((json) => json.状态 === '待处理'));
	assert.deepEqual(
		output.map((json) => [json.金额, json.负责人, json.下单时间]),
		expected.map((n) => [n, [n % 2 ? 'lisi' : 'zhangsan'], new Date(START + n * 60000).toISOString()]),
	);
	assert.match(output[0].create_time, /^\d{4}-\d\d-\d\dT/);
});

test('the same Append or Update run repeated leaves exactly one row per key with the newest values', async () => {
	const items = (round, status) => Array.from({ length: KEYS }, (_, n) => ({ 订单号: `K${n}`, 金额: round * 1000 + n, 状态: status }));
	const keyRows = async () => (await storedRows()).filter((r) => text(r.values['订单号']).startsWith('K'));

	let from = await mark();
	let answer = await call(PATHS.upsert, { items: items(1, '处理中') });
	assert.equal(answer.length, KEYS);
	assert.ok(answer.every((json) => json.action === 'appended'));
	assert.equal((await since(from, `${WEDOC}/add_records`)).length, 1);
	assert.equal((await since(from, `${WEDOC}/update_records`)).length, 0);
	// The matching column of the 1,200 rows already there, read in pages of 1000.
	assert.deepEqual((await since(from, `${WEDOC}/get_records`)).map((r) => [r.json.field_titles, r.json.offset]), [
		[['订单号'], 0],
		[['订单号'], 1000],
	]);
	const firstIds = answer.map((json) => json.record_id);
	await execution(++executions);

	// Twice with the newest values: both runs only update; the second one changes nothing.
	for (let repeat = 0; repeat < 2; repeat++) {
		from = await mark();
		answer = await call(PATHS.upsert, { items: items(2, '已完成') });
		assert.ok(answer.every((json) => json.action === 'updated'), `run ${repeat + 2}: ${JSON.stringify(answer[0])}`);
		assert.deepEqual(answer.map((json) => json.record_id), firstIds);
		assert.equal((await since(from, `${WEDOC}/add_records`)).length, 0);
		assert.deepEqual((await since(from, `${WEDOC}/update_records`)).map((r) => r.json.records.length), [KEYS]);
		const run = await execution(++executions);
		assert.equal(run.data.Upsert.length, KEYS);
	}

	const rows = await keyRows();
	assert.equal(rows.length, KEYS, 'one row per key');
	assert.deepEqual(
		rows.map((r) => [text(r.values['订单号']), r.values['金额'], r.values['状态'][0].text]),
		Array.from({ length: KEYS }, (_, n) => [`K${n}`, 2000 + n, '已完成']),
	);
	assert.equal((await storedRows()).length, ROWS + KEYS);
});

test("the sheet's own webhook (接收外部数据) adds rows through its credential, with no app and no token", async () => {
	const from = await mark();
	const tokensBefore = await sb.gettokenCount();
	const answer = await call(PATHS.hook, { items: [{ order: 'W1', amount: 10 }, { order: 'W2', amount: 20 }] });
	assert.deepEqual(answer.map((json) => json.action), ['added', 'added']);

	const [request, ...more] = await since(from, `${WEDOC}/webhook`);
	assert.equal(more.length, 0, 'both rows in one request');
	assert.equal(request.answer.errcode, 0);
	assert.equal(request.json.add_records.length, 2);
	assert.deepEqual(request.json.add_records[0].values[sheet.fieldIds['订单号']], [{ type: 'text', text: 'W1' }]);
	assert.equal(request.query.access_token, undefined);
	assert.equal(await sb.gettokenCount(), tokensBefore);
	await execution(++executions);

	const rows = (await storedRows()).filter((r) => text(r.values['订单号']).startsWith('W'));
	assert.deepEqual(rows.map((r) => [text(r.values['订单号']), r.values['金额'], r.values['状态'][0].text]), [
		['W1', 10, '待处理'],
		['W2', 20, '待处理'],
	]);
});
