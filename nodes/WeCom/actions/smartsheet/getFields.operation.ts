import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { updateDisplayOptions } from '../../helpers/displayOptions';
import { limited, readLimit, returnAllFields, toItems } from '../../helpers/listing';
import { documentField, fetchFields, readSheetRef, sheetField } from '../../helpers/smartsheet/api';
import { isWritable } from '../../helpers/smartsheet/cells';

export const description = [
	...updateDisplayOptions({ show: { resource: ['smartsheet'], operation: ['getFields'] } }, [documentField, sheetField]),
	...returnAllFields('smartsheet', ['getFields']),
];

/** smartsheet/get_fields: one item per field (字段), with its type, properties and whether it can be written. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const ref = readSheetRef(this, itemIndex);
	const fields = await fetchFields(this, ref, itemIndex);
	return toItems(limited(fields, readLimit(this, itemIndex)).map((field) => ({ docid: ref.docid, sheet_id: ref.sheetId, ...field, writable: isWritable(field) })));
}
