import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { updateDisplayOptions } from '../../helpers/displayOptions';
import { chunks, RECORDS_PER_CALL } from '../../helpers/smartsheet/api';
import { CellValueError, toCell, type SheetField } from '../../helpers/smartsheet/cells';
import { weComSmartsheetWebhookRequest } from '../../transport/smartsheetWebhook';

const VALUE_TYPES = [
	{ name: 'Checkbox', value: 'FIELD_TYPE_CHECKBOX' },
	{ name: 'Date and Time', value: 'FIELD_TYPE_DATE_TIME' },
	{ name: 'Email', value: 'FIELD_TYPE_EMAIL' },
	{ name: 'Location', value: 'FIELD_TYPE_LOCATION' },
	{ name: 'Member', value: 'FIELD_TYPE_USER' },
	{ name: 'Multiple Select', value: 'FIELD_TYPE_SELECT' },
	{ name: 'Number', value: 'FIELD_TYPE_NUMBER' },
	{ name: 'Phone', value: 'FIELD_TYPE_PHONE_NUMBER' },
	{ name: 'Single Select', value: 'FIELD_TYPE_SINGLE_SELECT' },
	{ name: 'Text', value: 'FIELD_TYPE_TEXT' },
	{ name: 'URL', value: 'FIELD_TYPE_URL' },
];

const properties: INodeProperties[] = [
	{
		displayName: 'Write As',
		name: 'writeAs',
		type: 'options',
		default: 'add',
		options: [
			{ name: 'Add Records', value: 'add', description: 'Send add_records: one new row per item' },
			{ name: 'Update Records', value: 'update', description: 'Send update_records: change the row with the given record ID' },
		],
	},
	{
		displayName: 'Record ID',
		name: 'recordId',
		type: 'string',
		default: '',
		required: true,
		displayOptions: { show: { writeAs: ['update'] } },
		description: 'The row to update (record_id, e.g. from an earlier Add Records output)',
	},
	{
		displayName: 'Values As',
		name: 'valuesAs',
		type: 'options',
		default: 'fields',
		options: [
			{ name: 'Fields Below', value: 'fields', description: 'Field keys with a type; the node writes WeCom\'s cell format' },
			{ name: 'JSON', value: 'json', description: 'The values object as WeCom takes it, keyed by field ID' },
		],
	},
	{
		displayName: 'Fields',
		name: 'fields',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add field',
		default: {},
		displayOptions: { show: { valuesAs: ['fields'] } },
		options: [
			{
				displayName: 'Field',
				name: 'field',
				values: [
					{
						displayName: 'Field Key',
						name: 'key',
						type: 'string',
						default: '',
						description: 'The field\'s key from the webhook\'s sample data (接收外部数据 → 示例数据), e.g. fXXXXX',
					},
					{ displayName: 'Type', name: 'type', type: 'options', options: VALUE_TYPES, default: 'FIELD_TYPE_TEXT' },
					{ displayName: 'Value', name: 'value', type: 'string', default: '' },
				],
			},
		],
	},
	{
		displayName: 'Values (JSON)',
		name: 'valuesJson',
		type: 'json',
		default: '{}',
		displayOptions: { show: { valuesAs: ['json'] } },
		description: 'For example {"fXXXXX": [{"type": "text", "text": "hello"}], "fYYYYY": 12}',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['smartsheetWebhook'], operation: ['write'] } }, properties);

interface Row {
	position: number;
	itemIndex: number;
	action: 'add' | 'update';
	record: IDataObject;
}

function valuesOf(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	if (ctx.getNodeParameter('valuesAs', itemIndex, 'fields') === 'json') {
		const raw = ctx.getNodeParameter('valuesJson', itemIndex, '{}');
		const parsed: unknown = typeof raw === 'string' ? JSON.parse(raw) : raw;
		if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new NodeOperationError(ctx.getNode(), 'Values (JSON) must be a JSON object', { itemIndex });
		return parsed as IDataObject;
	}
	const entries = ((ctx.getNodeParameter('fields', itemIndex, {}) as IDataObject).field ?? []) as IDataObject[];
	const values: IDataObject = {};
	for (const entry of entries) {
		const key = String(entry.key ?? '').trim();
		if (!key) throw new NodeOperationError(ctx.getNode(), 'A field has no Field Key', { itemIndex });
		const field: SheetField = { field_id: key, field_title: key, field_type: String(entry.type) };
		try {
			const cell = toCell(field, entry.value, { createMissingOptions: true });
			if (cell !== undefined) values[key] = cell as IDataObject;
		} catch (error) {
			if (error instanceof CellValueError) throw new NodeOperationError(ctx.getNode(), error.message, { itemIndex });
			throw new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
		}
	}
	return values;
}

/** One row per item through the sheet's webhook, up to 500 rows a request (adds and updates sent apart). */
export async function executeBatch(this: IExecuteFunctions, itemIndexes: number[]): Promise<Array<INodeExecutionData[] | Error>> {
	const results: Array<INodeExecutionData[] | Error> = itemIndexes.map(() => []);
	const rows: Row[] = [];
	for (let position = 0; position < itemIndexes.length; position++) {
		const itemIndex = itemIndexes[position];
		try {
			const action = this.getNodeParameter('writeAs', itemIndex, 'add') as 'add' | 'update';
			const values = valuesOf(this, itemIndex);
			if (!Object.keys(values).length) throw new NodeOperationError(this.getNode(), 'No values to write', { itemIndex });
			const record: IDataObject = { values };
			if (action === 'update') {
				const recordId = String(this.getNodeParameter('recordId', itemIndex, '')).trim();
				if (!recordId) throw new NodeOperationError(this.getNode(), 'Record ID is empty', { itemIndex });
				record.record_id = recordId;
			}
			rows.push({ position, itemIndex, action, record });
		} catch (error) {
			results[position] = error as Error;
			if (!this.continueOnFail()) return results;
		}
	}
	for (const action of ['add', 'update'] as const) {
		const key = action === 'add' ? 'add_records' : 'update_records';
		for (const batch of chunks(rows.filter((row) => row.action === action), RECORDS_PER_CALL)) {
			try {
				const answer = await weComSmartsheetWebhookRequest.call(this, { [key]: batch.map((row) => row.record) }, batch[0].itemIndex);
				const written = (answer[key] ?? []) as IDataObject[];
				batch.forEach((row, index) => (results[row.position] = [{ json: { action: action === 'add' ? 'added' : 'updated', ...(written[index] ?? row.record) } }]));
			} catch (error) {
				batch.forEach((row) => (results[row.position] = error as Error));
				if (!this.continueOnFail()) return results;
			}
		}
	}
	return results;
}
