/**
 * The seed of the sandbox's contact directory (通讯录): a few named users, departments 1..20, tags 1..5, which
 * contacts.ts turns into the stateful directory. For message recipients any ID of the form user<digits> is also a
 * user (so load tests can address thousands of users without storing them).
 */
import type { ContactsState } from './contacts';

export interface DirectoryUser {
	userid: string;
	name: string;
	department: number[];
}

export interface DirectoryDepartment {
	id: number;
	name: string;
	name_en: string;
	parentid: number;
	order: number;
}

export const NAMED_USERS: DirectoryUser[] = [
	{ userid: 'zhangsan', name: '张三', department: [1, 2] },
	{ userid: 'lisi', name: '李四', department: [1, 3] },
	{ userid: 'wangwu', name: '王五', department: [2] },
	{ userid: 'zhaoliu', name: '赵六', department: [4] },
	{ userid: 'sunqi', name: '孙七', department: [5] },
];

const DEPARTMENT_NAMES = ['沙箱科技', '研发部', '产品部', '市场部', '销售部', '运维部', '财务部', '人事部', '法务部', '客服部'];
const DEPARTMENT_NAMES_EN = ['Sandbox Tech', 'R&D', 'Product', 'Marketing', 'Sales', 'Operations', 'Finance', 'HR', 'Legal', 'Support'];

export const DEPARTMENTS: DirectoryDepartment[] = Array.from({ length: 20 }, (_, index) => {
	const id = index + 1;
	// 1 is the root; 2..10 hang below it; 11..20 below 2..10 so the tree has depth.
	const parentid = id === 1 ? 0 : id <= 10 ? 1 : ((id - 11) % 9) + 2;
	const named = id <= 10;
	return {
		id,
		name: named ? DEPARTMENT_NAMES[index] : `${DEPARTMENT_NAMES[parentid - 1]}${id - 10}组`,
		name_en: named ? DEPARTMENT_NAMES_EN[index] : `${DEPARTMENT_NAMES_EN[parentid - 1]} team ${id - 10}`,
		parentid,
		order: 100000000 - id * 1000,
	};
});

export const TAGS = [
	{ tagid: 1, tagname: '管理层' },
	{ tagid: 2, tagname: '值班' },
	{ tagid: 3, tagname: '研发' },
	{ tagid: 4, tagname: '外包' },
	{ tagid: 5, tagname: '告警接收人' },
];

const GENERATED_USER = /^user\d{1,9}$/;

/** WeCom user IDs are case-insensitive; answers report them lower-cased. With a directory, its current users count. */
export function isKnownUser(userid: string, directory?: ContactsState): boolean {
	const id = userid.toLowerCase();
	if (GENERATED_USER.test(id)) return true;
	return directory ? directory.users.has(id) : NAMED_USERS.some((user) => user.userid === id);
}

export function findUser(userid: string): DirectoryUser | undefined {
	const id = userid.toLowerCase();
	const named = NAMED_USERS.find((user) => user.userid === id);
	if (named) return named;
	if (!GENERATED_USER.test(id)) return undefined;
	const number = Number(id.slice(4));
	return { userid: id, name: `测试用户${number}`, department: [(number % 20) + 1] };
}

export function isKnownDepartment(id: string | number, directory?: ContactsState): boolean {
	const text = String(id).trim();
	if (!/^\d+$/.test(text)) return false;
	return directory ? directory.departments.has(Number(text)) : Number(text) >= 1 && Number(text) <= DEPARTMENTS.length;
}

export function isKnownTag(id: string | number, directory?: ContactsState): boolean {
	const text = String(id).trim();
	if (!/^\d+$/.test(text)) return false;
	return directory ? directory.tags.has(Number(text)) : TAGS.some((tag) => tag.tagid === Number(text));
}

/** The department and all departments below it. */
export function departmentSubtree(id: number): DirectoryDepartment[] {
	const result: DirectoryDepartment[] = [];
	const visit = (parent: number) => {
		const department = DEPARTMENTS.find((entry) => entry.id === parent);
		if (!department) return;
		result.push(department);
		for (const child of DEPARTMENTS.filter((entry) => entry.parentid === parent)) visit(child.id);
	};
	visit(id);
	return result;
}
