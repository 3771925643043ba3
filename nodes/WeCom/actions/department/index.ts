import type { INodeProperties } from 'n8n-workflow';

import type { OperationMap } from '../types';
import * as create from './create.operation';
import * as deleteDepartment from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';

export const operations: OperationMap = { create, get, getAll, update, delete: deleteDepartment };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['department'] } },
		options: [
			{ name: 'Create', value: 'create', action: 'Create a department', description: 'Add a department (department/create); contacts sync secret' },
			{ name: 'Delete', value: 'delete', action: 'Delete a department', description: 'Remove an empty department (department/delete); contacts sync secret' },
			{ name: 'Get', value: 'get', action: 'Get a department', description: 'Read one department (department/get)' },
			{ name: 'Get Many', value: 'getAll', action: 'Get many departments', description: 'Get many departments: all, or those below a parent (department/list, department/simplelist)' },
			{ name: 'Update', value: 'update', action: 'Update a department', description: 'Rename or move a department (department/update); contacts sync secret' },
		],
		default: 'getAll',
	},
	...create.description,
	...get.description,
	...getAll.description,
	...update.description,
	...deleteDepartment.description,
];
