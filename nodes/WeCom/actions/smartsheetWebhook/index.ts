import type { INodeProperties } from 'n8n-workflow';

import type { OperationMap } from '../types';
import * as write from './write.operation';

export const operations: OperationMap = { write };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['smartsheetWebhook'] } },
		options: [
			{ name: 'Add or Update Records', value: 'write', action: 'Add or update records through a sheet webhook', description: 'Write rows through the sheet\'s own webhook (no app, no token)' },
		],
		default: 'write',
	},
	...write.description,
];
