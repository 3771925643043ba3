/**
 * What the editor asks of the smart sheet node, through n8n-core's LoadOptionsContext against the sandbox: the Sheet
 * picker (list search), the column lists of filters/sort/fields, and the resource mapper's columns with their types.
 */
import type { ILoadOptionsFunctions, INodeListSearchResult, INodePropertyOptions, ResourceMapperFields } from 'n8n-workflow';

import { WeCom } from '../../nodes/WeCom/WeCom.node';
import { useWeComTestBed } from './kit';
import { seedOrders } from './smartsheetKit';

type Method<T> = (this: ILoadOptionsFunctions, filter?: string) => Promise<T>;

describe('WeCom node: smart sheet pickers and columns in the editor', () => {
	const bed = useWeComTestBed('smartsheetRecord');

	const contextFor = (parameters: Record<string, unknown>, path: string) => bed.loadOptionsContext({ operation: 'append', ...parameters }, path);
	const methods = new WeCom().methods;
	const rl = (value: string) => ({ __rl: true, mode: 'id', value });

	it('lists the document\'s smart sheets (not dashboards) and searches them by title or ID', async () => {
		const sheet = seedOrders(bed.sandbox);
		const doc = bed.sandbox.smartsheet.docs.get(sheet.docid);
		if (!doc) throw new Error('no document');
		const second = bed.sandbox.smartsheet.addSheet(doc, '退货登记');
		const search = methods.listSearch?.searchSheets as Method<INodeListSearchResult>;
		const context = contextFor({ document: rl(sheet.docid) }, 'parameters.sheet');
		expect((await search.call(context)).results).toEqual([
			{ name: '订单', value: sheet.sheetId },
			{ name: '退货登记', value: second.sheet_id },
		]);
		expect((await search.call(context, '退货')).results).toEqual([{ name: '退货登记', value: second.sheet_id }]);
		expect((await search.call(context, sheet.sheetId.toUpperCase())).results).toEqual([{ name: '订单', value: sheet.sheetId }]);
		expect(bed.sandbox.requestsTo('/cgi-bin/wedoc/smartsheet/get_sheet').map((request) => request.json)).toEqual([{ docid: sheet.docid }, { docid: sheet.docid }, { docid: sheet.docid }]);
		expect((await search.call(contextFor({ document: rl('') }, 'parameters.sheet'))).results).toEqual([]);
	});

	it('lists the columns by title with their type for filters, sort and selected fields', async () => {
		const sheet = seedOrders(bed.sandbox);
		const columns = methods.loadOptions?.getSheetColumns as Method<INodePropertyOptions[]>;
		const list = await columns.call(contextFor({ document: rl(sheet.docid), sheet: rl(sheet.sheetId) }, 'parameters.filters'));
		expect(list[0]).toEqual({ name: '订单号', value: '订单号', description: 'text' });
		expect(list.find((entry) => entry.value === '创建时间')).toEqual({ name: '创建时间', value: '创建时间', description: 'created time (read-only)' });
		expect(await columns.call(contextFor({ document: rl(sheet.docid) }, 'parameters.filters'))).toEqual([]);
	});

	it('gives the resource mapper every column with the closest n8n type, select options, and read-only columns removed', async () => {
		const sheet = seedOrders(bed.sandbox);
		const getColumns = methods.resourceMapping?.getColumns as Method<ResourceMapperFields>;
		const { fields } = await getColumns.call(contextFor({ document: rl(sheet.docid), sheet: rl(sheet.sheetId) }, 'parameters.columns'));
		const byId = Object.fromEntries(fields.map((field) => [field.id, field]));
		expect(fields.map((field) => field.id)).toEqual(['订单号', '金额', '已付款', '下单时间', '负责人', '链接', '状态', '标签', '电话', '邮箱', '地点', '图片', '创建时间']);
		expect(byId.订单号).toMatchObject({ displayName: '订单号 (text)', type: 'string', canBeUsedToMatch: true, readOnly: false, removed: false });
		expect(byId.金额.type).toBe('number');
		expect(byId.已付款.type).toBe('boolean');
		expect(byId.下单时间.type).toBe('dateTime');
		expect(byId.链接.type).toBe('url');
		expect(byId.地点.type).toBe('object');
		expect(byId.状态).toMatchObject({ type: 'options', options: [{ name: '待处理', value: '待处理' }, { name: '处理中', value: '处理中' }, { name: '已完成', value: '已完成' }] });
		expect(byId.标签.type).toBe('string'); // several options: text "a|b" or an array
		expect(byId.创建时间).toMatchObject({ displayName: '创建时间 (created time, read-only)', readOnly: true, removed: true });
		expect(bed.sandbox.requestsTo('/cgi-bin/wedoc/smartsheet/get_fields').map((request) => request.json)).toEqual([
			{ docid: sheet.docid, sheet_id: sheet.sheetId, offset: 0, limit: 1000 },
		]);
		const empty = await getColumns.call(contextFor({ document: rl(sheet.docid), sheet: rl('') }, 'parameters.columns'));
		expect(empty).toEqual({ fields: [], emptyFieldsNotice: 'Choose a document and a sheet first' });
	});

	it('explains in the editor a document the app may not call', async () => {
		const sheet = seedOrders(bed.sandbox, { creatorAgentId: undefined });
		const getColumns = methods.resourceMapping?.getColumns as Method<ResourceMapperFields>;
		await expect(getColumns.call(contextFor({ document: rl(sheet.docid), sheet: rl(sheet.sheetId) }, 'parameters.columns'))).rejects.toThrow(/WeCom 48002: the app may not call this document/);
	});
});
