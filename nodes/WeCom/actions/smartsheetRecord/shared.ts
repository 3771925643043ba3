/**
 * What the record operations share: the columns (n8n's resource mapper), turning an item into WeCom cells, and
 * writing many items with few requests (batches up to WeCom's per-call limit; a failing batch fails its items).
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, ResourceMapperValue } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { chunks, FieldCache, RECORDS_PER_CALL, readSheetRef, wedoc, type SheetRef } from '../../helpers/smartsheet/api';
import { CellValueError, fromCells, isEmptyValue, toCells, type SheetField } from '../../helpers/smartsheet/cells';

export const KEY_TYPE = 'CELL_VALUE_KEY_TYPE_FIELD_TITLE';

export function columnsField(mode: 'add' | 'upsert'): INodeProperties {
	return {
		displayName: 'Columns',
		name: 'columns',
		type: 'resourceMapper',
		noDataExpression: true,
		default: { mappingMode: 'defineBelow', value: null },
		required: true,
		typeOptions: {
			loadOptionsDependsOn: ['document.value', 'sheet.value'],
			resourceMapper: {
				resourceMapperMethod: 'getColumns',
				mode,
				fieldWords: { singular: 'column', plural: 'columns' },
				addAllFields: true,
				multiKeyMatch: true,
				supportAutoMap: true,
				...(mode === 'upsert'
					? {
							matchingFieldsLabels: {
								title: 'Columns to Match On',
								description: 'Records whose values in these columns equal the item\'s are updated; items matching none are appended',
							},
						}
					: {}),
			},
		},
	};
}

export const writeOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	options: [
		{
			displayName: 'Create Missing Options',
			name: 'createMissingOptions',
			type: 'boolean',
			default: false,
			description: 'Whether a select value that is not yet an option of its column is added as a new option (otherwise the item fails)',
		},
		{
			displayName: 'Output Raw Cells',
			name: 'rawCells',
			type: 'boolean',
			default: false,
			description: 'Whether to output WeCom\'s cell objects under "values" instead of plain values',
		},
	],
};

export interface ItemOptions {
	createMissingOptions: boolean;
	rawCells: boolean;
}

export function readOptions(ctx: IExecuteFunctions, itemIndex: number): ItemOptions {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	return { createMissingOptions: options.createMissingOptions === true, rawCells: options.rawCells === true };
}

/**
 * The item's values by column title. "Map Automatically" takes the item's fields that name columns (others are
 * ignored); "Map Each Column Below" takes the mapped values. Read as a whole so n8n's own type coercion does not run:
 * our conversions give the errors.
 */
export function readRow(ctx: IExecuteFunctions, itemIndex: number, fields: Map<string, SheetField>): Record<string, unknown> {
	const columns = ctx.getNodeParameter('columns', itemIndex) as ResourceMapperValue;
	let row: Record<string, unknown>;
	if (columns.mappingMode === 'autoMapInputData') {
		const json = ctx.getInputData()[itemIndex]?.json ?? {};
		row = Object.fromEntries(Object.entries(json).filter(([key]) => fields.has(key)));
		if (Object.keys(json).length && !Object.keys(row).length) {
			throw new NodeOperationError(ctx.getNode(), 'None of the item\'s fields names a column of the sheet', {
				itemIndex,
				description: `The sheet's columns are ${[...fields.keys()].map((title) => `"${title}"`).join(', ')}. Rename the fields (e.g. with an Edit Fields node) or map each column.`,
			});
		}
	} else {
		row = { ...(columns.value ?? {}) };
	}
	for (const [key, value] of Object.entries(row)) if (isEmptyValue(value)) delete row[key];
	return row;
}

export function matchingColumns(ctx: IExecuteFunctions, itemIndex: number): string[] {
	const columns = ctx.getNodeParameter('columns', itemIndex) as ResourceMapperValue;
	return columns.matchingColumns ?? [];
}

/** A CellValueError → a per-item NodeOperationError naming the column. */
export function cellsFor(ctx: IExecuteFunctions, itemIndex: number, fields: Map<string, SheetField>, row: Record<string, unknown>, options: ItemOptions): Record<string, unknown> {
	try {
		return toCells(fields, row, options);
	} catch (error) {
		if (error instanceof CellValueError) throw new NodeOperationError(ctx.getNode(), error.message, { itemIndex, description: 'Fix the value in the item or the column mapping.' });
		throw new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
	}
}

/** One output item for a written record. */
export function recordItem(fields: Map<string, SheetField>, record: IDataObject, options: ItemOptions, extra: IDataObject = {}): INodeExecutionData {
	const values = (record.values ?? {}) as Record<string, unknown>;
	const json: IDataObject = { record_id: record.record_id, ...extra };
	if (options.rawCells) json.values = values as IDataObject;
	else Object.assign(json, fromCells(fields, values));
	return { json };
}

export type BatchResult = Array<INodeExecutionData[] | Error>;

/** Per-item preparation within a batch: the item's sheet and fields. */
export interface Prepared<T> {
	position: number;
	itemIndex: number;
	ref: SheetRef;
	fields: Map<string, SheetField>;
	options: ItemOptions;
	data: T;
}

/**
 * Prepares each item (its sheet, fields and `prepare` result); an item that fails is marked failed. Without
 * Continue On Fail the first failure stops everything before any write.
 */
export async function prepareItems<T>(
	ctx: IExecuteFunctions,
	itemIndexes: number[],
	results: BatchResult,
	prepare: (itemIndex: number, fields: Map<string, SheetField>, options: ItemOptions) => T,
): Promise<Prepared<T>[] | undefined> {
	const cache = new FieldCache(ctx);
	const prepared: Prepared<T>[] = [];
	for (let position = 0; position < itemIndexes.length; position++) {
		const itemIndex = itemIndexes[position];
		try {
			const ref = readSheetRef(ctx, itemIndex);
			const fields = await cache.get(ref, itemIndex);
			const options = readOptions(ctx, itemIndex);
			prepared.push({ position, itemIndex, ref, fields, options, data: prepare(itemIndex, fields, options) });
		} catch (error) {
			results[position] = error as Error;
			if (!ctx.continueOnFail()) return undefined;
		}
	}
	return prepared;
}

/** Groups prepared items by sheet, keeping input order inside each group. */
export function bySheet<T>(prepared: Prepared<T>[]): Prepared<T>[][] {
	const groups = new Map<string, Prepared<T>[]>();
	for (const entry of prepared) {
		const key = `${entry.ref.docid}\n${entry.ref.sheetId}`;
		const group = groups.get(key) ?? [];
		group.push(entry);
		groups.set(key, group);
	}
	return [...groups.values()];
}

/**
 * Sends `entries` in calls of at most RECORDS_PER_CALL records: `body` builds the request, `answer` hands each entry
 * its answer record. A failed call fails exactly its entries (`onError`); without Continue On Fail it stops there.
 */
export async function sendInBatches<E>(
	ctx: IExecuteFunctions,
	ref: SheetRef,
	endpoint: string,
	entries: E[],
	itemIndexOf: (entry: E) => number,
	body: (batch: E[]) => IDataObject,
	onAnswer: (batch: E[], answer: IDataObject) => void,
	onError: (batch: E[], error: Error) => void,
	size = RECORDS_PER_CALL,
): Promise<boolean> {
	for (const batch of chunks(entries, size)) {
		try {
			const answer = await wedoc(ctx, endpoint, { docid: ref.docid, sheet_id: ref.sheetId, ...body(batch) }, itemIndexOf(batch[0]));
			onAnswer(batch, answer);
		} catch (error) {
			onError(batch, error as Error);
			if (!ctx.continueOnFail()) return false;
		}
	}
	return true;
}

export const newResults = (count: number): BatchResult => Array.from({ length: count }, () => [] as INodeExecutionData[]);
