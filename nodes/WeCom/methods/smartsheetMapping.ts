/**
 * The sheet's columns for n8n's resource mapper: one entry per field, keyed by its title (what WeCom's default
 * key_type uses, and what items usually carry), with the closest n8n type, select options, and WeCom-computed columns
 * read-only.
 */
import type { FieldType, ILoadOptionsFunctions, ResourceMapperField, ResourceMapperFields } from 'n8n-workflow';

import { currentLocator, fetchFields } from '../helpers/smartsheet/api';
import { isWritable, optionsOf, typeLabel, type SheetField } from '../helpers/smartsheet/cells';

function mapperType(field: SheetField): FieldType {
	switch (field.field_type) {
		case 'FIELD_TYPE_NUMBER':
		case 'FIELD_TYPE_CURRENCY':
		case 'FIELD_TYPE_PERCENTAGE':
		case 'FIELD_TYPE_PROGRESS':
			return 'number';
		case 'FIELD_TYPE_CHECKBOX':
			return 'boolean';
		case 'FIELD_TYPE_DATE_TIME':
			return 'dateTime';
		case 'FIELD_TYPE_SINGLE_SELECT':
			return 'options';
		case 'FIELD_TYPE_URL':
			return 'url';
		case 'FIELD_TYPE_LOCATION':
			return 'object';
		default:
			return 'string';
	}
}

export function mapperField(field: SheetField): ResourceMapperField {
	const writable = isWritable(field);
	const type = mapperType(field);
	return {
		id: field.field_title,
		displayName: `${field.field_title} (${typeLabel(field.field_type)}${writable ? '' : ', read-only'})`,
		required: false,
		defaultMatch: false,
		canBeUsedToMatch: true,
		display: true,
		type,
		readOnly: !writable,
		removed: !writable,
		...(type === 'options' ? { options: optionsOf(field).map((option) => ({ name: option.text, value: option.text })) } : {}),
	};
}

export async function getColumns(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	const docid = currentLocator(this, 'document');
	const sheetId = currentLocator(this, 'sheet');
	if (!docid || !sheetId) return { fields: [], emptyFieldsNotice: 'Choose a document and a sheet first' };
	const fields = await fetchFields(this, { docid, sheetId });
	return { fields: fields.map(mapperField), emptyFieldsNotice: 'This sheet has no columns yet: add fields (Smart Sheet → Add Field) first' };
}
