/**
 * Field (字段) types and their properties (property_<type>) for Add Field / Update Field.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { operationError } from '../../helpers/smartsheet/api';
import type { SelectOption } from '../../helpers/smartsheet/cells';

export const FIELD_TYPE_OPTIONS = [
	{ name: 'Attachment (文件)', value: 'FIELD_TYPE_ATTACHMENT' },
	{ name: 'Barcode (条码)', value: 'FIELD_TYPE_BARCODE' },
	{ name: 'Checkbox (复选框)', value: 'FIELD_TYPE_CHECKBOX' },
	{ name: 'Created By (创建人)', value: 'FIELD_TYPE_CREATED_USER' },
	{ name: 'Created Time (创建时间)', value: 'FIELD_TYPE_CREATED_TIME' },
	{ name: 'Currency (货币)', value: 'FIELD_TYPE_CURRENCY' },
	{ name: 'Date and Time (日期)', value: 'FIELD_TYPE_DATE_TIME' },
	{ name: 'Email (邮箱)', value: 'FIELD_TYPE_EMAIL' },
	{ name: 'Image (图片)', value: 'FIELD_TYPE_IMAGE' },
	{ name: 'Location (地理位置)', value: 'FIELD_TYPE_LOCATION' },
	{ name: 'Member (成员)', value: 'FIELD_TYPE_USER' },
	{ name: 'Modified By (最后编辑人)', value: 'FIELD_TYPE_MODIFIED_USER' },
	{ name: 'Modified Time (最后编辑时间)', value: 'FIELD_TYPE_MODIFIED_TIME' },
	{ name: 'Multiple Select (多选)', value: 'FIELD_TYPE_SELECT' },
	{ name: 'Number (数字)', value: 'FIELD_TYPE_NUMBER' },
	{ name: 'Percentage (百分数)', value: 'FIELD_TYPE_PERCENTAGE' },
	{ name: 'Phone (电话)', value: 'FIELD_TYPE_PHONE_NUMBER' },
	{ name: 'Progress (进度)', value: 'FIELD_TYPE_PROGRESS' },
	{ name: 'Single Select (单选)', value: 'FIELD_TYPE_SINGLE_SELECT' },
	{ name: 'Text (文本)', value: 'FIELD_TYPE_TEXT' },
	{ name: 'URL (超链接)', value: 'FIELD_TYPE_URL' },
];

export const fieldSettings: INodeProperties = {
	displayName: 'Field Settings',
	name: 'fieldSettings',
	type: 'collection',
	placeholder: 'Add setting',
	default: {},
	options: [
		{
			displayName: 'Allow Several Members',
			name: 'isMultiple',
			type: 'boolean',
			default: true,
			description: 'Whether a member field holds more than one member (property_user.is_multiple)',
		},
		{
			displayName: 'Checked by Default',
			name: 'checked',
			type: 'boolean',
			default: false,
			description: 'Whether new records start checked (property_checkbox.checked)',
		},
		{
			displayName: 'Date Format',
			name: 'dateFormat',
			type: 'string',
			default: '',
			placeholder: 'yyyy"年"m"月"d"日" hh:mm',
			description: 'How WeCom shows dates (property_date_time.format)',
		},
		{
			displayName: 'Decimal Places',
			name: 'decimalPlaces',
			type: 'number',
			typeOptions: { minValue: -1, maxValue: 4 },
			default: 0,
			description: 'Number, currency and percentage fields: -1 to 4 (-1 = as typed)',
		},
		{
			displayName: 'Notify Added Members',
			name: 'isNotified',
			type: 'boolean',
			default: false,
			description: 'Whether members added to a member field get a notice (property_user.is_notified)',
		},
		{
			displayName: 'Options',
			name: 'selectOptions',
			type: 'string',
			default: '',
			placeholder: '待处理|处理中|已完成',
			description: 'Select fields: the option texts, separated by |. On Update Field they are added to the existing options.',
		},
		{
			displayName: 'Raw Property (JSON)',
			name: 'rawProperty',
			type: 'json',
			default: '{}',
			description: 'Merged into property_{type} as WeCom documents it, for settings not offered above',
		},
		{
			displayName: 'Thousands Separator',
			name: 'useSeparate',
			type: 'boolean',
			default: false,
			description: 'Whether numbers show a thousands separator (use_separate)',
		},
	],
};

/** "FIELD_TYPE_SINGLE_SELECT" → "property_single_select". */
export const propertyKey = (fieldType: string): string => `property_${fieldType.replace(/^FIELD_TYPE_/, '').toLowerCase()}`;

/** The property_<type> object from the settings; existing select options are kept (by text) and new texts added. */
export function buildProperty(
	ctx: IExecuteFunctions,
	itemIndex: number,
	fieldType: string,
	settings: IDataObject,
	existing: SelectOption[] = [],
): IDataObject | undefined {
	const property: IDataObject = {};
	const isNumeric = ['FIELD_TYPE_NUMBER', 'FIELD_TYPE_CURRENCY', 'FIELD_TYPE_PERCENTAGE'].includes(fieldType);
	if (isNumeric && settings.decimalPlaces !== undefined) property.decimal_places = Number(settings.decimalPlaces);
	if (isNumeric && settings.useSeparate !== undefined) property.use_separate = settings.useSeparate === true;
	if (fieldType === 'FIELD_TYPE_CHECKBOX' && settings.checked !== undefined) property.checked = settings.checked === true;
	if (fieldType === 'FIELD_TYPE_DATE_TIME' && settings.dateFormat) property.format = String(settings.dateFormat);
	if (fieldType === 'FIELD_TYPE_USER') {
		if (settings.isMultiple !== undefined) property.is_multiple = settings.isMultiple === true;
		if (settings.isNotified !== undefined) property.is_notified = settings.isNotified === true;
	}
	if ((fieldType === 'FIELD_TYPE_SELECT' || fieldType === 'FIELD_TYPE_SINGLE_SELECT') && settings.selectOptions) {
		const texts = String(settings.selectOptions)
			.split('|')
			.map((text) => text.trim())
			.filter((text) => text !== '');
		const options: IDataObject[] = existing.map((option) => ({ ...option }));
		for (const text of texts) if (!options.some((option) => option.text === text)) options.push({ text });
		property.options = options;
	}
	const raw = settings.rawProperty;
	if (raw !== undefined && raw !== '' && raw !== '{}') {
		let parsed: unknown = raw;
		if (typeof raw === 'string') {
			try {
				parsed = JSON.parse(raw);
			} catch {
				throw operationError(ctx, 'Raw Property (JSON) is not valid JSON', itemIndex);
			}
		}
		if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw operationError(ctx, 'Raw Property (JSON) must be a JSON object', itemIndex);
		Object.assign(property, parsed);
	}
	return Object.keys(property).length ? property : undefined;
}


