import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { departmentLocator, readNumericId } from '../../helpers/contacts';
import { updateDisplayOptions } from '../../helpers/displayOptions';
import { listEndpoint } from '../../helpers/endpoint';
import { limited, readLimit, returnAllFields, toItems } from '../../helpers/listing';
import { weComApiRequest } from '../../transport';

const properties: INodeProperties[] = [
	{
		displayName: 'Source',
		name: 'source',
		type: 'options',
		options: [
			{
				name: 'Department Members (Simple)',
				value: 'simple',
				description: 'User ID, name and departments of a department\'s members (user/simplelist); app secret',
			},
			{
				name: 'Department Members (Detailed)',
				value: 'detailed',
				description: 'Full member records of a department (user/list); app secret',
			},
			{
				name: 'All Users (IDs Only)',
				value: 'allIds',
				description: 'Every user ID with each of its departments, one item per user and department (user/list_id); contacts sync secret only',
			},
		],
		default: 'simple',
	},
	{ ...departmentLocator(), displayOptions: { show: { source: ['simple', 'detailed'] } } },
	{
		displayName: 'Include Sub-Departments',
		name: 'includeChildren',
		type: 'boolean',
		default: false,
		displayOptions: { show: { source: ['simple', 'detailed'] } },
		description: 'Whether to list the members of every department below it too (each member once)',
	},
	...returnAllFields('user', ['getAll'], { maxLimit: 100000 }),
];

export const description = updateDisplayOptions({ show: { resource: ['user'], operation: ['getAll'] } }, properties);

const allIds = listEndpoint({
	method: 'POST',
	endpoint: 'user/list_id',
	request: () => ({}),
	records: 'dept_user',
	paging: { cursorParam: 'cursor', nextKey: 'next_cursor', sizeParam: 'limit', maxPageSize: 10000 },
});

/**
 * Members of a department (user/simplelist or user/list: direct members; WeCom says to walk sub-departments
 * yourself, so Include Sub-Departments lists them through department/simplelist), or all users via user/list_id.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const source = this.getNodeParameter('source', itemIndex) as string;
	if (source === 'allIds') return await allIds.call(this, itemIndex);
	const limit = readLimit(this, itemIndex);
	const root = readNumericId(this, itemIndex, 'departmentId', 'Department');
	const departments = this.getNodeParameter('includeChildren', itemIndex, false) ? await subtree(this, root, itemIndex) : [root];
	const endpoint = source === 'detailed' ? 'user/list' : 'user/simplelist';
	const users: IDataObject[] = [];
	const seen = new Set<string>();
	for (const department of departments) {
		if (users.length >= limit) break;
		const answer = await weComApiRequest.call(this, { method: 'GET', endpoint, qs: { department_id: department }, itemIndex });
		for (const user of (answer.userlist ?? []) as IDataObject[]) {
			const id = String(user.userid);
			if (seen.has(id)) continue;
			seen.add(id);
			users.push(user);
		}
	}
	return toItems(limited(users, limit));
}

async function subtree(ctx: IExecuteFunctions, root: number, itemIndex: number): Promise<number[]> {
	const answer = await weComApiRequest.call(ctx, { method: 'GET', endpoint: 'department/simplelist', qs: { id: root }, itemIndex });
	const ids = ((answer.department_id ?? []) as IDataObject[]).map((entry) => Number(entry.id));
	return [root, ...ids.filter((id) => id !== root)];
}
