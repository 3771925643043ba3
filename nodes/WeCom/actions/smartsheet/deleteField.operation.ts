import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { updateDisplayOptions } from '../../helpers/displayOptions';
import { documentField, fetchFields, idList, operationError, readSheetRef, sheetField, wedoc } from '../../helpers/smartsheet/api';
import { columnPicker } from './sheetFields';
import { findField } from './updateField.operation';

export const description = updateDisplayOptions({ show: { resource: ['smartsheet'], operation: ['deleteField'] } }, [
	documentField,
	sheetField,
	columnPicker('fields', 'Field Names or IDs', true),
]);

/** smartsheet/delete_fields: the columns and their cells. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const ref = readSheetRef(this, itemIndex);
	const keys = idList(this.getNodeParameter('fields', itemIndex, []));
	if (!keys.length) throw operationError(this, 'No field chosen', itemIndex);
	const fields = await fetchFields(this, ref, itemIndex);
	const ids = keys.map((key) => findField(this, fields, key, itemIndex).field_id);
	await wedoc(this, 'smartsheet/delete_fields', { docid: ref.docid, sheet_id: ref.sheetId, field_ids: ids }, itemIndex);
	return [{ json: { docid: ref.docid, sheet_id: ref.sheetId, deleted: ids } }];
}
