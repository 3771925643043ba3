// Send and Wait for Response in a real n8n 2.41.1: executions send a card to a sandbox user and wait in n8n's
// store; the sandbox "user" opens the links the card carried (real HTTP to n8n's /webhook-waiting, signed by
// n8n), posts n8n's own form page, or taps the native buttons (an encrypted template_card_event to a published
// WeCom Trigger, which hands the click to the waiting execution); late answers are told it is too late.
// n8n's WaitTracker looks for due waits once a minute, so the timeout execution starts first and is checked last.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { freePort, packageTarball, startN8n, startSandbox } from './lib/n8n.mjs';
import { innerXml, sandboxControl, waitForTriggerUrls } from './lib/triggerCallbacks.mjs';
import { SANDBOX } from './lib/triggerWorkflows.mjs';
import { ANSWERS_PATH, LABELS, SAW_IDS, TIMEOUT_SECONDS, USER, ends, sendAndWaitCredentials, sendAndWaitWorkflows } from './lib/sendAndWaitWorkflows.mjs';

const NO_ACTION = /<title>No action required<\/title>/;

let n8n;
let sandbox;
let wecom;
/** The timeout execution, started before everything else. */
let timeoutRun;

before(async () => {
	const sandboxPort = await freePort();
	[sandbox, n8n] = await Promise.all([
		startSandbox({ port: sandboxPort, log: Boolean(process.env.E2E_SANDBOX_LOG) }),
		packageTarball().then((packageTarball) =>
			startN8n({
				packageTarball,
				credentials: sendAndWaitCredentials(`http://127.0.0.1:${sandboxPort}`),
				workflows: sendAndWaitWorkflows(),
				activate: [SAW_IDS.ask, SAW_IDS.answers],
				log: Boolean(process.env.E2E_N8N_LOG),
			}),
		),
	]);
	wecom = sandboxControl(sandbox.url);
	await waitForTriggerUrls([`${n8n.url}/webhook/${ANSWERS_PATH}`]);
	timeoutRun = await startWaiting('timeout');
});

after(async () => {
	await n8n?.stop();
	await sandbox?.stop();
});

const lastId = async () => (await n8n.executions({ workflowId: SAW_IDS.ask, withData: false })).at(-1)?.id ?? '0';

/** Where a card's link or button key leads: the execution it resumes. */
function executionOf(card) {
	const url = card.links[0]?.url ?? Buffer.from(card.buttons[0]?.key.split('.')[3] ?? '', 'base64url').toString('utf8');
	return /\/webhook-waiting\/(\d+)\//.exec(url)?.[1];
}

/** Starts a variant's branch and returns its execution (status waiting in n8n's store) and the card it sent. */
async function startWaiting(variant) {
	const sinceId = await lastId();
	const res = await fetch(`${n8n.url}/webhook/saw-${variant}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ variant }) });
	assert.equal(res.status, 200, await res.text());
	for (const deadline = Date.now() + 30_000; ; await delay(250)) {
		const [execution] = await n8n.executions({ workflowId: SAW_IDS.ask, sinceId, withData: false });
		const card = execution && (await wecom.cards()).find((c) => executionOf(c) === execution.id);
		if (execution?.status === 'waiting' && card) return { id: execution.id, card, startedAt: Date.now() };
		if (execution && ['success', 'error', 'crashed'].includes(execution.status)) assert.fail(`${variant} did not wait: ${JSON.stringify(execution)}`);
		if (Date.now() > deadline) assert.fail(`${variant}: no waiting execution with a card after 30 s (${JSON.stringify(execution)})`);
	}
}

async function finished(id, timeoutMs = 30_000) {
	for (const deadline = Date.now() + timeoutMs; ; await delay(250)) {
		const [light] = await n8n.executions({ ids: [id], withData: false });
		if (['success', 'error', 'crashed', 'canceled'].includes(light?.status)) return (await n8n.executions({ ids: [id] }))[0];
		if (Date.now() > deadline) assert.fail(`execution ${id} still ${light?.status} after ${timeoutMs} ms`);
	}
}

const status = async (id) => (await n8n.executions({ ids: [id], withData: false }))[0]?.status;

function link(card, title) {
	const found = card.links.find((entry) => entry.title === title);
	assert.ok(found, `no link "${title}" on the card: ${card.links.map((entry) => entry.title).join(', ')}`);
	return found.url;
}

/** The run finished on `end` (the IF's approved or other branch) with `data` from the Ask node. */
function assertPath(run, variant, end) {
	const names = ends(variant);
	assert.equal(run.status, 'success', JSON.stringify(run.error));
	assert.equal(run.lastNodeExecuted, names[end]);
	assert.ok(!(names[end === 'approved' ? 'other' : 'approved'] in run.data), 'both branches ran');
	return run.data[names.ask][0];
}

test("n8n 2.41.1 generates the Human review tool (weComHitlTool) from our Send and Wait operation", async () => {
	const types = await (await n8n.rest('/types/nodes.json')).json();
	const hitl = types.find((type) => type.name === 'n8n-nodes-wecom-kit.weComHitlTool');
	assert.ok(hitl, `no weComHitlTool among ${types.filter((t) => t.name.startsWith('n8n-nodes-wecom-kit')).map((t) => t.name).join(', ')}`);
	assert.deepEqual(hitl.inputs.map((input) => input.type), ['ai_tool']);
	assert.deepEqual(hitl.outputs.map((output) => [output.type, output.displayName]), [['ai_tool', 'Human review']]);
	const field = (name) => hitl.properties.filter((property) => property.name === name);
	// n8n replaces each of them by a hidden field (one `operation` per resource of ours): all fixed to app-message approval.
	const fixed = (name) => [...new Set(field(name).map((p) => `${p.type}:${p.default}`))];
	assert.deepEqual(fixed('resource'), ['hidden:message']);
	assert.deepEqual(fixed('operation'), ['hidden:sendAndWait']);
	assert.deepEqual(fixed('responseType'), ['hidden:approval']);
	const [message] = field('message');
	assert.match(message.default, /\{\{ \$tool\.name \}\}/);
	assert.match(message.default, /\{\{ \$tool\.parameters \}\}/);
	// Our own fields stay: the recipient, the approval labels, links or native buttons, the card after the answer.
	for (const name of ['toUser', 'subject', 'approvalOptions', 'answerWith', 'cardUpdate']) assert.ok(field(name).length > 0, `${name} is missing`);
	assert.ok(hitl.credentials.some((c) => c.name === 'weComApi'));
});

test('approval: the card waits; the Approve link it carried finishes the execution on the approved path; late links change nothing', async () => {
	const run = await startWaiting('approval');
	assert.equal(await status(run.id), 'waiting');
	assert.deepEqual({ type: run.card.cardType, to: run.card.to.touser, title: run.card.title }, { type: 'text_notice', to: USER, title: 'Expense approval' });
	assert.deepEqual(run.card.links.map((entry) => entry.title), [LABELS.approve, LABELS.decline, 'card']);

	// A link whose answer was changed, or without its signature, is n8n's "Invalid Form Link" (401): still waiting.
	const tampered = new URL(link(run.card, LABELS.approve));
	tampered.searchParams.set('approved', 'false');
	const forged = await wecom.openLink(tampered.toString());
	assert.equal(forged.status, 401);
	assert.match(forged.body, /Invalid Form Link/);
	// The card itself opens the choices, without answering.
	const choices = await wecom.openLink(link(run.card, 'card'));
	assert.equal(choices.status, 200);
	assert.ok(choices.body.includes(LABELS.decline));
	assert.equal(await status(run.id), 'waiting');

	const opened = await wecom.openLink(link(run.card, LABELS.approve));
	assert.equal(opened.status, 200, opened.body);
	const done = await finished(run.id);
	assert.deepEqual(assertPath(done, 'approval', 'approved').data.approved, true);
	assert.equal(done.data['Ask approval'][0].data.answeredVia, 'link');

	const late = await wecom.openLink(link(run.card, LABELS.decline));
	assert.match(late.body, NO_ACTION);
	const again = (await n8n.executions({ ids: [run.id] }))[0];
	assert.equal(again.lastNodeExecuted, 'approval approved');
	assert.equal(again.stoppedAt, done.stoppedAt);
});

test('approval: the Decline link finishes the execution on the other path with approved false', async () => {
	const run = await startWaiting('approval');
	await wecom.openLink(link(run.card, LABELS.decline));
	assert.equal(assertPath(await finished(run.id), 'approval', 'other').data.approved, false);
});

test("free text: n8n's form page, then its multipart POST resumes with the text", async () => {
	const run = await startWaiting('freeText');
	const url = link(run.card, 'Answer');
	const form = await wecom.openLink(url);
	assert.equal(form.status, 200);
	assert.match(form.body, /<title>Your view<\/title>/);
	assert.match(form.body, /name='field-0'/);
	const posted = await wecom.openLink(url, { form: { 'field-0': '可以，但请附上发票' } });
	assert.equal(posted.status, 200, posted.body);
	const data = assertPath(await finished(run.id), 'freeText', 'other').data;
	assert.deepEqual({ text: data.text, via: data.answeredVia }, { text: '可以，但请附上发票', via: 'form' });
});

test('custom form: the posted fields come back typed', async () => {
	const run = await startWaiting('customForm');
	const url = link(run.card, 'Respond');
	assert.match((await wecom.openLink(url)).body, /<select id='field-1' name='field-1'/);
	await wecom.openLink(url, { form: { 'field-0': '1280', 'field-1': 'Sales' } });
	const data = assertPath(await finished(run.id), 'customForm', 'other').data;
	assert.deepEqual({ amount: data.Amount, center: data['Cost Center'] }, { amount: 1280, center: 'Sales' });
});

test('native buttons: a tap goes through the published WeCom Trigger, resumes the execution and updates the card; forged and late taps change nothing', async () => {
	const run = await startWaiting('buttons');
	const trigger = `${n8n.url}/webhook/${ANSWERS_PATH}`;
	assert.equal(run.card.cardType, 'button_interaction');
	assert.deepEqual(run.card.buttons.map((button) => button.text), [LABELS.approve, LABELS.decline]);
	const [approveKey, declineKey] = run.card.buttons.map((button) => button.key);

	// The decline key turned into an approval: the trigger refuses it (MAC), nothing resumes, nothing is updated.
	const forgedXml = innerXml({
		ToUserName: SANDBOX.corpId,
		FromUserName: 'mallory',
		CreateTime: Math.floor(Date.now() / 1000),
		MsgType: 'event',
		Event: 'template_card_event',
		EventKey: declineKey.replace('wkh1.d.', 'wkh1.a.'),
		TaskId: run.card.taskId,
		CardType: 'button_interaction',
		ResponseCode: 'forged-response-code',
		AgentID: SANDBOX.agentId,
	});
	const forged = await wecom.postCallback(trigger, forgedXml);
	assert.deepEqual({ status: forged.status, body: forged.body }, { status: 200, body: '' });
	assert.equal(await status(run.id), 'waiting');
	assert.match(n8n.logs(), /WeCom Trigger ignored a Send and Wait card click: the button key was not signed/);

	const click = await wecom.clickCard({ url: trigger, taskId: run.card.taskId, userId: USER, eventKey: approveKey });
	assert.deepEqual({ status: click.status, body: click.body }, { status: 200, body: '' });
	const data = assertPath(await finished(run.id), 'buttons', 'approved').data;
	assert.deepEqual(
		{ approved: data.approved, via: data.answeredVia, user: data.userId, task: data.taskId, updated: data.cardUpdated },
		{ approved: true, via: 'card', user: USER, task: run.card.taskId, updated: true },
	);
	const card = (await wecom.cards()).find((c) => c.taskId === run.card.taskId);
	assert.equal(card.buttonsReplacedBy, `${LABELS.approvedText} by ${USER}`);
	assert.deepEqual(card.updates.map((u) => [u.responseCode, u.atall]), [[click.responseCode, true]]);

	// Someone else taps later: told "No longer waiting" in the card (passive reply), the answer stays.
	const late = await wecom.clickCard({ url: trigger, taskId: run.card.taskId, userId: 'lisi', eventKey: declineKey });
	assert.equal(late.status, 200);
	assert.match((await wecom.decryptReply(late.body)).message, /<ReplaceName><!\[CDATA\[No longer waiting\]\]><\/ReplaceName>/);
	assert.equal((await n8n.executions({ ids: [run.id] }))[0].data['Ask buttons'][0].data.userId, USER);
	assert.equal((await wecom.cards()).find((c) => c.taskId === run.card.taskId).updates.length, 1);
	// Card answers never start the trigger's own workflow.
	assert.equal((await n8n.executions({ workflowId: SAW_IDS.answers, withData: false })).length, 0);
});

test('timeout: the execution stops waiting after the limit and outputs its input on the other path; a late link is told so', async () => {
	// WaitTracker reads due waits from the database once a minute: allow for one poll after the limit.
	const run = await finished(timeoutRun.id, TIMEOUT_SECONDS * 1000 + 90_000);
	const item = assertPath(run, 'timeout', 'other');
	assert.equal(item.data, undefined);
	assert.deepEqual(item.body, { variant: 'timeout' });
	assert.ok(Date.parse(run.stoppedAt) - timeoutRun.startedAt >= (TIMEOUT_SECONDS - 1) * 1000);
	const late = await wecom.openLink(link(timeoutRun.card, LABELS.approve));
	assert.match(late.body, NO_ACTION);
	assert.equal((await n8n.executions({ ids: [run.id] }))[0].lastNodeExecuted, 'timeout other');
});
