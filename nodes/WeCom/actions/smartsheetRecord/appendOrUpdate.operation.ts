import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { updateDisplayOptions } from '../../helpers/displayOptions';
import { documentField, READ_PAGE, sheetField, wedoc, type SheetRef } from '../../helpers/smartsheet/api';
import { fromCell, matchKey, type SheetField } from '../../helpers/smartsheet/cells';
import {
	bySheet,
	cellsFor,
	columnsField,
	KEY_TYPE,
	matchingColumns,
	newResults,
	prepareItems,
	readRow,
	recordItem,
	sendInBatches,
	writeOptions,
	type BatchResult,
	type Prepared,
} from './shared';

export const description = updateDisplayOptions({ show: { resource: ['smartsheetRecord'], operation: ['appendOrUpdate'] } }, [
	documentField,
	sheetField,
	columnsField('upsert'),
	writeOptions,
]);

/** Items apply in input order: a later item with the same key updates what an earlier one wrote. */
export const sequential = true;

interface Row {
	key: string;
	columns: string[];
	values: Record<string, unknown>;
}

/** The comparable key of a record or item: its matching columns' plain values. */
function keyOf(columns: string[], fields: Map<string, SheetField>, cells: Record<string, unknown>): string {
	return JSON.stringify(columns.map((column) => matchKey(fromCell(fields.get(column), cells[column]))));
}

/** record_id of the first existing record per key (reads only the matching columns, 1000 records a request). */
async function existingKeys(ctx: IExecuteFunctions, ref: SheetRef, columns: string[], fields: Map<string, SheetField>, itemIndex: number): Promise<Map<string, string>> {
	const keys = new Map<string, string>();
	for (let offset = 0; ; ) {
		const answer = await wedoc(ctx, 'smartsheet/get_records', { docid: ref.docid, sheet_id: ref.sheetId, key_type: KEY_TYPE, field_titles: columns, offset, limit: READ_PAGE }, itemIndex);
		for (const record of (answer.records ?? []) as IDataObject[]) {
			const key = keyOf(columns, fields, (record.values ?? {}) as Record<string, unknown>);
			if (!keys.has(key)) keys.set(key, String(record.record_id));
		}
		if (!answer.has_more) break;
		offset = Number(answer.next);
	}
	return keys;
}

interface Write {
	recordId?: string;
	values: Record<string, unknown>;
	items: Array<Prepared<Row>>;
}

/**
 * Finds the records whose matching columns equal each item's, then updates those and appends the rest, in
 * batches of up to 500 records a request. Items with the same key end in the same record (the last values win).
 */
export async function executeBatch(this: IExecuteFunctions, itemIndexes: number[]): Promise<BatchResult> {
	const results = newResults(itemIndexes.length);
	const prepared = await prepareItems(this, itemIndexes, results, (itemIndex, fields, options): Row => {
		const columns = matchingColumns(this, itemIndex);
		if (!columns.length) throw new NodeOperationError(this.getNode(), 'No column to match on', { itemIndex, description: 'Choose one or more "Columns to Match On".' });
		for (const column of columns) {
			if (!fields.has(column)) throw new NodeOperationError(this.getNode(), `The sheet has no column "${column}" to match on`, { itemIndex });
		}
		const row = readRow(this, itemIndex, fields);
		const missing = columns.filter((column) => row[column] === undefined);
		if (missing.length) {
			throw new NodeOperationError(this.getNode(), `The item has no value for the matching column${missing.length > 1 ? 's' : ''} ${missing.map((column) => `"${column}"`).join(', ')}`, { itemIndex });
		}
		const values = cellsFor(this, itemIndex, fields, row, { ...options, createMissingOptions: options.createMissingOptions });
		return { key: keyOf(columns, fields, values), columns, values };
	});
	if (!prepared) return results;
	const groups = new Map<string, Array<Prepared<Row>>>();
	for (const group of bySheet(prepared)) {
		for (const entry of group) {
			const key = `${entry.ref.docid}\n${entry.ref.sheetId}\n${JSON.stringify(entry.data.columns)}`;
			groups.set(key, [...(groups.get(key) ?? []), entry]);
		}
	}
	for (const group of groups.values()) {
		const { ref, fields, itemIndex } = group[0];
		let existing: Map<string, string>;
		try {
			existing = await existingKeys(this, ref, group[0].data.columns, fields, itemIndex);
		} catch (error) {
			for (const entry of group) results[entry.position] = error as Error;
			if (!this.continueOnFail()) break;
			continue;
		}
		const updates = new Map<string, Write>();
		const appends = new Map<string, Write>();
		for (const entry of group) {
			const recordId = existing.get(entry.data.key);
			const target = recordId ? updates : appends;
			const write = target.get(entry.data.key) ?? { recordId, values: {}, items: [] };
			Object.assign(write.values, entry.data.values);
			write.items.push(entry);
			target.set(entry.data.key, write);
		}
		const finish = (write: Write, record: IDataObject, action: string) => {
			for (const entry of write.items) results[entry.position] = [recordItem(fields, record, entry.options, { action })];
		};
		const fail = (writes: Write[], error: Error) => writes.forEach((write) => write.items.forEach((entry) => (results[entry.position] = error)));
		const goOn = await sendInBatches(
			this,
			ref,
			'smartsheet/update_records',
			[...updates.values()],
			(write) => write.items[0].itemIndex,
			(batch) => ({ key_type: KEY_TYPE, records: batch.map((write) => ({ record_id: write.recordId, values: write.values })) }),
			(batch, answer) => {
				const records = (answer.records ?? []) as IDataObject[];
				batch.forEach((write, index) => finish(write, records[index] ?? { record_id: write.recordId, values: write.values }, 'updated'));
			},
			fail,
		);
		if (!goOn) break;
		const appended = await sendInBatches(
			this,
			ref,
			'smartsheet/add_records',
			[...appends.values()],
			(write) => write.items[0].itemIndex,
			(batch) => ({ key_type: KEY_TYPE, records: batch.map((write) => ({ values: write.values })) }),
			(batch, answer) => {
				const records = (answer.records ?? []) as IDataObject[];
				batch.forEach((write, index) => finish(write, records[index] ?? { values: write.values }, 'appended'));
			},
			fail,
		);
		if (!appended) break;
	}
	return results;
}
