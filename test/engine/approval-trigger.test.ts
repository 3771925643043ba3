/**
 * The WeCom Trigger and approvals (sys_approval_change): approvals submitted to the sandbox, acted on by the
 * sandbox's approvers, and the encrypted callbacks it posts, through n8n's webhook path. Clean JSON, the filters by
 * template, status and change event, and retry de-duplication that keeps a batch of five distinct approvals (same
 * approver, same second) as five executions while a byte-identical retry still starts one.
 */
import type { IDataObject } from 'n8n-workflow';

import { EXPENSE_TEMPLATE_ID, LEAVE_TEMPLATE_ID, SANDBOX_DEFAULTS, startSandbox, type WeComSandbox } from '../sandbox';
import { TRIGGER, queryString, send, startTrigger, type TriggerSetup } from './triggerKit';

let sandbox: WeComSandbox;
let token = '';
const open: TriggerSetup[] = [];

beforeAll(async () => {
	sandbox = await startSandbox();
});
afterAll(async () => {
	await sandbox.close();
});
beforeEach(async () => {
	sandbox.reset();
	const answer = (await (await fetch(`${sandbox.url}/cgi-bin/gettoken?corpid=${SANDBOX_DEFAULTS.corpId}&corpsecret=${SANDBOX_DEFAULTS.corpSecret}`)).json()) as { access_token: string };
	token = answer.access_token;
});
afterEach(async () => {
	await Promise.all(open.splice(0).map(async (setup) => await setup.server.close()));
});

async function trigger(options: IDataObject = {}): Promise<TriggerSetup> {
	const setup = await startTrigger({ events: ['event.sys_approval_change'], options });
	open.push(setup);
	return setup;
}

/** An application as another system would submit it (oa/applyevent straight to the sandbox). */
async function apply(templateId = EXPENSE_TEMPLATE_ID, creator = 'zhangsan'): Promise<string> {
	const contents =
		templateId === EXPENSE_TEMPLATE_ID
			? [
					{ control: 'Text', id: 'Text-1700000000001', value: { text: 'Taxi' } },
					{ control: 'Money', id: 'Money-1700000000004', value: { new_money: '35' } },
					{ control: 'Date', id: 'Date-1700000000005', value: { date: { type: 'day', s_timestamp: '1764518400' } } },
					{ control: 'Selector', id: 'Selector-1700000000007', value: { selector: { type: 'single', options: [{ key: 'option-1700000000071' }] } } },
				]
			: [
					{
						control: 'Vacation',
						id: 'vacation-1700000100001',
						value: { vacation: { selector: { type: 'single', options: [{ key: '1' }] }, attendance: { date_range: { type: 'halfday', new_begin: 1764518400, new_end: 1764604800, new_duration: 86400 }, type: 1 } } },
					},
					{ control: 'Textarea', id: 'Textarea-1700000100002', value: { text: 'Family' } },
				];
	const response = await fetch(`${sandbox.url}/cgi-bin/oa/applyevent?access_token=${token}`, {
		method: 'POST',
		body: JSON.stringify({
			creator_userid: creator,
			template_id: templateId,
			use_template_approver: 1,
			apply_data: { contents },
			summary_list: [{ summary_info: [{ text: 'Taxi', lang: 'zh_CN' }] }],
		}),
	});
	const answer = (await response.json()) as { errcode: number; sp_no: string };
	expect(answer.errcode).toBe(0);
	return answer.sp_no;
}

const approvalsOf = (setup: TriggerSetup) => setup.server.executions.map((run) => run.output(TRIGGER)[0].json.approval as IDataObject);

describe('WeCom Trigger: approvals (sys_approval_change)', () => {
	it('turns the callback into clean JSON with status and change event names', async () => {
		const setup = await trigger();
		const spNo = await apply();
		const [result] = await sandbox.actOnApprovals({ spNo, userId: 'lisi', action: 'approve', speech: '同意', url: setup.url });
		expect(result.callback?.status).toBe(200);
		const [run] = await setup.server.waitForExecutions(1);
		const json = run.output(TRIGGER)[0].json;
		expect(json).toMatchObject({ MsgType: 'event', Event: 'sys_approval_change', FromUserName: 'sys', ApprovalInfo: { SpNoStr: spNo } });
		expect(json.approval).toEqual({
			spNo,
			spName: '报销申请',
			spStatus: 2,
			spStatusName: '已通过 (Approved)',
			templateId: EXPENSE_TEMPLATE_ID,
			applyTime: expect.any(Number),
			applicant: { userid: 'zhangsan', party: '1' },
			statuChangeEvent: 2,
			statuChangeEventName: '同意 (Agreed)',
			records: [
				{
					status: 2,
					statusName: '已同意 (Agreed)',
					approverRelation: '或签 (any one)',
					approvers: [{ userid: 'lisi', status: 2, statusName: '已同意 (Agreed)', speech: '同意', time: expect.any(Number) }],
				},
			],
			nodes: [
				{
					type: 1,
					status: 2,
					statusName: '已同意 (Agreed)',
					relation: '或签 (any one)',
					users: [{ userid: 'lisi', status: 2, statusName: '已同意 (Agreed)', speech: '同意', time: expect.any(Number) }],
				},
			],
			notifiers: ['zhaoliu'],
			comments: [],
		});
	});

	it('a batch of five approvals by one approver in the same second starts five executions; a byte-identical retry starts none', async () => {
		const setup = await trigger({ approvalTemplateIds: EXPENSE_TEMPLATE_ID, approvalStatuses: [2] });
		const spNos: string[] = [];
		for (let index = 0; index < 5; index++) spNos.push(await apply());
		const results = await sandbox.actOnApprovals({ spNos, userId: 'lisi', action: 'approve', url: setup.url });
		// Same sender ("sys"), same CreateTime: only SpNo tells them apart.
		expect(new Set(results.map((result) => /<CreateTime>(\d+)</.exec(result.xml)?.[1])).size).toBe(1);
		expect(results.map((result) => result.callback?.status)).toEqual([200, 200, 200, 200, 200]);
		await setup.server.waitForExecutions(5);
		expect(approvalsOf(setup).map((approval) => approval.spNo).sort()).toEqual([...spNos].sort());

		// WeCom's retry of a sixth approval: the same request twice, byte for byte (signature, timestamp, nonce, ciphertext).
		const sixth = await apply();
		const [change] = await sandbox.actOnApprovals({ spNo: sixth, userId: 'lisi', action: 'approve', url: false });
		const signed = sandbox.encryptCallback(change.xml);
		expect((await send('POST', setup.url, queryString(signed.query), signed.body)).status).toBe(200);
		expect((await send('POST', setup.url, queryString(signed.query), signed.body)).status).toBe(200);
		// The next distinct approval is the seventh execution: the retry started nothing.
		const seventh = await apply();
		await sandbox.actOnApprovals({ spNo: seventh, userId: 'lisi', action: 'approve', url: setup.url });
		await setup.server.waitForExecutions(7);
		expect(setup.server.executions).toHaveLength(7);
		expect(approvalsOf(setup).slice(5).map((approval) => approval.spNo).sort()).toEqual([sixth, seventh].sort());
	});

	it('filters by template, status and change event', async () => {
		const approved = await trigger({ approvalTemplateIds: EXPENSE_TEMPLATE_ID, approvalStatuses: [2] });
		const rejected = await trigger({ approvalChangeEvents: [3] });
		const leave = await apply(LEAVE_TEMPLATE_ID);
		const [toReject, toApprove] = [await apply(), await apply()];
		for (const url of [approved.url, rejected.url]) {
			// Leave needs both approvers (会签): lisi's agreement leaves it in progress.
			await sandbox.actOnApprovals({ spNo: leave, userId: 'lisi', action: 'comment', speech: 'later', url });
		}
		await sandbox.actOnApprovals({ spNo: toReject, userId: 'lisi', action: 'reject', speech: 'No receipt', url: approved.url });
		await sandbox.actOnApprovals({ spNo: toReject, userId: 'zhangsan', action: 'comment', speech: 'sent', url: rejected.url });
		await sandbox.actOnApprovals({ spNo: toApprove, userId: 'lisi', action: 'approve', url: approved.url });
		await approved.server.waitForExecutions(1);
		expect(approved.server.executions).toHaveLength(1);
		expect(approvalsOf(approved)[0]).toMatchObject({ spNo: toApprove, spStatus: 2 });

		// The other trigger lets only StatuChangeEvent 3 (驳回) through.
		expect(sandbox.approvals().find((entry) => entry.spNo === toReject)?.status).toBe(3);
		const again = await sandbox.actOnApprovals({ spNo: toApprove, userId: 'zhangsan', action: 'revoke', url: rejected.url });
		expect(again[0]).toMatchObject({ spStatus: 6, statuChangeEvent: 8 });
		const reject = await apply();
		await sandbox.actOnApprovals({ spNo: reject, userId: 'lisi', action: 'reject', speech: 'Too expensive', url: rejected.url });
		await rejected.server.waitForExecutions(1);
		expect(rejected.server.executions).toHaveLength(1);
		expect(approvalsOf(rejected)[0]).toMatchObject({
			spNo: reject,
			spStatus: 3,
			spStatusName: '已驳回 (Rejected)',
			statuChangeEvent: 3,
			statuChangeEventName: '驳回 (Rejected)',
			records: [{ approvers: [{ userid: 'lisi', speech: 'Too expensive', status: 3 }] }],
		});
	});

	it('the sandbox refuses actions WeCom would not offer', async () => {
		const spNo = await apply();
		await expect(sandbox.actOnApprovals({ spNo, userId: 'wangwu', action: 'approve', url: false })).rejects.toThrow(/not a pending approver/);
		await expect(sandbox.actOnApprovals({ spNo, userId: 'lisi', action: 'revoke', url: false })).rejects.toThrow(/Only the applicant/);
		await sandbox.actOnApprovals({ spNo, userId: 'lisi', action: 'reject', url: false });
		await expect(sandbox.actOnApprovals({ spNo, userId: 'lisi', action: 'approve', url: false })).rejects.toThrow(/no longer in progress/);
	});
});
