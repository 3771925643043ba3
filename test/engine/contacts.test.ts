/**
 * Contacts (通讯录) through n8n's real engine against the sandbox's stateful directory: users, departments and tags,
 * Return All / Limit past one page, the two kinds of secret and WeCom's permission errors, Continue On Fail with
 * pairing, and the locators' list search through n8n-core's LoadOptionsContext.
 */
import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { SANDBOX_DEFAULTS } from '../sandbox';
import { WeCom } from '../../nodes/WeCom/WeCom.node';
import { inputItem, useWeComTestBed } from './kit';

const byId = (value: string | number) => ({ __rl: true, mode: 'id', value: String(value) });
const fromList = (value: string | number) => ({ __rl: true, mode: 'list', value: String(value) });
const newApp = (bed: { sandbox: { configureContactsApp: (secret: string, settings: Record<string, unknown>) => void } }, settings: Record<string, unknown>) =>
	bed.sandbox.configureContactsApp(SANDBOX_DEFAULTS.corpSecret, settings);

describe('WeCom node: User (成员)', () => {
	const bed = useWeComTestBed('user');
	const run = bed.run;

	it('gets a user picked from the list or by ID', async () => {
		const result = await run({ operation: 'get', userId: fromList('zhangsan') });
		expect(result.error).toBeUndefined();
		const [item] = result.output('WeCom');
		expect(item.json).toMatchObject({ userid: 'zhangsan', name: '张三', department: [1, 2], mobile: expect.any(String) });
		expect(item.json).not.toHaveProperty('errcode');
		const plain = await run({ operation: 'get', userId: '={{ $json.id }}' }, [inputItem({ id: 'LISI' })]);
		expect(plain.output('WeCom')[0].json.userid).toBe('lisi');
	});

	it('returns a user without the fields WeCom withholds from apps created after 2022-06-20, without an error', async () => {
		newApp(bed, { newApp: true });
		const result = await run({ operation: 'get', userId: byId('zhangsan') });
		expect(result.error).toBeUndefined();
		const [item] = result.output('WeCom');
		expect(item.json).toMatchObject({ userid: 'zhangsan', name: '张三', position: '研发总监' });
		for (const field of ['mobile', 'email', 'avatar', 'biz_mail', 'address', 'qr_code']) expect(item.json).not.toHaveProperty(field);
		// page 90196: a gender the app may not read comes back as "0" (undefined), not as the member's
		expect(item.json.gender).toBe('0');
	});

	it('explains a user outside the visible range (60011) and continues on fail with pairing', async () => {
		newApp(bed, { visibleDepartments: [2] });
		const result = await run({ operation: 'get', userId: '={{ $json.id }}' }, [inputItem({ id: 'zhangsan' }), inputItem({ id: 'lisi' }), inputItem({ id: 'nobody' })], { continueOnFail: true });
		expect(result.error).toBeUndefined();
		const output = result.output('WeCom');
		expect(output.map((entry) => entry.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(output[0].json.userid).toBe('zhangsan');
		expect(output[1].json).toMatchObject({ errcode: 60011 });
		expect(String(output[1].json.description)).toContain('visible range');
		expect(output[2].json).toMatchObject({ errcode: 60111 });
	});

	it('lists department members, simple or detailed, with sub-departments and a limit', async () => {
		const simple = await run({ operation: 'getAll', source: 'simple', departmentId: fromList(2), returnAll: true });
		expect(simple.output('WeCom').map((entry) => entry.json.userid)).toEqual(['zhangsan', 'wangwu']);
		const detailed = await run({ operation: 'getAll', source: 'detailed', departmentId: byId(1), includeChildren: true, returnAll: true });
		const ids = detailed.output('WeCom').map((entry) => entry.json.userid);
		expect(new Set(ids).size).toBe(ids.length);
		expect(ids.sort()).toEqual(['lisi', 'sunqi', 'wangwu', 'zhangsan', 'zhaoliu']);
		expect(detailed.output('WeCom')[0].json).toHaveProperty('position');
		const limited = await run({ operation: 'getAll', source: 'detailed', departmentId: byId(1), includeChildren: true, returnAll: false, limit: 2 });
		expect(limited.output('WeCom')).toHaveLength(2);
	});

	it('refuses all users (user/list_id) with an app secret and says to use the contacts sync secret (48002)', async () => {
		const result = await run({ operation: 'getAll', source: 'allIds', returnAll: true });
		expect(String(result.error?.message)).toContain('WeCom 48002');
		expect(String(result.error?.description)).toContain('contacts sync secret');
	});

	it('follows user/list_id cursors past one page with the sync secret (Return All and Limit)', async () => {
		bed.useContactsSecret();
		bed.sandbox.contacts().addBulkUsers(12000);
		const all = await run({ operation: 'getAll', source: 'allIds', returnAll: true });
		expect(all.error).toBeUndefined();
		// 5 named users, two of them in two departments, plus 12,000 → 12,007 rows on two pages of up to 10,000.
		expect(all.output('WeCom')).toHaveLength(12007);
		expect(all.output('WeCom')[0].json).toEqual({ userid: expect.any(String), department: expect.any(Number) });
		const pages = bed.sandbox.requestsTo('/cgi-bin/user/list_id').map((request) => request.json as Record<string, unknown>);
		expect(pages).toHaveLength(2);
		expect(pages[0]).toEqual({ limit: 10000 });
		expect(pages[1]).toMatchObject({ limit: 10000, cursor: expect.any(String) });

		bed.sandbox.reset();
		bed.useContactsSecret();
		bed.sandbox.contacts().addBulkUsers(12000);
		const some = await run({ operation: 'getAll', source: 'allIds', returnAll: false, limit: 10005 });
		expect(some.output('WeCom')).toHaveLength(10005);
		expect(bed.sandbox.requestsTo('/cgi-bin/user/list_id').map((request) => (request.json as { limit: number }).limit)).toEqual([10000, 5]);
	});

	it('creates, updates and deletes a user with the sync secret; the app secret is told which secret to use', async () => {
		const refused = await run({ operation: 'create', userid: 'xiaoming', name: '小明', additionalFields: { mobile: '13912345678' } });
		expect(String(refused.error?.message)).toContain('WeCom 48002');
		expect(String(refused.error?.description)).toContain('通讯录同步');

		bed.useContactsSecret();
		const created = await run({ operation: 'create', userid: 'xiaoming', name: '小明', additionalFields: { mobile: '13912345678', department: '2,3', position: '实习生', gender: '1', to_invite: false } });
		expect(created.error).toBeUndefined();
		expect(created.output('WeCom')[0].json).toEqual({ userid: 'xiaoming', created: true });
		expect(bed.sandbox.requestsTo('/cgi-bin/user/create').at(-1)?.json).toEqual({
			userid: 'xiaoming',
			name: '小明',
			mobile: '13912345678',
			department: [2, 3],
			position: '实习生',
			gender: '1',
			to_invite: false,
		});
		const updated = await run({ operation: 'update', userId: byId('xiaoming'), updateFields: { position: '工程师', is_leader_in_dept: '0,1', department: '2,3' } });
		expect(updated.output('WeCom')[0].json).toEqual({ userid: 'xiaoming', updated: true });
		expect(bed.sandbox.contacts().user('xiaoming')).toMatchObject({ position: '工程师', is_leader_in_dept: [0, 1], name: '小明' });
		const deleted = await run({ operation: 'delete', userId: byId('xiaoming') });
		expect(deleted.output('WeCom')[0].json).toEqual({ userid: 'xiaoming', deleted: true });
		expect(bed.sandbox.contacts().user('xiaoming')).toBeUndefined();
	});

	it('creates or updates (If the User Exists: Update It), so a sync can run twice', async () => {
		bed.useContactsSecret();
		const parameters = { operation: 'create', userid: '={{ $json.id }}', name: '={{ $json.name }}', additionalFields: { email: '={{ $json.email }}' }, ifExists: 'update' };
		const items = [inputItem({ id: 'a1', name: '甲', email: 'a1@example.com' }), inputItem({ id: 'zhangsan', name: '张三丰', email: 'zs@example.com' })];
		const first = await run(parameters, items);
		expect(first.output('WeCom').map((entry) => entry.json)).toEqual([{ userid: 'a1', created: true }, { userid: 'zhangsan', created: false, updated: true }]);
		const second = await run(parameters, items);
		expect(second.output('WeCom').map((entry) => entry.json)).toEqual([{ userid: 'a1', created: false, updated: true }, { userid: 'zhangsan', created: false, updated: true }]);
		expect(bed.sandbox.contacts().user('zhangsan')?.name).toBe('张三丰');
		const failing = await run({ ...parameters, ifExists: 'fail' }, [items[0]], { continueOnFail: true });
		expect(failing.output('WeCom')[0].json).toMatchObject({ errcode: 60102 });
	});

	it('checks fields before any request', async () => {
		bed.useContactsSecret();
		const cases: Array<[Record<string, unknown>, string]> = [
			[{ operation: 'create', userid: 'x1', name: '无联系方式' }, 'Mobile or Email is required'],
			[{ operation: 'create', userid: '-bad', name: 'x', additionalFields: { mobile: '13900000000' } }, 'not a valid WeCom account'],
			[{ operation: 'create', userid: 'x2', name: 'x', additionalFields: { mobile: '13900000000', department: '2,3', order: '1' } }, 'Order in Departments has 1 entries'],
			[{ operation: 'update', userId: byId('zhangsan'), updateFields: {} }, 'at least one field'],
			[{ operation: 'deleteMany', userIds: Array.from({ length: 201 }, (_, n) => `u${n}`).join('|') }, 'accepts 1 to 200'],
			[{ operation: 'getIdByMobile', mobile: '123' }, 'must be 5-32 bytes'],
		];
		for (const [parameters, message] of cases) {
			const result = await run(parameters);
			expect(String(result.error?.message)).toContain(message);
		}
		expect(bed.sandbox.requests.filter((entry) => entry.path !== '/cgi-bin/gettoken')).toHaveLength(0);
	});

	it('deletes many users at once', async () => {
		bed.useContactsSecret();
		const result = await run({ operation: 'deleteMany', userIds: 'wangwu,zhaoliu' });
		expect(result.output('WeCom')[0].json).toEqual({ deleted: ['wangwu', 'zhaoliu'] });
		expect(bed.sandbox.contacts().user('wangwu')).toBeUndefined();
	});

	it('finds user IDs by mobile and email; a miss is 46004 and Continue On Fail keeps going', async () => {
		const result = await run({ operation: 'getIdByMobile', mobile: '={{ $json.mobile }}' }, [inputItem({ mobile: '13800000002' }), inputItem({ mobile: '13000000000' })], { continueOnFail: true });
		const output = result.output('WeCom');
		expect(output[0].json).toEqual({ userid: 'lisi', mobile: '13800000002' });
		expect(output[1].json).toMatchObject({ errcode: 46004 });
		const email = await run({ operation: 'getIdByEmail', email: 'wangwu@sandbox.example', emailType: 2 });
		expect(email.output('WeCom')[0].json).toEqual({ userid: 'wangwu', email: 'wangwu@sandbox.example' });
	});

	it('converts between user IDs and openids and invites members', async () => {
		const openid = (await run({ operation: 'convertToOpenid', userId: byId('lisi') })).output('WeCom')[0].json.openid;
		expect(typeof openid).toBe('string');
		const back = await run({ operation: 'convertToUserid', openid });
		expect(back.output('WeCom')[0].json).toEqual({ openid, userid: 'lisi' });
		const invite = await run({ operation: 'invite', userIds: 'lisi|ghost', departmentIds: '2', tagIds: '' });
		expect(invite.output('WeCom')[0].json).toEqual({ invaliduser: ['ghost'], invalidparty: [], invalidtag: [] });
	});

	it('explains the sync secret from a new IP (48009) with the calls that still work', async () => {
		bed.useContactsSecret();
		bed.sandbox.configureContactsApp(SANDBOX_DEFAULTS.contactsSecret, { newIp: true });
		const result = await run({ operation: 'get', userId: byId('zhangsan') });
		expect(String(result.error?.message)).toContain('WeCom 48009');
		expect(String(result.error?.description)).toContain('user/list_id');
	});
});

describe('WeCom node: Department (部门)', () => {
	const bed = useWeComTestBed('department');
	const run = bed.run;

	it('lists departments, full or simple, all or below a parent, with a limit', async () => {
		const all = await run({ operation: 'getAll', listType: 'full', returnAll: true });
		expect(all.output('WeCom')).toHaveLength(20);
		expect(all.output('WeCom')[1].json).toMatchObject({ id: 2, name: '研发部', parentid: 1, department_leader: ['zhangsan'] });
		const below = await run({ operation: 'getAll', listType: 'simple', parentId: fromList(2), returnAll: true });
		expect(below.output('WeCom').map((entry) => entry.json)).toEqual([
			{ id: 2, parentid: 1, order: expect.any(Number) },
			{ id: 11, parentid: 2, order: expect.any(Number) },
			{ id: 20, parentid: 2, order: expect.any(Number) },
		]);
		const limited = await run({ operation: 'getAll', listType: 'full', returnAll: false, limit: 3 });
		expect(limited.output('WeCom')).toHaveLength(3);
	});

	it('gets one department', async () => {
		const result = await run({ operation: 'get', departmentId: byId(3) });
		expect(result.output('WeCom')[0].json).toMatchObject({ id: 3, name: '产品部', parentid: 1 });
	});

	it('creates, updates and deletes a department with the sync secret, and explains refusals', async () => {
		bed.useContactsSecret();
		const created = await run({ operation: 'create', name: '数据部', parentId: byId(2), additionalFields: { name_en: 'Data', order: 5 } });
		expect(created.error).toBeUndefined();
		const { id } = created.output('WeCom')[0].json as { id: number };
		expect(created.output('WeCom')[0].json).toEqual({ id, name: '数据部', parentid: 2 });
		const again = await run({ operation: 'create', name: '数据部', parentId: byId(2) });
		expect(String(again.error?.message)).toContain('WeCom 60008');
		const updated = await run({ operation: 'update', departmentId: byId(id), updateFields: { name: '数据中心', parentid: 3 } });
		expect(updated.output('WeCom')[0].json).toEqual({ id, updated: true });
		expect(bed.sandbox.contacts().departments.get(id)).toMatchObject({ name: '数据中心', parentid: 3, name_en: 'Data' });
		const notEmpty = await run({ operation: 'delete', departmentId: '={{ $json.id }}' }, [inputItem({ id: 2 }), inputItem({ id: 1 }), inputItem({ id })], { continueOnFail: true });
		const output = notEmpty.output('WeCom');
		expect(output[0].json).toMatchObject({ errcode: 60006 });
		expect(String(output[0].json.description)).toContain('sub-departments');
		expect(output[1].json).toMatchObject({ errcode: 60007 });
		expect(output[2].json).toEqual({ id, deleted: true });
	});

	it('refuses a bad name before any request', async () => {
		bed.useContactsSecret();
		const result = await run({ operation: 'create', name: 'a/b:c', parentId: byId(1) });
		expect(String(result.error?.message)).toContain('forbids');
		expect(bed.sandbox.requestsTo('/cgi-bin/department/create')).toHaveLength(0);
	});
});

describe('WeCom node: Tag (标签)', () => {
	const bed = useWeComTestBed('tag');
	const run = bed.run;

	it('lists tags and a tag\'s members, one item each, with a limit', async () => {
		const tags = await run({ operation: 'getAll', returnAll: true });
		expect(tags.output('WeCom').map((entry) => entry.json.tagname)).toEqual(['管理层', '值班', '研发', '外包', '告警接收人']);
		const members = await run({ operation: 'getMembers', tagId: fromList(3), returnAll: true });
		expect(members.output('WeCom').map((entry) => entry.json)).toEqual([{ tagid: 3, tagname: '研发', type: 'department', department: 2 }]);
		const duty = await run({ operation: 'getMembers', tagId: byId(2), returnAll: false, limit: 1 });
		expect(duty.output('WeCom').map((entry) => entry.json)).toEqual([{ tagid: 2, tagname: '值班', type: 'user', userid: 'zhangsan', name: '张三' }]);
	});

	it('creates, renames, fills, empties and deletes a tag', async () => {
		const created = await run({ operation: 'create', tagname: '夜班' });
		const { tagid } = created.output('WeCom')[0].json as { tagid: number };
		expect(created.output('WeCom')[0].json).toEqual({ tagid, tagname: '夜班' });
		expect((await run({ operation: 'update', tagId: byId(tagid), tagname: '夜班组' })).output('WeCom')[0].json).toEqual({ tagid, tagname: '夜班组', updated: true });
		const added = await run({ operation: 'addMembers', tagId: byId(tagid), userIds: 'lisi|wangwu|ghost', departmentIds: '3' });
		expect(added.output('WeCom')[0].json).toEqual({ tagid, invalidUsers: ['ghost'], invalidDepartments: [] });
		expect([...(bed.sandbox.contacts().tags.get(tagid)?.users ?? [])]).toEqual(['lisi', 'wangwu']);
		const removed = await run({ operation: 'removeMembers', tagId: byId(tagid), userIds: 'lisi' });
		expect(removed.output('WeCom')[0].json).toEqual({ tagid, invalidUsers: [], invalidDepartments: [] });
		const allInvalid = await run({ operation: 'addMembers', tagId: byId(tagid), userIds: 'ghost' });
		expect(String(allInvalid.error?.message)).toContain('WeCom 40070');
		expect((await run({ operation: 'delete', tagId: byId(tagid) })).output('WeCom')[0].json).toEqual({ tagid, deleted: true });
		const taken = await run({ operation: 'create', tagname: '值班' });
		expect(String(taken.error?.message)).toContain('WeCom 40071');
	});

	it('explains a tag another app created (81011)', async () => {
		bed.useContactsSecret();
		const result = await run({ operation: 'update', tagId: byId(1), tagname: '新名字' });
		expect(String(result.error?.message)).toContain('WeCom 81011');
		expect(String(result.error?.description)).toContain('created a tag');
	});
});

describe('Contacts locators: list search', () => {
	const bed = useWeComTestBed('user');

	async function search(method: 'searchUsers' | 'searchDepartments' | 'searchTags', filter?: string): Promise<INodeListSearchResult> {
		const context = bed.loadOptionsContext({ operation: 'get' }, 'parameters.userId');
		const methods = new WeCom().methods.listSearch as Record<string, (this: ILoadOptionsFunctions, filter?: string) => Promise<INodeListSearchResult>>;
		return await methods[method].call(context, filter);
	}

	it('lists and searches users, departments and tags by name or ID', async () => {
		expect((await search('searchUsers')).results).toHaveLength(5);
		expect((await search('searchUsers', '李')).results).toEqual([{ name: '李四 (lisi)', value: 'lisi' }]);
		expect((await search('searchUsers', 'WANG')).results).toEqual([{ name: '王五 (wangwu)', value: 'wangwu' }]);
		expect((await search('searchDepartments')).results).toHaveLength(20);
		expect((await search('searchDepartments', '研发')).results.map((entry) => entry.value).sort()).toEqual(['11', '2', '20']);
		expect((await search('searchTags', '值')).results).toEqual([{ name: '值班 (2)', value: '2' }]);
	});

	it('lists departments in tree order with their parent by name, and a match keeps its parent\'s name', async () => {
		const all = (await search('searchDepartments')).results;
		expect(all[0]).toMatchObject({ value: '1', description: 'Top-level department' });
		const position = new Map(all.map((entry, index) => [entry.value, index]));
		expect(position.get('11')).toBeGreaterThan(position.get('2')!);
		expect((await search('searchDepartments', '11')).results).toEqual([expect.objectContaining({ value: '11', description: expect.stringMatching(/^Parent: .+ \(2\)$/) })]);
	});

	it('falls back to IDs when the sync secret may not read names (48009)', async () => {
		bed.useContactsSecret();
		bed.sandbox.configureContactsApp(SANDBOX_DEFAULTS.contactsSecret, { newIp: true });
		expect((await search('searchUsers', 'zhang')).results).toEqual([{ name: 'zhangsan', value: 'zhangsan' }]);
		expect((await search('searchDepartments', '11')).results).toEqual([{ name: 'Department 11', value: '11', description: 'Parent: department 2' }]);
	});
});
