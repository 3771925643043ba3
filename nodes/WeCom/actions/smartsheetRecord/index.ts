import type { INodeProperties } from 'n8n-workflow';

import type { OperationMap } from '../types';
import * as append from './append.operation';
import * as appendOrUpdate from './appendOrUpdate.operation';
import * as del from './delete.operation';
import * as getMany from './getMany.operation';
import * as update from './update.operation';

export const operations: OperationMap = { append, appendOrUpdate, update, getMany, delete: del };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['smartsheetRecord'] } },
		options: [
			{ name: 'Append', value: 'append', action: 'Append records to a sheet', description: 'Add one record per item (500 per request)' },
			{
				name: 'Append or Update',
				value: 'appendOrUpdate',
				action: 'Append or update records in a sheet',
				description: 'Update the records matching the item on the chosen columns, append the others',
			},
			{ name: 'Delete', value: 'delete', action: 'Delete records from a sheet', description: 'Delete records by ID (500 per request)' },
			{ name: 'Get Many', value: 'getMany', action: 'Get many records of a sheet', description: 'Read records with filters, sort, view and selected columns' },
			{ name: 'Update', value: 'update', action: 'Update records in a sheet', description: 'Update a record by its ID (500 per request)' },
		],
		default: 'append',
	},
	...append.description,
	...appendOrUpdate.description,
	...update.description,
	...getMany.description,
	...del.description,
];
