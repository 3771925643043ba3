import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { READ_HINT, departmentLocator, readOptionalNumericId } from '../../helpers/contacts';
import { updateDisplayOptions } from '../../helpers/displayOptions';
import { listEndpoint } from '../../helpers/endpoint';
import { returnAllFields } from '../../helpers/listing';

const properties: INodeProperties[] = [
	{
		displayName: 'List',
		name: 'listType',
		type: 'options',
		options: [
			{ name: 'Full (Names and Leaders)', value: 'full', description: 'ID, name, English name, leaders, parent and order (department/list)' },
			{ name: 'Simple (IDs Only)', value: 'simple', description: 'ID, parent and order (department/simplelist); also works for the contacts sync secret from a new IP' },
		],
		default: 'full',
		hint: READ_HINT,
	},
	{
		...departmentLocator('parentId', 'Below Department', { required: false, description: 'List this department and everything below it; empty lists every department the credential can see' }),
	},
	...returnAllFields('department', ['getAll'], { maxLimit: 30000 }),
];

export const description = updateDisplayOptions({ show: { resource: ['department'], operation: ['getAll'] } }, properties);

const request = (ctx: IExecuteFunctions, i: number) => {
	const id = readOptionalNumericId(ctx, i, 'parentId', 'Below Department');
	return id === undefined ? {} : { id };
};
const full = listEndpoint({ method: 'GET', endpoint: 'department/list', request, records: 'department' });
const simple = listEndpoint({ method: 'GET', endpoint: 'department/simplelist', request, records: 'department_id' });

/** Departments, one item each (获取部门列表 department/list, or 获取子部门ID列表 department/simplelist). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const listType = this.getNodeParameter('listType', itemIndex, 'full') as string;
	return await (listType === 'simple' ? simple : full).call(this, itemIndex);
}
