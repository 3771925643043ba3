import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { updateDisplayOptions } from '../../helpers/displayOptions';
import { documentField, sheetField } from '../../helpers/smartsheet/api';
import { bySheet, cellsFor, columnsField, KEY_TYPE, newResults, prepareItems, readRow, recordItem, sendInBatches, writeOptions, type BatchResult } from './shared';

export const description = updateDisplayOptions({ show: { resource: ['smartsheetRecord'], operation: ['append'] } }, [
	documentField,
	sheetField,
	columnsField('add'),
	writeOptions,
]);

/** smartsheet/add_records: one record per item, up to 500 items per request. */
export async function executeBatch(this: IExecuteFunctions, itemIndexes: number[]): Promise<BatchResult> {
	const results = newResults(itemIndexes.length);
	const prepared = await prepareItems(this, itemIndexes, results, (itemIndex, fields, options) => cellsFor(this, itemIndex, fields, readRow(this, itemIndex, fields), options));
	if (!prepared) return results;
	for (const group of bySheet(prepared)) {
		const goOn = await sendInBatches(
			this,
			group[0].ref,
			'smartsheet/add_records',
			group,
			(entry) => entry.itemIndex,
			(batch) => ({ key_type: KEY_TYPE, records: batch.map((entry) => ({ values: entry.data })) }),
			(batch, answer) => {
				const records = (answer.records ?? []) as IDataObject[];
				batch.forEach((entry, index) => (results[entry.position] = [recordItem(entry.fields, records[index] ?? {}, entry.options)]));
			},
			(batch, error) => batch.forEach((entry) => (results[entry.position] = error)),
		);
		if (!goOn) break;
	}
	return results;
}
