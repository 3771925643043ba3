import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { assertMaxChars } from '../../helpers/text';

const FORBIDDEN = /[\\:*?"<>|｜]/;

export const departmentFieldOptions = (): INodeProperties[] => [
	{ displayName: 'English Name', name: 'name_en', type: 'string', default: '', description: 'Up to 64 characters' },
	{ displayName: 'Order', name: 'order', type: 'number', default: 0, description: 'Sort value below the parent (larger first)' },
];

/** Department names: 1-64 characters without \ : * ? " < > | (page 90205). */
export function checkDepartmentName(ctx: IExecuteFunctions, itemIndex: number, label: string, value: unknown): void {
	if (typeof value !== 'string' || value === '') return;
	assertMaxChars(ctx, label, value, 64, itemIndex);
	if (FORBIDDEN.test(value)) throw new NodeOperationError(ctx.getNode(), `${label} "${value}" contains a character WeCom forbids (\\ : * ? " < > |)`, { itemIndex });
}

export function departmentExtras(ctx: IExecuteFunctions, itemIndex: number, fields: IDataObject): IDataObject {
	checkDepartmentName(ctx, itemIndex, 'English Name', fields.name_en);
	return fields;
}
