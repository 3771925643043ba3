/**
 * The transport and the credentials (issue 2's acceptance) through n8n-core's real engine against the WeCom sandbox
 * over real HTTP: one gettoken shared by items, runs and concurrent executions; refresh on expiry (42001/40014 and a
 * stored expiry in the past) with no item lost or sent twice; no stampede; the credential tests; bounded retries with
 * backoff and a clear error when they run out; and no access token, secret or EncodingAESKey in anything a run leaves.
 * Counts come from what the sandbox recorded, never from timings.
 */
import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';

import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { CredentialStore, inputWorkflow, nodeTypes, reportedErrors, runMany, runWorkflow, setupEngine, testCredential, type WorkflowRunResult } from '../harness';
import { SANDBOX_DEFAULTS, startSandbox, type WeComSandbox } from '../sandbox';
import { weComApiRequest } from '../../nodes/WeCom/transport';
import { DEFAULT_CONCURRENCY } from '../../nodes/WeCom/actions/concurrency';
import { resetRateGates } from '../../nodes/WeCom/transport/rateGate';
import { getRetryPolicy, setRetryPolicy } from '../../nodes/WeCom/transport/retryPolicy';
import { AES_KEY, CORP_ID, TOKEN, innerXml, keepAlive, officialCallback, queryString, send, sign, startTrigger } from './triggerKit';

const SEND = '/cgi-bin/message/send';
const GETTOKEN = '/cgi-bin/gettoken';
const ROBOT_SEND = '/cgi-bin/webhook/send';

const appCredential = (baseUrl: string, changes: Record<string, unknown> = {}) => ({
	corpId: SANDBOX_DEFAULTS.corpId,
	corpSecret: SANDBOX_DEFAULTS.corpSecret,
	agentId: String(SANDBOX_DEFAULTS.agentId),
	baseUrl,
	...changes,
});

let sandbox: WeComSandbox;
let credentials: CredentialStore;
let credentialId: string;
let runCounter = 0;

beforeAll(async () => {
	setRetryPolicy({ baseDelayMs: 5, maxDelayMs: 20 });
	sandbox = await startSandbox();
});
afterAll(async () => {
	await sandbox.close();
	keepAlive.destroy();
});
beforeEach(() => {
	sandbox.reset();
	resetRateGates();
	credentials = new CredentialStore();
	credentialId = credentials.add('weComApi', appCredential(sandbox.url));
});

interface SendRun {
	/** Unique per run: every message text is `<tag>#<n>`, so deliveries can be counted exactly. */
	tag: string;
	options: { workflow: Parameters<typeof runWorkflow>[0]['workflow']; credentials: CredentialStore };
}

/** A workflow sending `count` text messages (one per item) with the WeCom node. */
function sendRun(count: number, options: { continueOnFail?: boolean; store?: CredentialStore; id?: string; concurrency?: number } = {}): SendRun {
	const tag = `run${++runCounter}`;
	const items = Array.from({ length: count }, (_, n) => ({ json: { n, tag } }));
	const id = options.id ?? credentialId;
	return {
		tag,
		options: {
			credentials: options.store ?? credentials,
			workflow: inputWorkflow(
				{
					id: '2',
					name: 'WeCom',
					type: 'weCom',
					parameters: {
						resource: 'message',
						operation: 'send',
						toUser: 'zhangsan',
						msgtype: 'text',
						textContent: '={{ $json.tag + "#" + $json.n }}',
						...(options.concurrency ? { concurrency: options.concurrency } : {}),
					},
					credentials: { weComApi: { id, name: 'WeCom' } },
					...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
				},
				items,
			),
		},
	};
}

async function sendMessages(count: number, options: Parameters<typeof sendRun>[1] = {}): Promise<WorkflowRunResult & { tag: string }> {
	const prepared = sendRun(count, options);
	return { ...(await runWorkflow(prepared.options)), tag: prepared.tag };
}

/** Texts WeCom accepted for a run, in arrival order. */
const delivered = (tag: string): string[] =>
	sandbox
		.messages()
		.map((message) => String((message.body as { text?: { content?: unknown } }).text?.content))
		.filter((text) => text.startsWith(`${tag}#`));

const expectEachDeliveredOnce = (tag: string, count: number) => {
	const texts = delivered(tag);
	expect(texts).toHaveLength(count);
	expect(new Set(texts)).toEqual(new Set(Array.from({ length: count }, (_, n) => `${tag}#${n}`)));
};

const errcodesAnswered = (path: string) => sandbox.requestsTo(path).map((request) => request.answer?.errcode ?? `HTTP ${request.status}`);
const tokensUsed = (path: string) => [...new Set(sandbox.requestsTo(path).map((request) => request.query.access_token))];
const stored = (id: string = credentialId) => credentials.get(id)?.data ?? {};

describe('one gettoken for many sends', () => {
	it('50 items, then further runs and concurrent runs sharing the store: one gettoken, one persisted token', async () => {
		const first = await sendMessages(50);
		expect(first.error).toBeUndefined();
		expect(first.output('WeCom')).toHaveLength(50);
		expectEachDeliveredOnce(first.tag, 50);
		expect(sandbox.gettokenCount()).toBe(1);
		expect(credentials.updateCount('weComApi')).toBe(1);

		const token = String(stored().accessToken);
		expect(token).not.toBe('');
		expect(tokensUsed(SEND)).toEqual([token]);
		// The expiry follows WeCom's expires_in (7200 s).
		const expiresAt = Number(stored().tokenExpiresAt);
		expect(expiresAt).toBeGreaterThan(Date.now() + 7000 * 1000);
		expect(expiresAt).toBeLessThanOrEqual(Date.now() + 7200 * 1000);

		for (let round = 0; round < 3; round++) {
			const next = await sendMessages(10);
			expect(next.error).toBeUndefined();
			expectEachDeliveredOnce(next.tag, 10);
		}
		const concurrent = [1, 2, 3, 4].map(() => sendRun(10));
		const results = await runMany(concurrent.map((entry) => entry.options));
		for (const [index, result] of results.entries()) {
			expect(result.error).toBeUndefined();
			expectEachDeliveredOnce(concurrent[index].tag, 10);
		}

		expect(sandbox.gettokenCount()).toBe(1);
		expect(credentials.updateCount('weComApi')).toBe(1);
		expect(tokensUsed(SEND)).toEqual([token]);
		expect(errcodesAnswered(SEND).every((code) => code === 0)).toBe(true);
		expect(sandbox.requestsTo(SEND)).toHaveLength(50 + 30 + 40);
	});
});

describe('refresh on expiry', () => {
	async function warmUp(): Promise<string> {
		const warm = await sendMessages(1);
		expect(warm.error).toBeUndefined();
		expect(sandbox.gettokenCount()).toBe(1);
		return String(stored().accessToken);
	}

	it.each([
		['42001 (token expired at WeCom)', () => sandbox.expireTokens(), 42001],
		['40014 (token revoked at WeCom)', () => sandbox.invalidateTokens(), 40014],
	])('%s while the stored expiry is still ahead: one refresh, the call repeated, no item lost or doubled', async (_label, breakToken, errcode) => {
		const oldToken = await warmUp();
		breakToken();
		expect(Number(stored().tokenExpiresAt)).toBeGreaterThan(Date.now());
		const sendsBefore = sandbox.requestsTo(SEND).length;

		const result = await sendMessages(20);

		expect(result.error).toBeUndefined();
		expect(result.output('WeCom')).toHaveLength(20);
		expect(result.output('WeCom').every((item) => typeof item.json.msgid === 'string')).toBe(true);
		expectEachDeliveredOnce(result.tag, 20);
		expect(sandbox.gettokenCount()).toBe(2);
		expect(credentials.updateCount('weComApi')).toBe(2);
		const newToken = String(stored().accessToken);
		expect(newToken).not.toBe(oldToken);
		// Only the calls already under way with the old token (at most the node's concurrency) were rejected, each
		// repeated once; everything else used the new token.
		const sends = sandbox.requestsTo(SEND).slice(sendsBefore);
		const rejected = sends.filter((request) => request.answer?.errcode === errcode);
		expect(rejected.length).toBeGreaterThanOrEqual(1);
		expect(rejected.length).toBeLessThanOrEqual(DEFAULT_CONCURRENCY);
		expect(new Set(rejected.map((request) => request.query.access_token))).toEqual(new Set([oldToken]));
		const accepted = sends.filter((request) => request.answer?.errcode === 0);
		expect(accepted).toHaveLength(20);
		expect(sends).toHaveLength(20 + rejected.length);
		expect(new Set(accepted.map((request) => request.query.access_token))).toEqual(new Set([newToken]));
	});

	it('41001 (no token reached WeCom) is refreshed and repeated the same way', async () => {
		await warmUp();
		sandbox.injectError(SEND, 41001);
		const result = await sendMessages(3);
		expect(result.error).toBeUndefined();
		expectEachDeliveredOnce(result.tag, 3);
		expect(sandbox.gettokenCount()).toBe(2);
	});

	it('a stored expiry in the past refreshes before any send (no 42001 round trip)', async () => {
		const oldToken = await warmUp();
		sandbox.expireTokens();
		credentials.patch(credentialId, { tokenExpiresAt: Date.now() - 1000 });
		const sendsBefore = sandbox.requestsTo(SEND).length;

		const result = await sendMessages(10);

		expect(result.error).toBeUndefined();
		expectEachDeliveredOnce(result.tag, 10);
		expect(sandbox.gettokenCount()).toBe(2);
		const sends = sandbox.requestsTo(SEND).slice(sendsBefore);
		expect(sends.map((request) => request.answer?.errcode)).toEqual(Array<number>(10).fill(0));
		const newToken = String(stored().accessToken);
		expect(newToken).not.toBe(oldToken);
		expect(tokensUsed(SEND).slice(-1)).toEqual([newToken]);
		// gettoken happened before the first send of this run.
		const gettoken = sandbox.requestsTo(GETTOKEN)[1];
		expect(gettoken.seq).toBeLessThan(sends[0].seq);
		expect(Number(stored().tokenExpiresAt)).toBeGreaterThan(Date.now() + 7000 * 1000);
	});

	it('a stored token WeCom still accepts but whose stored expiry passed is renewed once, not per item', async () => {
		await warmUp();
		credentials.patch(credentialId, { tokenExpiresAt: Date.now() - 1000 });
		const result = await sendMessages(10);
		expect(result.error).toBeUndefined();
		expectEachDeliveredOnce(result.tag, 10);
		expect(sandbox.gettokenCount()).toBe(2);
		expect(Number(stored().tokenExpiresAt)).toBeGreaterThan(Date.now());
	});

	it('a refresh that keeps failing is not looped: the item fails with the token error after one repeat', async () => {
		await warmUp();
		sandbox.injectError(SEND, 42001, 5);
		const result = await sendMessages(1);
		expect(String(result.error?.message)).toContain('42001');
		expect(sandbox.requestsTo(SEND).slice(1)).toHaveLength(2);
		expect(sandbox.gettokenCount()).toBe(2);
	});
});

describe('no stampede: at most one refresh in flight per credential', () => {
	const concurrentRuns = (runs: number, items: number) => Array.from({ length: runs }, () => sendRun(items));

	async function runAll(prepared: SendRun[]): Promise<void> {
		const results = await runMany(prepared.map((entry) => entry.options));
		for (const [index, result] of results.entries()) {
			expect(result.error).toBeUndefined();
			expectEachDeliveredOnce(prepared[index].tag, 20);
		}
	}

	it('8 concurrent runs x 20 items starting without a token: one gettoken, one persisted update', async () => {
		await runAll(concurrentRuns(8, 20));
		expect(sandbox.gettokenCount()).toBe(1);
		expect(credentials.updateCount('weComApi')).toBe(1);
		expect(sandbox.requestsTo(SEND)).toHaveLength(160);
		expect(tokensUsed(SEND)).toEqual([stored().accessToken]);
	});

	it('8 concurrent runs x 20 items with a token WeCom has expired: exactly one more gettoken', async () => {
		await sendMessages(1);
		sandbox.expireTokens();
		await runAll(concurrentRuns(8, 20));
		expect(sandbox.gettokenCount()).toBe(2);
		expect(credentials.updateCount('weComApi')).toBe(2);
		// Only the calls each run had under way when it met the expired token saw 42001.
		expect(errcodesAnswered(SEND).filter((code) => code === 42001).length).toBeLessThanOrEqual(8 * DEFAULT_CONCURRENCY);
	});

	it('8 concurrent runs x 20 items with a stored expiry in the past: exactly one more gettoken, no 42001', async () => {
		await sendMessages(1);
		sandbox.expireTokens();
		credentials.patch(credentialId, { tokenExpiresAt: Date.now() - 1000 });
		await runAll(concurrentRuns(8, 20));
		expect(sandbox.gettokenCount()).toBe(2);
		expect(credentials.updateCount('weComApi')).toBe(2);
		expect(errcodesAnswered(SEND).filter((code) => code !== 0)).toEqual([]);
	});

	it('the token expiring at WeCom while 8 runs are sending: exactly one more gettoken, every item once', async () => {
		await sendMessages(1);
		// Slow sends down a little so the expiry lands while the runs are in the middle of their items.
		sandbox.setDelay(SEND, 2);
		const prepared = concurrentRuns(8, 20);
		let settled = false;
		const running = runMany(prepared.map((entry) => entry.options)).finally(() => (settled = true));
		while (!settled && sandbox.messages().length < 1 + 40) await new Promise((resolve) => setTimeout(resolve, 1));
		sandbox.expireTokens();
		const results = await running;
		sandbox.setDelay(SEND, 0);

		for (const [index, result] of results.entries()) {
			expect(result.error).toBeUndefined();
			expectEachDeliveredOnce(prepared[index].tag, 20);
		}
		expect(sandbox.gettokenCount()).toBe(2);
		expect(credentials.updateCount('weComApi')).toBe(2);
		expect(errcodesAnswered(SEND).filter((code) => code === 42001).length).toBeGreaterThanOrEqual(1);
	});
});

describe('the credential is read once per node run, and tokens stored by others are still picked up', () => {
	/** Between two calls of a loop run; may change the store or the sandbox as another execution or process would. */
	let between: ((call: number) => Promise<void>) | undefined;

	/** Calls weComApiRequest `calls` times in one node run (one execute, one context), like the node does per item. */
	class TransportLoop implements INodeType {
		description: INodeTypeDescription = {
			displayName: 'Transport loop',
			name: 'test.transportLoop',
			group: ['transform'],
			version: 1,
			description: 'Calls weComApiRequest in a loop (test)',
			defaults: { name: 'Loop' },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			credentials: [{ name: 'weComApi', required: true }],
			properties: [
				{ displayName: 'Calls', name: 'calls', type: 'number', default: 1 },
				{ displayName: 'Tag', name: 'tag', type: 'string', default: '' },
			],
		};

		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			const calls = this.getNodeParameter('calls', 0) as number;
			const tag = this.getNodeParameter('tag', 0) as string;
			const out: INodeExecutionData[] = [];
			for (let n = 0; n < calls; n++) {
				if (n > 0) await between?.(n);
				const body = { touser: 'zhangsan', msgtype: 'text', agentid: Number(SANDBOX_DEFAULTS.agentId), text: { content: `${tag}#${n}` } };
				out.push({ json: await weComApiRequest.call(this, { method: 'POST', endpoint: 'message/send', body, itemIndex: 0 }) });
			}
			return [out];
		}
	}
	nodeTypes.register('test.transportLoop', new TransportLoop());

	async function loop(calls: number): Promise<WorkflowRunResult & { tag: string }> {
		const tag = `loop${++runCounter}`;
		const result = await runWorkflow({
			credentials,
			workflow: inputWorkflow({ id: '2', name: 'Loop', type: 'test.transportLoop', parameters: { calls, tag }, credentials: { weComApi: { id: credentialId, name: 'WeCom' } } }),
		});
		return { ...result, tag };
	}

	/** What another n8n process does when it refreshes: gettoken (a new token once WeCom ended the old one), then store it. */
	async function anotherProcessRefreshes(): Promise<string> {
		sandbox.expireTokens();
		const answer = (await (await fetch(`${sandbox.url}${GETTOKEN}?corpid=${SANDBOX_DEFAULTS.corpId}&corpsecret=${SANDBOX_DEFAULTS.corpSecret}`)).json()) as { access_token: string };
		credentials.patch(credentialId, { accessToken: answer.access_token, tokenExpiresAt: Date.now() + 7200 * 1000 });
		return answer.access_token;
	}

	let reads: jest.SpyInstance;
	beforeEach(() => {
		between = undefined;
		reads = jest.spyOn(credentials.helper, 'getDecrypted');
	});
	afterEach(() => reads.mockRestore());
	const weComApiReads = () => reads.mock.calls.filter((call) => call[2] === 'weComApi').length;

	it('20 calls in one node run read the stored credential once (n8n does not read it again per request)', async () => {
		const first = await loop(20);
		expect(first.error).toBeUndefined();
		expectEachDeliveredOnce(first.tag, 20);
		// The first read finds no token; after the refresh the run keeps the credential n8n stored for it.
		expect(weComApiReads()).toBe(1);
		expect(sandbox.gettokenCount()).toBe(1);
		expect(tokensUsed(SEND)).toEqual([stored().accessToken]);

		// A new node run starts from the store again.
		const second = await loop(20);
		expect(second.error).toBeUndefined();
		expectEachDeliveredOnce(second.tag, 20);
		expect(weComApiReads()).toBe(2);
		expect(sandbox.gettokenCount()).toBe(1);
	});

	it('the WeCom node sending 25 items reads the stored credential once (agent ID included)', async () => {
		await sendMessages(1); // a token is stored first
		reads.mockClear();
		const result = await sendMessages(25);
		expect(result.error).toBeUndefined();
		expectEachDeliveredOnce(result.tag, 25);
		expect(weComApiReads()).toBe(1);
	});

	it('a token another process stored after WeCom ended the old one is used, not refreshed again', async () => {
		between = async (call) => {
			if (call === 2) await anotherProcessRefreshes();
		};
		const result = await loop(4);
		expect(result.error).toBeUndefined();
		expectEachDeliveredOnce(result.tag, 4);
		// Our first gettoken and the other process's; none more, and only ours was persisted by n8n here.
		expect(sandbox.gettokenCount()).toBe(2);
		expect(credentials.updateCount('weComApi')).toBe(1);
		const sends = sandbox.requestsTo(SEND);
		expect(sends.filter((request) => request.answer?.errcode === 42001).length).toBeLessThanOrEqual(1);
		expect(sends.slice(-2).map((request) => request.query.access_token)).toEqual([stored().accessToken, stored().accessToken]);
	});

	it('when the stored expiry of the run\'s copy passes, the store is read again before refreshing', async () => {
		await loop(1);
		expect(sandbox.gettokenCount()).toBe(1);
		// The stored expiry ends shortly; meanwhile another process stores a new token.
		const shortExpiry = Date.now() + 200;
		credentials.patch(credentialId, { tokenExpiresAt: shortExpiry });
		let newToken = '';
		between = async (call) => {
			if (call !== 1) return;
			newToken = await anotherProcessRefreshes();
			while (Date.now() <= shortExpiry) await new Promise((resolve) => setTimeout(resolve, 20));
		};
		const result = await loop(3);
		expect(result.error).toBeUndefined();
		expectEachDeliveredOnce(result.tag, 3);
		expect(sandbox.gettokenCount()).toBe(2);
		expect(credentials.updateCount('weComApi')).toBe(1);
		const sends = sandbox.requestsTo(SEND);
		expect(sends.map((request) => request.answer?.errcode)).toEqual([0, 0, 0, 0]);
		expect(sends.slice(-2).map((request) => request.query.access_token)).toEqual([newToken, newToken]);
	});
});

describe('credential tests (the "Test" button)', () => {
	it('WeCom API: passes with the sandbox app and stores the token it fetched', async () => {
		const result = await testCredential(credentials, 'weComApi', appCredential(sandbox.url));
		expect(result).toMatchObject({ status: 'OK' });
		expect(sandbox.gettokenCount()).toBeGreaterThanOrEqual(1);
		expect(credentials.get(result.credentialId)?.data.accessToken).toEqual(expect.any(String));
	});

	it.each([
		['40001: wrong secret', { corpSecret: 'not-the-secret' }, undefined, /40001.*app secret is wrong/],
		['40013: wrong corp ID', { corpId: 'wwnotacorp0000001' }, undefined, /40013.*corp ID is wrong/],
		['60020: IP not trusted', {}, 60020, /60020.*IP is not in the app's trusted IP list/],
	])('WeCom API: fails with WeCom\'s reason in English, %s', async (_label, changes, injected, reason) => {
		if (injected) sandbox.injectError(GETTOKEN, injected);
		const result = await testCredential(credentials, 'weComApi', appCredential(sandbox.url, changes));
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(reason);
		expect(result.message).not.toContain(SANDBOX_DEFAULTS.corpSecret);
		expect(result.message).not.toContain('not-the-secret');
		expect(credentials.get(result.credentialId)?.data.accessToken ?? '').toBe('');
	});

	it('WeCom API: fails clearly for an unreachable base URL', async () => {
		const result = await testCredential(credentials, 'weComApi', appCredential('http://127.0.0.1:1'));
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/^Could not reach WeCom to get an access token \(the connection was refused\)\. Check the API base URL/);
		expect(result.message).not.toContain(SANDBOX_DEFAULTS.corpSecret);
	});

	it('WeCom API: a gettoken busy answer (-1) is not mistaken for a wrong credential', async () => {
		sandbox.injectError(GETTOKEN, -1);
		const result = await testCredential(credentials, 'weComApi', appCredential(sandbox.url));
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/WeCom -1: WeCom is busy/);
	});

	it('Group robot: a valid key passes, 93000 fails, and a whole webhook URL is reduced to its key', async () => {
		const ok = await testCredential(credentials, 'weComWebhookApi', { webhookKey: SANDBOX_DEFAULTS.robotKey, baseUrl: sandbox.url });
		expect(ok.status).toBe('OK');

		const bad = await testCredential(credentials, 'weComWebhookApi', { webhookKey: 'deadbeef-0000-0000-0000-000000000000', baseUrl: sandbox.url });
		expect(bad.status).toBe('Error');
		expect(bad.message).toMatch(/93000.*webhook key is invalid/);

		const url = `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${SANDBOX_DEFAULTS.robotKey}`;
		const asUrl = await testCredential(credentials, 'weComWebhookApi', { webhookKey: url, baseUrl: sandbox.url });
		expect(asUrl.status).toBe('OK');
		const keys = sandbox.requestsTo(ROBOT_SEND).map((request) => request.query.key);
		expect(keys).toEqual([SANDBOX_DEFAULTS.robotKey, 'deadbeef-0000-0000-0000-000000000000', SANDBOX_DEFAULTS.robotKey]);
		// The test posts an empty body: nothing reaches the group.
		expect(sandbox.requestsTo(ROBOT_SEND).every((request) => request.answer?.errcode !== 0)).toBe(true);
	});

	it('Callback: a 43-character EncodingAESKey passes; a malformed key or token is refused without echoing it', async () => {
		const good = { token: SANDBOX_DEFAULTS.callbackToken, encodingAESKey: SANDBOX_DEFAULTS.encodingAESKey, receiveId: SANDBOX_DEFAULTS.corpId };
		expect(await testCredential(credentials, 'weComCallbackApi', good)).toMatchObject({ status: 'OK' });

		const shortKey = SANDBOX_DEFAULTS.encodingAESKey.slice(0, 42);
		const short = await testCredential(credentials, 'weComCallbackApi', { ...good, encodingAESKey: shortKey });
		expect(short.status).toBe('Error');
		expect(short.message).toMatch(/EncodingAESKey must be exactly the 43 characters/);
		expect(short.message).not.toContain(shortKey);

		const badChars = await testCredential(credentials, 'weComCallbackApi', { ...good, encodingAESKey: `${shortKey}!` });
		expect(badChars.status).toBe('Error');

		const badToken = await testCredential(credentials, 'weComCallbackApi', { ...good, token: 'has spaces and-dashes' });
		expect(badToken.status).toBe('Error');
		expect(badToken.message).toMatch(/Token must be 1 to 32 letters or digits/);
	});
});

describe('retries with backoff', () => {
	const maxRetries = () => getRetryPolicy().maxRetries;
	/** Rate limits (45009/45033) have the shared gate's budget; -1 the per-call one. */
	const budget = (errcode: number) => (errcode === -1 ? maxRetries() : getRetryPolicy().rateLimitRetries);

	it.each([45009, 45033, -1])('errcode %i: fewer failures than the retry budget still deliver, each retry recorded', async (errcode) => {
		sandbox.injectError(SEND, errcode, budget(errcode));
		const result = await sendMessages(1);
		expect(result.error).toBeUndefined();
		expectEachDeliveredOnce(result.tag, 1);
		expect(errcodesAnswered(SEND)).toEqual([...Array<number>(budget(errcode)).fill(errcode), 0]);
	});

	it('HTTP 5xx and dropped connections are retried', async () => {
		sandbox.injectHttpStatus(SEND, 502);
		sandbox.dropConnection(SEND);
		sandbox.injectHttpStatus(SEND, 503);
		const result = await sendMessages(1);
		expect(result.error).toBeUndefined();
		expectEachDeliveredOnce(result.tag, 1);
		expect(sandbox.requestsTo(SEND).map((request) => request.status)).toEqual([502, 0, 503, 200]);
	});

	it('45009 past the budget: the item fails naming 45009 and saying the retries ran out', async () => {
		sandbox.injectError(SEND, 45009, budget(45009) + 1);
		const result = await sendMessages(1);
		const error = result.error;
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toMatch(/^WeCom 45009: the API call frequency limit was reached/);
		expect(error?.description).toContain(`Gave up after ${budget(45009) + 1} attempts`);
		expect(sandbox.requestsTo(SEND)).toHaveLength(budget(45009) + 1);
		expect(sandbox.messages()).toHaveLength(0);
	});

	it("45009 past the budget with continueOnFail: every item becomes an error item (the run's budget is spent), the next run probes again", async () => {
		sandbox.injectError(SEND, 45009, budget(45009) + 1);
		// A longest pause well above the engine's time per item, so items 1 and 2 meet the gate while it is closed.
		setRetryPolicy({ maxDelayMs: 300 });
		const result = await sendMessages(3, { continueOnFail: true, concurrency: 1 }).finally(() => setRetryPolicy({ maxDelayMs: 20 }));
		expect(result.error).toBeUndefined();
		const output = result.output('WeCom');
		expect(output).toHaveLength(3);
		expect(output[0].json).toMatchObject({ errcode: 45009, error: expect.stringContaining('45009') });
		expect(String(output[0].json.description)).toContain('Gave up after');
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		// The budget is the run's (the gate's): once it is spent, the items after do not queue behind the limit.
		expect(output.slice(1).map((item) => item.json.errcode)).toEqual([45009, 45009]);
		expect(sandbox.requestsTo(SEND)).toHaveLength(budget(45009) + 1);
		expect(delivered(result.tag)).toEqual([]);
		// After the gate's longest pause it probes again, and the next run goes through.
		await new Promise((resolve) => setTimeout(resolve, 300 + 5));
		const next = await sendMessages(2, { continueOnFail: true });
		expect(next.output('WeCom').map((item) => typeof item.json.msgid)).toEqual(['string', 'string']);
	});

	it('a network failure past the budget ends in a clear error without the URL', async () => {
		sandbox.dropConnection(SEND, maxRetries() + 1);
		const result = await sendMessages(1);
		expect(result.error?.message).toMatch(/^Could not reach WeCom \(message\/send\): .*ECONNRESET/);
		expect(result.error?.description).toMatch(/Check the API base URL/);
		expect(sandbox.requestsTo(SEND)).toHaveLength(maxRetries() + 1);
	});

	it.each([
		[40003, /WeCom 40003: a user ID is invalid/],
		[60020, /WeCom 60020: this server's IP is not in the app's trusted IP list/],
		[48002, /WeCom 48002/],
		[81013, /WeCom 81013/],
	])('errcode %i cannot be fixed by repeating: exactly one attempt', async (errcode, message) => {
		sandbox.injectError(SEND, errcode, 5);
		const result = await sendMessages(1);
		expect(result.error?.message).toMatch(message);
		expect(sandbox.requestsTo(SEND)).toHaveLength(1);
	});

	it('gettoken failing transiently (-1, dropped connection, HTTP 502) is retried too', async () => {
		sandbox.injectError(GETTOKEN, -1);
		sandbox.dropConnection(GETTOKEN);
		sandbox.injectHttpStatus(GETTOKEN, 502);
		expect(maxRetries()).toBeGreaterThanOrEqual(3);
		const result = await sendMessages(2);
		expect(result.error).toBeUndefined();
		expectEachDeliveredOnce(result.tag, 2);
		expect(sandbox.requestsTo(GETTOKEN).map((request) => request.answer?.errcode ?? `HTTP ${request.status}`)).toEqual([-1, 'HTTP 0', 'HTTP 502', 0]);
		expect(credentials.updateCount('weComApi')).toBe(1);
	});

	it('gettoken busy past the budget: a clear error naming -1', async () => {
		sandbox.injectError(GETTOKEN, -1, maxRetries() + 1);
		const result = await sendMessages(1);
		expect(result.error?.message).toBe('Could not get a WeCom access token: WeCom -1: WeCom is busy (系统繁忙)');
		expect(sandbox.gettokenCount()).toBe(maxRetries() + 1);
		expect(sandbox.requestsTo(SEND)).toHaveLength(0);
	});

	it('a gettoken refusal (60020) is not retried either', async () => {
		sandbox.injectError(GETTOKEN, 60020, 5);
		const result = await sendMessages(1);
		expect(result.error?.message).toMatch(/Could not get a WeCom access token: WeCom 60020/);
		expect(sandbox.gettokenCount()).toBe(1);
		expect(sandbox.requestsTo(SEND)).toHaveLength(0);
	});
});

describe('redaction: nothing a run leaves holds the token, the secret or the EncodingAESKey', () => {
	/** Everything reachable from a value, with errors expanded to all their own properties (stack, cause, context …). */
	function dump(value: unknown): string {
		const seen = new WeakSet<object>();
		return JSON.stringify(value, function replacer(_key, current: unknown) {
			if (typeof current === 'bigint') return String(current);
			if (typeof current !== 'object' || current === null) return current;
			if (seen.has(current)) return '[seen]';
			seen.add(current);
			if (current instanceof Error) {
				const expanded: Record<string, unknown> = { name: current.name, message: current.message, stack: current.stack };
				for (const name of Object.getOwnPropertyNames(current)) expanded[name] = (current as unknown as Record<string, unknown>)[name];
				if ('toJSON' in current && typeof current.toJSON === 'function') expanded.toJSON = (current.toJSON as () => unknown).call(current);
				return expanded;
			}
			return current;
		});
	}

	/** Where a secret shows up, as short excerpts with the secret masked (so a failure does not print it whole). */
	function leaks(text: string, secrets: Array<[string, string]>): string[] {
		const found: string[] = [];
		for (const [kind, secret] of secrets) {
			for (let at = text.indexOf(secret); at !== -1; at = text.indexOf(secret, at + secret.length)) {
				found.push(`${kind}: …${text.slice(Math.max(0, at - 120), at)}<${kind}>${text.slice(at + secret.length, at + secret.length + 40)}…`);
			}
		}
		return found;
	}

	const logLines: string[] = [];
	const tokens = new Set<string>();
	/** Every token the sandbox issued or saw so far (call before each reset, which forgets them). */
	const collectTokens = (): string[] => {
		for (const request of sandbox.requests) {
			if (request.query.access_token) tokens.add(request.query.access_token);
			const issued = request.answer?.access_token;
			if (typeof issued === 'string') tokens.add(issued);
		}
		return [...tokens];
	};
	const resetSandbox = () => {
		collectTokens();
		sandbox.reset();
	};

	beforeAll(() => {
		setupEngine();
		const logger = Container.get(Logger);
		for (const level of ['error', 'warn', 'info', 'debug'] as const) {
			const original = logger[level].bind(logger);
			jest.spyOn(logger, level).mockImplementation((...args: Parameters<Logger['error']>) => {
				logLines.push(dump({ level, args }));
				original(...args);
			});
		}
	});
	afterAll(() => {
		jest.restoreAllMocks();
	});

	it('failing and succeeding runs, error items, credential tests and logs', async () => {
		reportedErrors.length = 0;
		logLines.length = 0;
		const evidence: unknown[] = [];
		const keep = (result: WorkflowRunResult) => evidence.push(result.run, result.error, result.nodeError('WeCom'), result.output('WeCom'));

		// Success, a 42001 storm across concurrent runs, 40014, exhausted 45009 with and without continueOnFail,
		// exhausted network failures and 5xx, errmsgs that carry the token, a wrong secret and an unreachable proxy.
		keep(await sendMessages(5));
		sandbox.expireTokens();
		for (const result of await runMany([1, 2, 3, 4].map(() => sendRun(5).options))) keep(result);
		sandbox.invalidateTokens();
		keep(await sendMessages(2));
		sandbox.injectError(SEND, 45009, 20);
		keep(await sendMessages(1));
		keep(await sendMessages(3, { continueOnFail: true }));
		resetSandbox();
		sandbox.dropConnection(SEND, 20);
		keep(await sendMessages(2, { continueOnFail: true }));
		resetSandbox();
		sandbox.injectHttpStatus(SEND, 502, 20);
		keep(await sendMessages(1));
		resetSandbox();
		keep(await sendMessages(1));
		const liveToken = String(stored().accessToken);
		sandbox.injectError(SEND, 40058, 1, `invalid parameter near access_token=${liveToken}, hint: [x], from ip: 127.0.0.1`);
		keep(await sendMessages(1, { continueOnFail: true }));
		sandbox.injectError(SEND, 40003, 1, `userid not found for token ${liveToken}`);
		keep(await sendMessages(1));
		sandbox.injectError(SEND, 42001, 2);
		keep(await sendMessages(1, { continueOnFail: true }));

		const wrongStore = new CredentialStore();
		const wrongId = wrongStore.add('weComApi', appCredential(sandbox.url, { corpSecret: `${SANDBOX_DEFAULTS.corpSecret}-old` }));
		keep(await sendMessages(2, { store: wrongStore, id: wrongId, continueOnFail: true }));
		keep(await sendMessages(1, { store: wrongStore, id: wrongId }));
		const offStore = new CredentialStore();
		const offId = offStore.add('weComApi', appCredential('http://127.0.0.1:1'));
		keep(await sendMessages(1, { store: offStore, id: offId }));
		evidence.push(await testCredential(credentials, 'weComApi', appCredential(sandbox.url, { corpSecret: `${SANDBOX_DEFAULTS.corpSecret}-old` })));
		evidence.push(await testCredential(credentials, 'weComApi', appCredential('http://127.0.0.1:1')));
		evidence.push(
			await testCredential(credentials, 'weComCallbackApi', { token: 'abc', encodingAESKey: `${SANDBOX_DEFAULTS.encodingAESKey}x`, receiveId: '' }),
		);

		const text = [dump(evidence), dump(reportedErrors), ...logLines].join('\n');
		// The runs did fail in the ways intended (so the search below looks at real error objects).
		expect(text).toContain('WeCom 45009');
		expect(text).toContain('WeCom 40001');
		expect(text).toContain('WeCom 40058');
		expect(text).toContain('Could not reach WeCom');
		const allTokens = collectTokens();
		expect(allTokens.length).toBeGreaterThanOrEqual(3);
		const secrets: Array<[string, string]> = [
			...allTokens.map((token): [string, string] => ['access token', token]),
			['corp secret', SANDBOX_DEFAULTS.corpSecret],
			['EncodingAESKey', SANDBOX_DEFAULTS.encodingAESKey],
		];
		expect(leaks(text, secrets)).toEqual([]);
	});

	it('WeCom Trigger: rejected callbacks, a broken credential and their log lines hold neither the Token nor the key', async () => {
		logLines.length = 0;
		const answers: unknown[] = [];
		const setup = await startTrigger();
		// A credential whose key is off by one character: the key it holds must not be echoed either.
		const nearKey = `${AES_KEY.slice(0, 42)}!`;
		const broken = await startTrigger({}, { token: TOKEN, encodingAESKey: nearKey, receiveId: CORP_ID });
		try {
			const xml = innerXml({ ToUserName: CORP_ID, FromUserName: 'zhangsan', CreateTime: 1_700_000_000, MsgType: 'text', Content: 'x', MsgId: '1' });
			const valid = officialCallback(xml);
			const post = async (url: string, query: Record<string, string> | string, body: string) =>
				answers.push(await send('POST', url, typeof query === 'string' ? query : queryString(query), body));
			await post(setup.url, { ...valid.query, msg_signature: '0'.repeat(40) }, valid.body);
			const tampered = valid.encrypted.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
			await post(setup.url, { ...valid.query, msg_signature: sign(valid.query.timestamp, valid.query.nonce, tampered) }, valid.body.replace(valid.encrypted, tampered));
			const otherKey = officialCallback(xml, { encodingAESKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG' });
			await post(setup.url, otherKey.query, otherKey.body);
			const otherCorp = officialCallback(xml, { receiveId: 'wwsomeoneelse0001' });
			await post(setup.url, otherCorp.query, otherCorp.body);
			await post(setup.url, valid.query, valid.body.replace('</xml>', ''));
			await post(setup.url, '', valid.body);
			await post(broken.url, valid.query, valid.body);
			answers.push(await send('GET', setup.url, `${queryString(valid.query)}&echostr=${encodeURIComponent(tampered)}`));
		} finally {
			await setup.server.close();
			await broken.server.close();
		}
		const statuses = answers.map((answer) => (answer as { status: number }).status);
		expect(statuses.every((status) => status >= 400)).toBe(true);
		expect(logLines.some((line) => line.includes('WeCom Trigger rejected'))).toBe(true);
		expect(logLines.some((line) => line.includes('callback credential is unusable'))).toBe(true);
		const text = [dump(answers), dump(setup.server.errors), dump(broken.server.errors), ...logLines].join('\n');
		expect(
			leaks(text, [
				['EncodingAESKey', AES_KEY],
				['near-miss EncodingAESKey', nearKey],
				['callback Token', TOKEN],
			]),
		).toEqual([]);
	});
});
