import type { INodeProperties } from 'n8n-workflow';

import type { OperationMap } from '../types';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as getTemplate from './getTemplate.operation';
import * as submit from './submit.operation';

export const operations: OperationMap = { get, getMany, getTemplate, submit };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['approval'] } },
		options: [
			{ name: 'Get', value: 'get', action: 'Get an approval', description: 'Get one approval\'s status, applicant, filled controls, records and comments' },
			{ name: 'Get Many', value: 'getMany', action: 'Get many approval numbers', description: 'List approval numbers submitted in a time range, with filters' },
			{ name: 'Get Template', value: 'getTemplate', action: 'Get an approval template', description: 'Get the controls of an approval template' },
			{ name: 'Submit', value: 'submit', action: 'Submit an approval', description: 'Submit an approval application (提交审批申请) for a member' },
		],
		default: 'submit',
	},
	...getTemplate.description,
	...submit.description,
	...getMany.description,
	...get.description,
];
