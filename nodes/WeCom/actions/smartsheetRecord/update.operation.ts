import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { updateDisplayOptions } from '../../helpers/displayOptions';
import { documentField, sheetField } from '../../helpers/smartsheet/api';
import { bySheet, cellsFor, columnsField, KEY_TYPE, newResults, prepareItems, readRow, recordItem, sendInBatches, writeOptions, type BatchResult } from './shared';

export const description = updateDisplayOptions({ show: { resource: ['smartsheetRecord'], operation: ['update'] } }, [
	documentField,
	sheetField,
	{
		displayName: 'Record ID',
		name: 'recordId',
		type: 'string',
		default: '',
		required: true,
		placeholder: '={{ $json.record_id }}',
		description: 'The record (记录) to update, e.g. from Get Many or Append',
	},
	columnsField('add'),
	writeOptions,
]);

/** smartsheet/update_records: the mapped columns of one record per item (empty ones untouched), 500 per request. */
export async function executeBatch(this: IExecuteFunctions, itemIndexes: number[]): Promise<BatchResult> {
	const results = newResults(itemIndexes.length);
	const prepared = await prepareItems(this, itemIndexes, results, (itemIndex, fields, options) => {
		const recordId = String(this.getNodeParameter('recordId', itemIndex, '')).trim();
		if (!recordId) throw new NodeOperationError(this.getNode(), 'Record ID is empty', { itemIndex, description: 'Map the record ID, e.g. {{ $json.record_id }} from Get Many.' });
		const values = cellsFor(this, itemIndex, fields, readRow(this, itemIndex, fields), options);
		if (!Object.keys(values).length) throw new NodeOperationError(this.getNode(), 'Nothing to update: every mapped column is empty', { itemIndex });
		return { record_id: recordId, values };
	});
	if (!prepared) return results;
	for (const group of bySheet(prepared)) {
		const goOn = await sendInBatches(
			this,
			group[0].ref,
			'smartsheet/update_records',
			group,
			(entry) => entry.itemIndex,
			(batch) => ({ key_type: KEY_TYPE, records: batch.map((entry) => entry.data) }),
			(batch, answer) => {
				const records = (answer.records ?? []) as IDataObject[];
				batch.forEach((entry, index) => (results[entry.position] = [recordItem(entry.fields, records[index] ?? entry.data, entry.options)]));
			},
			(batch, error) => batch.forEach((entry) => (results[entry.position] = error)),
		);
		if (!goOn) break;
	}
	return results;
}
