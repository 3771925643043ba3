import type { INodeProperties } from 'n8n-workflow';

import type { OperationMap } from '../types';
import * as send from './send.operation';
import * as uploadMedia from './uploadMedia.operation';

export const operations: OperationMap = { send, uploadMedia };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['robot'] } },
		options: [
			{
				name: 'Send',
				value: 'send',
				action: 'Send a group robot message',
				description: 'Post text, markdown, an image, news, a file, voice or a template card into the group',
			},
			{
				name: 'Upload Media',
				value: 'uploadMedia',
				action: 'Upload media to a group robot',
				description: 'Upload a file or voice recording and get a media_id this robot can send within 3 days',
			},
		],
		default: 'send',
	},
	...send.description,
	...uploadMedia.description,
];
