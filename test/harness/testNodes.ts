/** Small nodes every engine test may use: an input node that produces given items and a passthrough. */
import type { IBinaryKeyData, IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** One binary property as tests write it: the bytes base64-encoded. */
export interface TestBinaryInput {
	data: string;
	mimeType: string;
	fileName?: string;
}

export interface TestInputItem {
	json: IDataObject;
	binary?: Record<string, TestBinaryInput>;
}

/**
 * `test.input`: a start node (no inputs) that outputs the items in its `items` parameter (an array or a JSON string
 * of `{ json, binary? }`). Binary entries are stored through n8n's own `prepareBinaryData`, so downstream nodes get
 * real IBinaryData and `getBinaryDataBuffer` / `assertBinaryData` behave as in n8n.
 */
export class TestInput implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Test Input',
		name: 'test.input',
		group: ['trigger'],
		version: 1,
		description: 'Outputs the items given in its parameter (test harness)',
		defaults: { name: 'Input' },
		inputs: [],
		outputs: ['main'],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[{"json":{}}]' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const raw = this.getNodeParameter('items', 0) as unknown;
		const items = (typeof raw === 'string' ? JSON.parse(raw) : raw) as TestInputItem[];
		if (!Array.isArray(items)) throw new NodeOperationError(this.getNode(), 'test.input: `items` must be an array of { json, binary? }');
		const out: INodeExecutionData[] = [];
		for (const [index, item] of items.entries()) {
			const entry: INodeExecutionData = { json: item.json ?? {}, pairedItem: { item: index } };
			if (item.binary) {
				const binary: IBinaryKeyData = {};
				for (const [key, file] of Object.entries(item.binary)) {
					binary[key] = await this.helpers.prepareBinaryData(Buffer.from(file.data, 'base64'), file.fileName, file.mimeType);
				}
				entry.binary = binary;
			}
			out.push(entry);
		}
		return [out];
	}
}

/** A passthrough registered as `n8n-nodes-base.noOp` (the credential test needs that type name) and `test.noOp`. */
export class TestNoOp implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'No Operation, do nothing',
		name: 'n8n-nodes-base.noOp',
		group: ['organization'],
		version: 1,
		description: 'Passes its input on (test harness)',
		defaults: { name: 'No Operation' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}
