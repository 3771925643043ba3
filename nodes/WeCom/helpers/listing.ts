/**
 * Lists the n8n way, written once for every resource: the Return All / Limit fields, reading them, following
 * WeCom's cursors (or offsets) until the limit is reached, and one output item per record.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

export interface LimitOptions {
	/** The Limit field's default (n8n's convention: 50). */
	defaultLimit?: number;
	/** The largest Limit a user may type (usually what one WeCom page can hold, or a sane bound). */
	maxLimit?: number;
}

/** Return All and Limit, shown for the given resource and operations. */
export function returnAllFields(resource: string, operations: string[], options: LimitOptions = {}): INodeProperties[] {
	const show = { resource: [resource], operation: operations };
	const limit: INodeProperties = {
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1, ...(options.maxLimit ? { maxValue: options.maxLimit } : {}) },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { ...show, returnAll: [false] } },
	};
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
			displayOptions: { show },
		},
		{ ...limit, default: options.defaultLimit ?? 50 },
	];
}

/** The number of records wanted for this item: Infinity with Return All. */
export function readLimit(ctx: IExecuteFunctions, itemIndex: number): number {
	const returnAll = ctx.getNodeParameter('returnAll', itemIndex, false) as boolean;
	if (returnAll) return Infinity;
	const limit = Number(ctx.getNodeParameter('limit', itemIndex, 50));
	return Number.isFinite(limit) && limit > 0 ? Math.floor(limit) : 50;
}

export interface Page<T> {
	records: T[];
	/** The cursor (or offset) of the next page; undefined, '' or null when this was the last one. */
	next?: string | number | null;
}

/**
 * Follows pages until `limit` records were collected or WeCom says there are no more. `pageSize` is handed to
 * `fetchPage` so the last page asks only for what is still wanted. Stops on a page that repeats its cursor
 * (a server bug must not become an endless loop).
 */
export async function collectPages<T>(
	fetchPage: (cursor: string | number | undefined, pageSize: number) => Promise<Page<T>>,
	limit: number,
	maxPageSize: number,
): Promise<T[]> {
	const records: T[] = [];
	let cursor: string | number | undefined;
	const seen = new Set<string | number>();
	while (records.length < limit) {
		const pageSize = Math.max(1, Math.min(maxPageSize, limit - records.length));
		const page = await fetchPage(cursor, pageSize);
		for (const record of page.records) {
			if (records.length >= limit) break;
			records.push(record);
		}
		const next = page.next;
		if (next === undefined || next === null || next === '' || seen.has(next)) break;
		seen.add(next);
		cursor = next;
	}
	return records;
}

/** One output item per record. */
export function toItems(records: IDataObject[]): INodeExecutionData[] {
	return records.map((json) => ({ json }));
}

/** Keeps the first `limit` entries of a list WeCom answers whole (no paging). */
export function limited<T>(list: T[], limit: number): T[] {
	return Number.isFinite(limit) ? list.slice(0, limit) : list;
}
