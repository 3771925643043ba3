import type { INodeProperties } from 'n8n-workflow';

import type { OperationMap } from '../types';
import * as create from './create.operation';
import * as get from './get.operation';
import * as send from './send.operation';
import * as update from './update.operation';

export const operations: OperationMap = { create, update, get, send };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['appChat'] } },
		options: [
			{ name: 'Create', value: 'create', action: 'Create a group chat', description: 'Create a group chat (群聊) with 2 to 2000 members' },
			{ name: 'Get', value: 'get', action: 'Get a group chat', description: 'Get the name, owner and members of a chat' },
			{
				name: 'Send',
				value: 'send',
				action: 'Send a message to a group chat',
				description: 'Send text, media, cards, news or markdown into a chat the app created',
			},
			{
				name: 'Update',
				value: 'update',
				action: 'Update a group chat',
				description: 'Rename, change the owner, add or remove members',
			},
		],
		default: 'send',
	},
	...create.description,
	...update.description,
	...get.description,
	...send.description,
];
