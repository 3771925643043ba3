import type { INodeProperties } from 'n8n-workflow';

import type { OperationMap } from '../types';
import * as create from './create.operation';
import * as del from './delete.operation';
import * as get from './get.operation';

export const operations: OperationMap = { create, get, delete: del };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['smartsheetDoc'] } },
		options: [
			{ name: 'Create', value: 'create', action: 'Create a smart sheet document', description: 'Create a smart sheet (智能表格) document; outputs its docid, link and sheets' },
			{ name: 'Delete', value: 'delete', action: 'Delete a smart sheet document', description: 'Delete a document the app created' },
			{ name: 'Get', value: 'get', action: 'Get a smart sheet document', description: 'Name, times, share link and sheets of a document' },
		],
		default: 'create',
	},
	...create.description,
	...get.description,
	...del.description,
];
