import { DEPARTMENTS, departmentSubtree, findUser, NAMED_USERS, TAGS } from '../directory';
import { fail } from '../errors';
import { ok, type Route } from './context';

function departmentId(value: string | undefined, required: boolean): number | undefined {
	if (value === undefined || value === '') {
		if (required) fail(40063, 'department_id missing');
		return undefined;
	}
	if (!/^\d+$/.test(value) || !DEPARTMENTS.some((department) => department.id === Number(value))) fail(60123, `department ${value}`);
	return Number(value);
}

const departmentList: Route = {
	needsToken: true,
	handle(ctx) {
		const id = departmentId(ctx.query.id, false) ?? 1;
		return ok({ department: departmentSubtree(id).map((department) => ({ ...department, department_leader: [] })) });
	},
};

/** Named users only (generated user<N> IDs are valid recipients but not listed). */
const userSimplelist: Route = {
	needsToken: true,
	handle(ctx) {
		const id = departmentId(ctx.query.department_id, true) as number;
		const scope = ctx.query.fetch_child === '1' ? departmentSubtree(id).map((department) => department.id) : [id];
		const userlist = NAMED_USERS.filter((user) => user.department.some((department) => scope.includes(department)));
		return ok({ userlist: userlist.map((user) => ({ userid: user.userid, name: user.name, department: [...user.department] })) });
	},
};

const userGet: Route = {
	needsToken: true,
	handle(ctx) {
		const user = ctx.query.userid ? findUser(ctx.query.userid) : undefined;
		if (!user) fail(60111, `userid "${ctx.query.userid ?? ''}"`);
		return ok({ userid: user.userid, name: user.name, department: [...user.department], status: 1 });
	},
};

const tagList: Route = {
	needsToken: true,
	handle() {
		return ok({ taglist: TAGS.map((tag) => ({ ...tag })) });
	},
};

export const directoryRoutes: Record<string, Route> = {
	'/cgi-bin/department/list': departmentList,
	'/cgi-bin/user/simplelist': userSimplelist,
	'/cgi-bin/user/get': userGet,
	'/cgi-bin/tag/list': tagList,
};
