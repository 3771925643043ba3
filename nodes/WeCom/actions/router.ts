import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { resources } from './resources';

/**
 * Runs the selected operation once per input item. Output items are paired with their input item; with
 * "Continue On Fail" a failing item becomes an output item carrying the error and the others go on.
 */
export async function route(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const resource = this.getNodeParameter('resource', itemIndex) as string;
			const operation = this.getNodeParameter('operation', itemIndex) as string;
			const handler = resources[resource]?.operations[operation];
			if (!handler) {
				throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`, { itemIndex });
			}
			const results = await handler.execute.call(this, itemIndex);
			for (const result of results) output.push({ ...result, pairedItem: { item: itemIndex } });
		} catch (error) {
			if (this.continueOnFail()) {
				output.push({ json: errorJson(error), pairedItem: { item: itemIndex } });
				continue;
			}
			throw withItemIndex(this, error, itemIndex);
		}
	}
	return [output];
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
