/** Smart sheet fixtures for the engine tests: a typed sheet, locator and column-mapper parameters. */
import type { FieldSpec } from '../sandbox/smartsheet';
import type { WeComSandbox } from '../sandbox';
import { AGENT_ID } from './kit';

export const ORDER_FIELDS: FieldSpec[] = [
	{ field_title: '订单号', field_type: 'FIELD_TYPE_TEXT' },
	{ field_title: '金额', field_type: 'FIELD_TYPE_NUMBER', property_number: { decimal_places: 2 } },
	{ field_title: '已付款', field_type: 'FIELD_TYPE_CHECKBOX' },
	{ field_title: '下单时间', field_type: 'FIELD_TYPE_DATE_TIME' },
	{ field_title: '负责人', field_type: 'FIELD_TYPE_USER' },
	{ field_title: '链接', field_type: 'FIELD_TYPE_URL' },
	{ field_title: '状态', field_type: 'FIELD_TYPE_SINGLE_SELECT', property_single_select: { options: [{ text: '待处理' }, { text: '处理中' }, { text: '已完成' }] } },
	{ field_title: '标签', field_type: 'FIELD_TYPE_SELECT', property_select: { options: [{ text: '加急' }, { text: 'VIP' }] } },
	{ field_title: '电话', field_type: 'FIELD_TYPE_PHONE_NUMBER' },
	{ field_title: '邮箱', field_type: 'FIELD_TYPE_EMAIL' },
	{ field_title: '地点', field_type: 'FIELD_TYPE_LOCATION' },
	{ field_title: '图片', field_type: 'FIELD_TYPE_IMAGE' },
	{ field_title: '创建时间', field_type: 'FIELD_TYPE_CREATED_TIME' },
];

export interface SeededSheet {
	docid: string;
	sheetId: string;
}

/** A document the test app created, with one sheet of ORDER_FIELDS. */
export function seedOrders(sandbox: WeComSandbox, options: { creatorAgentId?: number; sharedWith?: number[] } = {}): SeededSheet {
	const doc = sandbox.smartsheet.seed({
		corpId: sandbox.corpId,
		doc_name: '订单跟踪',
		creatorAgentId: 'creatorAgentId' in options ? options.creatorAgentId : AGENT_ID,
		sharedWith: options.sharedWith,
		sheets: [{ title: '订单', fields: ORDER_FIELDS }],
	});
	return { docid: doc.docid, sheetId: doc.sheets[0].sheet_id };
}

export const locators = (sheet: SeededSheet) => ({
	document: { __rl: true, mode: 'id', value: sheet.docid },
	sheet: { __rl: true, mode: 'id', value: sheet.sheetId },
});

export function mapped(value: Record<string, unknown>, matchingColumns: string[] = []) {
	return { mappingMode: 'defineBelow', value, matchingColumns, schema: [], attemptToConvertTypes: false, convertFieldsToString: false };
}

export const autoMapped = (matchingColumns: string[] = []) => ({
	mappingMode: 'autoMapInputData',
	value: null,
	matchingColumns,
	schema: [],
	attemptToConvertTypes: false,
	convertFieldsToString: false,
});

/** The records of the first sheet as the sandbox stores them (cells by title). */
export function storedRecords(sandbox: WeComSandbox, docid: string) {
	const doc = sandbox.smartsheet.docs.get(docid);
	if (!doc) throw new Error(`no document ${docid}`);
	const sheet = doc.sheets[0];
	return sheet.records.map((record) => {
		const values: Record<string, unknown> = {};
		for (const field of sheet.fields) {
			const cell = record.values.get(field.field_id);
			if (cell !== undefined) values[field.field_title] = cell;
		}
		return { record_id: record.record_id, values };
	});
}
