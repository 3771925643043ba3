/**
 * change_contact callbacks (通讯录变更) in the WeCom Trigger: the sandbox posts them, encrypted, when the WeCom node
 * changes the directory; the trigger outputs WeCom's fields plus contactChange (arrays, numbers, ExtAttr items) and
 * filters by ChangeType.
 */
import type { IDataObject } from 'n8n-workflow';

import { CredentialStore, runWorkflow, inputWorkflow } from '../harness';
import { startSandbox, type WeComSandbox } from '../sandbox';
import { setRetryPolicy } from '../../nodes/WeCom/transport/retryPolicy';
import { contactsSyncCredential } from './kit';
import { TRIGGER, innerXml, keepAlive, startTrigger, type TriggerSetup } from './triggerKit';

let sandbox: WeComSandbox;
const setups: TriggerSetup[] = [];
beforeAll(async () => {
	setRetryPolicy({ baseDelayMs: 5, maxDelayMs: 20 });
	sandbox = await startSandbox();
});
afterAll(async () => {
	for (const setup of setups) await setup.server.close();
	await sandbox.close();
	keepAlive.destroy();
});
beforeEach(() => sandbox.reset());

async function trigger(parameters: IDataObject = {}): Promise<TriggerSetup> {
	const setup = await startTrigger(parameters);
	setups.push(setup);
	return setup;
}

/** Runs the WeCom node with the contacts sync secret. */
async function weCom(parameters: Record<string, unknown>, items: Array<Record<string, unknown>> = [{}]) {
	const credentials = new CredentialStore();
	const id = credentials.add('weComApi', contactsSyncCredential(sandbox.url));
	const node = { id: 'WeCom', name: 'WeCom', type: 'weCom', typeVersion: 1, position: [200, 0] as [number, number], parameters, credentials: { weComApi: { id, name: 'sync' } } };
	return await runWorkflow({ workflow: inputWorkflow(node, items.map((json) => ({ json }))), credentials });
}

const outputs = (setup: TriggerSetup) => setup.server.executions.map((execution) => execution.output(TRIGGER)[0].json);

describe('WeCom Trigger: contact changes', () => {
	it('turns the sandbox\'s change_contact callbacks for user, department and tag changes into clean JSON', async () => {
		const setup = await trigger({ events: ['event.change_contact'] });
		sandbox.sendContactCallbacks(setup.url);
		const byId = (value: string) => ({ __rl: true, mode: 'id', value });
		expect((await weCom({ resource: 'user', operation: 'create', userid: 'cc1', name: '变更', additionalFields: { mobile: '13733334444', department: '2,3' } })).error).toBeUndefined();
		expect((await weCom({ resource: 'department', operation: 'create', name: '回调部', parentId: byId('2') })).error).toBeUndefined();
		expect((await weCom({ resource: 'tag', operation: 'create', tagname: '回调标签', additionalFields: { tagid: 77 } })).error).toBeUndefined();
		expect((await weCom({ resource: 'tag', operation: 'addMembers', tagId: byId('77'), userIds: 'cc1|lisi', departmentIds: '3' })).error).toBeUndefined();
		expect((await weCom({ resource: 'user', operation: 'delete', userId: byId('cc1') })).error).toBeUndefined();
		expect(await sandbox.contactCallbacksSent()).toBe(4);
		await setup.server.waitForExecutions(4);
		const changes = outputs(setup).map((json) => json.contactChange as Record<string, unknown>);
		expect(changes).toEqual(
			expect.arrayContaining([
				{ changeType: 'create_user', userId: 'cc1', departments: [2, 3] },
				{ changeType: 'create_party', id: expect.any(Number), parentId: 2 },
				{ changeType: 'update_tag', tagId: 77, addUsers: ['cc1', 'lisi'], addDepartments: [3] },
				{ changeType: 'delete_user', userId: 'cc1' },
			]),
		);
		expect(outputs(setup)[0]).toMatchObject({ Event: 'change_contact', FromUserName: 'sys', callbackKind: 'event.change_contact' });
	});

	it('filters by ChangeType', async () => {
		const setup = await trigger({ options: { contactChangeTypes: ['delete_user', 'update_tag'] } });
		sandbox.sendContactCallbacks(setup.url);
		await weCom({ resource: 'user', operation: 'create', userid: 'cc2', name: '过滤', additionalFields: { email: 'cc2@example.com' } });
		await weCom({ resource: 'user', operation: 'delete', userId: 'cc2' });
		expect(await sandbox.contactCallbacksSent()).toBe(2);
		await setup.server.waitForExecutions(1);
		expect(outputs(setup).map((json) => (json.contactChange as { changeType: string }).changeType)).toEqual(['delete_user']);
	});

	it('parses every field of a full update_user callback, ExtAttr items included', async () => {
		const setup = await trigger();
		const xml = innerXml(
			{
				ToUserName: 'wwsandbox00000001',
				FromUserName: 'sys',
				CreateTime: 1403610513,
				MsgType: 'event',
				Event: 'change_contact',
				ChangeType: 'update_user',
				UserID: 'zhangsan',
				NewUserID: 'zhangsan001',
				Name: '张三',
				Department: '1,2,3',
				MainDepartment: 1,
				IsLeaderInDept: '1,0,0',
				DirectLeader: 'lisi',
				Position: '产品经理',
				Mobile: 13800000000,
				Gender: 1,
				Email: 'zhangsan@gzdev.com',
				Status: 1,
				Alias: 'zs',
			},
			'<ExtAttr><Item><Name><![CDATA[爱好]]></Name><Type>0</Type><Text><Value><![CDATA[旅游]]></Value></Text></Item>' +
				'<Item><Name><![CDATA[卡号]]></Name><Type>1</Type><Web><Title><![CDATA[企业微信]]></Title><Url><![CDATA[https://work.weixin.qq.com]]></Url></Web></Item></ExtAttr>',
		);
		await sandbox.postCallback(setup.url, xml);
		await setup.server.waitForExecutions(1);
		const [json] = outputs(setup);
		expect(json.UserID).toBe('zhangsan');
		expect(json.contactChange).toEqual({
			changeType: 'update_user',
			userId: 'zhangsan',
			newUserId: 'zhangsan001',
			name: '张三',
			departments: [1, 2, 3],
			mainDepartment: 1,
			isLeaderInDept: [1, 0, 0],
			directLeader: ['lisi'],
			position: '产品经理',
			mobile: '13800000000',
			gender: 1,
			email: 'zhangsan@gzdev.com',
			status: 1,
			alias: 'zs',
			extAttr: [
				{ name: '爱好', type: 0, text: '旅游' },
				{ name: '卡号', type: 1, web: { title: '企业微信', url: 'https://work.weixin.qq.com' } },
			],
		});
	});
});
