/**
 * How many items of one node run are in flight at once. One field per resource, generated from the operation map, so
 * every operation (today's and future ones) gets it unless it is marked `sequential`; the router reads it.
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ResourceModule } from './resources';

/**
 * 20 in flight: in real n8n 2.41 a send costs n8n 3.5-6 ms of CPU (mostly evaluating the item's expressions), so with
 * WeCom 40 ms away it takes about 10 in flight just to cover the wait and about 20 to keep n8n's CPU busy through the
 * jitter (measured: 2,000 texts in 17 s at 10, 9-12 s at 20, 7.5-9 s at 40; bench part bulk). It stays gentle: a 45009
 * wave costs 20 refused calls, which the shared gate repeats, not hundreds.
 */
export const DEFAULT_CONCURRENCY = 20;
export const MAX_CONCURRENCY = 50;
export const CONCURRENCY_PARAMETER = 'concurrency';

export function concurrencyProperties(resources: Record<string, ResourceModule>): INodeProperties[] {
	return Object.entries(resources).flatMap(([resource, module]) => {
		const operations = Object.entries(module.operations)
			.filter(([, handler]) => !handler.sequential && !handler.executeBatch)
			.map(([operation]) => operation);
		if (operations.length === 0) return [];
		return [
			{
				displayName: 'Concurrency',
				name: CONCURRENCY_PARAMETER,
				type: 'number',
				typeOptions: { minValue: 1, maxValue: MAX_CONCURRENCY, numberPrecision: 0 },
				default: DEFAULT_CONCURRENCY,
				description:
					'How many items are sent to WeCom at the same time (1 = one after the other). Output items keep the input order and pairing either way; WeCom may deliver messages of one run to the same person in another order. Rate limits (45009) slow every item down together.',
				displayOptions: { show: { resource: [resource], operation: operations } },
			},
		];
	});
}

/** The node's Concurrency, bounded; 1 when the operation hides the field. */
export function readConcurrency(ctx: IExecuteFunctions): number {
	const value = Number(ctx.getNodeParameter(CONCURRENCY_PARAMETER, 0, DEFAULT_CONCURRENCY));
	if (!Number.isFinite(value)) return DEFAULT_CONCURRENCY;
	return Math.min(MAX_CONCURRENCY, Math.max(1, Math.floor(value)));
}

/**
 * Runs `worker` for every index with at most `limit` at once, starting them in order. Once `stop()` says so, no
 * further index is started; those already running finish.
 */
export async function runBounded(indexes: number[], limit: number, worker: (index: number) => Promise<void>, stop: () => boolean): Promise<void> {
	let next = 0;
	const lane = async () => {
		while (next < indexes.length && !stop()) await worker(indexes[next++]);
	};
	await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), indexes.length) }, lane));
}
