/** Sheet (子表) list of the chosen document, for the Sheet picker (smartsheet/get_sheet). */
import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult, INodePropertyOptions } from 'n8n-workflow';

import { currentLocator, fetchFields, wedoc } from '../helpers/smartsheet/api';
import { isWritable, typeLabel } from '../helpers/smartsheet/cells';

export async function searchSheets(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const docid = currentLocator(this, 'document');
	if (!docid) return { results: [] };
	const answer = await wedoc(this, 'smartsheet/get_sheet', { docid });
	const needle = (filter ?? '').trim().toLowerCase();
	const results = ((answer.sheet_list ?? []) as IDataObject[])
		.filter((sheet) => (sheet.type ?? 'smartsheet') === 'smartsheet')
		.map((sheet) => ({ name: String(sheet.title ?? sheet.sheet_id), value: String(sheet.sheet_id) }))
		.filter((sheet) => !needle || sheet.name.toLowerCase().includes(needle) || sheet.value.toLowerCase() === needle);
	return { results };
}

/** Columns of the chosen sheet by title (filters, sort, selected fields, matching). */
export async function getSheetColumns(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const docid = currentLocator(this, 'document');
	const sheetId = currentLocator(this, 'sheet');
	if (!docid || !sheetId) return [];
	const fields = await fetchFields(this, { docid, sheetId });
	return fields.map((field) => ({
		name: field.field_title,
		value: field.field_title,
		description: `${typeLabel(field.field_type)}${isWritable(field) ? '' : ' (read-only)'}`,
	}));
}
