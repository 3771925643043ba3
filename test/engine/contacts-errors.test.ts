/**
 * Every contacts operation (User, Department, Tag) under n8n's real engine against the sandbox: with Continue On Fail
 * a WeCom refusal of one item becomes that item's error output (errcode, explained) while the other item goes
 * through, pairing kept; and each permission error (48002 app secret writing, 60011 outside the visible range, 81011
 * another app's tag, 60020 untrusted IP, 48009 sync secret from a new IP) names the secret or setting that fixes it.
 */
import type { INodeExecutionData } from 'n8n-workflow';

import { SANDBOX_DEFAULTS } from '../sandbox';
import { openidOf } from '../sandbox/contacts';
import { inputItem, useWeComTestBed, type WeComTestBed } from './kit';

type Secret = 'app' | 'sync';

interface FailCase {
	operation: string;
	secret?: Secret;
	settings?: Record<string, unknown>;
	parameters: Record<string, unknown>;
	/** Two items: the first goes through, the second is refused with `errcode` (or both are, with `bothFail`). */
	items: Array<Record<string, unknown>>;
	errcode: number;
	bothFail?: boolean;
}

function prepare(bed: WeComTestBed, secret: Secret | undefined, settings: Record<string, unknown> | undefined): void {
	if (secret === 'sync') bed.useContactsSecret();
	if (settings) bed.sandbox.configureContactsApp(secret === 'sync' ? SANDBOX_DEFAULTS.contactsSecret : SANDBOX_DEFAULTS.corpSecret, settings);
}

async function expectOneRefused(bed: WeComTestBed, entry: FailCase): Promise<void> {
	prepare(bed, entry.secret, entry.settings);
	const result = await bed.run({ operation: entry.operation, ...entry.parameters }, entry.items.map((json) => inputItem(json)), { continueOnFail: true });
	expect(result.error).toBeUndefined();
	const output: INodeExecutionData[] = result.output('WeCom');
	const errors = output.filter((item) => item.json.error !== undefined);
	const fine = output.filter((item) => item.json.error === undefined);
	expect(errors.length).toBe(entry.bothFail ? 2 : 1);
	for (const item of errors) {
		expect(item.json.errcode).toBe(entry.errcode);
		expect(String(item.json.error)).toContain(`WeCom ${entry.errcode}`);
		expect(String(item.json.description ?? '')).not.toBe('');
	}
	expect(errors.map((item) => item.pairedItem)).toEqual(entry.bothFail ? [{ item: 0 }, { item: 1 }] : [{ item: 1 }]);
	if (!entry.bothFail) {
		expect(fine.length).toBeGreaterThanOrEqual(1);
		for (const item of fine) expect(item.pairedItem).toEqual({ item: 0 });
		// the item that went through comes first, the refused one after it
		expect(output.indexOf(errors[0])).toBe(output.length - 1);
	}
}

const byExpression = (field: string) => ({ __rl: true, mode: 'id', value: `={{ $json.${field} }}` });

describe('Continue On Fail, per operation: User (成员)', () => {
	const bed = useWeComTestBed('user');
	const cases: FailCase[] = [
		{ operation: 'get', parameters: { userId: byExpression('id') }, items: [{ id: 'zhangsan' }, { id: 'nobody' }], errcode: 60111 },
		{ operation: 'getAll', parameters: { source: 'simple', departmentId: byExpression('d'), returnAll: true }, items: [{ d: 3 }, { d: 999 }], errcode: 60123 },
		{ operation: 'getAll', parameters: { source: 'detailed', departmentId: byExpression('d'), returnAll: true }, items: [{ d: 3 }, { d: 999 }], errcode: 60123 },
		{ operation: 'getAll', parameters: { source: 'allIds', returnAll: true }, items: [{}, {}], errcode: 48002, bothFail: true },
		{
			operation: 'create',
			secret: 'sync',
			parameters: { userid: '={{ $json.id }}', name: '新人', additionalFields: { mobile: '={{ $json.mobile }}' }, ifExists: 'fail' },
			items: [{ id: 'newbie', mobile: '13911112222' }, { id: 'zhangsan', mobile: '13911113333' }],
			errcode: 60102,
		},
		{ operation: 'update', secret: 'sync', parameters: { userId: byExpression('id'), updateFields: { position: '架构师' } }, items: [{ id: 'zhangsan' }, { id: 'nobody' }], errcode: 60111 },
		{ operation: 'delete', secret: 'sync', parameters: { userId: byExpression('id') }, items: [{ id: 'wangwu' }, { id: 'nobody' }], errcode: 60111 },
		{ operation: 'deleteMany', secret: 'sync', parameters: { userIds: '={{ $json.ids }}' }, items: [{ ids: 'wangwu,zhaoliu' }, { ids: 'sunqi,nobody' }], errcode: 60111 },
		{ operation: 'getIdByMobile', parameters: { mobile: '={{ $json.mobile }}' }, items: [{ mobile: '13800000002' }, { mobile: '13000000000' }], errcode: 46004 },
		{ operation: 'getIdByEmail', parameters: { email: '={{ $json.email }}', emailType: 2 }, items: [{ email: 'wangwu@sandbox.example' }, { email: 'nobody@example.com' }], errcode: 46004 },
		{ operation: 'convertToOpenid', parameters: { userId: byExpression('id') }, items: [{ id: 'lisi' }, { id: 'sunqi' }], errcode: 43004 },
		{ operation: 'convertToUserid', parameters: { openid: '={{ $json.openid }}' }, items: [{ openid: openidOf('lisi') }, { openid: 'oSbxNobodyAtAll000000000000' }], errcode: 46004 },
		// WeCom answers unknown or invisible invitees in invaliduser; only the call itself can be refused
		{ operation: 'invite', settings: { untrustedIp: true }, parameters: { userIds: '={{ $json.users }}', departmentIds: '', tagIds: '' }, items: [{ users: 'wangwu' }, { users: 'lisi' }], errcode: 60020, bothFail: true },
	];
	it.each(cases.map((entry) => [`${entry.operation}${entry.parameters.source ? ` (${String(entry.parameters.source)})` : ''}`, entry] as const))('%s', async (_name, entry) => {
		await expectOneRefused(bed, entry);
	});
});

describe('Continue On Fail, per operation: Department (部门)', () => {
	const bed = useWeComTestBed('department');
	const cases: FailCase[] = [
		{ operation: 'getAll', parameters: { listType: 'full', parentId: byExpression('p'), returnAll: true }, items: [{ p: 2 }, { p: 999 }], errcode: 60003 },
		{ operation: 'getAll', parameters: { listType: 'simple', parentId: byExpression('p'), returnAll: true }, items: [{ p: 2 }, { p: 999 }], errcode: 60003 },
		{ operation: 'get', parameters: { departmentId: byExpression('id') }, items: [{ id: 3 }, { id: 999 }], errcode: 60003 },
		{ operation: 'create', secret: 'sync', parameters: { name: '={{ $json.name }}', parentId: byExpression('p') }, items: [{ name: '数据部', p: 2 }, { name: '研发部', p: 1 }], errcode: 60008 },
		{ operation: 'update', secret: 'sync', parameters: { departmentId: byExpression('id'), updateFields: { name: '={{ $json.name }}' } }, items: [{ id: 3, name: '产品中心' }, { id: 999, name: '无' }], errcode: 60003 },
		{ operation: 'delete', secret: 'sync', parameters: { departmentId: byExpression('id') }, items: [{ id: 20 }, { id: 2 }], errcode: 60006 },
	];
	it.each(cases.map((entry) => [`${entry.operation}${entry.parameters.listType ? ` (${String(entry.parameters.listType)})` : ''}`, entry] as const))('%s', async (_name, entry) => {
		await expectOneRefused(bed, entry);
	});
});

describe('Continue On Fail, per operation: Tag (标签)', () => {
	const bed = useWeComTestBed('tag');
	const cases: FailCase[] = [
		{ operation: 'getAll', settings: { untrustedIp: true }, parameters: { returnAll: true }, items: [{}, {}], errcode: 60020, bothFail: true },
		{ operation: 'getMembers', parameters: { tagId: byExpression('t'), returnAll: true }, items: [{ t: 2 }, { t: 999 }], errcode: 40068 },
		{ operation: 'create', parameters: { tagname: '={{ $json.name }}' }, items: [{ name: '夜班' }, { name: '值班' }], errcode: 40071 },
		{ operation: 'update', parameters: { tagId: byExpression('t'), tagname: '={{ $json.name }}' }, items: [{ t: 4, name: '外包团队' }, { t: 999, name: '无' }], errcode: 40068 },
		{ operation: 'delete', parameters: { tagId: byExpression('t') }, items: [{ t: 4 }, { t: 999 }], errcode: 40068 },
		{ operation: 'addMembers', parameters: { tagId: byExpression('t'), userIds: 'lisi', departmentIds: '' }, items: [{ t: 4 }, { t: 999 }], errcode: 40068 },
		{ operation: 'removeMembers', parameters: { tagId: byExpression('t'), userIds: 'zhangsan', departmentIds: '' }, items: [{ t: 2 }, { t: 999 }], errcode: 40068 },
	];
	it.each(cases.map((entry) => [entry.operation, entry] as const))('%s', async (_name, entry) => {
		await expectOneRefused(bed, entry);
	});
});

interface PermissionCase {
	resource: 'user' | 'department' | 'tag';
	operation: string;
	secret?: Secret;
	settings?: Record<string, unknown>;
	parameters: Record<string, unknown>;
	errcode: number;
	/** What the explanation must name (the secret, console page or operation that fixes it). */
	says: string;
}

const id = (value: string | number) => ({ __rl: true, mode: 'id', value: String(value) });
const APP_WRITES = '通讯录同步';
const RANGE = '可见范围';
const permissionCases: PermissionCase[] = [
	{ resource: 'user', operation: 'create', parameters: { userid: 'xiaoming', name: '小明', additionalFields: { mobile: '13912345678' } }, errcode: 48002, says: APP_WRITES },
	{ resource: 'user', operation: 'update', parameters: { userId: id('zhangsan'), updateFields: { position: 'x' } }, errcode: 48002, says: APP_WRITES },
	{ resource: 'user', operation: 'delete', parameters: { userId: id('zhangsan') }, errcode: 48002, says: APP_WRITES },
	{ resource: 'user', operation: 'deleteMany', parameters: { userIds: 'wangwu' }, errcode: 48002, says: APP_WRITES },
	{ resource: 'user', operation: 'getAll', parameters: { source: 'allIds', returnAll: true }, errcode: 48002, says: APP_WRITES },
	{ resource: 'department', operation: 'create', parameters: { name: '数据部', parentId: id(1) }, errcode: 48002, says: APP_WRITES },
	{ resource: 'department', operation: 'update', parameters: { departmentId: id(3), updateFields: { name: '产品中心' } }, errcode: 48002, says: APP_WRITES },
	{ resource: 'department', operation: 'delete', parameters: { departmentId: id(20) }, errcode: 48002, says: APP_WRITES },
	{ resource: 'user', operation: 'get', settings: { visibleDepartments: [2] }, parameters: { userId: id('lisi') }, errcode: 60011, says: RANGE },
	{ resource: 'user', operation: 'getAll', settings: { visibleDepartments: [2] }, parameters: { source: 'detailed', departmentId: id(3), returnAll: true }, errcode: 60011, says: RANGE },
	{ resource: 'user', operation: 'convertToOpenid', settings: { visibleDepartments: [2] }, parameters: { userId: id('lisi') }, errcode: 60011, says: RANGE },
	{ resource: 'department', operation: 'get', settings: { visibleDepartments: [2] }, parameters: { departmentId: id(3) }, errcode: 60011, says: RANGE },
	{ resource: 'department', operation: 'getAll', settings: { visibleDepartments: [2] }, parameters: { listType: 'full', parentId: id(3), returnAll: true }, errcode: 60011, says: RANGE },
	{ resource: 'tag', operation: 'update', secret: 'sync', parameters: { tagId: id(1), tagname: '新名字' }, errcode: 81011, says: 'created a tag' },
	{ resource: 'tag', operation: 'delete', secret: 'sync', parameters: { tagId: id(1) }, errcode: 81011, says: 'created a tag' },
	{ resource: 'tag', operation: 'addMembers', secret: 'sync', parameters: { tagId: id(1), userIds: 'lisi', departmentIds: '' }, errcode: 81011, says: 'created a tag' },
	{ resource: 'tag', operation: 'removeMembers', secret: 'sync', parameters: { tagId: id(1), userIds: 'zhangsan', departmentIds: '' }, errcode: 81011, says: 'created a tag' },
	{ resource: 'user', operation: 'get', settings: { untrustedIp: true }, parameters: { userId: id('zhangsan') }, errcode: 60020, says: '企业可信IP' },
	{ resource: 'department', operation: 'getAll', secret: 'sync', settings: { newIp: true }, parameters: { listType: 'full', returnAll: true }, errcode: 48009, says: 'user/list_id' },
];

for (const resource of ['user', 'department', 'tag'] as const) {
	describe(`Permission errors explained: ${resource}`, () => {
		const bed = useWeComTestBed(resource);
		const cases = permissionCases.filter((entry) => entry.resource === resource);
		it.each(cases.map((entry) => [`${entry.operation} → ${entry.errcode}`, entry] as const))('%s', async (_name, entry) => {
			prepare(bed, entry.secret, entry.settings);
			const result = await bed.run({ operation: entry.operation, ...entry.parameters });
			expect(String(result.error?.message)).toContain(`WeCom ${entry.errcode}`);
			expect(String(result.error?.description)).toContain(entry.says);
		});
	});
}
