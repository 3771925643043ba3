/**
 * Proves the engine harness: workflows run through n8n-core's real WorkflowExecute, credentials flow through our
 * in-memory CredentialsHelper (preAuthentication, persistence, forced refresh), binary data, the credential test and
 * the webhook server. Uses the harness's own fixtures, not the WeCom nodes.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { IConnections, INode } from 'n8n-workflow';

import { CredentialStore, readBinary, runMany, runWorkflow, startWebhookServer, testCredential, type WorkflowDefinition } from '../harness';
import { startTokenApiServer, type TokenApiServer } from '../harness/fixtures/tokenApiServer';

const input = (items: unknown[]): INode => ({ id: 'in', name: 'Input', type: 'test.input', typeVersion: 1, position: [0, 0], parameters: { items } as never });

function httpCallWorkflow(credentialId: string, parameters: Record<string, unknown>, items: unknown[] = [{ json: { id: 7 } }], extra: Partial<INode> = {}): WorkflowDefinition {
	return {
		nodes: [
			input(items),
			{
				id: 'call',
				name: 'HTTP Call',
				type: 'harness.httpCall',
				typeVersion: 1,
				position: [200, 0],
				parameters: parameters as never,
				credentials: { harnessTokenApi: { id: credentialId, name: 'Token API' } },
				...extra,
			},
		],
		connections: { Input: { main: [[{ node: 'HTTP Call', type: 'main', index: 0 }]] } } as IConnections,
	};
}

describe('engine harness', () => {
	let api: TokenApiServer;
	let credentials: CredentialStore;
	let credentialId: string;

	beforeEach(async () => {
		api = await startTokenApiServer();
		credentials = new CredentialStore();
		credentialId = credentials.add('harnessTokenApi', { baseUrl: api.url, clientId: 'app', clientSecret: 's3cret' });
	});
	afterEach(async () => {
		await api.close();
	});

	it('resolves expressions and applies generic auth (with credential defaults) to a real HTTP request', async () => {
		const result = await runWorkflow({ workflow: httpCallWorkflow(credentialId, { path: '={{ "/data/item-" + $json.id }}' }), credentials });

		expect(result.error).toBeUndefined();
		const [item] = result.output('HTTP Call');
		expect(item.json.response).toEqual({ ok: true, path: '/data/item-7', token: 'tok-1', region: 'default-region' });
		const dataRequest = api.requests.find((r) => r.path === '/data/item-7');
		expect(dataRequest?.query.access_token).toBe('tok-1');
		expect(result.executedNodes()).toEqual(['Input', 'HTTP Call']);
	});

	it('runs a workflow given as a JSON file path', async () => {
		const file = join(mkdtempSync(join(tmpdir(), 'harness-wf-')), 'workflow.json');
		writeFileSync(file, JSON.stringify(httpCallWorkflow(credentialId, { path: '/data/from-file' })));
		const result = await runWorkflow({ workflow: file, credentials });
		expect(result.output('HTTP Call')[0].json.response).toMatchObject({ path: '/data/from-file' });
	});

	it('persists the preAuthentication token exactly once and reuses it in later runs', async () => {
		const first = await runWorkflow({ workflow: httpCallWorkflow(credentialId, { path: '/data/a' }, [{ json: {} }, { json: {} }]), credentials });

		expect(first.error).toBeUndefined();
		expect(api.tokenCalls()).toBe(1);
		expect(credentials.updateCount('harnessTokenApi')).toBe(1);
		expect(credentials.get(credentialId)?.data).toMatchObject({ accessToken: 'tok-1', clientSecret: 's3cret' });
		expect(credentials.updates[0].data.tokenExpiresAt).toEqual(expect.any(Number));
		// Within one execution getCredentials() re-reads the store: the first item saw '' before and tok-1 after the
		// request; the second item already got the persisted token.
		expect(first.output('HTTP Call').map((i) => [i.json.tokenBefore, i.json.tokenAfter])).toEqual([
			['', 'tok-1'],
			['tok-1', 'tok-1'],
		]);

		const second = await runWorkflow({ workflow: httpCallWorkflow(credentialId, { path: '/data/b' }), credentials });
		expect(second.output('HTTP Call')[0].json.response).toMatchObject({ token: 'tok-1' });
		expect(api.tokenCalls()).toBe(1);
		expect(credentials.updateCount()).toBe(1);
	});

	it('forces a refresh and persists it when credentialsDecrypted carries an emptied expirable field', async () => {
		await runWorkflow({ workflow: httpCallWorkflow(credentialId, { path: '/data/warm-up' }), credentials });
		expect(credentials.get(credentialId)?.data.accessToken).toBe('tok-1');

		const result = await runWorkflow({ workflow: httpCallWorkflow(credentialId, { path: '/data/refresh', forceRefresh: true }), credentials });

		expect(result.error).toBeUndefined();
		const [item] = result.output('HTTP Call');
		expect(item.json).toMatchObject({ tokenBefore: 'tok-1', tokenAfter: 'tok-2', response: { token: 'tok-2' } });
		expect(api.tokenCalls()).toBe(2);
		expect(credentials.updateCount('harnessTokenApi')).toBe(2);
		expect(credentials.get(credentialId)?.data.accessToken).toBe('tok-2');
	});

	it('retries once through preAuthentication when the API answers HTTP 401 (n8n built-in path)', async () => {
		credentials.patch(credentialId, { accessToken: 'stale-token' });
		const result = await runWorkflow({ workflow: httpCallWorkflow(credentialId, { path: '/data/after-401' }), credentials });

		expect(result.error).toBeUndefined();
		expect(result.output('HTTP Call')[0].json.response).toMatchObject({ token: 'tok-1' });
		expect(api.requests.filter((r) => r.path === '/data/after-401').map((r) => r.query.access_token)).toEqual(['stale-token', 'tok-1']);
		expect(credentials.updateCount()).toBe(1);
	});

	it('reports a thrown node error at workflow and node level', async () => {
		const failed = await runWorkflow({ workflow: httpCallWorkflow(credentialId, { path: '/status/500' }), credentials });
		expect(failed.error?.name).toBe('NodeApiError');
		expect(failed.nodeError('HTTP Call')?.description).toContain('500');
		expect(failed.output('HTTP Call')).toEqual([]);
	});

	it('passes the input through when a node with continueOnFail throws (n8n does not make error items for it)', async () => {
		const continued = await runWorkflow({
			workflow: httpCallWorkflow(credentialId, { path: '/status/500' }, [{ json: { id: 1 } }], { onError: 'continueRegularOutput' }),
			credentials,
		});
		expect(continued.output('HTTP Call').map((item) => item.json)).toEqual([{ id: 1 }]);
		expect(continued.nodeError('HTTP Call')?.name).toBe('NodeApiError');
		// The last node failed, so the execution still carries its error.
		expect(continued.error?.name).toBe('NodeApiError');
	});

	it('runs concurrent workflows against one store with separate execution IDs', async () => {
		credentials.patch(credentialId, { accessToken: 'tok-0' });
		// The API only accepts its newest token, so warm it up first.
		await runWorkflow({ workflow: httpCallWorkflow(credentialId, { path: '/data/warm', forceRefresh: true }), credentials });
		const results = await runMany(
			[1, 2, 3, 4].map((n) => ({ workflow: httpCallWorkflow(credentialId, { path: `/data/run-${n}` }), credentials })),
		);

		expect(new Set(results.map((r) => r.executionId)).size).toBe(4);
		expect(results.map((r) => r.output('HTTP Call')[0].json.response)).toEqual(
			[1, 2, 3, 4].map((n) => ({ ok: true, path: `/data/run-${n}`, token: 'tok-1', region: 'default-region' })),
		);
		expect(api.tokenCalls()).toBe(1);
	});

	it('turns test.input binary entries into real n8n binary data', async () => {
		const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]);
		const result = await runWorkflow({
			workflow: {
				nodes: [
					input([{ json: { n: 1 }, binary: { file: { data: bytes.toString('base64'), mimeType: 'image/png', fileName: 'a.png' } } }]),
					{ id: 'noop', name: 'Pass', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [200, 0], parameters: {} },
				],
				connections: { Input: { main: [[{ node: 'Pass', type: 'main', index: 0 }]] } },
			},
			credentials,
		});
		const [item] = result.output('Pass');
		expect(item.binary?.file).toMatchObject({ mimeType: 'image/png', fileName: 'a.png', fileExtension: 'png', bytes: bytes.length });
		expect(await readBinary(item.binary?.file)).toEqual(bytes);
	});

	describe('testCredential', () => {
		it('always runs preAuthentication (mock noOp node) and persists the token, then applies the rules', async () => {
			const existing = credentials.add('harnessTokenApi', { baseUrl: api.url, clientId: 'app', clientSecret: 's3cret', accessToken: 'kept' });
			const ok = await testCredential(credentials, 'harnessTokenApi', credentials.get(existing)!.data, { id: existing });

			expect(ok).toEqual({ status: 'OK', message: 'Connection successful!', credentialId: existing });
			expect(api.tokenCalls()).toBe(1);
			expect(credentials.get(existing)?.data.accessToken).toBe('tok-1');
			expect(api.requests.find((r) => r.path === '/ping')?.query.access_token).toBe('tok-1');

			api.pingAnswer = { errcode: 40001 };
			const ruled = await testCredential(credentials, 'harnessTokenApi', { baseUrl: api.url, clientId: 'app', clientSecret: 's3cret' });
			expect(ruled).toMatchObject({ status: 'Error', message: 'The secret is wrong (40001)' });
			expect(ruled.credentialId).not.toBe(existing);
		});

		it('fails when preAuthentication fails', async () => {
			const result = await testCredential(credentials, 'harnessTokenApi', { baseUrl: api.url, clientId: 'app', clientSecret: 'wrong' });
			expect(result.status).toBe('Error');
			expect(credentials.updateCount()).toBe(0);
		});
	});

	describe('webhook server', () => {
		const webhookWorkflow = (parameters: Record<string, unknown>): WorkflowDefinition => ({
			nodes: [
				{ id: 'wh', name: 'Webhook', type: 'harness.webhook', typeVersion: 1, position: [0, 0], parameters: parameters as never, webhookId: 'b7d6c1f0-0000-4000-8000-000000000001' },
				{ id: 'noop', name: 'Pass', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [200, 0], parameters: {} },
			],
			connections: { Webhook: { main: [[{ node: 'Pass', type: 'main', index: 0 }]] } },
		});

		it('serves GET and POST on one path, keeps rawBody, parses XML like n8n and starts the workflow', async () => {
			const server = await startWebhookServer({ workflow: webhookWorkflow({ path: 'wecom-test' }), credentials });
			try {
				expect(server.registrations.map((r) => `${r.method} ${r.path}`)).toEqual(['GET wecom-test', 'POST wecom-test']);

				const get = await fetch(`${server.url('wecom-test')}?echo=hello`);
				expect(await get.text()).toBe('hello');
				expect(server.executions).toHaveLength(0);

				const xml = '<xml><ToUserName><![CDATA[ww123]]></ToUserName><Encrypt><![CDATA[abc+/=]]></Encrypt></xml>';
				const post = await fetch(`${server.url('wecom-test')}?msg_signature=s&timestamp=1`, { method: 'POST', headers: { 'Content-Type': 'text/xml' }, body: xml });
				expect(post.status).toBe(200);
				expect(await post.json()).toEqual({ message: 'Workflow was started' });

				const [run] = await server.waitForExecutions(1);
				expect(run.error).toBeUndefined();
				const [item] = run.output('Pass');
				expect(item.json).toMatchObject({
					raw: xml,
					rawIsBuffer: true,
					body: { xml: { tousername: 'ww123', encrypt: 'abc+/=' } },
					query: { msg_signature: 's', timestamp: '1' },
					seen: 1,
				});
				expect(run.output('Webhook')).toHaveLength(1);

				await fetch(server.url('wecom-test'), { method: 'POST', body: 'second' });
				const runs = await server.waitForExecutions(2);
				expect(runs[1].output('Pass')[0].json.seen).toBe(2);
				expect(runs[0].executionId).not.toBe(runs[1].executionId);

				expect((await fetch(server.url('nope'), { method: 'POST' })).status).toBe(404);
			} finally {
				await server.close();
			}
		});

		it('answers with webhookResponse, or lets the node answer itself (noWebhookResponse)', async () => {
			const replying = await startWebhookServer({ workflow: webhookWorkflow({ path: 'reply', reply: '<xml>ok</xml>' }), credentials });
			try {
				const res = await fetch(replying.url('reply'), { method: 'POST', body: 'x' });
				expect(await res.text()).toBe('<xml>ok</xml>');
				await replying.waitForExecutions(1);
			} finally {
				await replying.close();
			}

			const self = await startWebhookServer({ workflow: webhookWorkflow({ path: 'self', selfRespond: true }), credentials });
			try {
				const res = await fetch(self.url('self'), { method: 'POST', body: 'x' });
				expect(res.status).toBe(202);
				expect(await res.text()).toBe('self');
				const [run] = await self.waitForExecutions(1);
				expect(run.output('Pass')[0].json.raw).toBe('x');
			} finally {
				await self.close();
			}
		});
	});
});
