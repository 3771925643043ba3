import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

/** One operation: its UI fields and what it does for one input item. */
export interface WeComOperation {
	description: INodeProperties[];
	/** Returns the output items for input item `itemIndex` (usually one; pairing is added by the router). */
	execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]>;
}

export type OperationMap = Record<string, WeComOperation>;
