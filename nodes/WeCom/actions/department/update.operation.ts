import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { SYNC_SECRET_HINT, departmentLocator, readNumericId } from '../../helpers/contacts';
import { updateDisplayOptions } from '../../helpers/displayOptions';
import { callEndpoint, compact } from '../../helpers/endpoint';
import { checkDepartmentName, departmentExtras, departmentFieldOptions } from './departmentFields';

const properties: INodeProperties[] = [
	{ ...departmentLocator(), hint: SYNC_SECRET_HINT },
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{ displayName: 'Name', name: 'name', type: 'string', default: '' },
			...departmentFieldOptions(),
			{ displayName: 'Parent Department ID', name: 'parentid', type: 'number', default: 1, description: 'Move the department below another one' },
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['department'], operation: ['update'] } }, properties);

/** Renames or moves a department (更新部门, department/update). */
export const execute = callEndpoint({
	method: 'POST',
	endpoint: 'department/update',
	request: (ctx, i) => {
		const fields = departmentExtras(ctx, i, ctx.getNodeParameter('updateFields', i, {}) as IDataObject);
		checkDepartmentName(ctx, i, 'Name', fields.name);
		const body = compact(fields);
		if (Object.keys(body).length === 0) throw new NodeOperationError(ctx.getNode(), 'Add at least one field to update', { itemIndex: i });
		return { id: readNumericId(ctx, i, 'departmentId', 'Department'), ...body };
	},
	output: (_answer, request) => ({ id: request.id, updated: true }),
});
