import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { withMappedFields } from '../helpers/mappedFields';
import { readConcurrency, runBounded } from './concurrency';
import { resources } from './resources';
import type { WeComOperation } from './types';

type ItemResult = INodeExecutionData[] | Error;

/**
 * Runs the selected operation for every input item. Output items are paired with their input item and keep input
 * order; with "Continue On Fail" a failing item becomes an output item carrying the error and the others go on.
 * Items run with bounded concurrency (the node's Concurrency, see concurrency.ts) unless an operation is marked
 * `sequential`. Without Continue On Fail the first failure stops the run as it did one item at a time: no item after
 * it is started, items already under way finish (their requests were sent), and the node fails with the error of the
 * lowest-numbered failed item. Operations with `executeBatch` get all their items at once (one request can serve many).
 * Operations see the run's context with mapped fields read from the items (helpers/mappedFields.ts).
 */
export async function route(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const ctx = withMappedFields(this);
	const items = ctx.getInputData();
	const results: ItemResult[] = new Array<ItemResult>(items.length);
	const batches = new Map<WeComOperation, number[]>();
	const single: Array<{ itemIndex: number; handler: WeComOperation }> = [];
	const continueOnFail = ctx.continueOnFail();
	/** Set when an item failed without Continue On Fail: nothing more is started. */
	let failed = false;
	/** Without Continue On Fail, the first item whose operation could not be read; the items before it still run. */
	let readFailedAt = items.length;
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const handler = operationOf(ctx, itemIndex);
			if (handler.executeBatch) {
				const indexes = batches.get(handler) ?? [];
				indexes.push(itemIndex);
				batches.set(handler, indexes);
				continue;
			}
			if (!handler.execute) throw new NodeOperationError(ctx.getNode(), 'This operation cannot run item by item', { itemIndex });
			single.push({ itemIndex, handler });
		} catch (error) {
			results[itemIndex] = error as Error;
			if (!continueOnFail) {
				readFailedAt = itemIndex;
				break;
			}
		}
	}
	const sequential = single.some(({ handler }) => handler.sequential);
	const limit = sequential ? 1 : readConcurrency(ctx);
	const handlers = new Map(single.map(({ itemIndex, handler }) => [itemIndex, handler]));
	// Items before one whose operation could not be read still run, as they did one by one.
	const runnable = single.map(({ itemIndex }) => itemIndex).filter((itemIndex) => itemIndex < readFailedAt);
	await runBounded(
		runnable,
		limit,
		async (itemIndex) => {
			try {
				results[itemIndex] = await handlers.get(itemIndex)!.execute!.call(ctx, itemIndex);
			} catch (error) {
				results[itemIndex] = error as Error;
				if (!continueOnFail) failed = true;
			}
		},
		() => failed,
	);
	for (const [handler, indexes] of batches) {
		if (failed || readFailedAt < items.length) break;
		const answers = await handler.executeBatch!.call(ctx, indexes);
		indexes.forEach((itemIndex, position) => (results[itemIndex] = answers[position]));
	}
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const result = results[itemIndex];
		if (result === undefined) continue;
		if (result instanceof Error) {
			if (ctx.continueOnFail()) {
				output.push({ json: errorJson(result), pairedItem: { item: itemIndex } });
				continue;
			}
			throw withItemIndex(ctx, result, itemIndex);
		}
		for (const entry of result) output.push({ ...entry, pairedItem: { item: itemIndex } });
	}
	return [output];
}

function operationOf(ctx: IExecuteFunctions, itemIndex: number): WeComOperation {
	const resource = ctx.getNodeParameter('resource', itemIndex) as string;
	const operation = ctx.getNodeParameter('operation', itemIndex) as string;
	const handler = resources[resource]?.operations[operation];
	if (!handler) {
		throw new NodeOperationError(ctx.getNode(), `The operation "${operation}" of "${resource}" is not supported`, { itemIndex });
	}
	return handler;
}

/** Keeps n8n errors as they are (adding the item index) and wraps anything else. */
function withItemIndex(ctx: IExecuteFunctions, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (error.context.itemIndex === undefined) error.context.itemIndex = itemIndex;
		return error;
	}
	return new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
}

function errorJson(error: unknown): { error: string; description?: string; errcode?: number } {
	const e = error as { message?: unknown; description?: unknown; httpCode?: unknown; errorResponse?: { errcode?: unknown } };
	const json: { error: string; description?: string; errcode?: number } = { error: String(e.message ?? error) };
	if (typeof e.description === 'string' && e.description) json.description = e.description;
	const code = e.errorResponse?.errcode;
	if (code !== undefined && code !== null && Number.isFinite(Number(code))) json.errcode = Number(code);
	return json;
}
