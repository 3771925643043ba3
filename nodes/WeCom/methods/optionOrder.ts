/**
 * The order of department, tag and user options in pickers. Departments follow the tree (each parent, then its
 * sub-departments), siblings by name; names compare as Chinese readers expect (pinyin for Han characters, then Latin),
 * not by character code, which scatters 研发部 and 市场部 arbitrarily.
 */
import type { IDataObject } from 'n8n-workflow';

const collator = new Intl.Collator('zh-Hans-CN', { numeric: true, sensitivity: 'base' });

export const byName = (a: { name: string }, b: { name: string }): number => collator.compare(a.name, b.name);

export interface TreeDepartment {
	id: string;
	/** Undefined when the list carries IDs only (department/simplelist). */
	name?: string;
	/** The parent's ID and name, or undefined for a department whose parent the app cannot see (the top of its range). */
	parent?: { id: string; name?: string };
	/** 0 for the top of the visible tree. */
	depth: number;
}

/**
 * department/list (or simplelist) → depth-first order. An app whose visible range starts below the root sees
 * departments whose parent is missing: those are tops of their own subtrees. 
 */
export function departmentTree(list: IDataObject[]): TreeDepartment[] {
	const byId = new Map<string, IDataObject>();
	for (const department of list) if (department.id !== undefined) byId.set(String(department.id), department);
	const nameOf = (department: IDataObject): string | undefined => (department.name === undefined ? undefined : String(department.name));
	const children = new Map<string, IDataObject[]>();
	const tops: IDataObject[] = [];
	for (const department of byId.values()) {
		const parentId = department.parentid === undefined ? undefined : String(department.parentid);
		if (parentId === undefined || parentId === String(department.id) || !byId.has(parentId)) tops.push(department);
		else children.set(parentId, [...(children.get(parentId) ?? []), department]);
	}
	const sortKey = (department: IDataObject): string => nameOf(department) ?? String(department.id);
	const sorted = (departments: IDataObject[]) => [...departments].sort((a, b) => collator.compare(sortKey(a), sortKey(b)));
	const ordered: TreeDepartment[] = [];
	const visited = new Set<string>();
	const visit = (department: IDataObject, depth: number): void => {
		const id = String(department.id);
		if (visited.has(id)) return;
		visited.add(id);
		const parent = byId.get(String(department.parentid));
		ordered.push({ id, name: nameOf(department), depth, ...(depth > 0 && parent ? { parent: { id: String(parent.id), name: nameOf(parent) } } : {}) });
		for (const child of sorted(children.get(id) ?? [])) visit(child, depth + 1);
	};
	for (const top of sorted(tops)) visit(top, 0);
	// Departments in a parent cycle (never from WeCom) are not below any top: listed last rather than lost.
	for (const department of sorted([...byId.values()])) visit(department, 0);
	return ordered;
}

/** "Parent: 研发部 (2)" for the option's description ("Parent: department 2" without names); the top says so. */
export function parentDescription(department: TreeDepartment): string {
	const { parent } = department;
	if (!parent) return 'Top-level department';
	return parent.name === undefined ? `Parent: department ${parent.id}` : `Parent: ${parent.name} (${parent.id})`;
}

/** "研发部 (2)", or "Department 2" when the list has no names. */
export function departmentLabel(department: TreeDepartment): string {
	return department.name === undefined ? `Department ${department.id}` : `${department.name} (${department.id})`;
}

/** A department as a picker entry (list or search result): "研发部 (2)", its ID, and its parent in the description. */
export function departmentOption(department: TreeDepartment): { name: string; value: string; description: string } {
	return { name: departmentLabel(department), value: department.id, description: parentDescription(department) };
}
