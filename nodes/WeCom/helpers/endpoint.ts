/**
 * Declarative operations, written once: "call endpoint X with a request built from the fields, output Z as items".
 * An operation file then holds only its fields and a description of its request:
 *
 *   export const execute = callEndpoint({ method: 'GET', endpoint: 'user/get', request: (ctx, i) => ({ userid: … }) });
 *   export const execute = listEndpoint({ method: 'POST', endpoint: 'user/list_id', request: () => ({}), records: 'dept_user',
 *     paging: { cursorParam: 'cursor', nextKey: 'next_cursor', sizeParam: 'limit', maxPageSize: 10000 } });
 *
 * GET requests go in the query string, POST requests as the JSON body. Errors, retries and the token are the
 * transport's; Return All / Limit and one item per record are listing.ts's.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { weComApiRequest, type WeComContext } from '../transport';
import { collectPages, limited, readLimit, toItems } from './listing';
import { errcodeOfError } from './robotDelivery';

export type RequestBuilder = (ctx: IExecuteFunctions, itemIndex: number) => IDataObject | Promise<IDataObject>;

/**
 * What an answer becomes: the key of an array (one item per entry) or object (one item) in the answer, a function,
 * or (when omitted) the answer itself without errcode/errmsg.
 */
export type OutputPicker = string | ((answer: IDataObject, request: IDataObject) => IDataObject | IDataObject[]);

export interface EndpointSpec {
	method: 'GET' | 'POST';
	/** Path under /cgi-bin/, e.g. 'user/get'. */
	endpoint: string;
	/** GET: the query string; POST: the JSON body. */
	request: RequestBuilder;
	output?: OutputPicker;
}

export interface CursorPaging {
	/** The request field carrying the cursor (or offset), e.g. 'cursor'. */
	cursorParam: string;
	/** The answer field holding the next cursor, e.g. 'next_cursor' ('' or absent = the end). */
	nextKey: string;
	/** The request field for the page size, if the endpoint takes one. */
	sizeParam?: string;
	/** The largest page WeCom serves. */
	maxPageSize: number;
}

export interface ListSpec extends EndpointSpec {
	/** The records of one answer. */
	records: OutputPicker;
	/** Follow WeCom's cursor; without it the endpoint answers the whole list at once and Limit cuts it. */
	paging?: CursorPaging;
}

export type ItemExecute = (this: IExecuteFunctions, itemIndex: number) => Promise<INodeExecutionData[]>;

/** One call per item; its answer (or the picked part of it) as output items. */
export function callEndpoint(spec: EndpointSpec): ItemExecute {
	return async function (this: IExecuteFunctions, itemIndex: number) {
		const request = await spec.request(this, itemIndex);
		const answer = await send(this, spec, request, itemIndex);
		return toItems(pick(answer, request, spec.output));
	};
}

/** A list with Return All / Limit: follows the cursor until enough records came, one item per record. */
export function listEndpoint(spec: ListSpec): ItemExecute {
	return async function (this: IExecuteFunctions, itemIndex: number) {
		const limit = readLimit(this, itemIndex);
		const request = await spec.request(this, itemIndex);
		const paging = spec.paging;
		if (!paging) return toItems(limited(pick(await send(this, spec, request, itemIndex), request, spec.records), limit));
		const records = await collectPages(
			async (cursor, pageSize) => {
				const pageRequest: IDataObject = { ...request, ...(cursor !== undefined ? { [paging.cursorParam]: cursor } : {}) };
				if (paging.sizeParam) pageRequest[paging.sizeParam] = pageSize;
				const answer = await send(this, spec, pageRequest, itemIndex);
				const next = answer[paging.nextKey];
				return { records: pick(answer, pageRequest, spec.records), next: typeof next === 'number' || typeof next === 'string' ? next : undefined };
			},
			limit,
			paging.maxPageSize,
		);
		return toItems(records);
	};
}

/** Drops fields left empty (undefined, null, '' and empty arrays/objects), so omitted means "unchanged" to WeCom. */
export function compact(body: IDataObject): IDataObject {
	const result: IDataObject = {};
	for (const [key, value] of Object.entries(body)) {
		if (value === undefined || value === null || value === '') continue;
		if (Array.isArray(value) && value.length === 0) continue;
		if (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0) continue;
		result[key] = value;
	}
	return result;
}

/**
 * Runs `attempt`; when WeCom refuses it with one of `errcodes` and `fallback` applies, runs `fallback` instead
 * (e.g. create → update on 60102, a detailed read → an IDs-only read on 48009). Other failures stay as they are.
 */
export async function onErrcode<T>(
	ctx: WeComContext,
	errcodes: number[],
	attempt: () => Promise<T>,
	fallback: () => Promise<T> | undefined,
): Promise<T> {
	try {
		return await attempt();
	} catch (error) {
		const code = errcodeOfError(error);
		const next = code !== undefined && errcodes.includes(code) ? fallback() : undefined;
		if (next) return await next;
		throw asNodeError(ctx, error);
	}
}

/** The transport throws n8n errors already; anything else is wrapped. */
function asNodeError(ctx: WeComContext, error: unknown): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(ctx.getNode(), error as Error);
}

async function send(ctx: IExecuteFunctions, spec: EndpointSpec, request: IDataObject, itemIndex: number): Promise<IDataObject> {
	return await weComApiRequest.call(ctx, {
		method: spec.method,
		endpoint: spec.endpoint,
		...(spec.method === 'GET' ? { qs: request } : { body: request }),
		itemIndex,
	});
}

function pick(answer: IDataObject, request: IDataObject, output: OutputPicker | undefined): IDataObject[] {
	if (typeof output === 'function') {
		const picked = output(answer, request);
		return Array.isArray(picked) ? picked : [picked];
	}
	if (output === undefined) {
		const rest: IDataObject = { ...answer };
		delete rest.errcode;
		delete rest.errmsg;
		return [rest];
	}
	const value = answer[output];
	if (Array.isArray(value)) return value.map((entry) => (typeof entry === 'object' && entry !== null ? (entry as IDataObject) : { value: entry as string }));
	if (typeof value === 'object' && value !== null) return [value as IDataObject];
	return [];
}
