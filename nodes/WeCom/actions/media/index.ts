import type { INodeProperties } from 'n8n-workflow';

import type { OperationMap } from '../types';
import * as download from './download.operation';
import * as upload from './upload.operation';
import * as uploadImage from './uploadImage.operation';

export const operations: OperationMap = { upload, uploadImage, download };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['media'] } },
		options: [
			{
				name: 'Download',
				value: 'download',
				action: 'Download a file',
				description: 'Download temporary media by media_id into a binary field (e.g. files users sent to the app)',
			},
			{
				name: 'Upload',
				value: 'upload',
				action: 'Upload a file',
				description: 'Upload an image, voice, video or file as temporary media (临时素材) and get a media_id valid 3 days',
			},
			{
				name: 'Upload Image',
				value: 'uploadImage',
				action: 'Upload a permanent image',
				description: 'Upload a JPG/PNG and get a permanent URL for news articles and template cards',
			},
		],
		default: 'upload',
	},
	...upload.description,
	...uploadImage.description,
	...download.description,
];
