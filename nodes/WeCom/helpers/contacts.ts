/**
 * Shared pieces of the contacts resources (User, Department, Tag): their resource locators, ID lists read from a
 * field, and the hints that say which secret an operation needs.
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { parseIdList } from './idList';
import { locatorField, readLocator } from './resourceLocator';

export const SYNC_SECRET_HINT = 'Needs a WeCom API credential with the contacts sync secret (通讯录同步); an app secret gets error 48002';
export const READ_HINT = "Works with an app secret (users in the app's visible range) or the contacts sync secret";

export function userLocator(name = 'userId', displayName = 'User', description?: string): INodeProperties {
	return locatorField({
		displayName,
		name,
		searchMethod: 'searchUsers',
		idPlaceholder: 'zhangsan',
		description: description ?? 'The member (成员): pick from the list or enter the user ID (账号)',
	});
}

export function departmentLocator(name = 'departmentId', displayName = 'Department', options: { required?: boolean; description?: string } = {}): INodeProperties {
	return locatorField({
		displayName,
		name,
		searchMethod: 'searchDepartments',
		idPlaceholder: '2',
		idRegex: '^\\s*\\d+\\s*$',
		idRegexError: 'Department IDs are numbers',
		required: options.required,
		description: options.description ?? 'The department (部门): pick from the list or enter its numeric ID (1 is the root)',
	});
}

export function tagLocator(name = 'tagId', displayName = 'Tag'): INodeProperties {
	return locatorField({
		displayName,
		name,
		searchMethod: 'searchTags',
		idPlaceholder: '1',
		idRegex: '^\\s*\\d+\\s*$',
		idRegexError: 'Tag IDs are numbers',
		description: 'The tag (标签): pick from the list or enter its numeric ID',
	});
}

export const readUserId = (ctx: IExecuteFunctions, itemIndex: number, name = 'userId', label = 'User'): string => readLocator(ctx, name, itemIndex, label);

/** A numeric ID from a locator (departments, tags). */
export function readNumericId(ctx: IExecuteFunctions, itemIndex: number, name: string, label: string): number {
	const text = readLocator(ctx, name, itemIndex, label);
	if (!/^\d+$/.test(text)) throw new NodeOperationError(ctx.getNode(), `${label} "${text}" is not a numeric ID`, { itemIndex });
	return Number(text);
}

/** An optional numeric locator: undefined when left empty. */
export function readOptionalNumericId(ctx: IExecuteFunctions, itemIndex: number, name: string, label: string): number | undefined {
	const raw = ctx.getNodeParameter(name, itemIndex, '') as { value?: unknown } | string | number;
	const value = typeof raw === 'object' && raw !== null ? raw.value : raw;
	if (value === undefined || value === null || String(value).trim() === '') return undefined;
	return readNumericId(ctx, itemIndex, name, label);
}

/** A list field (array, "a|b", "a,b" …) as strings. */
export function readIds(ctx: IExecuteFunctions, itemIndex: number, name: string): string[] {
	return parseIdList(ctx.getNodeParameter(name, itemIndex, ''));
}

/** A list field of numeric IDs (departments, tags). */
export function readNumericIds(ctx: IExecuteFunctions, itemIndex: number, name: string, label: string): number[] {
	return readIds(ctx, itemIndex, name).map((id) => {
		if (!/^\d+$/.test(id)) throw new NodeOperationError(ctx.getNode(), `${label}: "${id}" is not a numeric ID`, { itemIndex });
		return Number(id);
	});
}

export function assertListSize(ctx: IExecuteFunctions, itemIndex: number, label: string, list: unknown[], max: number, min = 0): void {
	if (list.length < min || list.length > max) {
		const range = min > 0 ? `${min} to ${max}` : `at most ${max}`;
		throw new NodeOperationError(ctx.getNode(), `${label} has ${list.length} entries; WeCom accepts ${range}`, { itemIndex });
	}
}
