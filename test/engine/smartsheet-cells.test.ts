/**
 * Smart sheet cells of every field type both ways through n8n's engine: what Append sends (and the sandbox stores as
 * WeCom would), what Get Many gives back as plain values, the columns WeCom fills in itself, and the error for each
 * kind of bad value. (Types already covered in smartsheet.test.ts are only repeated here in forms it does not use.)
 */
import type { FieldSpec } from '../sandbox/smartsheet';
import { AGENT_ID, inputItem, useWeComTestBed } from './kit';
import { locators, mapped, storedRecords, type SeededSheet } from './smartsheetKit';

const ALL_TYPES: FieldSpec[] = [
	{ field_title: '文本', field_type: 'FIELD_TYPE_TEXT' },
	{ field_title: '货币', field_type: 'FIELD_TYPE_CURRENCY', property_currency: { decimal_places: 2 } },
	{ field_title: '百分比', field_type: 'FIELD_TYPE_PERCENTAGE' },
	{ field_title: '进度', field_type: 'FIELD_TYPE_PROGRESS' },
	{ field_title: '复选', field_type: 'FIELD_TYPE_CHECKBOX' },
	{ field_title: '日期', field_type: 'FIELD_TYPE_DATE_TIME' },
	{ field_title: '审批人', field_type: 'FIELD_TYPE_USER', property_user: { is_multiple: false } },
	{ field_title: '多选', field_type: 'FIELD_TYPE_SELECT', property_select: { options: [{ text: 'VIP' }, { text: '加急' }] } },
	{ field_title: '单选', field_type: 'FIELD_TYPE_SINGLE_SELECT', property_single_select: { options: [{ text: 'Open' }, { text: 'Done' }] } },
	{ field_title: '电话', field_type: 'FIELD_TYPE_PHONE_NUMBER' },
	{ field_title: '条码', field_type: 'FIELD_TYPE_BARCODE' },
	{ field_title: '地点', field_type: 'FIELD_TYPE_LOCATION' },
	{ field_title: '图片', field_type: 'FIELD_TYPE_IMAGE' },
	{ field_title: '附件', field_type: 'FIELD_TYPE_ATTACHMENT' },
	{ field_title: '公式', field_type: 'FIELD_TYPE_FORMULA' },
	{ field_title: '编号', field_type: 'FIELD_TYPE_AUTONUMBER' },
	{ field_title: '关联', field_type: 'FIELD_TYPE_REFERENCE' },
	{ field_title: '群', field_type: 'FIELD_TYPE_WWGROUP' },
	{ field_title: '创建人', field_type: 'FIELD_TYPE_CREATED_USER' },
	{ field_title: '修改人', field_type: 'FIELD_TYPE_MODIFIED_USER' },
	{ field_title: '修改时间', field_type: 'FIELD_TYPE_MODIFIED_TIME' },
];

describe('WeCom node: smart sheet cells of every field type', () => {
	const bed = useWeComTestBed('smartsheetRecord');
	const { run } = bed;

	function seed(): SeededSheet {
		const doc = bed.sandbox.smartsheet.seed({ corpId: bed.sandbox.corpId, doc_name: '全类型', creatorAgentId: AGENT_ID, sheets: [{ title: '全类型', fields: ALL_TYPES }] });
		return { docid: doc.docid, sheetId: doc.sheets[0].sheet_id };
	}
	const sheetOf = (seeded: SeededSheet) => {
		const sheet = bed.sandbox.smartsheet.docs.get(seeded.docid)?.sheets[0];
		if (!sheet) throw new Error('no sheet');
		return sheet;
	};
	const fieldId = (seeded: SeededSheet, title: string) => sheetOf(seeded).fields.find((field) => field.field_title === title)?.field_id ?? '';

	async function ok(parameters: Record<string, unknown>, items?: unknown[]) {
		const result = await run(parameters, items);
		expect(result.error).toBeUndefined();
		return result.output('WeCom').map((item) => item.json);
	}

	it('writes each writable type from the forms items carry, and reads the same values back', async () => {
		const sheet = seed();
		const value = {
			文本: { link: 'https://example.com/spec', text: '规格说明' },
			货币: '1,280.50',
			百分比: 0.25,
			进度: '60',
			复选: '否',
			日期: '1700000000',
			审批人: 'lisi',
			多选: 'vip;加急',
			单选: 'done',
			电话: 13800138000,
			条码: 6901234567892,
			地点: [{ lat: '31.2304', lng: '121.4737', name: '上海' }],
			图片: [{ url: 'https://example.com/a.png', title: '现场' }],
			附件: [{ file_url: 'https://drive.weixin.qq.com/s?k=AbC', name: '报价.pdf', file_id: 'F1', size: 2048 }, 'https://doc.weixin.qq.com/doc/w3_%E5%91%A8%E6%8A%A5'],
		};
		await ok({ operation: 'append', ...locators(sheet), columns: mapped(value) });
		const [stored] = storedRecords(bed.sandbox, sheet.docid);
		const options = (title: string) => sheetOf(sheet).fields.find((field) => field.field_title === title)?.properties;
		const optionId = (title: string, text: string) =>
			((options(title)?.property_select ?? options(title)?.property_single_select)?.options as Array<{ id: string; text: string }>).find((option) => option.text === text)?.id;
		expect(stored.values).toEqual({
			文本: [{ type: 'url', text: '规格说明', link: 'https://example.com/spec' }],
			货币: 1280.5,
			百分比: 0.25,
			进度: 60,
			复选: false,
			日期: '1700000000000',
			审批人: [{ user_id: 'lisi' }],
			多选: [expect.objectContaining({ id: optionId('多选', 'VIP'), text: 'VIP' }), expect.objectContaining({ id: optionId('多选', '加急'), text: '加急' })],
			单选: [expect.objectContaining({ id: optionId('单选', 'Done'), text: 'Done' })],
			电话: '13800138000',
			条码: '6901234567892',
			地点: [{ source_type: 1, id: '', latitude: '31.2304', longitude: '121.4737', title: '上海' }],
			图片: [expect.objectContaining({ image_url: 'https://example.com/a.png', title: '现场' })],
			附件: [
				expect.objectContaining({ name: '报价.pdf', file_url: 'https://drive.weixin.qq.com/s?k=AbC', file_id: 'F1', size: 2048 }),
				expect.objectContaining({ name: 'w3_周报', file_url: 'https://doc.weixin.qq.com/doc/w3_%E5%91%A8%E6%8A%A5' }),
			],
		});
		const sent = (bed.sandbox.requestsTo('/cgi-bin/wedoc/smartsheet/add_records')[0].json as { records: Array<{ values: Record<string, unknown> }> }).records[0].values;
		expect(sent.多选).toEqual([{ id: optionId('多选', 'VIP') }, { id: optionId('多选', '加急') }]);

		const [read] = await ok({ operation: 'getMany', ...locators(sheet), returnAll: true });
		expect(read).toMatchObject({
			文本: '规格说明',
			货币: 1280.5,
			百分比: 0.25,
			进度: 60,
			复选: false,
			日期: '2023-11-14T22:13:20.000Z',
			审批人: ['lisi'],
			多选: ['VIP', '加急'],
			单选: 'Done',
			电话: '13800138000',
			条码: '6901234567892',
			地点: { title: '上海', latitude: 31.2304, longitude: 121.4737 },
			图片: ['https://example.com/a.png'],
			附件: [
				{ name: '报价.pdf', url: 'https://drive.weixin.qq.com/s?k=AbC', size: 2048, ext: '' },
				{ name: 'w3_周报', url: 'https://doc.weixin.qq.com/doc/w3_%E5%91%A8%E6%8A%A5', size: 0, ext: '' },
			],
			编号: '1',
			创建人: `app${AGENT_ID}`,
			修改人: `app${AGENT_ID}`,
			修改时间: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
		});
		// What Get Many outputs can be written again (the attachment's {name, url} and the plain values).
		await ok({ operation: 'append', ...locators(sheet), columns: mapped({ 附件: read.附件, 多选: read.多选, 地点: read.地点, 审批人: read.审批人 }) });
		const files = stored.values.附件 as Array<Record<string, unknown>>;
		expect(storedRecords(bed.sandbox, sheet.docid)[1].values.附件).toEqual(files.map((file) => expect.objectContaining({ name: file.name, file_url: file.file_url, size: file.size })));
	});

	it('reads the columns WeCom computes (formula, reference, group chat) as plain values', async () => {
		const sheet = seed();
		const cells = new Map<string, unknown>([
			[fieldId(sheet, '公式'), [{ type: 'text', text: '合计 ' }, { type: 'text', text: '42' }]],
			[fieldId(sheet, '关联'), ['rA1', 'rB2']],
			[fieldId(sheet, '群'), [{ chat_id: 'wrX1', name: '项目群' }]],
		]);
		bed.sandbox.smartsheet.newRecord(sheetOf(sheet), cells, 'zhangsan');
		const [read] = await ok({ operation: 'getMany', ...locators(sheet), returnAll: true });
		expect(read).toMatchObject({ 公式: '合计 42', 关联: ['rA1', 'rB2'], 群: [{ chat_id: 'wrX1', name: '项目群' }], 创建人: 'zhangsan', 编号: '1' });
		const [raw] = await ok({ operation: 'getMany', ...locators(sheet), returnAll: true, options: { rawCells: true } });
		expect((raw.values as Record<string, unknown>).关联).toEqual(['rA1', 'rB2']);
	});

	it.each([
		['a currency', { 货币: '¥ twelve' }, /Column "货币" \(currency\) cannot take "¥ twelve": expected a number/],
		['a percentage', { 百分比: { value: 1 } }, /Column "百分比" \(percentage\) cannot take \{"value":1\}: expected a number/],
		['a progress', { 进度: true }, /Column "进度" \(progress\) cannot take true: expected a number/],
		['a date as an object', { 日期: { year: 2024 } }, /Column "日期" \(date time\) cannot take \{"year":2024\}: expected a date/],
		['two users in a one-user column', { 审批人: 'zhangsan|lisi' }, /Column "审批人" \(user\) cannot take "zhangsan\|lisi": expected one user/],
		['a multiple-select option that does not exist', { 多选: 'VIP|普通' }, /Column "多选" \(select\) has no option "普通"; its options are "VIP", "加急"/],
		['a select option given as an object without text', { 单选: [{ colour: 'red' }] }, /Column "单选" \(single select\) cannot take .*expected option texts/],
		['a phone number as an object', { 电话: { n: 1 } }, /Column "电话" \(phone number\) cannot take \{"n":1\}: expected a phone number/],
		['a location without a title', { 地点: { latitude: 1, longitude: 2 } }, /Column "地点" \(location\) cannot take .*expected \{latitude/],
		['an image list with one bad URL', { 图片: ['https://example.com/a.png', 'ftp://x/b.png'] }, /Column "图片" \(image\) cannot take .*expected image URLs/],
		['a file that is not a URL', { 附件: { name: 'a.pdf', file_url: 'C:\\a.pdf' } }, /Column "附件" \(attachment\) cannot take .*expected files by URL/],
		['a formula', { 公式: '=1+1' }, /Column "公式" \(formula\) is filled in by WeCom and cannot be written/],
		['an auto number', { 编号: 7 }, /Column "编号" \(autonumber\) is filled in by WeCom/],
		['a reference', { 关联: 'rA1' }, /Column "关联" \(reference\) is filled in by WeCom/],
		['a group chat', { 群: 'wrX1' }, /Column "群" \(wwgroup\) is filled in by WeCom/],
		['a creator', { 创建人: 'zhangsan' }, /Column "创建人" \(created user\) is filled in by WeCom/],
		['a modifier', { 修改人: 'zhangsan' }, /Column "修改人" \(modified user\) is filled in by WeCom/],
		['a modified time', { 修改时间: '2024-01-01' }, /Column "修改时间" \(modified time\) is filled in by WeCom/],
	])('refuses %s before any write, naming the column and what it takes', async (_label, value, message) => {
		const sheet = seed();
		const result = await run({ operation: 'append', ...locators(sheet), columns: mapped({ 文本: 'x', ...value }) });
		expect(result.error?.message).toMatch(message);
		expect(result.error?.description).toMatch(/Fix the value in the item or the column mapping/);
		expect(bed.sandbox.requestsTo('/cgi-bin/wedoc/smartsheet/add_records')).toHaveLength(0);
	});

	it('refuses a column of a type the node does not know, pointing to Raw Cells', async () => {
		const sheet = seed();
		const field = sheetOf(sheet).fields.find((entry) => entry.field_title === '条码');
		if (field) field.field_type = 'FIELD_TYPE_SIGNATURE';
		const result = await run({ operation: 'append', ...locators(sheet), columns: mapped({ 条码: 'x' }) });
		expect(result.error?.message).toBe('Column "条码" has a field type the node does not know (FIELD_TYPE_SIGNATURE); use Raw Cells');
	});

	it('an empty mapped value leaves the cell out; false and 0 are written', async () => {
		const sheet = seed();
		await ok({ operation: 'append', ...locators(sheet), columns: mapped({ 文本: 'A', 货币: '', 审批人: [], 复选: false, 进度: 0 }) });
		const sent = (bed.sandbox.requestsTo('/cgi-bin/wedoc/smartsheet/add_records')[0].json as { records: Array<{ values: Record<string, unknown> }> }).records[0].values;
		expect(sent).toEqual({ 文本: [{ type: 'text', text: 'A' }], 复选: false, 进度: 0 });
	});

	it('filters by member, by a relative day, by "is not" and by number order on currency', async () => {
		const sheet = seed();
		const today = new Date().toISOString();
		await ok({ operation: 'append', ...locators(sheet), columns: { mappingMode: 'autoMapInputData', value: null, matchingColumns: [], schema: [] } }, [
			inputItem({ 文本: 'a', 审批人: 'zhangsan', 日期: today, 货币: 5, 单选: 'Open' }),
			inputItem({ 文本: 'b', 审批人: 'lisi', 日期: '2020-01-01T00:00:00Z', 货币: 50, 单选: 'Done' }),
		]);
		const get = async (conditions: unknown[]) =>
			(await ok({ operation: 'getMany', ...locators(sheet), returnAll: true, filters: { conditions }, match: 'all' })).map((json) => json.文本);
		expect(await get([{ column: '审批人', operator: 'is', value: 'lisi' }])).toEqual(['b']);
		expect(await get([{ column: '日期', operator: 'is', value: 'today' }])).toEqual(['a']);
		expect(await get([{ column: '单选', operator: 'isNot', value: 'Open' }])).toEqual(['b']);
		expect(await get([{ column: '货币', operator: 'lessOrEqual', value: '5' }])).toEqual(['a']);
		const specs = bed.sandbox.requestsTo('/cgi-bin/wedoc/smartsheet/get_records').map((request) => (request.json as { filter_spec: { conditions: unknown[] } }).filter_spec.conditions[0]);
		expect(specs[0]).toMatchObject({ field_type: 'FIELD_TYPE_USER', user_value: { value: ['lisi'] } });
		expect(specs[1]).toMatchObject({ date_time_value: { type: 'DATE_TIME_TYPE_TODAY' } });
		expect(specs[3]).toMatchObject({ operator: 'OPERATOR_IS_LESS_OR_EQUAL', number_value: { value: 5 } });
		const text = await run({ operation: 'getMany', ...locators(sheet), returnAll: true, filters: { conditions: [{ column: '货币', operator: 'contains', value: '5' }] } });
		expect(text.error?.message).toMatch(/The filter "contains" does not apply to column "货币" \(currency\)/);
	});
});
