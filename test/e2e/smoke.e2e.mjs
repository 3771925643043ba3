// Smoke: a real n8n 2.x with our packed package installed as a community package starts, lists
// our node and credential types, imports a credential of our type, runs a workflow from the CLI
// and answers a published workflow's production webhook.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { packageJson, packageTarball, startN8n } from './lib/n8n.mjs';

const MANUAL_ID = 'smokeManualWf001';
const WEBHOOK_ID = 'smokeWebhookWf01';
const CREDENTIAL_ID = 'smokeWeComCred01';

const manualWorkflow = {
	id: MANUAL_ID,
	name: 'Smoke: manual run',
	active: false,
	settings: {},
	nodes: [
		{ id: 'c0a8e3f4-0001-4000-8000-000000000001', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		{
			id: 'c0a8e3f4-0001-4000-8000-000000000002',
			name: 'Set greeting',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			position: [220, 0],
			parameters: {
				assignments: { assignments: [{ id: 'greeting', name: 'greeting', value: '={{ "hello " + "wecom" }}', type: 'string' }] },
				options: {},
			},
		},
	],
	connections: { Start: { main: [[{ node: 'Set greeting', type: 'main', index: 0 }]] } },
};

const webhookWorkflow = {
	id: WEBHOOK_ID,
	name: 'Smoke: production webhook',
	active: false,
	settings: {},
	nodes: [
		{
			id: 'c0a8e3f4-0002-4000-8000-000000000001',
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: 'c0a8e3f4-0002-4000-8000-0000000000ff',
			parameters: { path: 'smoke-e2e', httpMethod: 'POST', responseMode: 'onReceived', options: {} },
		},
	],
	connections: {},
};

const pkg = packageJson();
let n8n;

before(async () => {
	n8n = await startN8n({
		packageTarball: await packageTarball(),
		credentials: [
			{
				id: CREDENTIAL_ID,
				name: 'Smoke WeCom app',
				type: 'weComApi',
				data: { corpId: 'ww-smoke', corpSecret: 'smoke-secret', agentId: 1000002, baseUrl: 'http://127.0.0.1:9' },
			},
		],
		workflows: [manualWorkflow, webhookWorkflow],
		activate: [WEBHOOK_ID],
		log: Boolean(process.env.E2E_N8N_LOG),
	});
});

after(async () => {
	await n8n?.stop();
});

test('n8n loads our package without errors', () => {
	assert.equal(n8n.installedPackage.name, pkg.name);
	assert.doesNotMatch(n8n.logs(), new RegExp(`Failed to load package "${pkg.name}"|Skipping package "${pkg.name}"`));
});

test('our node types are listed by n8n', async () => {
	const res = await n8n.rest('/types/nodes.json');
	assert.equal(res.status, 200);
	const ours = (await res.json()).map((t) => t.name).filter((name) => name.startsWith(`${pkg.name}.`));
	// n8n adds a `<name>Tool` variant (for AI agents) of every node marked usableAsTool
	const nodes = ours.filter((name) => !name.endsWith('Tool')).sort();
	assert.deepEqual(nodes, [`${pkg.name}.weCom`, `${pkg.name}.weComAiBotTrigger`, `${pkg.name}.weComTrigger`]);
	assert.equal(nodes.length, pkg.n8n.nodes.length);
	assert.ok(ours.includes(`${pkg.name}.weComTool`), `no tool variant of weCom in ${ours.join(', ')}`);
});

test('our credential types are listed and a credential of ours imports', async () => {
	const res = await n8n.rest('/types/credentials.json');
	assert.equal(res.status, 200);
	const names = new Set((await res.json()).map((t) => t.name));
	for (const name of ['weComApi', 'weComCallbackApi', 'weComWebhookApi']) assert.ok(names.has(name), `${name} not listed`);

	const creds = await n8n.rest('/rest/credentials');
	assert.equal(creds.status, 200);
	const imported = (await creds.json()).data.find((c) => c.id === CREDENTIAL_ID);
	assert.equal(imported?.type, 'weComApi');
});

test('a workflow runs through the CLI and its execution is stored', async () => {
	const execution = await n8n.execute(MANUAL_ID);
	assert.ok(execution.cliOk, `exit ${execution.exitCode}: ${execution.cliLog.slice(-3000)}`);
	assert.equal(execution.status, 'success');
	assert.equal(execution.mode, 'cli');
	assert.deepEqual(execution.data['Set greeting'], [{ greeting: 'hello wecom' }]);
});

test('a published workflow answers on its production webhook', async () => {
	const res = await fetch(`${n8n.url}/webhook/smoke-e2e`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ ping: 1 }),
	});
	assert.equal(res.status, 200, await res.text());
	const [execution] = await n8n.waitForExecutions(WEBHOOK_ID, 1, 15_000);
	assert.equal(execution.status, 'success');
	assert.equal(execution.mode, 'webhook');
	assert.deepEqual(execution.data.Webhook[0].body, { ping: 1 });
});
