import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

/** One operation: its UI fields and what it does for one input item. */
export interface WeComOperation {
	description: INodeProperties[];
	/** Returns the output items for input item `itemIndex` (usually one; pairing is added by the router). */
	execute?(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]>;
	/**
	 * For operations that serve many items with one request (batched writes): gets the indexes of all input items
	 * that chose this operation and returns, per index, its output items or the error that item failed with.
	 * The router still pairs, orders and applies Continue On Fail.
	 */
	executeBatch?(this: IExecuteFunctions, itemIndexes: number[]): Promise<Array<INodeExecutionData[] | Error>>;
	/**
	 * true when items must be handled one after the other, in input order (e.g. find-then-write operations whose later
	 * items depend on what earlier ones wrote). Others may run concurrently.
	 */
	sequential?: boolean;
}

export type OperationMap = Record<string, WeComOperation>;
