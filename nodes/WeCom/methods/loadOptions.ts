/**
 * Dynamic option lists: departments (department/list), tags (tag/list) and users of a department
 * (user/simplelist). Reading the contacts needs contact permission (通讯录权限) or a visible range covering them;
 * without it the list shows one entry explaining how to type IDs instead, rather than an error dialog.
 */
import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { weComApiRequest } from '../transport';
import { byName, departmentOption, departmentTree } from './optionOrder';

const ROOT_DEPARTMENT_ID = 1;
const TYPE_IDS = 'Type the IDs with an expression instead (e.g. 2|5)';

function explain(what: string, error: unknown): INodePropertyOptions[] {
	const message = String((error as { message?: unknown }).message ?? error);
	return [
		{
			name: `Cannot list ${what}: ${message}`.slice(0, 200),
			value: '',
			description: `${TYPE_IDS}. Listing needs contact permission (通讯录) or a visible range that covers the ${what}.`,
		},
	];
}

/** Departments as "Name (ID)" in tree order, so same-named departments stay apart and each sits below its parent. */
export async function getDepartments(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	try {
		const answer = await weComApiRequest.call(this, { method: 'GET', endpoint: 'department/list' });
		return departmentTree((answer.department ?? []) as IDataObject[]).map(departmentOption);
	} catch (error) {
		return explain('departments', error);
	}
}

export async function getTags(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	try {
		const answer = await weComApiRequest.call(this, { method: 'GET', endpoint: 'tag/list' });
		const list = (answer.taglist ?? []) as IDataObject[];
		return list.map((tag) => ({ name: `${String(tag.tagname ?? tag.tagid)} (${String(tag.tagid)})`, value: String(tag.tagid) })).sort(byName);
	} catch (error) {
		return explain('tags', error);
	}
}

/**
 * Members of the root department (1) and every department below it: everyone the app can see.
 * user/simplelist lists one department's members; fetch_child adds the sub-departments.
 */
export async function getUsers(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	try {
		const answer = await weComApiRequest.call(this, {
			method: 'GET',
			endpoint: 'user/simplelist',
			qs: { department_id: ROOT_DEPARTMENT_ID, fetch_child: 1 },
		});
		const list = (answer.userlist ?? []) as IDataObject[];
		const seen = new Set<string>();
		const options: INodePropertyOptions[] = [];
		for (const user of list) {
			const id = String(user.userid ?? '');
			if (!id || seen.has(id)) continue;
			seen.add(id);
			options.push({ name: `${String(user.name ?? id)} (${id})`, value: id });
		}
		return options.sort(byName);
	} catch (error) {
		return explain('users', error);
	}
}
