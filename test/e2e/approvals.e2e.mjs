// Approvals (审批) end to end in a real n8n, against the sandbox playing WeCom, with the importable example
// examples/approval-expense.json published as users import it:
// - a webhook's JSON becomes an expense application: the receipt (base64 → binary) is uploaded first and attached;
// - the sandbox's approver approves; a WeCom Trigger filtered to that template and to 已通过 gets the detail
//   (Approval → Get) and messages the applicant;
// - five approvals approved by one approver in the same second start five executions;
// - in the example's decision path an approval ends in the "Approved" branch, a rejection in "Rejected", and the
//   approved-only trigger ignores the rejection.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { freePort, packageTarball, startN8n, startSandbox } from './lib/n8n.mjs';
import { APPROVAL_IDS, APPROVAL_PATHS, APPROVED_TRIGGER, EXPENSE_TEMPLATE_ID, approvalCredentials, approvalWorkflows } from './lib/approvalWorkflows.mjs';
import { sandboxControl, waitForTriggerUrls } from './lib/triggerCallbacks.mjs';

const RECEIPT = Buffer.from('%PDF-1.4 e2e taxi receipt 出租车票');
const FINISHED = new Set(['success', 'error', 'crashed', 'canceled']);
/** How long a callback that must start nothing is given to start something anyway. */
const SETTLE_MS = 1500;
const DECISION_TRIGGER = 'On approval decision';

let sandbox;
let n8n;
let wecom;
const url = {};

before(async () => {
	const sandboxPort = await freePort();
	const credentials = approvalCredentials(`http://127.0.0.1:${sandboxPort}`);
	[sandbox, n8n] = await Promise.all([
		startSandbox({ port: sandboxPort, log: Boolean(process.env.E2E_SANDBOX_LOG) }),
		packageTarball().then((tarball) =>
			startN8n({
				packageTarball: tarball,
				credentials: credentials.records,
				workflows: approvalWorkflows(credentials),
				activate: [APPROVAL_IDS.example, APPROVAL_IDS.approved],
				log: Boolean(process.env.E2E_N8N_LOG),
			}),
		),
	]);
	wecom = sandboxControl(sandbox.url);
	for (const [name, path] of Object.entries(APPROVAL_PATHS)) url[name] = `${n8n.url}/webhook/${path}`;
	// The submit webhook belongs to the same workflow as the decision trigger: registered together.
	await waitForTriggerUrls([url.decision, url.approved], 60_000);
});

after(async () => {
	await n8n?.stop();
	await sandbox?.stop();
});

/** Another system files a claim: the example's webhook answers once the Submit node has run. */
async function submitClaim(overrides = {}) {
	const claim = { applicant: 'zhangsan', reason: 'Client visit', amount: 128.5, date: '2026-12-01', type: '交通', receipt: RECEIPT.toString('base64'), receiptName: 'taxi.pdf', ...overrides };
	const res = await fetch(url.submit, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(claim), signal: AbortSignal.timeout(60_000) });
	const text = await res.text();
	assert.equal(res.status, 200, text);
	const answer = JSON.parse(text);
	assert.match(String(answer.sp_no), /^\d{12}$/, text);
	return answer;
}

/** Finished executions of a workflow that its node `startNode` started (with data), oldest first. */
async function runsFrom(workflowId, startNode, count, timeoutMs = 30_000) {
	for (const deadline = Date.now() + timeoutMs; ; await delay(400)) {
		const runs = (await n8n.executions({ workflowId }))
			.filter((e) => FINISHED.has(e.status) && e.data?.[startNode])
			.sort((a, b) => Number(a.id) - Number(b.id));
		if (runs.length >= count) return runs;
		if (Date.now() > deadline) throw new Error(`${workflowId}: ${runs.length} of ${count} executions started by ${startNode} within ${timeoutMs} ms`);
	}
}

const textsTo = async (userid) => (await wecom.messages()).filter((m) => m.body?.msgtype === 'text' && m.body.touser === userid).map((m) => m.body.text.content);

let firstSpNo;

test('a webhook\'s JSON submits an expense approval; the receipt is uploaded first and attached', async () => {
	const answer = await submitClaim();
	firstSpNo = answer.sp_no;
	assert.equal(answer.template_id, EXPENSE_TEMPLATE_ID);
	assert.equal(answer.file_ids.length, 1);

	const requests = await wecom.requests();
	const upload = requests.find((r) => r.path === '/cgi-bin/media/upload');
	const apply = requests.find((r) => r.path === '/cgi-bin/oa/applyevent');
	assert.ok(upload && apply && upload.seq < apply.seq, 'the receipt was not uploaded before oa/applyevent');
	assert.equal(upload.query.type, 'file');
	assert.equal(upload.answer.media_id, answer.file_ids[0]);
	const media = await wecom.media(answer.file_ids[0]);
	assert.equal(media.filename, 'taxi.pdf');
	assert.deepEqual(media.data, RECEIPT);

	assert.equal(apply.answer.errcode, 0);
	assert.deepEqual(
		{ creator: apply.json.creator_userid, template: apply.json.template_id, useTemplate: apply.json.use_template_approver },
		{ creator: 'zhangsan', template: EXPENSE_TEMPLATE_ID, useTemplate: 1 },
	);
	const value = Object.fromEntries(apply.json.apply_data.contents.map((c) => [c.id, c.value]));
	assert.deepEqual(value, {
		'Text-1700000000001': { text: 'Client visit' },
		'Money-1700000000004': { new_money: '128.5' },
		// a day control: 00:00 of 2026-12-01 in Asia/Shanghai
		'Date-1700000000005': { date: { type: 'day', s_timestamp: String(Date.UTC(2026, 10, 30, 16) / 1000) } },
		'Selector-1700000000007': { selector: { type: 'single', options: [{ key: 'option-1700000000071' }] } },
		'File-1700000000011': { files: [{ file_id: answer.file_ids[0] }] },
	});
	assert.deepEqual(apply.json.summary_list, [{ summary_info: [{ text: '报销 128.5 元', lang: 'zh_CN' }] }, { summary_info: [{ text: 'Client visit', lang: 'zh_CN' }] }]);
	const stored = (await wecom.approvals()).find((a) => a.spNo === answer.sp_no);
	assert.deepEqual({ status: stored.status, creator: stored.creator }, { status: 1, creator: 'zhangsan' });
});

test('approved in WeCom: the trigger filtered to the template and to 已通过 gets the detail and messages the applicant', async () => {
	assert.ok(firstSpNo, 'nothing was submitted');
	const [result] = await wecom.actOnApprovals({ spNo: firstSpNo, userId: 'lisi', action: 'approve', speech: '同意', url: url.approved });
	assert.deepEqual({ status: result.callback.status, body: result.callback.body, spStatus: result.spStatus }, { status: 200, body: '', spStatus: 2 });

	const [run] = await runsFrom(APPROVAL_IDS.approved, APPROVED_TRIGGER, 1);
	assert.equal(run.status, 'success', JSON.stringify(run.error));
	assert.equal(run.mode, 'webhook');
	assert.deepEqual(run.data[APPROVED_TRIGGER][0].approval.spNo, firstSpNo);
	const detail = run.data['Get detail'][0];
	assert.deepEqual(
		{ spNo: detail.sp_no, status: detail.sp_status, name: detail.sp_status_name, applicant: detail.applicant.userid, reason: detail.controls['报销事由'] },
		{ spNo: firstSpNo, status: 2, name: '已通过 (Approved)', applicant: 'zhangsan', reason: 'Client visit' },
	);
	assert.deepEqual(detail.records[0].approvers.map((a) => [a.userid, a.speech]), [['lisi', '同意']]);
	assert.ok(run.data['Tell applicant'][0].msgid);
	assert.ok((await textsTo('zhangsan')).includes(`报销 ${firstSpNo} 已通过 (Approved): Client visit, 128.5 元`));
});

test('a batch of five approvals approved by one approver in the same second starts five executions', async () => {
	const spNos = [];
	for (let i = 1; i <= 5; i++) spNos.push((await submitClaim({ reason: `Batch claim ${i}`, amount: 10 * i })).sp_no);
	const results = await wecom.actOnApprovals({ spNos, userId: 'lisi', action: 'approve', url: url.approved });
	// Same sender ("sys"), same CreateTime: only the approval numbers tell the callbacks apart.
	assert.equal(new Set(results.map((r) => /<CreateTime>(\d+)</.exec(r.xml)?.[1])).size, 1);
	assert.deepEqual(results.map((r) => r.callback.status), [200, 200, 200, 200, 200]);

	const runs = (await runsFrom(APPROVAL_IDS.approved, APPROVED_TRIGGER, 6)).slice(1);
	assert.deepEqual(runs.map((r) => r.status), ['success', 'success', 'success', 'success', 'success']);
	assert.deepEqual(runs.map((r) => r.data['Get detail'][0].sp_no).sort(), [...spNos].sort());
	const texts = await textsTo('zhangsan');
	for (const [i, spNo] of spNos.entries()) assert.ok(texts.includes(`报销 ${spNo} 已通过 (Approved): Batch claim ${i + 1}, ${10 * (i + 1)} 元`), `no message for ${spNo}`);
	await delay(SETTLE_MS);
	assert.equal((await runsFrom(APPROVAL_IDS.approved, APPROVED_TRIGGER, 6)).length, 6, 'an extra execution started');
});

test('the example\'s switch: an approval ends in "Approved", a rejection in "Rejected"; the approved-only trigger ignores the rejection', async () => {
	const approve = (await submitClaim({ reason: 'Hotel', amount: 300, type: '住宿' })).sp_no;
	const reject = (await submitClaim({ reason: 'Dinner', amount: 999, type: 'Meals' })).sp_no;
	const approvedRunsBefore = (await runsFrom(APPROVAL_IDS.approved, APPROVED_TRIGGER, 6)).length;

	const [agreed] = await wecom.actOnApprovals({ spNo: approve, userId: 'lisi', action: 'approve', url: url.decision });
	assert.equal(agreed.callback.status, 200);
	const [first] = await runsFrom(APPROVAL_IDS.example, DECISION_TRIGGER, 1);
	assert.equal(first.status, 'success', JSON.stringify(first.error));
	assert.equal(first.data['Get approval'][0].sp_no, approve);
	assert.ok(first.data['Tell applicant: approved'], 'the approval did not reach the Approved branch');
	assert.equal(first.data['Tell applicant: rejected'], undefined);

	// WeCom posts the rejection to the app's URL; both published triggers get it.
	const [rejected] = await wecom.actOnApprovals({ spNo: reject, userId: 'lisi', action: 'reject', speech: 'No receipt for wine', url: false });
	assert.equal(rejected.spStatus, 3);
	for (const target of [url.decision, url.approved]) assert.equal((await wecom.postCallback(target, rejected.xml)).status, 200);
	const second = (await runsFrom(APPROVAL_IDS.example, DECISION_TRIGGER, 2))[1];
	assert.equal(second.status, 'success', JSON.stringify(second.error));
	assert.equal(second.lastNodeExecuted, 'Tell applicant: rejected');
	assert.equal(second.data['Tell applicant: approved'], undefined);
	assert.deepEqual(second.outputs['Approved or rejected?'].map((items) => items.length), [0, 1]);
	assert.ok((await textsTo('zhangsan')).includes(`Your expense claim ${reject} was rejected 已驳回: No receipt for wine`));
	assert.ok((await textsTo('zhangsan')).includes(`Your expense claim ${approve} (300 元) was approved 已通过. Payment follows.`));

	await delay(SETTLE_MS);
	assert.equal((await runsFrom(APPROVAL_IDS.approved, APPROVED_TRIGGER, approvedRunsBefore)).length, approvedRunsBefore, 'the approved-only trigger started on a rejection');
});
