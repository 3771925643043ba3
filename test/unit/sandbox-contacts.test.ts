/**
 * The sandbox's stateful contacts over real HTTP: the two kinds of secret and WeCom's permission errors, round trips,
 * the visible range, privacy stripping for new apps, user/list_id cursors, and change_contact callbacks.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { decrypt } from '@wecom/crypto';
import axios from 'axios';

import { SANDBOX_DEFAULTS, startSandbox, type WeComSandbox } from '../sandbox';

const http = axios.create({ validateStatus: () => true });
type Answer = Record<string, unknown> & { errcode: number; errmsg: string };

let sandbox: WeComSandbox;
beforeAll(async () => {
	sandbox = await startSandbox();
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

async function token(secret: string): Promise<string> {
	const answer = (await http.get<Answer>(`${sandbox.url}/cgi-bin/gettoken`, { params: { corpid: SANDBOX_DEFAULTS.corpId, corpsecret: secret } })).data;
	return String(answer.access_token);
}
const appToken = () => token(SANDBOX_DEFAULTS.corpSecret);
const syncToken = () => token(SANDBOX_DEFAULTS.contactsSecret);
async function get(path: string, accessToken: string, params: Record<string, unknown> = {}): Promise<Answer> {
	return (await http.get<Answer>(`${sandbox.url}/cgi-bin/${path}`, { params: { access_token: accessToken, ...params } })).data;
}
async function post(path: string, accessToken: string, body: unknown): Promise<Answer> {
	return (await http.post<Answer>(`${sandbox.url}/cgi-bin/${path}`, body, { params: { access_token: accessToken } })).data;
}

describe('sandbox contacts', () => {
	it('creates, reads, updates and deletes a user with the sync secret; the app secret may only read', async () => {
		const sync = await syncToken();
		const app = await appToken();
		const user = { userid: 'Xiaoming', name: '小明', mobile: '13912345678', department: [2, 999] };
		expect((await post('user/create', app, user)).errcode).toBe(48002);
		const created = await post('user/create', sync, user);
		expect(created).toMatchObject({ errcode: 0, errmsg: 'created', created_department_list: { department_info: [{ id: 999 }] } });
		expect((await post('user/create', sync, user)).errcode).toBe(60102);
		expect((await post('user/create', sync, { ...user, userid: 'other' })).errcode).toBe(60104);
		expect((await post('user/create', sync, { userid: 'nomail', name: 'x' })).errcode).toBe(60129);
		expect(await get('user/get', app, { userid: 'xiaoming' })).toMatchObject({ errcode: 0, userid: 'xiaoming', name: '小明', department: [2, 999] });
		expect((await post('user/update', sync, { userid: 'xiaoming', position: '测试' })).errmsg).toBe('updated');
		expect(await get('user/get', app, { userid: 'xiaoming' })).toMatchObject({ name: '小明', position: '测试' });
		expect((await get('user/delete', app, { userid: 'xiaoming' })).errcode).toBe(48002);
		expect((await get('user/delete', sync, { userid: 'xiaoming' })).errmsg).toBe('deleted');
		expect((await get('user/get', app, { userid: 'xiaoming' })).errcode).toBe(60111);
		expect((await post('message/send', sync, { touser: 'zhangsan', msgtype: 'text', agentid: 0, text: { content: 'x' } })).errcode).toBe(48002);
	});

	it('lets a message reach a user created through the API', async () => {
		await post('user/create', await syncToken(), { userid: 'newbie', name: '新人', email: 'newbie@sandbox.example', department: [3] });
		const sent = await post('message/send', await appToken(), { touser: 'newbie|ghost', msgtype: 'text', agentid: SANDBOX_DEFAULTS.agentId, text: { content: 'hi' } });
		expect(sent).toMatchObject({ errcode: 0, invaliduser: 'ghost' });
	});

	it('keeps the sync secret from detailed reads from a new IP (48009) and user/list_id from app secrets (48002)', async () => {
		const sync = await syncToken();
		sandbox.configureContactsApp(SANDBOX_DEFAULTS.contactsSecret, { newIp: true });
		for (const [path, params] of [['user/get', { userid: 'zhangsan' }], ['user/simplelist', { department_id: 1 }], ['user/list', { department_id: 1 }], ['department/list', {}], ['department/get', { id: 1 }]] as const) {
			expect((await get(path, sync, params)).errcode).toBe(48009);
		}
		expect((await get('department/simplelist', sync)).errcode).toBe(0);
		expect((await post('user/list_id', sync, {})).errcode).toBe(0);
		expect((await post('user/list_id', await appToken(), {})).errcode).toBe(48002);
	});

	it('pages user/list_id with a cursor and checks the limit', async () => {
		const sync = await syncToken();
		sandbox.contacts().addBulkUsers(25);
		const rows: unknown[] = [];
		let cursor: string | undefined;
		let pages = 0;
		do {
			const answer = await post('user/list_id', sync, { ...(cursor ? { cursor } : {}), limit: 10 });
			rows.push(...(answer.dept_user as unknown[]));
			cursor = String(answer.next_cursor);
			pages++;
		} while (cursor);
		// 5 named users (two of them in two departments) + 25 → 32 rows, 4 pages.
		expect(rows).toHaveLength(32);
		expect(pages).toBe(4);
		expect((await post('user/list_id', sync, { limit: 10001 })).errcode).toBe(40058);
		expect((await post('user/list_id', sync, { cursor: 'garbage' })).errcode).toBe(40058);
	});

	it('reads within the visible range (60011 outside) and withholds the privacy fields from new apps', async () => {
		const app = await appToken();
		expect(await get('user/get', app, { userid: 'zhangsan' })).toHaveProperty('mobile');
		sandbox.configureContactsApp(SANDBOX_DEFAULTS.corpSecret, { newApp: true, visibleDepartments: [2] });
		const user = await get('user/get', app, { userid: 'zhangsan' });
		expect(user).toMatchObject({ errcode: 0, userid: 'zhangsan', name: '张三', department: [2] });
		for (const field of ['mobile', 'email', 'biz_mail', 'avatar', 'thumb_avatar', 'qr_code', 'address']) expect(user).not.toHaveProperty(field);
		expect(user.gender).toBe('0'); // page 90196: a gender the app may not read is 0
		expect((await get('user/get', app, { userid: 'lisi' })).errcode).toBe(60011);
		expect((await get('department/get', app, { id: 3 })).errcode).toBe(60011);
		expect((await get('department/list', app)).department).toEqual(expect.arrayContaining([expect.objectContaining({ id: 2 })]));
		expect(((await get('department/list', app)).department as Array<{ id: number }>).every((entry) => [2, 11, 20].includes(entry.id))).toBe(true);
		sandbox.configureContactsApp(SANDBOX_DEFAULTS.corpSecret, { untrustedIp: true });
		expect((await get('user/get', app, { userid: 'zhangsan' })).errcode).toBe(60020);
	});

	it('guards departments (60008, 60005, 60006, 60007) and tags (40071, 81011, partial adds)', async () => {
		const sync = await syncToken();
		const app = await appToken();
		expect((await post('department/create', sync, { name: '研发部', parentid: 1 })).errcode).toBe(60008);
		const created = await post('department/create', sync, { name: '新部门', parentid: 2 });
		expect(created.errmsg).toBe('created');
		expect((await get('department/delete', sync, { id: 2 })).errcode).toBe(60006);
		await post('user/create', sync, { userid: 'member', name: '成员', email: 'member@sandbox.example', department: [created.id] });
		expect((await get('department/delete', sync, { id: created.id })).errcode).toBe(60005);
		expect((await get('department/delete', sync, { id: 1 })).errcode).toBe(60007);
		await get('user/delete', sync, { userid: 'member' });
		expect((await get('department/delete', sync, { id: created.id })).errmsg).toBe('deleted');
		expect((await get('department/get', app, { id: created.id })).errcode).toBe(60003);

		expect((await post('tag/create', app, { tagname: '值班' })).errcode).toBe(40071);
		const tag = await post('tag/create', sync, { tagname: '同步标签' });
		expect((await post('tag/addtagusers', app, { tagid: tag.tagid, userlist: ['lisi'] })).errcode).toBe(81011);
		expect(await post('tag/addtagusers', sync, { tagid: tag.tagid, userlist: ['lisi', 'ghost'], partylist: [3] })).toMatchObject({ errcode: 0, invalidlist: 'ghost' });
		expect((await post('tag/addtagusers', sync, { tagid: tag.tagid, userlist: ['ghost'] })).errcode).toBe(40070);
		expect(await get('tag/get', app, { tagid: tag.tagid })).toMatchObject({ tagname: '同步标签', userlist: [{ userid: 'lisi', name: '李四' }], partylist: [3] });
		expect((await post('tag/deltagusers', sync, { tagid: tag.tagid, userlist: ['ghost'] })).errcode).toBe(40031);
	});

	it('looks users up by mobile and email (46004 when nobody matches) and converts IDs', async () => {
		const app = await appToken();
		expect(await post('user/getuserid', app, { mobile: '13800000002' })).toMatchObject({ errcode: 0, userid: 'lisi' });
		expect((await post('user/getuserid', app, { mobile: '13000000000' })).errcode).toBe(46004);
		expect(await post('user/get_userid_by_email', app, { email: 'lisi@sandbox.wecom.work' })).toMatchObject({ userid: 'lisi' });
		expect(await post('user/get_userid_by_email', app, { email: 'lisi@sandbox.example', email_type: 2 })).toMatchObject({ userid: 'lisi' });
		const { openid } = await post('user/convert_to_openid', app, { userid: 'lisi' });
		expect(await post('user/convert_to_userid', app, { openid })).toMatchObject({ userid: 'lisi' });
		expect((await post('user/convert_to_openid', app, { userid: 'sunqi' })).errcode).toBe(43004);
	});

	it('posts encrypted change_contact callbacks when asked', async () => {
		const received: string[] = [];
		const server: Server = createServer((request, response) => {
			const chunks: Buffer[] = [];
			request.on('data', (chunk: Buffer) => chunks.push(chunk));
			request.on('end', () => {
				received.push(Buffer.concat(chunks).toString('utf8'));
				response.end('');
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		try {
			sandbox.sendContactCallbacks(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`);
			const sync = await syncToken();
			await post('user/create', sync, { userid: 'cb1', name: '回调', mobile: '13711112222', department: [2, 3] });
			await get('user/delete', sync, { userid: 'cb1' });
			expect(await sandbox.contactCallbacksSent()).toBe(2);
			const plain = received.map((body) => decrypt(SANDBOX_DEFAULTS.encodingAESKey, /<Encrypt><!\[CDATA\[(.*)\]\]><\/Encrypt>/.exec(body)?.[1] ?? '').message);
			expect(plain[0]).toContain('<ChangeType><![CDATA[create_user]]></ChangeType>');
			expect(plain[0]).toContain('<Department><![CDATA[2,3]]></Department>');
			expect(plain[1]).toContain('<ChangeType><![CDATA[delete_user]]></ChangeType>');
		} finally {
			await new Promise<void>((resolve) => server.close(() => resolve()));
		}
	});
});
