import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { updateDisplayOptions } from '../../helpers/displayOptions';
import { documentField, operationError, readSheetRef, sheetField, wedoc } from '../../helpers/smartsheet/api';
import { buildProperty, FIELD_TYPE_OPTIONS, fieldSettings, propertyKey } from './fieldProperties';

export const description = updateDisplayOptions({ show: { resource: ['smartsheet'], operation: ['addField'] } }, [
	documentField,
	sheetField,
	{ displayName: 'Field Title', name: 'fieldTitle', type: 'string', default: '', required: true, placeholder: '状态' },
	{ displayName: 'Field Type', name: 'fieldType', type: 'options', options: FIELD_TYPE_OPTIONS, default: 'FIELD_TYPE_TEXT' },
	fieldSettings,
]);

/** smartsheet/add_fields with one field and its property_<type>. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const ref = readSheetRef(this, itemIndex);
	const title = String(this.getNodeParameter('fieldTitle', itemIndex, '')).trim();
	if (!title) throw operationError(this, 'Field Title is empty', itemIndex);
	const fieldType = String(this.getNodeParameter('fieldType', itemIndex));
	const property = buildProperty(this, itemIndex, fieldType, this.getNodeParameter('fieldSettings', itemIndex, {}) as IDataObject);
	const field: IDataObject = { field_title: title, field_type: fieldType, ...(property ? { [propertyKey(fieldType)]: property } : {}) };
	const answer = await wedoc(this, 'smartsheet/add_fields', { docid: ref.docid, sheet_id: ref.sheetId, fields: [field] }, itemIndex);
	const added = ((answer.fields ?? []) as IDataObject[])[0] ?? {};
	return [{ json: { docid: ref.docid, sheet_id: ref.sheetId, ...added } }];
}
