import type { INodeProperties } from 'n8n-workflow';

import type { OperationMap } from '../types';
import * as activeReply from './activeReply.operation';
import * as reply from './reply.operation';
import * as replyTemplateCard from './replyTemplateCard.operation';
import * as sendMessage from './sendMessage.operation';
import * as updateTemplateCard from './updateTemplateCard.operation';
import * as welcomeMessage from './welcomeMessage.operation';

export const operations: OperationMap = { activeReply, reply, replyTemplateCard, sendMessage, updateTemplateCard, welcomeMessage };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['aiBot'] } },
		options: [
			{
				name: 'Active Reply',
				value: 'activeReply',
				action: 'Reply through the response URL',
				description: 'Answer once through the message\'s response_url, within an hour (no socket or stream needed)',
			},
			{
				name: 'Reply',
				value: 'reply',
				action: 'Reply with a streamed answer',
				description: 'Replace the thinking text of the trigger\'s stream with the markdown answer (and images)',
			},
			{
				name: 'Reply with Template Card',
				value: 'replyTemplateCard',
				action: 'Reply with a template card',
				description: 'Answer a message with a template card (with the stream\'s text above it)',
			},
			{
				name: 'Send Message',
				value: 'sendMessage',
				action: 'Send a message proactively',
				description: 'Send markdown or a card to a user or group chat over the long connection',
			},
			{
				name: 'Update Template Card',
				value: 'updateTemplateCard',
				action: 'Update a clicked template card',
				description: 'Answer a card click by replacing the card, within 5 seconds',
			},
			{
				name: 'Welcome Message',
				value: 'welcomeMessage',
				action: 'Send a welcome message',
				description: 'Answer enter_chat with a text or card, within 5 seconds',
			},
		],
		default: 'reply',
	},
	...reply.description,
	...replyTemplateCard.description,
	...updateTemplateCard.description,
	...welcomeMessage.description,
	...activeReply.description,
	...sendMessage.description,
];
