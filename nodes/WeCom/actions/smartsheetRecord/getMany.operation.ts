import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { updateDisplayOptions } from '../../helpers/displayOptions';
import { collectPages, readLimit, returnAllFields } from '../../helpers/listing';
import { byTitle, documentField, fetchFields, idList, READ_PAGE, readSheetRef, sheetField, wedoc } from '../../helpers/smartsheet/api';
import { CellValueError, fromCells } from '../../helpers/smartsheet/cells';
import { buildFilterSpec, type FilterInput, type FilterOperator } from '../../helpers/smartsheet/filters';
import { KEY_TYPE } from './shared';

const columnOption = (name: string, displayName: string): INodeProperties => ({
	displayName,
	name,
	type: 'options',
	typeOptions: { loadOptionsMethod: 'getSheetColumns', loadOptionsDependsOn: ['document.value', 'sheet.value'] },
	default: '',
	description: 'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
});

const properties: INodeProperties[] = [
	documentField,
	sheetField,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add condition',
		default: {},
		description: 'Conditions WeCom applies (filter_spec); select columns compare option texts, date columns compare days',
		options: [
			{
				displayName: 'Condition',
				name: 'conditions',
				values: [
					columnOption('column', 'Column Name or ID'),
					{
						displayName: 'Operator',
						name: 'operator',
						type: 'options',
						default: 'is',
						options: [
							{ name: 'Contains', value: 'contains' },
							{ name: 'Does Not Contain', value: 'doesNotContain' },
							{ name: 'Is', value: 'is' },
							{ name: 'Is Empty', value: 'isEmpty' },
							{ name: 'Is Greater Than', value: 'greater' },
							{ name: 'Is Greater Than or Equal', value: 'greaterOrEqual' },
							{ name: 'Is Less Than', value: 'less' },
							{ name: 'Is Less Than or Equal', value: 'lessOrEqual' },
							{ name: 'Is Not', value: 'isNot' },
							{ name: 'Is Not Empty', value: 'isNotEmpty' },
						],
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						description: 'Text, number, true/false, user IDs (a|b), option texts, or a date (ISO, epoch, today, yesterday, tomorrow)',
						displayOptions: { hide: { operator: ['isEmpty', 'isNotEmpty'] } },
					},
				],
			},
		],
	},
	{
		displayName: 'Match',
		name: 'match',
		type: 'options',
		default: 'all',
		options: [
			{ name: 'All Conditions', value: 'all' },
			{ name: 'Any Condition', value: 'any' },
		],
	},
	...returnAllFields('smartsheetRecord', ['getMany']),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Fields to Return',
				name: 'fields',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getSheetColumns', loadOptionsDependsOn: ['document.value', 'sheet.value'] },
				default: [],
				description: 'Only these columns. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Output Raw Cells',
				name: 'rawCells',
				type: 'boolean',
				default: false,
				description: 'Whether to output WeCom\'s cell objects under "values" instead of plain values',
			},
			{
				displayName: 'Record IDs',
				name: 'recordIds',
				type: 'string',
				default: '',
				description: 'Only these records, separated by | or commas',
			},
			{
				displayName: 'Sort',
				name: 'sort',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				placeholder: 'Add sort rule',
				default: {},
				description: 'WeCom cannot sort and filter in one read: use one or the other',
				options: [
					{
						displayName: 'Rule',
						name: 'rules',
						values: [
							columnOption('column', 'Column Name or ID'),
							{ displayName: 'Descending', name: 'desc', type: 'boolean', default: false, description: 'Whether to sort from the largest value' },
						],
					},
				],
			},
			{
				displayName: 'View ID',
				name: 'viewId',
				type: 'string',
				default: '',
				description: 'Read the records of this view (视图) only (Get Many Views lists them)',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['smartsheetRecord'], operation: ['getMany'] } }, properties);

const isoOf = (ms: unknown): string | null => (ms === undefined || ms === null || ms === '' ? null : new Date(Number(ms)).toISOString());

/** smartsheet/get_records with view, record IDs, filter_spec or sort and selected fields, following offset pages. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const ref = readSheetRef(this, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const fields = byTitle(await fetchFields(this, ref, itemIndex));
	const body: IDataObject = { docid: ref.docid, sheet_id: ref.sheetId, key_type: KEY_TYPE };
	if (options.viewId) body.view_id = String(options.viewId).trim();
	const recordIds = idList(options.recordIds);
	if (recordIds.length) body.record_ids = recordIds;
	const selected = idList(options.fields);
	if (selected.length) {
		for (const title of selected) if (!fields.has(title)) throw new NodeOperationError(this.getNode(), `The sheet has no column "${title}" to return`, { itemIndex });
		body.field_titles = selected;
	}
	const conditions = ((this.getNodeParameter('filters', itemIndex, {}) as IDataObject).conditions ?? []) as IDataObject[];
	const rules = (((options.sort ?? {}) as IDataObject).rules ?? []) as IDataObject[];
	if (conditions.length && rules.length) {
		throw new NodeOperationError(this.getNode(), 'WeCom cannot filter and sort in one read', {
			itemIndex,
			description: 'Remove the sort rules (or the filters), or sort afterwards with n8n\'s Sort node.',
		});
	}
	try {
		if (conditions.length) {
			const inputs: FilterInput[] = conditions.map((condition) => ({ column: String(condition.column ?? ''), operator: String(condition.operator ?? 'is') as FilterOperator, value: condition.value }));
			body.filter_spec = buildFilterSpec(fields, inputs, this.getNodeParameter('match', itemIndex, 'all') === 'all');
		}
	} catch (error) {
		if (error instanceof CellValueError) throw new NodeOperationError(this.getNode(), error.message, { itemIndex });
		throw new NodeOperationError(this.getNode(), error as Error, { itemIndex });
	}
	if (rules.length) {
		body.sort = rules.map((rule) => {
			const title = String(rule.column ?? '');
			if (!fields.has(title)) throw new NodeOperationError(this.getNode(), `The sheet has no column "${title}" to sort by`, { itemIndex });
			return { field_title: title, desc: rule.desc === true };
		});
	}
	const records = await collectPages<IDataObject>(
		async (cursor, limit) => {
			const answer = await wedoc(this, 'smartsheet/get_records', { ...body, offset: Number(cursor ?? 0), limit }, itemIndex);
			return { records: (answer.records ?? []) as IDataObject[], next: answer.has_more ? Number(answer.next) : undefined };
		},
		readLimit(this, itemIndex),
		READ_PAGE,
	);
	const raw = options.rawCells === true;
	return records.map((record) => {
		const values = (record.values ?? {}) as Record<string, unknown>;
		const json: IDataObject = {
			record_id: record.record_id,
			create_time: isoOf(record.create_time),
			update_time: isoOf(record.update_time),
			creator_name: record.creator_name,
			updater_name: record.updater_name,
		};
		if (raw) json.values = values as IDataObject;
		else Object.assign(json, fromCells(fields, values));
		return { json };
	});
}
