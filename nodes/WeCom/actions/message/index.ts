import type { INodeProperties } from 'n8n-workflow';

import type { OperationMap } from '../types';
import * as recall from './recall.operation';
import * as send from './send.operation';
import * as updateTaskCard from './updateTaskCard.operation';
import * as updateTemplateCard from './updateTemplateCard.operation';

export const operations: OperationMap = { send, recall, updateTemplateCard, updateTaskCard };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['message'] } },
		options: [
			{
				name: 'Recall',
				value: 'recall',
				action: 'Recall a message',
				description: 'Withdraw an app message sent in the last 24 hours (撤回)',
			},
			{
				name: 'Send',
				value: 'send',
				action: 'Send a message',
				description: 'Send an app message (应用消息) of any type to users, departments, tags or everyone',
			},
			{
				name: 'Update Task Card',
				value: 'updateTaskCard',
				action: 'Update a task card',
				description: 'Mark a legacy task card (任务卡片) button as clicked for given users',
			},
			{
				name: 'Update Template Card',
				value: 'updateTemplateCard',
				action: 'Update a template card',
				description: 'Replace the buttons or the whole template card (模板卡片) by its response_code',
			},
		],
		default: 'send',
	},
	...send.description,
	...recall.description,
	...updateTemplateCard.description,
	...updateTaskCard.description,
];
