// The WeCom Trigger in a real n8n: published workflows answer WeCom's callbacks on their production
// webhook URL (<n8n>/webhook/<path>), with requests the sandbox encrypts and signs exactly as WeCom
// does. What only a real n8n proves: n8n parses XML bodies itself (xml2js, lower-cased tags), yet
// the node gets WeCom's raw bytes; responses the node writes reach WeCom untouched; executions are
// stored with the documented JSON; nothing secret lands in the database or the logs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { freePort, packageTarball, startN8n, startSandbox } from './lib/n8n.mjs';
import { CARD_TASK_ID, IDS, PASSIVE_TEXT, PATHS, SANDBOX, TRIGGER_NODE, triggerCredentials, triggerWorkflows } from './lib/triggerWorkflows.mjs';
import { forgeCallback, innerXml, queryString, sandboxControl, send, sign, waitForTriggerUrls } from './lib/triggerCallbacks.mjs';

const USER = 'zhangsan';
/** How long a request that must start nothing is given to start something anyway, before we count. */
const SETTLE_MS = 1500;

let n8n;
let sandbox;
let tarball;
/** Ours, not startN8n's: the restart scenario starts a second n8n on it; removed in after(). */
let userFolder;
let wecom;
const url = {};
let createTime = Math.floor(Date.now() / 1000) - 1000;
let msgId = 7_000_000_000_000_000;

before(async () => {
	const sandboxPort = await freePort();
	userFolder = await mkdtemp(join(tmpdir(), 'n8n-e2e-trigger-'));
	// Both start at once: the credential only needs the sandbox's URL, not the running sandbox.
	[sandbox, n8n] = await Promise.all([
		startSandbox({ port: sandboxPort, log: Boolean(process.env.E2E_SANDBOX_LOG) }),
		packageTarball().then((packed) =>
			startN8n({
				packageTarball: (tarball = packed),
				userFolder,
				credentials: triggerCredentials(`http://127.0.0.1:${sandboxPort}`),
				workflows: triggerWorkflows(),
				activate: [IDS.main, IDS.reply, IDS.chain],
				log: Boolean(process.env.E2E_N8N_LOG),
			}),
		),
	]);
	wecom = sandboxControl(sandbox.url);
	for (const [name, path] of Object.entries(PATHS)) url[name] = `${n8n.url}/webhook/${path}`;
	await waitForTriggerUrls(Object.values(url));
});

after(async () => {
	await n8n?.stop();
	await sandbox?.stop();
	if (userFolder) await rm(userFolder, { recursive: true, force: true });
});

const base = (msgType) => ({ ToUserName: SANDBOX.corpId, FromUserName: USER, CreateTime: ++createTime, MsgType: msgType });
const stringValues = (fields) => Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, String(value)]));
const finished = (executions) => executions.filter((e) => ['success', 'error', 'crashed', 'canceled'].includes(e.status));

async function countExecutions(workflowId) {
	return (await n8n.executions({ workflowId, withData: false })).length;
}

/** Posts a valid callback as WeCom would and returns the execution it starts (the n-th of the workflow). */
async function postAndRun(workflowId, target, xml) {
	const before = await countExecutions(workflowId);
	const answer = await wecom.postCallback(target, xml);
	assert.equal(answer.status, 200, answer.body);
	const runs = await n8n.waitForExecutions(workflowId, before + 1, 20_000);
	return { answer, execution: runs[runs.length - 1], count: runs.length };
}

/**
 * After requests that must start nothing: wait a little, check nothing started, then post a valid
 * callback and check it is the only new execution (so a late, stray execution would be caught too).
 */
async function expectOnlySentinel(workflowId, countBefore, label) {
	await delay(SETTLE_MS);
	assert.equal(await countExecutions(workflowId), countBefore, `${label}: an execution started`);
	const content = `sentinel after ${label}`;
	const { execution, count } = await postAndRun(workflowId, url.main, innerXml({ ...base('text'), Content: content, MsgId: String(++msgId), AgentID: SANDBOX.agentId }));
	assert.equal(count, countBefore + 1);
	assert.equal(execution.data[TRIGGER_NODE][0].Content, content);
	await delay(500);
	assert.equal(await countExecutions(workflowId), countBefore + 1, `${label}: an extra execution appeared after the sentinel`);
}

test('URL verification: the production URL answers the decrypted echostr alone and starts nothing', async () => {
	const before = await countExecutions(IDS.main);
	const result = await wecom.verifyUrl(url.main);
	assert.equal(result.status, 200, result.body);
	assert.equal(result.body, result.expected);
	assert.ok(result.ok);
	assert.doesNotMatch(result.body, /["'\r\n ]/);
	// the same through a request of our own, to see the headers n8n sends with it
	const echo = forgeCallback('1234567890123456789');
	const direct = await send('GET', url.main, queryString({ ...echo.query, echostr: echo.encrypted }));
	assert.deepEqual({ status: direct.status, body: direct.body }, { status: 200, body: '1234567890123456789' });
	assert.match(direct.contentType, /^text\/plain/);
	await delay(SETTLE_MS);
	assert.equal(await countExecutions(IDS.main), before);
});

test('encrypted callbacks start the workflow with the documented JSON', async () => {
	const samples = [
		{
			label: 'text message (multi-byte UTF-8 and XML specials)',
			fields: { ...base('text'), Content: '你好 <world> & “friends” 👋', MsgId: String(++msgId), AgentID: SANDBOX.agentId },
		},
		{
			label: 'image message',
			fields: { ...base('image'), PicUrl: 'https://example.com/p.jpg', MediaId: 'media-img-e2e-1', MsgId: String(++msgId), AgentID: SANDBOX.agentId },
		},
		{ label: 'menu click event', fields: { ...base('event'), Event: 'click', EventKey: 'menu-report', AgentID: SANDBOX.agentId } },
		{
			label: 'template card click',
			fields: {
				...base('event'),
				Event: 'template_card_event',
				EventKey: 'approve',
				TaskId: 'task-e2e-1',
				CardType: 'vote_interaction',
				ResponseCode: 'rc-e2e-1',
				AgentID: SANDBOX.agentId,
			},
			extra:
				'<SelectedItems><SelectedItem><QuestionKey><![CDATA[q1]]></QuestionKey><OptionIds><OptionId><![CDATA[o1]]></OptionId>' +
				'<OptionId><![CDATA[o2]]></OptionId></OptionIds></SelectedItem><SelectedItem><QuestionKey><![CDATA[q2]]></QuestionKey>' +
				'<OptionIds><OptionId><![CDATA[o3]]></OptionId></OptionIds></SelectedItem></SelectedItems>',
			json: { SelectedItems: [{ QuestionKey: 'q1', OptionIds: ['o1', 'o2'] }, { QuestionKey: 'q2', OptionIds: ['o3'] }] },
		},
		// enter_agent carries no AgentID inside: the node takes it from the outer envelope, which only the
		// raw body has (n8n's own XML parse lower-cases it to `agentid`). AgentID here proves the raw bytes arrived.
		{ label: 'enter_agent event', fields: { ...base('event'), Event: 'enter_agent', EventKey: '' }, json: { AgentID: String(SANDBOX.agentId) } },
	];
	for (const sample of samples) {
		const { answer, execution } = await postAndRun(IDS.main, url.main, innerXml(sample.fields, sample.extra));
		assert.equal(answer.body, '', sample.label);
		assert.equal(execution.status, 'success', sample.label);
		assert.equal(execution.mode, 'webhook');
		const kind = sample.fields.MsgType === 'event' ? `event.${sample.fields.Event}` : `message.${sample.fields.MsgType}`;
		assert.deepEqual(
			{ label: sample.label, items: execution.data[TRIGGER_NODE] },
			{ label: sample.label, items: [{ ...stringValues(sample.fields), ...sample.json, callbackKind: kind }] },
		);
	}
});

test('bad requests get a short 4xx and start nothing', async () => {
	const before = await countExecutions(IDS.main);
	const valid = () => forgeCallback(innerXml({ ...base('text'), Content: 'must not run', MsgId: String(++msgId) }));
	const post = (query, body, contentType) => send('POST', url.main, typeof query === 'string' ? query : queryString(query), body, contentType);
	const expectRejected = (answer, status, reason, label) => {
		assert.deepEqual({ label, status: answer.status, body: answer.body }, { label, status, body: reason });
	};

	// Missing query parameters (POST and GET).
	for (const name of ['msg_signature', 'timestamp', 'nonce']) {
		const callback = valid();
		const query = { ...callback.query };
		delete query[name];
		expectRejected(await post(query, callback.body), 400, `missing ${name}`, `POST without ${name}`);
	}
	expectRejected(await post('', valid().body), 400, 'missing msg_signature, timestamp, nonce', 'POST without any parameter');
	{
		const echo = forgeCallback('42');
		expectRejected(await send('GET', url.main, queryString(echo.query)), 400, 'missing echostr', 'GET without echostr');
		const wrong = { ...echo.query, msg_signature: sign(echo.query.timestamp, echo.query.nonce, echo.encrypted, 'anotherToken1') };
		expectRejected(await send('GET', url.main, queryString({ ...wrong, echostr: echo.encrypted })), 401, 'signature mismatch', 'GET with a wrong signature');
	}

	// Wrong signature: a made-up one, and one made with another Token.
	{
		const callback = valid();
		expectRejected(await post({ ...callback.query, msg_signature: '0'.repeat(40) }, callback.body), 401, 'signature mismatch', 'zero signature');
		const otherToken = forgeCallback(innerXml({ ...base('text'), MsgId: String(++msgId) }), { token: 'someOtherToken' });
		expectRejected(await post(otherToken.query, otherToken.body), 401, 'signature mismatch', 'other Token');
	}

	// Tampered ciphertext: as sent (signature no longer matches), and re-signed by someone with the Token but not the key.
	{
		const callback = valid();
		const chars = callback.encrypted.split('');
		chars[40] = chars[40] === 'A' ? 'B' : 'A';
		const tampered = chars.join('');
		const body = callback.body.replace(callback.encrypted, tampered);
		expectRejected(await post(callback.query, body), 401, 'signature mismatch', 'tampered, old signature');
		const resigned = { ...callback.query, msg_signature: sign(callback.query.timestamp, callback.query.nonce, tampered) };
		expectRejected(await post(resigned, body), 400, 'cannot decrypt', 'tampered, re-signed');
		const otherKey = forgeCallback(innerXml({ ...base('text'), MsgId: String(++msgId) }), { encodingAESKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG' });
		expectRejected(await post(otherKey.query, otherKey.body), 400, 'cannot decrypt', 'other EncodingAESKey');
	}

	// Wrong receive ID (a callback for another corp).
	{
		const other = forgeCallback(innerXml({ ...base('text'), MsgId: String(++msgId) }), { receiveId: 'wwsomeoneelse0001' });
		expectRejected(await post(other.query, other.body), 403, 'receive ID mismatch', 'other receive ID');
	}

	// Bodies: oversize, JSON instead of XML, an envelope without Encrypt, empty.
	{
		const callback = valid();
		expectRejected(await post(callback.query, callback.body.replace('</xml>', `${' '.repeat(1024 * 1024)}</xml>`)), 413, 'body too large', 'oversize');
		expectRejected(await post(callback.query, '{"Encrypt":"abc"}', 'application/json'), 400, 'malformed XML body', 'JSON body');
		expectRejected(await post(callback.query, '<xml><ToUserName>c</ToUserName></xml>'), 400, 'missing Encrypt', 'no Encrypt');
		expectRejected(await post(callback.query, ''), 400, 'empty body', 'empty body');
		// Broken XML sent as text/xml never reaches the node: n8n's own body parser refuses it with 422.
		const broken = await post(callback.query, callback.body.replace('</xml>', ''));
		assert.equal(broken.status, 422, broken.body);
		const entity = await post(callback.query, '<!DOCTYPE xml [<!ENTITY x "y">]><xml><Encrypt>&x;</Encrypt></xml>');
		assert.ok(entity.status >= 400 && entity.status < 500, `entity body: HTTP ${entity.status}`);
	}

	await expectOnlySentinel(IDS.main, before, 'bad requests');
	assert.match(n8n.logs(), /WeCom Trigger rejected a callback \(HTTP 403\): .*Receive ID/);
});

test('a callback WeCom retries (same MsgId, posted 3 times) starts one execution', async () => {
	const before = await countExecutions(IDS.main);
	const xml = innerXml({ ...base('text'), Content: 'retried', MsgId: String(++msgId), AgentID: SANDBOX.agentId });
	const encrypted = await wecom.encrypt(xml);
	for (let attempt = 1; attempt <= 3; attempt++) {
		const answer = await send('POST', url.main, queryString(encrypted.query), encrypted.body);
		assert.deepEqual({ attempt, status: answer.status, body: answer.body }, { attempt, status: 200, body: '' });
	}
	const runs = await n8n.waitForExecutions(IDS.main, before + 1, 20_000);
	assert.equal(runs[runs.length - 1].data[TRIGGER_NODE][0].Content, 'retried');
	await expectOnlySentinel(IDS.main, before + 1, 'retries');
});

test('passive text reply: encrypted and signed so that WeCom decrypts it', async () => {
	const fields = { ...base('text'), Content: 'reply please', MsgId: String(++msgId), AgentID: SANDBOX.agentId };
	const { answer, execution } = await postAndRun(IDS.reply, url.reply, innerXml(fields));
	assert.match(String(answer.headers['content-type']), /xml/);
	assert.match(answer.body, /^<xml><Encrypt>.*<\/Encrypt><MsgSignature>.*<\/MsgSignature><TimeStamp>.*<\/TimeStamp><Nonce>.*<\/Nonce><\/xml>$/s);
	const opened = await wecom.decryptReply(answer.body);
	assert.equal(opened.signatureValid, true);
	const field = (tag) => new RegExp(`<${tag}>(?:<!\\[CDATA\\[([\\s\\S]*?)\\]\\]>|([^<]*))</${tag}>`).exec(opened.message)?.slice(1).find((v) => v !== undefined);
	assert.equal(field('ToUserName'), USER);
	assert.equal(field('FromUserName'), SANDBOX.corpId);
	assert.equal(field('MsgType'), 'text');
	assert.equal(field('Content'), PASSIVE_TEXT);
	assert.match(field('CreateTime') ?? '', /^\d{10}$/);
	assert.equal(execution.status, 'success');
	assert.equal(execution.data[TRIGGER_NODE][0].Content, 'reply please');
});

test('card-click chain: send card → user clicks → trigger → card updated by ResponseCode', async () => {
	// 1. Workflow A sends the card (n8n's CLI, a separate n8n process on the same database).
	const sent = await n8n.execute(IDS.sendCard);
	assert.equal(sent.status, 'success', JSON.stringify(sent.error ?? sent.cliOutput.slice(-2000)));
	const card = sent.data['Send Card'][0];
	assert.equal(card.task_id, CARD_TASK_ID);
	assert.equal(typeof card.msgid, 'string');
	const message = (await wecom.messages()).find((m) => m.msgid === card.msgid);
	assert.equal(message?.body?.template_card?.card_type, 'button_interaction');

	// 2. The user clicks "approve": the sandbox posts the encrypted template_card_event to workflow B.
	const clicks = [
		{ userId: 'zhangsan', eventKey: 'approve', replaceName: '已同意 Approved' },
		{ userId: 'lisi', eventKey: 'reject', replaceName: '已驳回 Rejected' },
	];
	for (const [index, click] of clicks.entries()) {
		const result = await wecom.clickCard({ url: url.chain, taskId: CARD_TASK_ID, userId: click.userId, eventKey: click.eventKey });
		assert.deepEqual({ status: result.status, body: result.body }, { status: 200, body: '' });
		assert.ok(result.responseCode && result.responseCode !== card.response_code);

		// 3. Workflow B ran both nodes; the sandbox recorded the update with the click's code.
		const runs = await n8n.waitForExecutions(IDS.chain, index + 1, 20_000);
		const run = runs[index];
		assert.equal(run.status, 'success', JSON.stringify(run.error));
		assert.deepEqual(Object.keys(run.data).sort(), [TRIGGER_NODE, 'Update Card'].sort());
		const event = run.data[TRIGGER_NODE][0];
		assert.deepEqual(
			{ Event: event.Event, EventKey: event.EventKey, TaskId: event.TaskId, CardType: event.CardType, ResponseCode: event.ResponseCode, FromUserName: event.FromUserName, SelectedItems: event.SelectedItems },
			{ Event: 'template_card_event', EventKey: click.eventKey, TaskId: CARD_TASK_ID, CardType: 'button_interaction', ResponseCode: result.responseCode, FromUserName: click.userId, SelectedItems: [] },
		);
		assert.equal(run.data['Update Card'][0].response_code, result.responseCode);

		const updates = await wecom.requests('/cgi-bin/message/update_template_card');
		assert.equal(updates.length, index + 1);
		const update = updates[index];
		assert.deepEqual(
			{ userids: update.json.userids, agentid: update.json.agentid, response_code: update.json.response_code, button: update.json.button },
			{ userids: [click.userId], agentid: SANDBOX.agentId, response_code: result.responseCode, button: { replace_name: click.replaceName } },
		);
		assert.equal(update.answer?.errcode, 0);
	}
	assert.equal(finished(await n8n.executions({ workflowId: IDS.chain, withData: false })).length, clicks.length);
});

test('redaction: no EncodingAESKey, callback Token, app secret or access token in stored executions, the database or the logs', async () => {
	const accessTokens = [...new Set((await wecom.allRequests()).map((r) => r.query?.access_token).filter(Boolean))];
	assert.ok(accessTokens.length > 0, 'the chain should have used an access token');
	const secrets = {
		EncodingAESKey: SANDBOX.encodingAESKey,
		'callback Token': SANDBOX.callbackToken,
		'app secret': SANDBOX.corpSecret,
		...Object.fromEntries(accessTokens.map((token, i) => [`access token ${i + 1}`, token])),
	};

	const executions = await n8n.executions();
	assert.ok(executions.length >= 10, `expected the executions of this run, found ${executions.length}`);
	const stored = JSON.stringify(executions);
	const logs = n8n.logs();
	// The raw database files too: execution data, workflow static data (the retry store), webhooks, settings.
	const dbDir = join(n8n.userFolder, '.n8n');
	const dbFiles = (await readdir(dbDir)).filter((f) => f.startsWith('database.sqlite'));
	const database = Buffer.concat(await Promise.all(dbFiles.map((f) => readFile(join(dbDir, f)))));
	// the searches can see what n8n stores: the click event's data is there in plain text
	assert.ok(stored.includes('menu-report') && database.indexOf('menu-report') !== -1, 'the executions of this run are not where the test looks');
	for (const [what, secret] of Object.entries(secrets)) {
		assert.ok(!stored.includes(secret), `${what} appears in n8n's stored executions`);
		assert.ok(!logs.includes(secret), `${what} appears in n8n's logs`);
		assert.equal(database.indexOf(secret), -1, `${what} appears in n8n's database files`);
	}
});

test('the retry store survives a restart: n8n persists it with the workflow, so a late retry still starts nothing', async () => {
	const xml = innerXml({ ...base('text'), Content: 'before restart', MsgId: String(++msgId), AgentID: SANDBOX.agentId });
	const key = `msg:${msgId}`;
	const encrypted = await wecom.encrypt(xml);
	const countBefore = await countExecutions(IDS.main);
	const first = await send('POST', url.main, queryString(encrypted.query), encrypted.body);
	assert.deepEqual({ status: first.status, body: first.body }, { status: 200, body: '' });
	const runs = await n8n.waitForExecutions(IDS.main, countBefore + 1, 20_000);
	assert.equal(runs[runs.length - 1].data[TRIGGER_NODE][0].Content, 'before restart');

	// n8n saves the node's static data (our retry store) with the workflow after the execution
	let staticData;
	for (const deadline = Date.now() + 10_000; Date.now() < deadline; await delay(250)) {
		staticData = (await (await n8n.rest(`/rest/workflows/${IDS.main}`)).json()).data?.staticData;
		if (staticData?.[`node:${TRIGGER_NODE}`]?.recentCallbacks?.[key]) break;
	}
	assert.ok(staticData?.[`node:${TRIGGER_NODE}`]?.recentCallbacks?.[key], `n8n did not persist ${key}: ${JSON.stringify(staticData)}`);

	// a new n8n process on the same database: the in-memory part of the store is gone
	await n8n.stop();
	n8n = undefined;
	n8n = await startN8n({ userFolder, packageTarball: tarball, log: Boolean(process.env.E2E_N8N_LOG) });
	for (const [name, path] of Object.entries(PATHS)) url[name] = `${n8n.url}/webhook/${path}`;
	await waitForTriggerUrls([url.main]);

	const retry = await send('POST', url.main, queryString(encrypted.query), encrypted.body);
	assert.deepEqual({ status: retry.status, body: retry.body }, { status: 200, body: '' });
	await expectOnlySentinel(IDS.main, countBefore + 1, 'a retry after the restart');
});
