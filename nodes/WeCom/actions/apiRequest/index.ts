import type { INodeProperties } from 'n8n-workflow';

import type { OperationMap } from '../types';
import * as request from './request.operation';

export const operations: OperationMap = { request };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['apiRequest'] } },
		options: [
			{
				name: 'Call Endpoint',
				value: 'request',
				action: 'Call an endpoint',
				description: 'Any endpoint under /cgi-bin/, with the credential\'s shared token, refresh on expiry, retries and error explanations',
			},
		],
		default: 'request',
	},
	...request.description,
];
