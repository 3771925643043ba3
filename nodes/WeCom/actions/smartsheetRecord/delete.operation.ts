import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { updateDisplayOptions } from '../../helpers/displayOptions';
import { chunks, documentField, idList, RECORDS_PER_CALL, sheetField } from '../../helpers/smartsheet/api';
import { bySheet, newResults, prepareItems, sendInBatches, type BatchResult } from './shared';

export const description = updateDisplayOptions({ show: { resource: ['smartsheetRecord'], operation: ['delete'] } }, [
	documentField,
	sheetField,
	{
		displayName: 'Record IDs',
		name: 'recordIds',
		type: 'string',
		default: '',
		required: true,
		placeholder: '={{ $json.record_id }}',
		description: 'One or more record IDs per item, separated by | or commas (or an array)',
	},
]);

interface Slice {
	position: number;
	itemIndex: number;
	ids: string[];
}

/**
 * smartsheet/delete_records: the IDs of all items, at most 500 per request; an item's IDs stay in one request
 * unless it alone has more than 500.
 */
export async function executeBatch(this: IExecuteFunctions, itemIndexes: number[]): Promise<BatchResult> {
	const results = newResults(itemIndexes.length);
	const prepared = await prepareItems(this, itemIndexes, results, (itemIndex) => {
		const ids = idList(this.getNodeParameter('recordIds', itemIndex, ''));
		if (!ids.length) throw new NodeOperationError(this.getNode(), 'Record IDs is empty', { itemIndex });
		return ids;
	});
	if (!prepared) return results;
	for (const group of bySheet(prepared)) {
		// Pack whole items into requests of at most 500 IDs.
		const requests: Slice[][] = [];
		let current: Slice[] = [];
		let count = 0;
		for (const entry of group) {
			for (const ids of chunks(entry.data, RECORDS_PER_CALL)) {
				if (count + ids.length > RECORDS_PER_CALL && current.length) {
					requests.push(current);
					current = [];
					count = 0;
				}
				current.push({ position: entry.position, itemIndex: entry.itemIndex, ids });
				count += ids.length;
			}
		}
		if (current.length) requests.push(current);
		const deleted = new Map<number, string[]>();
		let goOn = true;
		for (const request of requests) {
			goOn = await sendInBatches(
				this,
				group[0].ref,
				'smartsheet/delete_records',
				[request],
				(slices) => slices[0].itemIndex,
				(batch) => ({ record_ids: batch[0].flatMap((slice) => slice.ids) }),
				(batch) => {
					for (const slice of batch[0]) deleted.set(slice.position, [...(deleted.get(slice.position) ?? []), ...slice.ids]);
				},
				(batch, error) => batch[0].forEach((slice) => (results[slice.position] = error)),
			);
			if (!goOn) break;
		}
		for (const entry of group) {
			if (results[entry.position] instanceof Error) continue;
			const ids = deleted.get(entry.position);
			if (ids) results[entry.position] = [{ json: { deleted: true, record_ids: ids } }];
		}
		if (!goOn) break;
	}
	return results;
}
