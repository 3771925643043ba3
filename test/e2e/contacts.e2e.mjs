// Contacts (通讯录) and API Request in a real n8n, one n8n start:
// - a workflow takes a mobile number, finds the member (User → Get User ID by Mobile) and sends them a text;
// - API Request calls an endpoint with no guided operation (agent/get) for many items while WeCom ends the token in
//   the middle of the run: one refresh, every item succeeds;
// - the nodes of examples/contacts-sync.json (create or update users) run twice with the contacts sync secret and
//   leave the directory as the HR records say;
// - the weComApi credential in n8n's own HTTP Request node (predefined credential type): it adds access_token, but
//   WeCom's 42001 with HTTP 200 comes out as a successful item and no refresh happens (why the README says to prefer
//   API Request).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { packageTarball, startN8n, startSandbox } from './lib/n8n.mjs';
import { sandboxControl, sandboxDefaults } from '../sandbox/control-client.mjs';
import { loadExample } from '../../tools/demo/workflows.mjs';
import { bodyItems, node, weComApiCredential, weComNode, webhookTrigger, workflow, workflowId } from './lib/workflows.mjs';

const D = sandboxDefaults();
const GETTOKEN = '/cgi-bin/gettoken';
const SEND = '/cgi-bin/message/send';
const AGENT = '/cgi-bin/agent/get';
const HOOKS = { find: 'e2e-contacts-find', agent: 'e2e-contacts-agent', http: 'e2e-contacts-http', sync: 'e2e-contacts-sync' };
const IDS = { hooks: workflowId('contactsHooks') };
const AGENT_ITEMS = 40;

let sandbox;
let sb;
let n8n;
let app;
let httpCredential;

async function callHook(path, items) {
	// n8n may still be registering the published workflow's webhooks on a busy machine: wait for them, not for the run
	const deadline = Date.now() + 90_000;
	let res;
	let text;
	for (;;) {
		res = await fetch(`${n8n.url}/webhook/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ items }) });
		text = await res.text();
		if (res.status !== 404 || !text.includes('is not registered') || Date.now() > deadline) break;
		await delay(500);
	}
	let json;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: res.status, text, json };
}

const mark = async () => (await sb.state()).requestCount;
const requestsSince = async (start, path) => (await sb.requests()).slice(start).filter((r) => r.path === path);
/** The sandbox's directory as it stands (the /__sandbox/contacts control). */
async function directory() {
	const res = await fetch(`${sandbox.url}/__sandbox/contacts`);
	assert.equal(res.status, 200);
	return res.json();
}
const latest = async (workflowIdOf) => (await n8n.executions({ workflowId: workflowIdOf })).at(-1);

before(async () => {
	sandbox = await startSandbox();
	sb = sandboxControl(sandbox.url);
	const settings = { corpId: D.corpId, corpSecret: D.corpSecret, agentId: String(D.agentId), baseUrl: sandbox.url };
	app = weComApiCredential('contactsAppCred1', 'WeCom app (sandbox)', settings);
	const sync = weComApiCredential('contactsSyncCrd1', 'WeCom contacts sync (sandbox)', { ...settings, corpSecret: D.contactsSecret, agentId: '' });
	httpCredential = weComApiCredential('contactsHttpCrd1', 'WeCom app for HTTP Request (sandbox)', settings);

	// examples/contacts-sync.json's nodes as users import them, the sync-secret credential selected; a webhook starts
	// them instead of the example's manual trigger, because every `n8n execute` costs a start of n8n
	const example = loadExample('contacts-sync.json');
	const trigger = example.nodes.find((n) => n.type === 'n8n-nodes-base.manualTrigger');
	const syncNodes = structuredClone(example.nodes.filter((n) => n !== trigger && n.type !== 'n8n-nodes-base.stickyNote'));
	for (const n of syncNodes) if (n.credentials?.weComApi) n.credentials.weComApi = { id: sync.ref.id, name: sync.ref.name };
	const syncEdges = Object.entries(example.connections).flatMap(([from, outputs]) =>
		outputs.main[0].map((target) => [from === trigger.name ? 'Sync hook' : from, target.node]),
	);

	const hooks = workflow({
		id: IDS.hooks,
		name: 'E2E contacts: find by mobile and send, API Request, HTTP Request',
		nodes: [
			webhookTrigger(HOOKS.find, 'Find hook'),
			bodyItems('People'),
			weComNode('Find user', { resource: 'user', operation: 'getIdByMobile', mobile: '={{ $json.mobile }}' }, { credential: app.ref }),
			weComNode(
				'Send text',
				{ resource: 'message', operation: 'send', toUser: '={{ $json.userid }}', msgtype: 'text', textContent: "={{ $('People').item.json.text }}" },
				{ credential: app.ref },
			),
			webhookTrigger(HOOKS.agent, 'Agent hook'),
			bodyItems('Agent items'),
			weComNode(
				'Agent settings',
				{ resource: 'apiRequest', operation: 'request', method: 'GET', path: 'agent/get', sendQuery: true, queryParameters: { parameters: [{ name: 'agentid', value: '={{ $json.agentid }}' }] } },
				{ credential: app.ref },
			),
			webhookTrigger(HOOKS.http, 'HTTP hook'),
			node(
				'HTTP Request',
				'n8n-nodes-base.httpRequest',
				4.2,
				{
					method: 'GET',
					url: `${sandbox.url}/cgi-bin/agent/get`,
					authentication: 'predefinedCredentialType',
					nodeCredentialType: 'weComApi',
					sendQuery: true,
					queryParameters: { parameters: [{ name: 'agentid', value: String(D.agentId) }] },
					options: {},
				},
				{ credentials: { weComApi: { id: httpCredential.ref.id, name: httpCredential.ref.name } } },
			),
			webhookTrigger(HOOKS.sync, 'Sync hook'),
			...syncNodes,
		],
		edges: [
			['Find hook', 'People'],
			['People', 'Find user'],
			['Find user', 'Send text'],
			['Agent hook', 'Agent items'],
			['Agent items', 'Agent settings'],
			['HTTP hook', 'HTTP Request'],
			...syncEdges,
		],
	});

	n8n = await startN8n({
		packageTarball: await packageTarball(),
		credentials: [app.record, sync.record, httpCredential.record],
		workflows: [hooks],
		activate: [IDS.hooks],
		log: Boolean(process.env.E2E_N8N_LOG),
	});
});

after(async () => {
	await n8n?.stop();
	await sandbox?.stop();
});

test('a mobile number finds the member, who then gets the text', async () => {
	const start = await mark();
	// 13800000002 is lisi's, 13800000003 wangwu's in the seeded directory
	const answer = await callHook(HOOKS.find, [
		{ mobile: '13800000002', text: 'Your badge is ready 工牌已就绪' },
		{ mobile: '13800000003', text: 'Standup moved to 10:00' },
	]);
	assert.equal(answer.status, 200, answer.text);
	const lookups = await requestsSince(start, '/cgi-bin/user/getuserid');
	assert.deepEqual(lookups.map((r) => [r.json.mobile, r.answer.userid]).sort(), [['13800000002', 'lisi'], ['13800000003', 'wangwu']]);
	const sends = await requestsSince(start, SEND);
	assert.deepEqual(
		sends.map((r) => ({ touser: r.json.touser, msgtype: r.json.msgtype, content: r.json.text.content, errcode: r.answer.errcode })).sort((a, b) => a.touser.localeCompare(b.touser)),
		[
			{ touser: 'lisi', msgtype: 'text', content: 'Your badge is ready 工牌已就绪', errcode: 0 },
			{ touser: 'wangwu', msgtype: 'text', content: 'Standup moved to 10:00', errcode: 0 },
		],
	);
	const execution = await latest(IDS.hooks);
	assert.equal(execution.status, 'success');
	assert.deepEqual(execution.data['Find user'], [{ userid: 'lisi', mobile: '13800000002' }, { userid: 'wangwu', mobile: '13800000003' }]);
	for (const out of execution.data['Send text']) assert.equal(typeof out.msgid, 'string');
});

test('API Request for an endpoint with no guided operation: WeCom ends the token mid-run, one refresh, no failed item', async () => {
	const [oldToken] = await sb.issuedTokens();
	assert.ok(oldToken, 'the first test left the app a token');
	const tokensBefore = await sb.gettokenCount();
	const start = await mark();
	// slow answers keep the run going long enough to end the token while it is under way
	await sb.setDelay(AGENT, 300);
	let answer;
	try {
		const pending = callHook(HOOKS.agent, Array.from({ length: AGENT_ITEMS }, (_, n) => ({ agentid: String(D.agentId), n })));
		const deadline = Date.now() + 60_000;
		// end the token once some items have their answer, while others are still to come
		while ((await requestsSince(start, AGENT)).filter((r) => r.answer?.errcode === 0).length < 5) {
			if (Date.now() > deadline) throw new Error('the API Request run never had 5 answered calls');
			await delay(20);
		}
		await sb.expireTokens();
		answer = await pending;
	} finally {
		await sb.setDelay(AGENT, 0);
	}
	assert.equal(answer.status, 200, answer.text);
	assert.equal((await sb.gettokenCount()) - tokensBefore, 1, 'exactly one refresh');
	const newToken = (await sb.issuedTokens()).at(-1);
	assert.notEqual(newToken, oldToken);

	const calls = await requestsSince(start, AGENT);
	const delivered = calls.filter((r) => r.answer?.errcode === 0);
	const refused = calls.filter((r) => r.answer?.errcode === 42001);
	assert.equal(delivered.length, AGENT_ITEMS, 'every item answered once');
	assert.equal(calls.length, delivered.length + refused.length, 'no other answers');
	// the calls in flight when the token ended (at most the default Concurrency, 20) are each refused once and repeated
	// with the new token
	assert.ok(refused.length >= 1 && refused.length <= 20, `${refused.length} calls refused`);
	for (const r of refused) assert.equal(r.query.access_token, oldToken);
	assert.ok(delivered.filter((r) => r.query.access_token === oldToken).length >= 1, 'some items went through before the expiry');
	assert.ok(delivered.filter((r) => r.query.access_token === newToken).length >= refused.length, 'the refused calls were repeated with the new token');
	for (const r of calls) assert.equal(r.query.agentid, String(D.agentId));

	const execution = await latest(IDS.hooks);
	assert.equal(execution.status, 'success');
	const output = execution.data['Agent settings'];
	assert.equal(output.length, AGENT_ITEMS);
	for (const item of output) {
		assert.equal(item.agentid, D.agentId);
		assert.equal(item.errcode, 0);
		assert.equal(item.error, undefined);
	}
});

test('the contacts sync example runs twice and leaves the directory as the HR records say', async () => {
	const expected = {
		chenba: { name: '陈八', mobile: '13900000008', department: [2], position: '测试工程师' },
		zhoujiu: { name: '周九', email: 'zhoujiu@example.com', department: [3, 6], position: '产品经理' },
		lisi: { name: '李四', mobile: '13800000002', department: [1, 3], position: '高级工程师' },
	};
	const seeded = (await directory()).users.length;
	const runs = [];
	for (let run = 0; run < 2; run++) {
		const start = await mark();
		const answer = await callHook(HOOKS.sync, [{}]);
		assert.equal(answer.status, 200, answer.text);
		const execution = await latest(IDS.hooks);
		assert.equal(execution.status, 'success', JSON.stringify(execution.error));
		const creates = await requestsSince(start, '/cgi-bin/user/create');
		const updates = await requestsSince(start, '/cgi-bin/user/update');
		runs.push({ output: execution.data['Create or update user'], creates: creates.map((r) => [r.json.userid, r.answer.errcode]).sort(), updates: updates.map((r) => r.json.userid).sort() });

		const { users } = await directory();
		assert.equal(users.length, seeded + 2, `run ${run + 1}: two new members, no duplicates`);
		for (const [userid, fields] of Object.entries(expected)) {
			const user = users.find((u) => u.userid === userid);
			assert.ok(user, `${userid} is in the directory after run ${run + 1}`);
			for (const [key, value] of Object.entries(fields)) assert.deepEqual(user[key], value, `${userid}.${key} after run ${run + 1}`);
		}
		// the sandbox keeps WeCom's rule: only the sync secret may write
		for (const r of [...creates, ...updates]) assert.ok(r.query.access_token && r.answer.errcode !== 48002);
	}
	assert.deepEqual(runs[0].output, [
		{ userid: 'chenba', created: true },
		{ userid: 'zhoujiu', created: true },
		{ userid: 'lisi', created: false, updated: true },
	]);
	assert.deepEqual(runs[0].creates, [['chenba', 0], ['lisi', 60102], ['zhoujiu', 0]]);
	assert.deepEqual(runs[0].updates, ['lisi']);
	assert.deepEqual(runs[1].output, ['chenba', 'zhoujiu', 'lisi'].map((userid) => ({ userid, created: false, updated: true })));
	assert.deepEqual(runs[1].creates, [['chenba', 60102], ['lisi', 60102], ['zhoujiu', 60102]]);
	assert.deepEqual(runs[1].updates, ['chenba', 'lisi', 'zhoujiu']);
});

test("the credential in n8n's HTTP Request node adds access_token, but a 42001 with HTTP 200 is a success there and nothing refreshes it", async () => {
	let start = await mark();
	const first = await callHook(HOOKS.http, [{}]);
	assert.equal(first.status, 200, first.text);
	const [call] = await requestsSince(start, AGENT);
	const tokens = await sb.issuedTokens();
	assert.ok(tokens.includes(call.query.access_token), 'the request carried an access token the sandbox issued');
	assert.equal(call.query.agentid, String(D.agentId));
	assert.equal(call.answer.errcode, 0);
	assert.equal((await latest(IDS.hooks)).data['HTTP Request'][0].agentid, D.agentId);

	await sb.expireTokens();
	const tokensBefore = await sb.gettokenCount();
	start = await mark();
	const second = await callHook(HOOKS.http, [{}]);
	assert.equal(second.status, 200, second.text);
	const calls = await requestsSince(start, AGENT);
	assert.equal(calls.length, 1, 'no second attempt');
	assert.equal(calls[0].status, 200);
	assert.equal(calls[0].answer.errcode, 42001);
	assert.equal(await sb.gettokenCount(), tokensBefore, 'no refresh');
	const execution = await latest(IDS.hooks);
	assert.equal(execution.status, 'success', 'n8n counts the refused call as a success');
	assert.equal(execution.data['HTTP Request'].length, 1);
	assert.equal(execution.data['HTTP Request'][0].errcode, 42001);

	// and it stays so: the next run sends the same dead token again
	start = await mark();
	const third = await callHook(HOOKS.http, [{}]);
	assert.equal(third.status, 200, third.text);
	const again = await requestsSince(start, AGENT);
	assert.deepEqual(again.map((r) => [r.query.access_token, r.answer.errcode]), [[calls[0].query.access_token, 42001]]);
	assert.equal(await sb.gettokenCount(), tokensBefore, 'still no refresh');
});
