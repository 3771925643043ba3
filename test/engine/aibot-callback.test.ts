/**
 * The WeCom AI Bot Trigger in callback mode behind the harness's webhook server (n8n's webhook path), with the
 * sandbox playing WeCom: encrypted JSON callbacks signed for the empty receive ID, refresh callbacks until the
 * stream finishes, event replies held for the workflow, response_url, encrypted media.
 */
import { encrypt as officialEncrypt, getSignature } from '@wecom/crypto';
import type { IDataObject } from 'n8n-workflow';

import { CredentialStore } from '../harness';
import type { WorkflowDefinition, WorkflowNode } from '../harness/runWorkflow';
import { startWebhookServer, type WebhookServer } from '../harness/webhookServer';
import { AIBOT_DEFAULTS } from '../sandbox/aibot';
import { startSandbox, type WeComSandbox } from '../sandbox';
import { send, queryString } from './triggerKit';

const TRIGGER = 'WeCom AI Bot Trigger';
const PATH = 'aibot-test';

async function until<T>(probe: () => T | undefined | false, what: string, ms = 10000): Promise<T> {
	for (let waited = 0; waited < ms; waited += 25) {
		const value = probe();
		if (value !== undefined && value !== false) return value;
		await new Promise((resolve) => setTimeout(resolve, 25));
	}
	throw new Error(`timed out waiting for ${what}`);
}

describe('WeCom AI Bot Trigger in callback mode', () => {
	let sandbox: WeComSandbox;
	let credentials: CredentialStore;
	let credentialId: string;
	let server: WebhookServer | undefined;

	beforeAll(async () => {
		sandbox = await startSandbox();
	});
	afterAll(async () => {
		await sandbox.close();
	});
	beforeEach(() => {
		credentials = new CredentialStore();
		credentialId = credentials.add('weComAiBotCallbackApi', { token: AIBOT_DEFAULTS.token, encodingAESKey: AIBOT_DEFAULTS.encodingAESKey });
		sandbox.aibot.refreshIntervalMs = 100;
	});
	afterEach(async () => {
		await server?.close();
		server = undefined;
		sandbox.aibot.reset();
	});

	function triggerNode(parameters: IDataObject = {}): WorkflowNode {
		return {
			id: 'trigger',
			name: TRIGGER,
			type: 'n8n-nodes-wecom-kit.weComAiBotTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: { mode: 'callback', path: PATH, ...parameters },
			credentials: { weComAiBotCallbackApi: { id: credentialId, name: 'bot callback' } },
		};
	}

	function workflow(next?: IDataObject, trigger: WorkflowNode = triggerNode()): WorkflowDefinition {
		if (!next) return { nodes: [trigger], connections: {} };
		const node: WorkflowNode = { id: 'next', name: 'Next', type: 'n8n-nodes-wecom-kit.weCom', typeVersion: 1, position: [300, 0], parameters: { resource: 'aiBot', ...next } };
		return { nodes: [trigger, node], connections: { [TRIGGER]: { main: [[{ node: 'Next', type: 'main', index: 0 }]] } } };
	}

	async function serve(definition: WorkflowDefinition): Promise<string> {
		server = await startWebhookServer({ workflow: definition, credentials });
		return server.url(PATH);
	}

	test('URL verification answers the plaintext echostr; a wrong signature gets 401', async () => {
		const url = await serve(workflow());
		const verified = await sandbox.aibot.verifyUrl(url);
		expect(verified).toMatchObject({ ok: true, status: 200 });
		const echostr = officialEncrypt(AIBOT_DEFAULTS.encodingAESKey, 'secret-echo', '');
		const signature = getSignature(AIBOT_DEFAULTS.token, '1700000000', '7', echostr);
		const wrong = await send('GET', url, queryString({ msg_signature: signature.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')), timestamp: '1700000000', nonce: '7', echostr }));
		expect(wrong.status).toBe(401);
		expect(wrong.body).not.toContain('secret-echo');
		// Encrypted for a corp ID instead of the robot's empty receive ID: refused.
		const forCorp = officialEncrypt(AIBOT_DEFAULTS.encodingAESKey, 'x', 'wwcorp');
		const refused = await send('GET', url, queryString({ msg_signature: getSignature(AIBOT_DEFAULTS.token, '1', '2', forCorp), timestamp: '1', nonce: '2', echostr: forCorp }));
		expect(refused.status).toBe(403);
		expect(server?.executions).toHaveLength(0);
	});

	test('a message: thinking stream in the HTTP answer, then refresh callbacks get the answer until finish', async () => {
		const url = await serve(workflow({ operation: 'reply', content: '=Answer: {{ $json.text.toUpperCase() }}', options: { steps: 2 } }));
		const result = await sandbox.aibot.callbackMessage(url, AIBOT_DEFAULTS.botId, { content: 'hello bot' });
		expect(result.status).toBe(200);
		expect(result.reply).toMatchObject({ msgtype: 'stream', stream: { finish: false, content: '正在思考…' } });
		const streamId = String((result.reply?.stream as IDataObject).id);
		const stream = await until(() => sandbox.aibot.streams.get(streamId)?.finished && sandbox.aibot.streams.get(streamId), 'the finished stream');
		expect(stream.frames[0]).toMatchObject({ content: '正在思考…', via: 'callback' });
		expect(stream.frames.at(-1)).toMatchObject({ content: 'Answer: HELLO BOT', finish: true, via: 'refresh' });
		const [run] = await server!.waitForExecutions(1);
		expect(run.error).toBeUndefined();
		expect(run.output('Next')[0].json).toMatchObject({ delivered: 'stream', via: 'callback' });
		expect(sandbox.aibot.problems).toEqual([]);
	});

	test('Ask for Feedback: the thinking stream in the HTTP answer carries the msgid as feedback.id, the refreshes none', async () => {
		const trigger = triggerNode({ options: { feedback: true } });
		const url = await serve(workflow({ operation: 'reply', content: '=Rated: {{ $json.text }}', options: { steps: 2, feedbackId: 'ignored-here' } }, trigger));
		const result = await sandbox.aibot.callbackMessage(url, AIBOT_DEFAULTS.botId, { content: 'rate me' });
		expect(result.reply).toMatchObject({ msgtype: 'stream', stream: { content: '正在思考…', feedback: { id: result.msgid } } });
		const streamId = String((result.reply?.stream as IDataObject).id);
		const stream = await until(() => sandbox.aibot.streams.get(streamId)?.finished && sandbox.aibot.streams.get(streamId), 'the finished stream');
		expect(stream.frames.at(-1)).toMatchObject({ content: 'Rated: rate me', finish: true, via: 'refresh' });
		const [run] = await server!.waitForExecutions(1);
		expect(run.output(TRIGGER)[0].json.replyTo).toMatchObject({ feedbackId: result.msgid });
		// the sandbox reports a feedback.id on any later frame (WeCom ignores it there)
		expect(sandbox.aibot.problems).toEqual([]);
	});

	test('a card click: the held answer carries Update Template Card; enter_chat gets the welcome; feedback an empty answer', async () => {
		const update = { operation: 'updateTemplateCard', card: JSON.stringify({ card_type: 'text_notice', main_title: { title: 'Done' }, card_action: { type: 1, url: 'https://example.com/done' } }) };
		let url = await serve(workflow(update, triggerNode({ events: ['event.template_card_event'] })));
		const click = await sandbox.aibot.callbackEvent(url, AIBOT_DEFAULTS.botId, 'template_card_event', { card_type: 'text_notice', event_key: 'ok', task_id: 'task-9' });
		expect(click).toMatchObject({ status: 200, errcode: 0, reply: { response_type: 'update_template_card', template_card: { task_id: 'task-9' } } });
		await server?.close();

		url = await serve(workflow({ operation: 'welcomeMessage', welcomeType: 'text', content: '欢迎' }, triggerNode({ events: ['event.enter_chat'] })));
		const entered = await sandbox.aibot.callbackEvent(url, AIBOT_DEFAULTS.botId, 'enter_chat');
		expect(entered).toMatchObject({ status: 200, errcode: 0, reply: { msgtype: 'text', text: { content: '欢迎' } } });
		const feedback = await sandbox.aibot.callbackEvent(url, AIBOT_DEFAULTS.botId, 'feedback_event', { id: 'fb', type: 2 });
		expect(feedback).toMatchObject({ status: 200, reply: undefined });
		expect(sandbox.aibot.problems).toEqual([]);
	});

	test('a file message: decrypted with the EncodingAESKey into binary data', async () => {
		const url = await serve(workflow());
		const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('png-body')]);
		const media = sandbox.aibot.addMedia(png, 'chart.png', 'callback');
		await sandbox.aibot.callbackMessage(url, AIBOT_DEFAULTS.botId, { msgtype: 'image', image: { url: media.url } });
		const [run] = await server!.waitForExecutions(1);
		const item = run.output(TRIGGER)[0];
		expect(item.binary?.attachment_0).toMatchObject({ fileName: 'chart.png', mimeType: 'image/png' });
		expect(Buffer.from(item.binary?.attachment_0.data ?? '', 'base64')).toEqual(png);
	});

	test('when this process holds no stream, Reply falls back to the response_url (once), or fails clearly', async () => {
		const url = await serve(workflow({ operation: 'reply', content: 'via response_url' }, triggerNode({ options: { stream: false } })));
		await sandbox.aibot.callbackMessage(url, AIBOT_DEFAULTS.botId, { content: 'hi' });
		const [run] = await server!.waitForExecutions(1);
		expect(run.output('Next')[0].json).toMatchObject({ delivered: 'responseUrl' });
		expect(sandbox.aibot.responses).toEqual([expect.objectContaining({ errcode: 0, body: { msgtype: 'markdown', markdown: { content: 'via response_url' } } })]);
		await server?.close();

		const failing = await serve(workflow({ operation: 'reply', content: 'lost?', options: { fallback: false } }, triggerNode({ options: { stream: false } })));
		await sandbox.aibot.callbackMessage(failing, AIBOT_DEFAULTS.botId, { content: 'hi' });
		const [failed] = await server!.waitForExecutions(1);
		expect(failed.nodeError('Next')?.message).toMatch(/could not be streamed: the trigger opened no stream/);
	});

	test('Active Reply posts once; the second use of a response_url is refused', async () => {
		const url = await serve(workflow({ operation: 'activeReply', replyType: 'markdown', content: 'later answer' }));
		await sandbox.aibot.callbackMessage(url, AIBOT_DEFAULTS.botId, { content: 'hi' });
		const [run] = await server!.waitForExecutions(1);
		expect(run.error).toBeUndefined();
		expect(sandbox.aibot.responses).toHaveLength(1);
		const used = sandbox.aibot.activeReply({ response_code: new URL(String((run.output(TRIGGER)[0].json.replyTo as IDataObject).responseUrl)).searchParams.get('response_code') ?? '' }, { msgtype: 'markdown', markdown: { content: 'again' } });
		expect(used).toMatchObject({ errcode: 40094 });
	});

	test('tampered envelopes and bodies start nothing', async () => {
		const url = await serve(workflow());
		const body = JSON.stringify({ msgid: 'm1', aibotid: AIBOT_DEFAULTS.botId, chattype: 'single', from: { userid: 'u' }, msgtype: 'text', text: { content: 'x' } });
		const encrypted = officialEncrypt(AIBOT_DEFAULTS.encodingAESKey, body, '');
		const query = { msg_signature: getSignature(AIBOT_DEFAULTS.token, '1', '2', encrypted), timestamp: '1', nonce: '2' };
		expect((await send('POST', url, queryString(query), 'not json', 'application/json')).status).toBe(400);
		expect((await send('POST', url, queryString(query), JSON.stringify({ Encrypt: encrypted }), 'application/json')).status).toBe(400);
		expect((await send('POST', url, queryString({ ...query, nonce: '3' }), JSON.stringify({ encrypt: encrypted }), 'application/json')).status).toBe(401);
		const good = await send('POST', url, queryString(query), JSON.stringify({ encrypt: encrypted }), 'application/json');
		expect(good.status).toBe(200);
		await server!.waitForExecutions(1);
		expect(server?.executions).toHaveLength(1);
	});
});
