import type { INodeProperties } from 'n8n-workflow';

import type { OperationMap } from '../types';
import * as addMembers from './addMembers.operation';
import * as create from './create.operation';
import * as deleteTag from './delete.operation';
import * as getAll from './getAll.operation';
import * as getMembers from './getMembers.operation';
import * as removeMembers from './removeMembers.operation';
import * as update from './update.operation';

export const operations: OperationMap = { create, getAll, getMembers, update, delete: deleteTag, addMembers, removeMembers };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['tag'] } },
		options: [
			{ name: 'Add Members', value: 'addMembers', action: 'Add members to a tag', description: 'Tag users and departments (tag/addtagusers)' },
			{ name: 'Create', value: 'create', action: 'Create a tag', description: 'Add a tag owned by this credential\'s app (tag/create)' },
			{ name: 'Delete', value: 'delete', action: 'Delete a tag', description: 'Remove a tag this app created (tag/delete)' },
			{ name: 'Get Many', value: 'getAll', action: 'Get many tags', description: 'Every tag of the company (tag/list)' },
			{ name: 'Get Members', value: 'getMembers', action: 'Get members of a tag', description: 'The users and departments of a tag (tag/get)' },
			{ name: 'Remove Members', value: 'removeMembers', action: 'Remove members from a tag', description: 'Untag users and departments (tag/deltagusers)' },
			{ name: 'Update', value: 'update', action: 'Update a tag', description: 'Rename a tag this app created (tag/update)' },
		],
		default: 'getAll',
	},
	...create.description,
	...getAll.description,
	...getMembers.description,
	...update.description,
	...deleteTag.description,
	...addMembers.description,
	...removeMembers.description,
];
