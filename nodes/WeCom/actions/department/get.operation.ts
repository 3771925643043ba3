import type { INodeProperties } from 'n8n-workflow';

import { READ_HINT, departmentLocator, readNumericId } from '../../helpers/contacts';
import { updateDisplayOptions } from '../../helpers/displayOptions';
import { callEndpoint } from '../../helpers/endpoint';

const properties: INodeProperties[] = [{ ...departmentLocator(), hint: READ_HINT }];

export const description = updateDisplayOptions({ show: { resource: ['department'], operation: ['get'] } }, properties);

/** One department (获取单个部门详情, department/get). */
export const execute = callEndpoint({
	method: 'GET',
	endpoint: 'department/get',
	request: (ctx, i) => ({ id: readNumericId(ctx, i, 'departmentId', 'Department') }),
	output: 'department',
});
