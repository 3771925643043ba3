import type { INodeProperties } from 'n8n-workflow';
import { SEND_AND_WAIT_OPERATION } from 'n8n-workflow';

import type { OperationMap } from '../types';
import * as recall from './recall.operation';
import * as send from './send.operation';
import * as sendAndWait from './sendAndWait.operation';
import * as updateTaskCard from './updateTaskCard.operation';
import * as updateTemplateCard from './updateTemplateCard.operation';

export const operations: OperationMap = { send, recall, updateTemplateCard, updateTaskCard };

/** Send and Wait runs once per node run (not per item): WeCom.node.ts calls it instead of the router. */
export { sendAndWait };

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
				name: 'Send and Wait for Response',
				value: SEND_AND_WAIT_OPERATION,
				action: 'Send message and wait for response',
				description: 'Send a card a person answers (approve, free text or a form) and wait for the answer',
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
	...sendAndWait.description,
	...recall.description,
	...updateTemplateCard.description,
	...updateTaskCard.description,
];
