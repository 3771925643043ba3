/**
 * "From list" of the user, department and tag locators (methods.listSearch), with search by name or ID.
 * An app secret lists what its visible range covers. The contacts sync secret from a new IP may not read names
 * (48009): then users come from user/list_id and departments from department/simplelist, by ID.
 */
import type { IDataObject, ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { onErrcode } from '../helpers/endpoint';
import { weComApiRequest } from '../transport';
import { byName, departmentOption, departmentTree } from './optionOrder';

const ROOT_DEPARTMENT_ID = 1;
const MAX_RESULTS = 500;

function matches(filter: string | undefined, ...texts: unknown[]): boolean {
	if (!filter) return true;
	const needle = filter.trim().toLowerCase();
	return texts.some((text) => String(text ?? '').toLowerCase().includes(needle));
}

/** Sorted by name (users, tags); departments come in tree order already (sort: false). */
function finish(results: INodeListSearchItems[], sort = true): INodeListSearchResult {
	return { results: (sort ? results.sort(byName) : results).slice(0, MAX_RESULTS) };
}

export async function searchUsers(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const list = await onErrcode(
		this,
		[48009],
		async () => {
			const answer = await weComApiRequest.call(this, { method: 'GET', endpoint: 'user/simplelist', qs: { department_id: ROOT_DEPARTMENT_ID, fetch_child: 1 } });
			return (answer.userlist ?? []) as IDataObject[];
		},
		async () => {
			const answer = await weComApiRequest.call(this, { method: 'POST', endpoint: 'user/list_id', body: { limit: 10000 } });
			return ((answer.dept_user ?? []) as IDataObject[]).map((row) => ({ userid: row.userid }));
		},
	);
	const seen = new Set<string>();
	const results: INodeListSearchItems[] = [];
	for (const user of list) {
		const id = String(user.userid ?? '');
		if (!id || seen.has(id) || !matches(filter, id, user.name)) continue;
		seen.add(id);
		results.push({ name: user.name ? `${String(user.name)} (${id})` : id, value: id });
	}
	return finish(results);
}

export async function searchDepartments(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const list = await onErrcode(
		this,
		[48009],
		async () => ((await weComApiRequest.call(this, { method: 'GET', endpoint: 'department/list' })).department ?? []) as IDataObject[],
		async () => ((await weComApiRequest.call(this, { method: 'GET', endpoint: 'department/simplelist' })).department_id ?? []) as IDataObject[],
	);
	const wanted = new Set(list.filter((department) => matches(filter, department.id, department.name, department.name_en)).map((department) => String(department.id)));
	// The tree is built from the whole list, so a match keeps its parent's name even when the parent does not match.
	const results = departmentTree(list)
		.filter((department) => wanted.has(department.id))
		.map(departmentOption);
	return finish(results, false);
}

export async function searchTags(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const list = ((await weComApiRequest.call(this, { method: 'GET', endpoint: 'tag/list' })).taglist ?? []) as IDataObject[];
	const results = list
		.filter((tag) => matches(filter, tag.tagid, tag.tagname))
		.map((tag) => ({ name: `${String(tag.tagname ?? tag.tagid)} (${String(tag.tagid)})`, value: String(tag.tagid) }));
	return finish(results);
}
