import type { INodeProperties } from 'n8n-workflow';

import type { OperationMap } from '../types';

// Placeholder until the operations of this resource land.
export const operations: OperationMap = {};

export const description: INodeProperties[] = [];
