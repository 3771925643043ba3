import type { INodeProperties } from 'n8n-workflow';

import { SYNC_SECRET_HINT, departmentLocator, readNumericId } from '../../helpers/contacts';
import { updateDisplayOptions } from '../../helpers/displayOptions';
import { callEndpoint } from '../../helpers/endpoint';

const properties: INodeProperties[] = [{ ...departmentLocator(), hint: `${SYNC_SECRET_HINT}. Only empty departments (no members, no sub-departments) can be deleted.` }];

export const description = updateDisplayOptions({ show: { resource: ['department'], operation: ['delete'] } }, properties);

/** Deletes an empty department (删除部门, department/delete). */
export const execute = callEndpoint({
	method: 'GET',
	endpoint: 'department/delete',
	request: (ctx, i) => ({ id: readNumericId(ctx, i, 'departmentId', 'Department') }),
	output: (_answer, request) => ({ id: request.id, deleted: true }),
});
