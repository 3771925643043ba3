import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { route } from './actions/router';
import { versionDescription } from './actions/versionDescription';
import { methods } from './methods';

export class WeCom implements INodeType {
	description: INodeTypeDescription = versionDescription;

	methods = methods;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this);
	}
}
