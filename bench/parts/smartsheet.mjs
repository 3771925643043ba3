// Smart sheets: 5,000 rows appended by one execution (test.input → WeCom node, Smart Sheet Record → Append, columns
// mapped automatically) through n8n-core's engine against the in-process sandbox. Figures: the add_records requests
// WeCom receives vs the fewest its per-call limit allows (ceil(5000 / 500)), and the wall time vs a bare keep-alive
// node:http loop posting exactly the bodies the node sent (read back from the sandbox's record), one after another.
import { performance } from 'node:perf_hooks';

import { barePoster, getJson } from '../lib/bareHttp.mjs';
import { addApiCredential, expectSuccess, loadKit } from '../lib/engine.mjs';
import { fmt, log, quick, report, row } from '../lib/stats.mjs';

const ROWS = quick ? 1000 : 5000;
const WARMUP = 500;
const PER_CALL = 500; // WeCom: 单次添加建议在500行内 (add_records, page 99907)
const ADD = '/cgi-bin/wedoc/smartsheet/add_records';

const kit = loadKit();
const sandbox = await kit.startSandbox({ recordBodies: true });
try {
	const store = new kit.CredentialStore();
	const credentialId = addApiCredential(kit, store, sandbox);
	const doc = sandbox.smartsheet.seed({
		corpId: sandbox.corpId,
		doc_name: '订单',
		creatorAgentId: kit.SANDBOX_DEFAULTS.agentId,
		sheets: [
			{
				title: '订单',
				fields: [
					{ field_title: '订单号', field_type: 'FIELD_TYPE_TEXT' },
					{ field_title: '金额', field_type: 'FIELD_TYPE_NUMBER' },
					{ field_title: '已付款', field_type: 'FIELD_TYPE_CHECKBOX' },
					{ field_title: '下单时间', field_type: 'FIELD_TYPE_DATE_TIME' },
					{ field_title: '状态', field_type: 'FIELD_TYPE_SINGLE_SELECT', property_single_select: { options: [{ text: '待处理' }, { text: '已完成' }] } },
				],
			},
		],
	});
	const sheet = doc.sheets[0];
	const rowsOf = (count, prefix) =>
		Array.from({ length: count }, (_, n) => ({
			json: { 订单号: `${prefix}-${n}`, 金额: n * 1.5, 已付款: n % 2 === 0, 下单时间: new Date(Date.UTC(2026, 0, 1) + n * 60_000).toISOString(), 状态: n % 3 ? '已完成' : '待处理' },
		}));
	const append = async (count, prefix) => {
		const workflow = kit.inputWorkflow(
			{
				id: '2',
				name: 'WeCom',
				type: 'n8n-nodes-wecom-kit.weCom',
				parameters: {
					resource: 'smartsheetRecord',
					operation: 'append',
					document: { __rl: true, mode: 'id', value: doc.docid },
					sheet: { __rl: true, mode: 'id', value: sheet.sheet_id },
					columns: { mappingMode: 'autoMapInputData', value: null, matchingColumns: [], schema: [], attemptToConvertTypes: false, convertFieldsToString: false },
				},
				credentials: { weComApi: { id: credentialId, name: 'WeCom (bench)' } },
			},
			rowsOf(count, prefix),
			{ name: 'bench smart sheet append' },
		);
		const from = sandbox.requests.length;
		const started = performance.now();
		const result = await kit.runWorkflow({ workflow, credentials: store, timeoutMs: 10 * 60 * 1000 });
		const wallMs = performance.now() - started;
		const output = expectSuccess(result);
		if (output.length !== count || output.some((item) => typeof item.json.record_id !== 'string')) throw new Error(`expected ${count} output items with record IDs`);
		const requests = sandbox.requests.slice(from);
		return { wallMs, nodeMs: result.task('WeCom')?.executionTime ?? NaN, adds: requests.filter((entry) => entry.path === ADD), requests: requests.length };
	};

	const { access_token: token } = await getJson(`${sandbox.url}/cgi-bin/gettoken?corpid=${kit.SANDBOX_DEFAULTS.corpId}&corpsecret=${kit.SANDBOX_DEFAULTS.corpSecret}`);
	const runBare = async (bodies) => {
		const poster = barePoster(sandbox.url, { keepAlive: true });
		const started = performance.now();
		for (const body of bodies) await poster.post(`${ADD}?access_token=${encodeURIComponent(token)}`, body);
		const ms = performance.now() - started;
		poster.close();
		return ms;
	};

	await append(WARMUP, 'warm');
	const runs = [await append(ROWS, 'run1'), await append(ROWS, 'run2')];
	const bodies = runs[0].adds.map((entry) => entry.json);
	const bare = [await runBare(bodies), await runBare(bodies)];
	const minimum = Math.ceil(ROWS / PER_CALL);
	const sizes = runs[0].adds.map((entry) => entry.json.records.length);
	const stored = sheet.records.length;
	const expectedStored = WARMUP + 2 * ROWS + 2 * ROWS;
	if (stored !== expectedStored) throw new Error(`the sheet holds ${stored} rows, expected ${expectedStored}`);
	const best = Math.min(...runs.map((run) => run.wallMs));
	const bareBest = Math.min(...bare);
	log(
		`engine: ${runs.map((run) => `${fmt.int(run.wallMs)} ms wall (node ${fmt.int(run.nodeMs)} ms), ${run.adds.length} add_records of ${run.requests} requests`).join('; ')}; ` +
			`bare: ${bare.map((ms) => `${fmt.int(ms)} ms`).join(' / ')} for ${bodies.length} posts; batch sizes ${sizes.join(', ')}`,
	);
	const requests = runs[0].adds.length;
	report(
		'smartsheet',
		[
			row(
				`Requests to append ${fmt.int(ROWS)} rows (Smart Sheet Record → Append, one execution)`,
				`${requests} add_records (${runs[0].requests} requests in all)`,
				`${minimum} (WeCom: ≤ ${PER_CALL} rows per add_records)`,
				`${(requests / minimum).toFixed(2)}×`,
				`${minimum}`,
				requests === minimum && runs[1].adds.length === minimum,
				`batch sizes ${sizes.join(', ')}; the other request is get_fields (the columns, once per run); ${stored} rows stored in the sandbox`,
			),
			row(
				`Wall time to append ${fmt.int(ROWS)} rows through the engine vs bare HTTP posting the same ${bodies.length} bodies`,
				`${fmt.int(best)} ms (${fmt.int(ROWS / (best / 1000))} rows/s)`,
				`${fmt.int(bareBest)} ms`,
				fmt.ratio(best / bareBest),
				'—',
				null,
				`best of 2 runs each (engine ${runs.map((run) => fmt.int(run.wallMs)).join('/')} ms, node ${runs.map((run) => fmt.int(run.nodeMs)).join('/')} ms; bare ${bare.map((ms) => fmt.int(ms)).join('/')} ms); the engine time includes reading the columns, converting ${fmt.int(ROWS)} items to WeCom cells and the output items; the sandbox validates every cell in both`,
			),
		],
		{ rows: ROWS, minimum, requests, sizes, runs: runs.map((run) => ({ wallMs: run.wallMs, nodeMs: run.nodeMs, adds: run.adds.length, requests: run.requests })), bare },
	);
} finally {
	await sandbox.close();
}
