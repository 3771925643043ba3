/**
 * Smart sheets (智能表格) through n8n's real engine against the sandbox: documents, sheets, views, fields, records
 * (Append / Update / Append or Update / Get Many / Delete, batched), conversions both ways, and WeCom's errors.
 */
import { AGENT_ID, inputItem, useWeComTestBed } from './kit';
import { autoMapped, locators, mapped, seedOrders, storedRecords } from './smartsheetKit';

const bodiesOf = (bed: ReturnType<typeof useWeComTestBed>, endpoint: string) =>
	bed.sandbox.requestsTo(`/cgi-bin/wedoc/${endpoint}`).map((request) => request.json as Record<string, unknown>);

describe('WeCom node: smart sheets (智能表格)', () => {
	const bed = useWeComTestBed('smartsheetRecord');
	const { run } = bed;

	async function ok(parameters: Record<string, unknown>, items?: unknown[]) {
		const result = await run(parameters, items);
		expect(result.error).toBeUndefined();
		return result.output('WeCom').map((item) => item.json);
	}

	describe('documents', () => {
		it('creates a smart sheet document in a space folder with admins and outputs docid, link and sheets', async () => {
			const [json] = await ok({ resource: 'smartsheetDoc', operation: 'create', docName: '订单跟踪', options: { spaceId: 's1', folderId: 'f1', adminUsers: 'zhangsan|lisi' } });
			expect(bodiesOf(bed, 'create_doc')).toEqual([{ doc_type: 10, doc_name: '订单跟踪', spaceid: 's1', fatherid: 'f1', admin_users: ['zhangsan', 'lisi'] }]);
			expect(json).toMatchObject({ docid: expect.stringMatching(/^dc/), url: expect.stringMatching(/^https:\/\/doc\.weixin\.qq\.com\/smartsheet\//), doc_type: 10 });
			expect(json.sheets).toEqual([expect.objectContaining({ sheet_id: expect.any(String), type: 'smartsheet' })]);
		});

		it('refuses a folder without a space, and a name over 255 characters, before any request', async () => {
			let result = await run({ resource: 'smartsheetDoc', operation: 'create', docName: 'x', options: { folderId: 'f1' } });
			expect(result.error?.message).toMatch(/Folder ID needs a Space ID/);
			result = await run({ resource: 'smartsheetDoc', operation: 'create', docName: '表'.repeat(256) });
			expect(result.error?.message).toMatch(/256 characters; WeCom allows at most 255/);
			expect(bodiesOf(bed, 'create_doc')).toHaveLength(0);
		});

		it('gets a document with its share link, and deletes it', async () => {
			const [created] = await ok({ resource: 'smartsheetDoc', operation: 'create', docName: '周报' });
			const document = { __rl: true, mode: 'id', value: created.docid };
			const [info] = await ok({ resource: 'smartsheetDoc', operation: 'get', document });
			expect(info).toMatchObject({ docid: created.docid, doc_name: '周报', doc_type: 10, share_url: created.url });
			const [deleted] = await ok({ resource: 'smartsheetDoc', operation: 'delete', document });
			expect(deleted).toEqual({ docid: created.docid, deleted: true });
			const again = await run({ resource: 'smartsheetDoc', operation: 'get', document });
			expect(again.error?.message).toMatch(/WeCom 40058: the document, sheet, field or record does not exist/);
		});

		it('explains a document the app did not create (可调用应用 / created by the app)', async () => {
			const sheet = seedOrders(bed.sandbox, { creatorAgentId: undefined });
			const result = await run({ resource: 'smartsheetDoc', operation: 'get', document: locators(sheet).document });
			expect(result.error?.message).toBe('WeCom 48002: the app may not call this document (API接口无权限调用)');
			expect(result.error?.description).toMatch(/可调用接口的应用/);
			expect(result.error?.description).toMatch(/not created by this app/);
			bed.sandbox.smartsheet.docs.get(sheet.docid)?.sharedWith.add(AGENT_ID);
			await ok({ resource: 'smartsheetDoc', operation: 'get', document: locators(sheet).document });
		});

		it('explains an app missing from 文档 → 可调用接口的应用', async () => {
			bed.sandbox.smartsheet.docApiApps = new Set([999]);
			const result = await run({ resource: 'smartsheetDoc', operation: 'create', docName: 'x' });
			expect(result.error?.message).toMatch(/WeCom 48002/);
			expect(result.error?.description).toMatch(/协作 → 文档 → API → 可调用接口的应用/);
		});
	});

	describe('sheets, views and fields', () => {
		it('adds, lists, renames and deletes sheets', async () => {
			const sheet = seedOrders(bed.sandbox);
			const { document } = locators(sheet);
			const [added] = await ok({ resource: 'smartsheet', operation: 'addSheet', document, title: '退货', index: 0 });
			expect(added).toMatchObject({ docid: sheet.docid, title: '退货', index: 0, sheet_id: expect.any(String) });
			let list = await ok({ resource: 'smartsheet', operation: 'getSheets', document, returnAll: true });
			expect(list.map((entry) => entry.title)).toEqual(['退货', '订单']);
			const renamed = { __rl: true, mode: 'id', value: added.sheet_id };
			await ok({ resource: 'smartsheet', operation: 'renameSheet', document, sheet: renamed, title: '售后' });
			await ok({ resource: 'smartsheet', operation: 'deleteSheet', document, sheet: locators(sheet).sheet });
			list = await ok({ resource: 'smartsheet', operation: 'getSheets', document, returnAll: false, limit: 5 });
			expect(list.map((entry) => entry.title)).toEqual(['售后']);
		});

		it('lists views with offset paging', async () => {
			const sheet = seedOrders(bed.sandbox);
			const views = await ok({ resource: 'smartsheet', operation: 'getViews', ...locators(sheet), returnAll: true });
			expect(views).toEqual([expect.objectContaining({ view_type: 'VIEW_TYPE_GRID', view_title: '表格视图' })]);
			expect(bodiesOf(bed, 'smartsheet/get_views')[0]).toMatchObject({ offset: 0, limit: 1000 });
		});

		it('adds a select field with options, a number field with settings; updates and deletes fields', async () => {
			const sheet = seedOrders(bed.sandbox);
			const [select] = await ok({
				resource: 'smartsheet',
				operation: 'addField',
				...locators(sheet),
				fieldTitle: '优先级',
				fieldType: 'FIELD_TYPE_SINGLE_SELECT',
				fieldSettings: { selectOptions: '高|中|低' },
			});
			expect(select).toMatchObject({ field_title: '优先级', field_type: 'FIELD_TYPE_SINGLE_SELECT' });
			expect((select.property_single_select as { options: Array<{ text: string }> }).options.map((option) => option.text)).toEqual(['高', '中', '低']);
			await ok({ resource: 'smartsheet', operation: 'addField', ...locators(sheet), fieldTitle: '数量', fieldType: 'FIELD_TYPE_NUMBER', fieldSettings: { decimalPlaces: 0, useSeparate: true } });
			expect(bodiesOf(bed, 'smartsheet/add_fields')[1].fields).toEqual([{ field_title: '数量', field_type: 'FIELD_TYPE_NUMBER', property_number: { decimal_places: 0, use_separate: true } }]);

			const [updated] = await ok({ resource: 'smartsheet', operation: 'updateField', ...locators(sheet), field: '优先级', newTitle: '紧急程度', fieldSettings: { selectOptions: '中|紧急' } });
			expect(updated.field_title).toBe('紧急程度');
			expect((updated.property_single_select as { options: Array<{ text: string }> }).options.map((option) => option.text)).toEqual(['高', '中', '低', '紧急']);
			const sent = bodiesOf(bed, 'smartsheet/update_fields')[0].fields as Array<Record<string, unknown>>;
			expect(sent[0]).toMatchObject({ field_id: select.field_id, field_type: 'FIELD_TYPE_SINGLE_SELECT', field_title: '紧急程度' });

			await ok({ resource: 'smartsheet', operation: 'deleteField', ...locators(sheet), fields: ['紧急程度', '数量'] });
			const fields = await ok({ resource: 'smartsheet', operation: 'getFields', ...locators(sheet), returnAll: true });
			expect(fields.map((field) => field.field_title)).not.toContain('紧急程度');
			expect(fields.find((field) => field.field_title === '创建时间')).toMatchObject({ writable: false });
			const missing = await run({ resource: 'smartsheet', operation: 'deleteField', ...locators(sheet), fields: ['没有'] });
			expect(missing.error?.message).toMatch(/The sheet has no field "没有"/);
		});
	});

	describe('records', () => {
		const row = (n: number) => ({ 订单号: `A${n}`, 金额: n, 状态: '待处理' });

		it('appends every field type from one item and reads the same plain values back', async () => {
			const sheet = seedOrders(bed.sandbox);
			const value = {
				订单号: 'A-1',
				金额: '1,234.5',
				已付款: 'yes',
				下单时间: '2024-05-01T09:30:00+08:00',
				负责人: 'zhangsan|lisi',
				链接: { link: 'https://example.com/a', text: '订单页' },
				状态: '处理中',
				标签: ['加急', 'VIP'],
				电话: '+86 138 0013 8000',
				邮箱: 'ops@example.com',
				地点: { latitude: 39.9, longitude: 116.4, title: '北京' },
				图片: 'https://example.com/a.png',
			};
			const [appended] = await ok({ operation: 'append', ...locators(sheet), columns: mapped(value) });
			const [stored] = storedRecords(bed.sandbox, sheet.docid);
			expect(stored.values).toMatchObject({
				订单号: [{ type: 'text', text: 'A-1' }],
				金额: 1234.5,
				已付款: true,
				下单时间: String(Date.parse('2024-05-01T01:30:00Z')),
				负责人: [{ user_id: 'zhangsan' }, { user_id: 'lisi' }],
				链接: [{ type: 'url', text: '订单页', link: 'https://example.com/a' }],
				电话: '+86 138 0013 8000',
				邮箱: 'ops@example.com',
				地点: [{ source_type: 1, id: '', latitude: '39.9', longitude: '116.4', title: '北京' }],
			});
			expect(appended.record_id).toBe(stored.record_id);
			const [read] = await ok({ operation: 'getMany', ...locators(sheet), returnAll: true });
			expect(read).toMatchObject({
				record_id: stored.record_id,
				订单号: 'A-1',
				金额: 1234.5,
				已付款: true,
				下单时间: '2024-05-01T01:30:00.000Z',
				负责人: ['zhangsan', 'lisi'],
				链接: 'https://example.com/a',
				状态: '处理中',
				标签: ['加急', 'VIP'],
				电话: '+86 138 0013 8000',
				邮箱: 'ops@example.com',
				地点: { title: '北京', latitude: 39.9, longitude: 116.4 },
				图片: ['https://example.com/a.png'],
				创建时间: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
			});
			const [raw] = await ok({ operation: 'getMany', ...locators(sheet), returnAll: true, options: { rawCells: true } });
			expect((raw.values as Record<string, unknown>).金额).toBe(1234.5);
		});

		it('takes dates as epoch seconds, epoch milliseconds and Luxon DateTimes', async () => {
			const sheet = seedOrders(bed.sandbox);
			const items = [{ t: 1700000000 }, { t: 1700000000123 }].map((json) => inputItem(json));
			await ok({ operation: 'append', ...locators(sheet), columns: mapped({ 订单号: 'x', 下单时间: '={{ $json.t }}' }) }, items);
			await ok({ operation: 'append', ...locators(sheet), columns: mapped({ 订单号: 'y', 下单时间: "={{ DateTime.fromISO('2024-01-02T03:04:05Z') }}" }) });
			expect(storedRecords(bed.sandbox, sheet.docid).map((record) => record.values.下单时间)).toEqual(['1700000000000', '1700000000123', String(Date.parse('2024-01-02T03:04:05Z'))]);
		});

		it('appends 1,001 items with 3 requests (500 per call), paired, each with its record ID', async () => {
			const sheet = seedOrders(bed.sandbox);
			const items = Array.from({ length: 1001 }, (_, n) => inputItem(row(n)));
			const result = await run({ operation: 'append', ...locators(sheet), columns: autoMapped() }, items);
			expect(result.error).toBeUndefined();
			const output = result.output('WeCom');
			expect(bodiesOf(bed, 'smartsheet/add_records').map((body) => (body.records as unknown[]).length)).toEqual([500, 500, 1]);
			expect(bodiesOf(bed, 'smartsheet/get_fields')).toHaveLength(1);
			expect(output).toHaveLength(1001);
			expect(output.map((item) => item.pairedItem)).toEqual(items.map((_, item) => ({ item })));
			const stored = storedRecords(bed.sandbox, sheet.docid);
			expect(output.map((item) => item.json.record_id)).toEqual(stored.map((record) => record.record_id));
			expect(output[1000].json).toMatchObject({ 订单号: 'A1000', 金额: 1000, 状态: '待处理' });
		});

		it('a failing batch fails exactly its items with Continue On Fail; bad values fail their own item only', async () => {
			const sheet = seedOrders(bed.sandbox);
			const items = Array.from({ length: 1200 }, (_, n) => inputItem(n === 3 ? { 订单号: 'bad', 金额: 'abc' } : row(n)));
			bed.sandbox.injectError('/cgi-bin/wedoc/smartsheet/add_records', 40058, 1);
			const result = await run({ operation: 'append', ...locators(sheet), columns: autoMapped() }, items, { continueOnFail: true });
			expect(result.error).toBeUndefined();
			const output = result.output('WeCom');
			expect(output).toHaveLength(1200);
			expect(output[3].json.error).toMatch(/Column "金额" \(number\) cannot take "abc": expected a number/);
			const failed = output.map((item, index) => (item.json.error ? index : -1)).filter((index) => index >= 0);
			// The first request (items 0..500 without 3) failed: exactly those 500 items, plus the bad value.
			expect(failed).toEqual(Array.from({ length: 501 }, (_, n) => n));
			expect(storedRecords(bed.sandbox, sheet.docid)).toHaveLength(699);
		});

		it.each([
			['a number', { 金额: 'zwölf' }, /Column "金额" \(number\) cannot take "zwölf": expected a number/],
			['a checkbox', { 已付款: 'vielleicht' }, /Column "已付款" \(checkbox\) cannot take "vielleicht": expected true or false/],
			['a date', { 下单时间: 'next tuesday-ish' }, /Column "下单时间" \(date time\) cannot take "next tuesday-ish": expected a date/],
			['a member', { 负责人: '张 三' }, /Column "负责人" \(user\) cannot take "张 三": expected user IDs/],
			['a URL', { 链接: 'example.com' }, /Column "链接" \(url\) cannot take "example.com": expected an http\(s\) URL/],
			['a single select option', { 状态: '搁置' }, /Column "状态" \(single select\) has no option "搁置"; its options are "待处理", "处理中", "已完成"/],
			['two options in a single select', { 状态: '待处理|处理中' }, /expected one option \(single select\)/],
			['a phone number', { 电话: 'call me' }, /Column "电话" \(phone number\) cannot take "call me": expected a phone number/],
			['an email', { 邮箱: 'ops-at-example' }, /Column "邮箱" \(email\) cannot take "ops-at-example": expected an email address/],
			['a location', { 地点: { latitude: 120, longitude: 10, title: 'x' } }, /Column "地点" \(location\) cannot take .*latitude \(-90..90\)/],
			['an image', { 图片: 'not a url' }, /Column "图片" \(image\) cannot take "not a url": expected image URLs/],
			['a read-only column', { 创建时间: '2024-01-01' }, /Column "创建时间" \(created time\) is filled in by WeCom and cannot be written/],
			['an unknown column', { 颜色: 'red' }, /The sheet has no column "颜色"; its columns are "订单号", "金额"/],
		])('refuses %s before any write, naming the column', async (_label, value, message) => {
			const sheet = seedOrders(bed.sandbox);
			const result = await run({ operation: 'append', ...locators(sheet), columns: mapped({ 订单号: 'A', ...value }) });
			expect(result.error?.message).toMatch(message);
			expect(bodiesOf(bed, 'smartsheet/add_records')).toHaveLength(0);
		});

		it('creates a missing select option when asked', async () => {
			const sheet = seedOrders(bed.sandbox);
			await ok({ operation: 'append', ...locators(sheet), columns: mapped({ 订单号: 'A', 标签: '新客|VIP' }), options: { createMissingOptions: true } });
			const sent = (bodiesOf(bed, 'smartsheet/add_records')[0].records as Array<{ values: Record<string, unknown> }>)[0].values.标签;
			expect(sent).toEqual([{ text: '新客' }, { id: expect.any(String) }]);
			const [read] = await ok({ operation: 'getMany', ...locators(sheet), returnAll: true });
			expect(read.标签).toEqual(['新客', 'VIP']);
		});

		it('updates records by ID in batches, leaving unmapped columns as they were', async () => {
			const sheet = seedOrders(bed.sandbox);
			const appended = await ok({ operation: 'append', ...locators(sheet), columns: autoMapped() }, Array.from({ length: 3 }, (_, n) => inputItem(row(n))));
			const items = appended.map((json) => inputItem({ id: json.record_id }));
			const updated = await ok({ operation: 'update', ...locators(sheet), recordId: '={{ $json.id }}', columns: mapped({ 状态: '已完成', 已付款: true }) }, items);
			expect(bodiesOf(bed, 'smartsheet/update_records')).toHaveLength(1);
			expect(updated.map((json) => json.record_id)).toEqual(appended.map((json) => json.record_id));
			const read = await ok({ operation: 'getMany', ...locators(sheet), returnAll: true });
			expect(read.map((json) => [json.订单号, json.状态, json.已付款])).toEqual([
				['A0', '已完成', true],
				['A1', '已完成', true],
				['A2', '已完成', true],
			]);
		});

		it('explains a record that does not exist', async () => {
			const sheet = seedOrders(bed.sandbox);
			const result = await run({ operation: 'update', ...locators(sheet), recordId: 'rNOPE', columns: mapped({ 状态: '已完成' }) });
			expect(result.error?.message).toMatch(/WeCom 40058: the document, sheet, field or record does not exist/);
			expect(result.error?.description).toMatch(/record ID that does not exist/);
			expect(result.error?.description).toMatch(/record_id "rNOPE" does not exist/);
		});

		it('explains a cell WeCom refuses for its column type', async () => {
			const sheet = seedOrders(bed.sandbox);
			// A column changed type after the node read it: WeCom refuses the text for the (now) number column.
			const fields = bed.sandbox.smartsheet.docs.get(sheet.docid)?.sheets[0].fields ?? [];
			bed.sandbox.injectError('/cgi-bin/wedoc/smartsheet/add_records', 40058, 1, 'the value for field "金额" (FIELD_TYPE_NUMBER) must be a number');
			const result = await run({ operation: 'append', ...locators(sheet), columns: mapped({ 订单号: 'A' }) });
			expect(fields.length).toBeGreaterThan(0);
			expect(result.error?.description).toMatch(/a column whose type does not take the value/);
			expect(result.error?.description).toMatch(/must be a number/);
		});

		it('Append or Update: the same 600 keys twice leave one row per key with the newest values', async () => {
			const sheet = seedOrders(bed.sandbox);
			const items = (round: number) => Array.from({ length: 600 }, (_, n) => inputItem({ 订单号: `K${n}`, 金额: n + round * 1000 }));
			const parameters = { operation: 'appendOrUpdate', ...locators(sheet), columns: autoMapped(['订单号']) };
			const first = await ok(parameters, items(1));
			expect(first.every((json) => json.action === 'appended')).toBe(true);
			const second = await ok(parameters, items(2));
			expect(second.every((json) => json.action === 'updated')).toBe(true);
			expect(second.map((json) => json.record_id)).toEqual(first.map((json) => json.record_id));
			const stored = storedRecords(bed.sandbox, sheet.docid);
			expect(stored).toHaveLength(600);
			expect(stored[599].values).toMatchObject({ 订单号: [{ type: 'text', text: 'K599' }], 金额: 2599 });
			expect(bodiesOf(bed, 'smartsheet/add_records').map((body) => (body.records as unknown[]).length)).toEqual([500, 100]);
			expect(bodiesOf(bed, 'smartsheet/update_records').map((body) => (body.records as unknown[]).length)).toEqual([500, 100]);
			expect(bodiesOf(bed, 'smartsheet/get_records').map((body) => body.field_titles)).toEqual([['订单号'], ['订单号']]);
		});

		it('Append or Update matches on several columns and merges repeated keys in one run', async () => {
			const sheet = seedOrders(bed.sandbox);
			const parameters = { operation: 'appendOrUpdate', ...locators(sheet), columns: autoMapped(['订单号', '状态']) };
			await ok(parameters, [inputItem({ 订单号: 'A', 状态: '待处理', 金额: 1 })]);
			const output = await ok(parameters, [
				inputItem({ 订单号: 'A', 状态: '待处理', 金额: 2 }),
				inputItem({ 订单号: 'A', 状态: '已完成', 金额: 3 }),
				inputItem({ 订单号: 'A', 状态: '已完成', 金额: 4 }),
			]);
			expect(output.map((json) => json.action)).toEqual(['updated', 'appended', 'appended']);
			expect(output[1].record_id).toBe(output[2].record_id);
			expect(storedRecords(bed.sandbox, sheet.docid).map((record) => record.values.金额)).toEqual([2, 4]);
			const missing = await run(parameters, [inputItem({ 订单号: 'B' })]);
			expect(missing.error?.message).toMatch(/no value for the matching column "状态"/);
		});

		it('Get Many pages 2,500 records with offset/limit 1000, and Limit asks only for what is wanted', async () => {
			const sheet = seedOrders(bed.sandbox);
			await ok({ operation: 'append', ...locators(sheet), columns: autoMapped() }, Array.from({ length: 2500 }, (_, n) => inputItem(row(n))));
			const all = await ok({ operation: 'getMany', ...locators(sheet), returnAll: true });
			expect(all).toHaveLength(2500);
			expect(bodiesOf(bed, 'smartsheet/get_records').map((body) => [body.offset, body.limit])).toEqual([
				[0, 1000],
				[1000, 1000],
				[2000, 1000],
			]);
			bed.sandbox.requests.length = 0;
			const some = await ok({ operation: 'getMany', ...locators(sheet), returnAll: false, limit: 1200 });
			expect(some).toHaveLength(1200);
			expect(bodiesOf(bed, 'smartsheet/get_records').map((body) => [body.offset, body.limit])).toEqual([
				[0, 1000],
				[1000, 200],
			]);
		});

		it('Get Many filters (text, number, select, checkbox, date, empty), any/all, and selected fields', async () => {
			const sheet = seedOrders(bed.sandbox);
			await ok({ operation: 'append', ...locators(sheet), columns: autoMapped() }, [
				inputItem({ 订单号: 'A1', 金额: 5, 状态: '待处理', 已付款: true, 下单时间: '2024-05-01T10:00:00Z' }),
				inputItem({ 订单号: 'A2', 金额: 50, 状态: '已完成', 已付款: false, 下单时间: '2024-05-02T10:00:00Z' }),
				inputItem({ 订单号: 'B3', 金额: 500, 状态: '待处理' }),
			]);
			const get = async (conditions: unknown[], match = 'all', options = {}) =>
				(await ok({ operation: 'getMany', ...locators(sheet), returnAll: true, filters: { conditions }, match, options })).map((json) => json.订单号);
			expect(await get([{ column: '状态', operator: 'is', value: '待处理' }])).toEqual(['A1', 'B3']);
			expect(await get([{ column: '金额', operator: 'greater', value: '10' }])).toEqual(['A2', 'B3']);
			expect(await get([{ column: '订单号', operator: 'contains', value: 'A' }, { column: '已付款', operator: 'is', value: 'true' }])).toEqual(['A1']);
			expect(await get([{ column: '订单号', operator: 'is', value: 'B3' }, { column: '已付款', operator: 'is', value: 'true' }], 'any')).toEqual(['A1', 'B3']);
			expect(await get([{ column: '下单时间', operator: 'is', value: '2024-05-02' }])).toEqual(['A2']);
			expect(await get([{ column: '下单时间', operator: 'isEmpty' }])).toEqual(['B3']);
			const filterSpec = bodiesOf(bed, 'smartsheet/get_records')[0].filter_spec as { conditions: Array<Record<string, unknown>> };
			expect(filterSpec.conditions[0]).toMatchObject({ operator: 'OPERATOR_IS', field_type: 'FIELD_TYPE_SINGLE_SELECT', string_value: { value: [expect.any(String)] } });
			const [only] = await ok({ operation: 'getMany', ...locators(sheet), returnAll: false, limit: 1, options: { fields: ['订单号'] } });
			expect(Object.keys(only).filter((key) => !['record_id', 'create_time', 'update_time', 'creator_name', 'updater_name'].includes(key))).toEqual(['订单号']);
			const unknownOption = await run({ operation: 'getMany', ...locators(sheet), returnAll: true, filters: { conditions: [{ column: '状态', operator: 'is', value: '搁置' }] } });
			expect(unknownOption.error?.message).toMatch(/has no option "搁置" to filter by/);
			const badOperator = await run({ operation: 'getMany', ...locators(sheet), returnAll: true, filters: { conditions: [{ column: '已付款', operator: 'greater', value: '1' }] } });
			expect(badOperator.error?.message).toMatch(/does not apply to column "已付款" \(checkbox\)/);
		});

		it('Get Many sorts, reads given record IDs and a view; refuses filter and sort together', async () => {
			const sheet = seedOrders(bed.sandbox);
			const appended = await ok({ operation: 'append', ...locators(sheet), columns: autoMapped() }, [5, 50, 20].map((n) => inputItem(row(n))));
			const sorted = await ok({ operation: 'getMany', ...locators(sheet), returnAll: true, options: { sort: { rules: [{ column: '金额', desc: true }] } } });
			expect(sorted.map((json) => json.金额)).toEqual([50, 20, 5]);
			const ids = await ok({ operation: 'getMany', ...locators(sheet), returnAll: true, options: { recordIds: `${String(appended[2].record_id)}|${String(appended[0].record_id)}` } });
			expect(ids.map((json) => json.金额)).toEqual([20, 5]);
			const viewId = bed.sandbox.smartsheet.docs.get(sheet.docid)?.sheets[0].views[0].view_id;
			await ok({ operation: 'getMany', ...locators(sheet), returnAll: true, options: { viewId } });
			expect(bodiesOf(bed, 'smartsheet/get_records').pop()).toMatchObject({ view_id: viewId });
			const both = await run({
				operation: 'getMany',
				...locators(sheet),
				returnAll: true,
				filters: { conditions: [{ column: '金额', operator: 'greater', value: '1' }] },
				options: { sort: { rules: [{ column: '金额' }] } },
			});
			expect(both.error?.message).toMatch(/WeCom cannot filter and sort in one read/);
		});

		it('deletes records in batches of 500 IDs, one output item per input item', async () => {
			const sheet = seedOrders(bed.sandbox);
			const appended = await ok({ operation: 'append', ...locators(sheet), columns: autoMapped() }, Array.from({ length: 1000 }, (_, n) => inputItem(row(n))));
			// 400 items with 2 IDs each: 800 IDs, 250 items (500 IDs) per request.
			const items = Array.from({ length: 400 }, (_, n) => inputItem({ ids: [appended[2 * n].record_id, appended[2 * n + 1].record_id] }));
			const output = await ok({ operation: 'delete', ...locators(sheet), recordIds: '={{ $json.ids }}' }, items);
			expect(bodiesOf(bed, 'smartsheet/delete_records').map((body) => (body.record_ids as unknown[]).length)).toEqual([500, 300]);
			expect(output).toHaveLength(400);
			expect(output[0]).toEqual({ deleted: true, record_ids: [appended[0].record_id, appended[1].record_id] });
			expect(storedRecords(bed.sandbox, sheet.docid)).toHaveLength(200);
			const gone = await run({ operation: 'delete', ...locators(sheet), recordIds: String(appended[0].record_id) });
			expect(gone.error?.description).toMatch(/does not exist/);
		});
	});
});
