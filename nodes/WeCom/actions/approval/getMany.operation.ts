import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { APPROVAL_STATUSES } from '../../../shared/approvalStatus';
import { readList } from '../../helpers/approval/convert';
import { readDateSeconds } from '../../helpers/approval/dates';
import { updateDisplayOptions } from '../../helpers/displayOptions';
import { collectPages, readLimit, returnAllFields, toItems } from '../../helpers/listing';
import { weComApiRequest } from '../../transport';

/** WeCom answers at most 100 numbers per call, for a span of at most 31 days (page 91816). */
export const MAX_PAGE_SIZE = 100;
export const MAX_WINDOW_SECONDS = 31 * 24 * 3600;

const fields: INodeProperties[] = [
	{
		displayName: 'Start Time',
		name: 'startTime',
		type: 'dateTime',
		default: '',
		required: true,
		description: 'Approvals submitted from this time on. Ranges longer than 31 days are fetched in several calls.',
	},
	{
		displayName: 'End Time',
		name: 'endTime',
		type: 'dateTime',
		default: '',
		required: true,
		description: 'Approvals submitted up to this time',
	},
	...returnAllFields('approval', ['getMany'], { maxLimit: 100000 }),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{ displayName: 'Creator User ID', name: 'creator', type: 'string', default: '', description: 'Only approvals this member submitted (申请人)' },
			{
				displayName: 'Department IDs',
				name: 'departments',
				type: 'string',
				default: '',
				placeholder: '2, 5',
				description: 'Only approvals of applicants in these departments (any of them)',
			},
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				default: 2,
				options: APPROVAL_STATUSES.filter((status) => status.code !== 7).map((status) => ({ name: `${status.en} (${status.zh})`, value: status.code })),
			},
			{ displayName: 'Template ID', name: 'templateId', type: 'string', default: '', description: 'Only approvals of this template (审批模板)' },
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['approval'], operation: ['getMany'] } }, fields);

/**
 * [start, end] pairs of at most 31 days covering the range, oldest first. WeCom wants endtime greater than starttime
 * (page 91816), so windows share their boundary second (the numbers are de-duplicated) and never have end = start.
 */
export function timeWindows(start: number, end: number, span = MAX_WINDOW_SECONDS): Array<[number, number]> {
	if (end <= start) return [[start, start + 1]];
	const windows: Array<[number, number]> = [];
	for (let from = start; from < end; from += span) windows.push([from, Math.min(end, from + span)]);
	return windows;
}

function seconds(ctx: IExecuteFunctions, name: string, label: string, itemIndex: number): number {
	const raw = ctx.getNodeParameter(name, itemIndex, '') as unknown;
	const value = readDateSeconds(raw, ctx.getTimezone());
	if (value === undefined) {
		throw new NodeOperationError(ctx.getNode(), `${label} "${String(raw)}" is not a date`, { itemIndex, description: 'Pick a date, or map an ISO date or Unix seconds.' });
	}
	return value;
}

/** Approval numbers (oa/getapprovalinfo): one item per sp_no. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const start = seconds(this, 'startTime', 'Start Time', itemIndex);
	const end = seconds(this, 'endTime', 'End Time', itemIndex);
	if (end < start) throw new NodeOperationError(this.getNode(), 'End Time is before Start Time', { itemIndex });
	const limit = readLimit(this, itemIndex);
	const options = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const filters: IDataObject[] = [];
	if (options.templateId) filters.push({ key: 'template_id', value: String(options.templateId).trim() });
	if (options.creator) filters.push({ key: 'creator', value: String(options.creator).trim() });
	for (const department of readList(options.departments)) filters.push({ key: 'department', value: department });
	if (options.status !== undefined && options.status !== '') filters.push({ key: 'sp_status', value: String(options.status) });

	const numbers: IDataObject[] = [];
	const seen = new Set<string>();
	for (const [from, to] of timeWindows(start, end)) {
		if (numbers.length >= limit) break;
		const page = await collectPages<string>(
			async (cursor, size) => {
				const answer = await weComApiRequest.call(this, {
					method: 'POST',
					endpoint: 'oa/getapprovalinfo',
					body: { starttime: String(from), endtime: String(to), new_cursor: String(cursor ?? ''), size, ...(filters.length ? { filters } : {}) },
					itemIndex,
				});
				return { records: ((answer.sp_no_list ?? []) as unknown[]).map(String), next: answer.new_next_cursor as string | undefined };
			},
			limit - numbers.length,
			MAX_PAGE_SIZE,
		);
		for (const spNo of page) {
			if (seen.has(spNo)) continue;
			seen.add(spNo);
			numbers.push({ sp_no: spNo });
		}
	}
	return toItems(numbers);
}
