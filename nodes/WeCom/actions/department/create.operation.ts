import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { SYNC_SECRET_HINT, departmentLocator, readNumericId } from '../../helpers/contacts';
import { updateDisplayOptions } from '../../helpers/displayOptions';
import { callEndpoint, compact } from '../../helpers/endpoint';
import { assertRequired } from '../../helpers/text';
import { checkDepartmentName, departmentExtras, departmentFieldOptions } from './departmentFields';

const properties: INodeProperties[] = [
	{ displayName: 'Name', name: 'name', type: 'string', default: '', required: true, description: 'Unique below the parent; 1-64 characters', hint: SYNC_SECRET_HINT },
	departmentLocator('parentId', 'Parent Department', { description: 'The department to create it in (1 is the root)' }),
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			...departmentFieldOptions(),
			{ displayName: 'ID', name: 'id', type: 'number', default: 2, description: 'Choose the new department\'s ID (greater than 1); WeCom picks one otherwise' },
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['department'], operation: ['create'] } }, properties);

/** Creates a department (创建部门, department/create). */
export const execute = callEndpoint({
	method: 'POST',
	endpoint: 'department/create',
	request: (ctx, i) => {
		const name = String(ctx.getNodeParameter('name', i, '')).trim();
		assertRequired(ctx, 'Name', name, i);
		checkDepartmentName(ctx, i, 'Name', name);
		const extras = departmentExtras(ctx, i, ctx.getNodeParameter('additionalFields', i, {}) as IDataObject);
		return compact({ name, parentid: readNumericId(ctx, i, 'parentId', 'Parent Department'), ...extras });
	},
	output: (answer, request) => ({ id: answer.id, name: request.name, parentid: request.parentid }),
});
