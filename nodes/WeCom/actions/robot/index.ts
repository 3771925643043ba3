import type { INodeProperties } from 'n8n-workflow';
import { SEND_AND_WAIT_OPERATION } from 'n8n-workflow';

import type { OperationMap } from '../types';
import * as send from './send.operation';
import * as sendAndWait from './sendAndWait.operation';
import * as uploadMedia from './uploadMedia.operation';

export const operations: OperationMap = { send, uploadMedia };

/** Send and Wait runs once per node run (not per item): WeCom.node.ts calls it instead of the router. */
export { sendAndWait };

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
				name: 'Send and Wait for Response',
				value: SEND_AND_WAIT_OPERATION,
				action: 'Send group message and wait for response',
				description: 'Post a card whose links let someone in the group answer (approve, free text or a form), and wait',
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
	...sendAndWait.description,
	...uploadMedia.description,
];
