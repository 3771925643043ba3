/**
 * What every smart sheet (智能表格) operation shares: the document and sheet pickers, WeCom's per-call limits, reading
 * a sheet's fields (columns), and the calls themselves (through the one transport).
 */
import type { IDataObject, IExecuteFunctions, ILoadOptionsFunctions, INodeParameterResourceLocator, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { weComApiRequest } from '../../transport';
import { locatorField, readLocator } from '../resourceLocator';
import type { SheetField } from './cells';

/** Records per add_records / update_records / delete_records call (WeCom: "单次建议在500行内"). */
export const RECORDS_PER_CALL = 500;
/** Records, fields and views per read (get_records / get_fields / get_views: limit ≤ 1000). */
export const READ_PAGE = 1000;

export const SMARTSHEET_DOC_TYPE = 10;

/** The document: WeCom has no API that lists an app's documents, so it is given by ID (Create answers it). */
export const documentField: INodeProperties = {
	displayName: 'Document',
	name: 'document',
	type: 'resourceLocator',
	default: { mode: 'id', value: '' },
	required: true,
	description:
		'The smart sheet document (智能表格). WeCom has no API listing documents, and its docid is only given by Create: map the docid from a Create step, or keep the docid of a document this app created.',
	hint: 'WeCom lets an app read and edit only documents it created itself (not those members made); the app must also be in 协作 → 文档 → API → 可调用接口的应用',
	modes: [
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'dcXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX',
			validation: [{ type: 'regex', properties: { regex: '^\\S{6,}$', errorMessage: 'A docid has no spaces' } }],
		},
	],
};

export const sheetField: INodeProperties = {
	...locatorField({
		displayName: 'Sheet',
		name: 'sheet',
		searchMethod: 'searchSheets',
		idPlaceholder: 'q979lj',
		description: 'The sheet (子表) inside the document',
	}),
	typeOptions: { loadOptionsDependsOn: ['document.value'] },
};

export interface SheetRef {
	docid: string;
	sheetId: string;
}

export function readDocId(ctx: IExecuteFunctions, itemIndex: number): string {
	return readLocator(ctx, 'document', itemIndex, 'Document');
}

export function readSheetRef(ctx: IExecuteFunctions, itemIndex: number): SheetRef {
	return { docid: readDocId(ctx, itemIndex), sheetId: readLocator(ctx, 'sheet', itemIndex, 'Sheet') };
}

/** The current document/sheet of the editor (list search and resource mapping). */
export function currentLocator(ctx: ILoadOptionsFunctions, name: string): string {
	const raw = ctx.getNodeParameter(name, undefined, { extractValue: true }) as INodeParameterResourceLocator | string | undefined;
	const value = typeof raw === 'object' && raw !== null ? raw.value : raw;
	return String(value ?? '').trim();
}

export type SheetContext = IExecuteFunctions | ILoadOptionsFunctions;

/** POST wedoc/<endpoint>. */
export async function wedoc(ctx: SheetContext, endpoint: string, body: IDataObject, itemIndex?: number): Promise<IDataObject> {
	return await weComApiRequest.call(ctx, { method: 'POST', endpoint: `wedoc/${endpoint}`, body, itemIndex });
}

/** Every field (column) of a sheet, following get_fields' offset pages. */
export async function fetchFields(ctx: SheetContext, ref: SheetRef, itemIndex?: number): Promise<SheetField[]> {
	const fields: SheetField[] = [];
	for (let offset = 0; ; offset += READ_PAGE) {
		const answer = await wedoc(ctx, 'smartsheet/get_fields', { docid: ref.docid, sheet_id: ref.sheetId, offset, limit: READ_PAGE }, itemIndex);
		const page = (answer.fields ?? []) as SheetField[];
		fields.push(...page);
		const total = Number(answer.total ?? fields.length);
		if (page.length === 0 || fields.length >= total) break;
	}
	return fields;
}

export const byTitle = (fields: SheetField[]): Map<string, SheetField> => new Map(fields.map((field) => [field.field_title, field]));

/** Field schemas per sheet within one node run (a batch of items reads them once). */
export class FieldCache {
	private readonly cache = new Map<string, Promise<Map<string, SheetField>>>();

	constructor(private readonly ctx: IExecuteFunctions) {}

	get(ref: SheetRef, itemIndex: number): Promise<Map<string, SheetField>> {
		const key = `${ref.docid}\n${ref.sheetId}`;
		let entry = this.cache.get(key);
		if (!entry) {
			entry = fetchFields(this.ctx, ref, itemIndex).then(byTitle);
			entry.catch(() => this.cache.delete(key));
			this.cache.set(key, entry);
		}
		return entry;
	}
}

/** Splits a list into chunks of at most `size`. */
export function chunks<T>(list: T[], size: number): T[][] {
	const result: T[][] = [];
	for (let start = 0; start < list.length; start += size) result.push(list.slice(start, start + size));
	return result;
}

/** "a|b, c" or an array → trimmed, non-empty strings. */
export function idList(value: unknown): string[] {
	const list = Array.isArray(value) ? value : String(value ?? '').split(/[|,\n]+/);
	return list.map((entry) => String(entry).trim()).filter((entry) => entry !== '');
}

export function operationError(ctx: IExecuteFunctions, message: string, itemIndex: number, description?: string): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), message, { itemIndex, ...(description ? { description } : {}) });
}
