import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { updateDisplayOptions } from '../../helpers/displayOptions';
import { documentField, fetchFields, operationError, readSheetRef, sheetField, wedoc } from '../../helpers/smartsheet/api';
import { optionsOf, type SheetField } from '../../helpers/smartsheet/cells';
import { buildProperty, fieldSettings, propertyKey } from './fieldProperties';
import { columnPicker } from './sheetFields';

export const description = updateDisplayOptions({ show: { resource: ['smartsheet'], operation: ['updateField'] } }, [
	documentField,
	sheetField,
	columnPicker('field', 'Field Name or ID', false),
	{ displayName: 'New Title', name: 'newTitle', type: 'string', default: '', description: 'Empty keeps the title' },
	fieldSettings,
]);

/** Finds a field by title or field ID (a friendlier error than WeCom's when it is missing). */
export function findField(ctx: IExecuteFunctions, fields: SheetField[], key: string, itemIndex: number): SheetField {
	const field = fields.find((entry) => entry.field_title === key) ?? fields.find((entry) => entry.field_id === key);
	if (!field) {
		throw operationError(ctx, `The sheet has no field "${key}"`, itemIndex, `Its fields are ${fields.map((entry) => `"${entry.field_title}"`).join(', ')}.`);
	}
	return field;
}

/** smartsheet/update_fields: title and properties; the type stays (WeCom does not change field types). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const ref = readSheetRef(this, itemIndex);
	const field = findField(this, await fetchFields(this, ref, itemIndex), String(this.getNodeParameter('field', itemIndex, '')).trim(), itemIndex);
	const newTitle = String(this.getNodeParameter('newTitle', itemIndex, '')).trim();
	const property = buildProperty(this, itemIndex, field.field_type, this.getNodeParameter('fieldSettings', itemIndex, {}) as IDataObject, optionsOf(field));
	if (!newTitle && !property) throw operationError(this, 'Nothing to update', itemIndex, 'Give a New Title or a field setting.');
	const update: IDataObject = { field_id: field.field_id, field_type: field.field_type };
	if (newTitle) update.field_title = newTitle;
	if (property) update[propertyKey(field.field_type)] = property;
	const answer = await wedoc(this, 'smartsheet/update_fields', { docid: ref.docid, sheet_id: ref.sheetId, fields: [update] }, itemIndex);
	const updated = ((answer.fields ?? []) as IDataObject[])[0] ?? update;
	return [{ json: { docid: ref.docid, sheet_id: ref.sheetId, ...updated } }];
}
