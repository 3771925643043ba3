// Token sharing in a real n8n. The access token lives in the credential n8n stores (pre-authentication
// with an expirable hidden field), so:
// - concurrent executions inside the `n8n start` process (production webhook calls) on a credential
//   with no token yet make ONE gettoken between them;
// - executions in other n8n processes (`n8n execute`, as a queue-mode worker would be) read the token
//   n8n persisted and make none, one after another and in parallel;
// - after WeCom ends the token early (42001 with HTTP 200), the next execution refreshes once, n8n
//   persists the new token, and no item is lost.
// Then failures (wrong secret, token rejected twice, rate limit exhausted) are provoked and no access
// token, secret or AES key may appear in n8n's stored executions, files or logs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { packageTarball, startN8n, startSandbox } from './lib/n8n.mjs';
import { sandboxControl, sandboxDefaults } from '../sandbox/control-client.mjs';
import { storedCredentialData } from './lib/stored-credentials.mjs';
import { describeLeaks, findLeaks, runArtifacts } from './lib/redaction.mjs';
import { bodyItems, codeItems, linearWorkflow, manualTrigger, webhookTrigger, weComApiCredential, weComCallbackCredential, weComNode, workflowId } from './lib/workflows.mjs';

const D = sandboxDefaults();
const SEND = '/cgi-bin/message/send';
const GETTOKEN = '/cgi-bin/gettoken';
const HOOK_PATH = 'e2e-tokens-send';
const WRONG_SECRET = 'wrong-secret-Zx81Qp4Lm7Rt2Vb9';
const CANARY = 'e2e-canary-tokens-51c8e2';
const APP_ID = 'tokensWeComApp01';

const IDS = { hook: workflowId('tokensHook'), cli: workflowId('tokensCli'), wrong: workflowId('tokensWrongSecr') };

let sandbox;
let sb;
let n8n;
const extraSources = []; // outputs of `n8n execute` processes and webhook answers, scanned for secrets

/** One production webhook call; the answer comes when the execution has finished (responseMode lastNode). */
async function callHook(items) {
	const res = await fetch(`${n8n.url}/webhook/${HOOK_PATH}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ items }),
	});
	const text = await res.text();
	extraSources.push({ where: `webhook answer (HTTP ${res.status})`, text });
	return { status: res.status, text };
}

async function execute(id) {
	const execution = await n8n.execute(id);
	extraSources.push({ where: `n8n execute --id=${id} output`, text: execution.cliOutput });
	return execution;
}

/** Requests to `path` recorded after `mark` (a requestCount from sb.state()). */
async function requestsSince(mark, path) {
	return (await sb.requests()).slice(mark).filter((r) => r.path === path);
}

const mark = async () => (await sb.state()).requestCount;
const sendsOf = (items) => items.map((json) => json.text);

before(async () => {
	sandbox = await startSandbox();
	sb = sandboxControl(sandbox.url);
	const app = weComApiCredential(APP_ID, 'WeCom app (sandbox)', { corpId: D.corpId, corpSecret: D.corpSecret, agentId: String(D.agentId), baseUrl: sandbox.url });
	const wrong = weComApiCredential('tokensWrongCred1', 'WeCom app, wrong secret', { corpId: D.corpId, corpSecret: WRONG_SECRET, agentId: String(D.agentId), baseUrl: sandbox.url });
	const callback = weComCallbackCredential('tokensCallbackC1', 'WeCom callback (sandbox)', { token: D.callbackToken, encodingAESKey: D.encodingAESKey, receiveId: D.corpId });
	const send = (credential) => weComNode('Send', { resource: 'message', operation: 'send', toUser: '={{ $json.user }}', msgtype: 'text', textContent: '={{ $json.text }}' }, { credential });
	const workflows = [
		linearWorkflow({ id: IDS.hook, name: 'E2E tokens: send per webhook call', nodes: [webhookTrigger(HOOK_PATH), bodyItems('Items'), send(app.ref)] }),
		linearWorkflow({
			id: IDS.cli,
			name: 'E2E tokens: send from the CLI',
			nodes: [manualTrigger(), codeItems('Items', [{ user: 'zhangsan', text: `cli one ${CANARY}` }, { user: 'lisi', text: 'cli two' }]), send(app.ref)],
		}),
		linearWorkflow({
			id: IDS.wrong,
			name: 'E2E tokens: wrong secret',
			nodes: [manualTrigger(), codeItems('Items', [{ user: 'zhangsan', text: 'never sent' }]), send(wrong.ref)],
		}),
	];
	n8n = await startN8n({
		packageTarball: await packageTarball(),
		credentials: [app.record, wrong.record, callback.record],
		workflows,
		activate: [IDS.hook],
		env: { N8N_LOG_LEVEL: 'debug' },
		log: Boolean(process.env.E2E_N8N_LOG),
	});
});

after(async () => {
	await n8n?.stop();
	await sandbox?.stop();
});

test('an imported credential holds no token yet', async () => {
	const stored = await storedCredentialData(n8n, APP_ID);
	assert.equal(stored.corpId, D.corpId);
	assert.ok(!stored.accessToken, 'no access token before the first execution');
	assert.equal(await sb.gettokenCount(), 0);
});

test('six concurrent executions in the n8n process on a tokenless credential make one gettoken', async () => {
	// A slow gettoken keeps every execution waiting for the token at the same time.
	await sb.setDelay(GETTOKEN, 1500);
	const texts = Array.from({ length: 6 }, (_, i) => `concurrent ${i} ${i === 0 ? CANARY : ''}`.trim());
	let answers;
	try {
		answers = await Promise.all(texts.map((text) => callHook([{ user: 'zhangsan', text }])));
	} finally {
		await sb.setDelay(GETTOKEN, 0);
	}
	for (const a of answers) assert.equal(a.status, 200, a.text);
	assert.equal(await sb.gettokenCount(), 1, 'one gettoken for six concurrent executions');

	const executions = await n8n.waitForExecutions(IDS.hook, 6, 30_000);
	assert.equal(executions.length, 6);
	for (const e of executions) {
		assert.equal(e.status, 'success');
		assert.equal(e.mode, 'webhook');
		assert.equal(typeof e.data.Send[0].msgid, 'string');
	}
	assert.deepEqual(executions.map((e) => e.data.Send[0].msgtype), Array(6).fill('text'));
	// They really overlapped: every one started before the first one finished.
	const firstStop = Math.min(...executions.map((e) => Date.parse(`${e.stoppedAt}Z`)));
	for (const e of executions) assert.ok(Date.parse(`${e.startedAt}Z`) <= firstStop, `execution ${e.id} started after another had finished`);

	const [token] = await sb.issuedTokens();
	const sends = await sb.requests(SEND);
	assert.deepEqual(sends.map((r) => r.query.access_token), Array(6).fill(token), 'every send used the one token');
	assert.deepEqual(sends.map((r) => r.json.text.content).sort(), [...texts].sort());
});

test('n8n persisted the token into the stored credential', async () => {
	const [token] = await sb.issuedTokens();
	const stored = await storedCredentialData(n8n, APP_ID);
	assert.equal(stored.accessToken, token);
	// expiry as WeCom's expires_in (7200 s) from when it was asked, in epoch milliseconds
	const expiresAt = Number(stored.tokenExpiresAt);
	const lifetime = (D.tokenLifetimeSeconds ?? 7200) * 1000;
	assert.ok(expiresAt > Date.now() + lifetime - 10 * 60_000 && expiresAt <= Date.now() + lifetime, `tokenExpiresAt ${stored.tokenExpiresAt}`);
	assert.equal(stored.corpSecret, D.corpSecret, 'the other fields are kept');
});

test('executions in a row in separate n8n processes (n8n execute) reuse the stored token', async () => {
	const start = await mark();
	const [token] = await sb.issuedTokens();
	for (let run = 0; run < 2; run++) {
		const execution = await execute(IDS.cli);
		assert.ok(execution.cliOk, `exit ${execution.exitCode}: ${execution.cliLog.slice(-3000)}`);
		assert.equal(execution.status, 'success');
		assert.deepEqual(execution.data.Send.map((o) => o.msgtype), ['text', 'text']);
	}
	assert.equal(await sb.gettokenCount(), 1, 'still the one gettoken of the first execution');
	const sends = await requestsSince(start, SEND);
	assert.equal(sends.length, 4);
	for (const s of sends) assert.equal(s.query.access_token, token);
});

test('parallel CLI processes and concurrent webhook executions still make no gettoken', async () => {
	const start = await mark();
	const before = (await n8n.executions({ workflowId: IDS.cli, withData: false })).length;
	const [cli, hooks] = await Promise.all([
		Promise.all([execute(IDS.cli), execute(IDS.cli)]),
		Promise.all([1, 2, 3, 4].map((i) => callHook([{ user: 'lisi', text: `parallel ${i}` }]))),
	]);
	for (const c of cli) assert.ok(c.cliOk, `exit ${c.exitCode}: ${c.cliLog.slice(-3000)}`);
	for (const h of hooks) assert.equal(h.status, 200, h.text);
	assert.equal(await sb.gettokenCount(), 1);
	// `execute()` reports the newest CLI execution; count them all in n8n's database instead.
	const cliRuns = (await n8n.executions({ workflowId: IDS.cli })).slice(before);
	assert.equal(cliRuns.length, 2);
	for (const e of cliRuns) {
		assert.equal(e.status, 'success');
		assert.equal(e.data.Send.length, 2);
	}
	assert.equal((await requestsSince(start, SEND)).length, 2 * 2 + 4);
});

test('after WeCom expires the token, the next execution refreshes it once and loses no item', async () => {
	const [oldToken] = await sb.issuedTokens();
	await sb.expireTokens();
	const start = await mark();
	const items = [1, 2, 3].map((i) => ({ user: 'zhangsan', text: `after expiry ${i}` }));
	const answer = await callHook(items);
	assert.equal(answer.status, 200, answer.text);
	assert.equal(await sb.gettokenCount(), 2, 'exactly one refresh');

	const tokens = await sb.issuedTokens();
	const newToken = tokens.at(-1);
	assert.notEqual(newToken, oldToken);
	const sends = await requestsSince(start, SEND);
	// the items go out together (Concurrency): those sent with the old token are refused with 42001 (HTTP 200) and
	// repeated with the new one, which every delivered item uses
	const refusedSends = sends.filter((s) => s.query.access_token === oldToken);
	assert.ok(refusedSends.length >= 1 && refusedSends.length <= items.length, `${refusedSends.length} sends with the old token`);
	for (const s of refusedSends) {
		assert.equal(s.answer.errcode, 42001);
		assert.equal(s.status, 200);
	}
	const delivered = sends.filter((s) => s.answer.errcode === 0);
	assert.equal(sends.length, refusedSends.length + delivered.length, 'no other answers');
	assert.deepEqual(delivered.map((s) => s.query.access_token), [newToken, newToken, newToken]);
	assert.deepEqual(delivered.map((s) => s.json.text.content).sort(), sendsOf(items).sort());

	const [execution] = (await n8n.executions({ workflowId: IDS.hook })).slice(-1);
	assert.equal(execution.status, 'success');
	assert.equal(execution.data.Send.length, 3);
	for (const o of execution.data.Send) assert.equal(typeof o.msgid, 'string');

	const stored = await storedCredentialData(n8n, APP_ID);
	assert.equal(stored.accessToken, newToken, 'n8n persisted the refreshed token');

	// another process picks the refreshed token up from the credential
	const cli = await execute(IDS.cli);
	assert.equal(cli.status, 'success');
	assert.equal(await sb.gettokenCount(), 2);
});

test('concurrent executions that all meet an expired token refresh it once', async () => {
	await sb.expireTokens();
	await sb.setDelay(GETTOKEN, 1000);
	const start = await mark();
	let answers;
	try {
		answers = await Promise.all([1, 2, 3, 4].map((i) => callHook([{ user: 'wangwu', text: `expired together ${i}` }])));
	} finally {
		await sb.setDelay(GETTOKEN, 0);
	}
	for (const a of answers) assert.equal(a.status, 200, a.text);
	assert.equal(await sb.gettokenCount(), 3, 'one refresh for four executions');
	const delivered = (await requestsSince(start, SEND)).filter((s) => s.answer.errcode === 0).map((s) => s.json.text.content);
	assert.deepEqual(delivered.sort(), [1, 2, 3, 4].map((i) => `expired together ${i}`));
});

test('a wrong app secret fails the execution with WeCom 40001 explained', async () => {
	const execution = await execute(IDS.wrong);
	assert.notEqual(execution.exitCode, 0);
	assert.equal(execution.status, 'error');
	assert.equal(execution.error?.node, 'Send');
	assert.match(`${execution.error?.message} ${execution.error?.description}`, /40001/);
	const asked = (await sb.requests(GETTOKEN)).filter((r) => r.query.corpsecret === WRONG_SECRET);
	assert.equal(asked.length, 1);
	assert.equal(asked[0].answer.errcode, 40001);
	assert.equal((await sb.requests(SEND)).filter((r) => r.json?.text?.content === 'never sent').length, 0);
});

test('a token WeCom keeps refusing fails its execution; a short rate limit is waited out', async () => {
	await sb.injectError(SEND, 42001, 2);
	const refused = await callHook([{ user: 'zhangsan', text: 'refused twice' }]);
	assert.notEqual(refused.status, 200);
	await sb.injectError(SEND, 45009, 3);
	const beforeLimited = await sb.gettokenCount();
	const limited = await callHook([{ user: 'zhangsan', text: 'rate limited' }]);
	// the injected 42001s left a token WeCom gave back unchanged: it is trusted again, not refreshed per retry
	assert.ok((await sb.gettokenCount()) - beforeLimited <= 1, 'at most one gettoken across the 45009 retries');
	// the shared rate-limit gate waits WeCom's refusals out while its budget lasts: the item is delivered
	assert.equal(limited.status, 200, limited.text);
	const failed = (await n8n.executions({ workflowId: IDS.hook, status: 'error' })).slice(-1);
	assert.equal(failed.length, 1);
	assert.match(`${failed[0].error?.message} ${failed[0].error?.description}`, /42001/);
	const attempts = (await sb.requests(SEND)).filter((r) => r.json?.text?.content === 'rate limited');
	assert.deepEqual(attempts.map((r) => r.answer.errcode), [45009, 45009, 45009, 0], 'three refusals, then delivered');
});

test('no access token, app secret (right or wrong) or AES key in stored executions, n8n files or logs', async () => {
	const tokens = await sb.issuedTokens();
	assert.ok(tokens.length >= 3);
	const secrets = [
		...tokens.map((value, i) => ({ name: `access token #${i + 1}`, value })),
		{ name: 'app secret', value: D.corpSecret },
		{ name: 'wrong app secret', value: WRONG_SECRET },
		{ name: 'EncodingAESKey', value: D.encodingAESKey },
		{ name: 'callback token', value: D.callbackToken },
	];
	const { sources, executions } = await runArtifacts(n8n, extraSources);
	assert.ok(executions.filter((e) => e.status === 'error').length >= 2, 'failed executions (wrong secret, refused token) are part of the scan');
	const canarySeen = findLeaks([{ name: 'canary', value: CANARY }], sources).map((l) => l.where);
	assert.ok(canarySeen.some((w) => w.startsWith('execution ')), 'canary in the parsed executions');
	assert.ok(canarySeen.some((w) => w.includes('database.sqlite')), 'canary in the database files');
	assert.ok(canarySeen.some((w) => w.startsWith('n8n execute')), 'canary in the output of n8n execute, which prints the run data');
	const leaks = findLeaks(secrets, sources);
	assert.equal(leaks.length, 0, `secrets found:\n${describeLeaks(leaks)}`);
});
