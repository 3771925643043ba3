/**
 * The WeCom AI Bot Trigger in long-connection mode, activated through n8n-core's real TriggerContext, with the
 * WeCom node's AI Bot operations downstream, against the sandbox's WebSocket server. Node 20 has no global
 * WebSocket, so the test injects the `ws` client (n8n 2.x on Node 24 uses the global one).
 */
import type { IDataObject } from 'n8n-workflow';

import { activateTrigger, CredentialStore, type ActiveTrigger } from '../harness';
import type { WorkflowDefinition, WorkflowNode } from '../harness/runWorkflow';
import { AIBOT_DEFAULTS } from '../sandbox/aibot';
import { startSandbox, type WeComSandbox } from '../sandbox';
import { AiBotConnection, knownConnection, setSocketConstructor, stopAllConnections, type SocketConstructor } from '../../nodes/shared/aibot/connection';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const WsClient = require('ws') as SocketConstructor;

const TRIGGER = 'WeCom AI Bot Trigger';

async function until<T>(probe: () => T | undefined | false, what: string, ms = 8000): Promise<T> {
	for (let waited = 0; waited < ms; waited += 20) {
		const value = probe();
		if (value !== undefined && value !== false) return value;
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
	throw new Error(`timed out waiting for ${what}`);
}

describe('WeCom AI Bot Trigger over the long connection', () => {
	let sandbox: WeComSandbox;
	let credentials: CredentialStore;
	let credentialId: string;
	let active: ActiveTrigger | undefined;

	beforeAll(async () => {
		setSocketConstructor(WsClient);
		sandbox = await startSandbox();
	});
	afterAll(async () => {
		stopAllConnections();
		setSocketConstructor(undefined);
		await sandbox.close();
	});
	beforeEach(() => {
		credentials = new CredentialStore();
		credentialId = credentials.add('weComAiBotApi', { botId: AIBOT_DEFAULTS.botId, secret: AIBOT_DEFAULTS.secret, url: `ws://127.0.0.1:${sandbox.port}` });
	});
	afterEach(async () => {
		await active?.close();
		active = undefined;
		stopAllConnections();
		sandbox.aibot.reset();
	});

	function triggerNode(parameters: IDataObject = {}): WorkflowNode {
		return {
			id: 'trigger',
			name: TRIGGER,
			type: 'n8n-nodes-wecom-kit.weComAiBotTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: { mode: 'longConnection', ...parameters },
			credentials: { weComAiBotApi: { id: credentialId, name: 'bot' } },
		};
	}

	function weComNode(name: string, parameters: IDataObject, withCredential = false): WorkflowNode {
		return {
			id: name,
			name,
			type: 'n8n-nodes-wecom-kit.weCom',
			typeVersion: 1,
			position: [300, 0],
			parameters: { resource: 'aiBot', ...parameters },
			...(withCredential ? { credentials: { weComAiBotApi: { id: credentialId, name: 'bot' } } } : {}),
		};
	}

	function chain(trigger: WorkflowNode, next?: WorkflowNode): WorkflowDefinition {
		return {
			nodes: next ? [trigger, next] : [trigger],
			connections: next ? { [trigger.name]: { main: [[{ node: next.name, type: 'main', index: 0 }]] } } : {},
		};
	}

	async function activate(workflow: WorkflowDefinition): Promise<ActiveTrigger> {
		active = await activateTrigger({ workflow, credentials, triggerNode: TRIGGER });
		return active;
	}

	test('a text message: thinking frame at once, then the answer streamed in order on the same stream', async () => {
		const trigger = await activate(chain(triggerNode(), weComNode('Reply', { operation: 'reply', content: '=**Answer** to: {{ $json.text }}', options: { steps: 3 } })));
		expect(sandbox.aibot.subscriptions.get(AIBOT_DEFAULTS.botId)).toBe(1);
		const pushed = sandbox.aibot.pushMessage(AIBOT_DEFAULTS.botId, { content: 'what is n8n?' });
		const [run] = await trigger.waitForExecutions(1);
		expect(run.error).toBeUndefined();
		const item = run.output(TRIGGER)[0].json;
		expect(item).toMatchObject({ kind: 'message', type: 'text', msgId: pushed.msgid, text: 'what is n8n?', chatType: 'single', chatId: 'zhangsan', userId: 'zhangsan' });
		expect(item.replyTo).toMatchObject({ mode: 'longConnection', reqId: pushed.reqId, botId: AIBOT_DEFAULTS.botId });
		const stream = sandbox.aibot.streamList()[0];
		const contents = stream.frames.map((frame) => frame.content);
		expect(contents[0]).toBe('正在思考…');
		expect(contents.at(-1)).toBe('**Answer** to: what is n8n?');
		expect(contents).toHaveLength(4);
		for (let index = 2; index < contents.length; index++) expect(contents[index].startsWith(contents[index - 1])).toBe(true);
		expect(stream.frames.map((frame) => frame.finish)).toEqual([false, false, false, true]);
		expect(stream.finished).toBe(true);
		expect(run.output('Reply')[0].json).toMatchObject({ delivered: 'stream', via: 'longConnection', frames: 3 });
		expect(sandbox.aibot.problems).toEqual([]);
	});

	test('group messages lose the @mention; files arrive decrypted as binary data', async () => {
		const trigger = await activate(chain(triggerNode()));
		sandbox.aibot.pushMessage(AIBOT_DEFAULTS.botId, { chattype: 'group', content: '@助手\u2005请总结' });
		const pdf = Buffer.from('%PDF-1.4 quarterly report body');
		const media = sandbox.aibot.addMedia(pdf, '季度报告.pdf', 'ws');
		sandbox.aibot.pushMessage(AIBOT_DEFAULTS.botId, { msgtype: 'file', file: media });
		const runs = await trigger.waitForExecutions(2);
		const items = runs.map((run) => run.output(TRIGGER)[0]);
		const group = items.find((item) => item.json.type === 'text');
		const file = items.find((item) => item.json.type === 'file');
		expect(group?.json).toMatchObject({ text: '请总结', rawText: '@助手\u2005请总结', chatType: 'group', chatId: 'wrsandboxgroup01' });
		expect(file?.binary?.attachment_0).toMatchObject({ fileName: '季度报告.pdf', mimeType: 'application/pdf' });
		expect(Buffer.from(file?.binary?.attachment_0.data ?? '', 'base64')).toEqual(pdf);
		expect((file?.json.attachments as IDataObject[])[0]).toMatchObject({ type: 'file', binaryProperty: 'attachment_0', size: pdf.length });
		expect(JSON.stringify(file?.json)).not.toContain(String(media.aeskey));
	});

	test('filters by message type and chat type; a redelivered msgid starts nothing', async () => {
		const trigger = await activate(chain(triggerNode({ events: ['message.text'], chatTypes: ['single'] })));
		sandbox.aibot.pushMessage(AIBOT_DEFAULTS.botId, { chattype: 'group', content: '@bot hi' });
		sandbox.aibot.pushEvent(AIBOT_DEFAULTS.botId, 'enter_chat');
		const first = sandbox.aibot.pushMessage(AIBOT_DEFAULTS.botId, { content: 'once', msgid: 'msg-fixed-1' });
		sandbox.aibot.redeliver(AIBOT_DEFAULTS.botId, { cmd: 'aibot_msg_callback', reqId: first.reqId, body: sandbox.aibot.messageBody(AIBOT_DEFAULTS.botId, { content: 'once', msgid: 'msg-fixed-1' }) });
		const marker = sandbox.aibot.pushMessage(AIBOT_DEFAULTS.botId, { content: 'marker' });
		const runs = await trigger.waitForExecutions(2);
		await new Promise((resolve) => setTimeout(resolve, 200));
		expect(trigger.executions.map((run) => run.output(TRIGGER)[0].json.text)).toEqual(['once', 'marker']);
		expect(runs[1].output(TRIGGER)[0].json.msgId).toBe(marker.msgid);
	});

	test('survives a dropped connection: reconnects, and the next message is answered once', async () => {
		const trigger = await activate(chain(triggerNode(), weComNode('Reply', { operation: 'reply', content: '=pong {{ $json.text }}' })));
		expect(sandbox.aibot.drop(AIBOT_DEFAULTS.botId)).toBe(true);
		await until(() => sandbox.aibot.subscriptions.get(AIBOT_DEFAULTS.botId) === 2, 'the reconnect');
		sandbox.aibot.pushMessage(AIBOT_DEFAULTS.botId, { content: 'after drop' });
		const [run] = await trigger.waitForExecutions(1);
		expect(run.error).toBeUndefined();
		expect(sandbox.aibot.streamList()[0].frames.at(-1)).toMatchObject({ content: 'pong after drop', finish: true });
		expect(trigger.executions).toHaveLength(1);
	});

	test('a drop under the answer: the lost frame goes out again after the reconnect; the redelivered message starts nothing', async () => {
		const bot = AIBOT_DEFAULTS.botId;
		const trigger = await activate(chain(triggerNode(), weComNode('Reply', { operation: 'reply', content: '=Answer: {{ $json.text }}', options: { steps: 3 } })));
		// frames of this message: 1 thinking, 2 first step, 3 second step (swallowed by the failing network, never acknowledged)
		sandbox.aibot.dropOnFrame = { cmd: 'aibot_respond_msg', nth: 3 };
		const pushed = sandbox.aibot.pushMessage(bot, { content: 'dropped mid-answer' });
		await until(() => sandbox.aibot.subscriptions.get(bot) === 2, 'the reconnect');
		sandbox.aibot.redeliver(bot, { reqId: pushed.reqId });
		const [run] = await trigger.waitForExecutions(1);
		expect(run.error).toBeUndefined();
		expect(run.output('Reply')[0].json).toMatchObject({ delivered: 'stream', via: 'longConnection', frames: 3, resent: 1 });
		const [stream] = sandbox.aibot.streamList();
		const answer = 'Answer: dropped mid-answer';
		const third = Math.ceil(answer.length / 3);
		expect(stream.frames.map((frame) => frame.content)).toEqual(['正在思考…', answer.slice(0, third), answer.slice(0, 2 * third), answer]);
		expect(stream.frames.filter((frame) => frame.finish)).toHaveLength(1);
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(trigger.executions).toHaveLength(1);
		expect(sandbox.aibot.problems).toEqual([]);
	});

	test('Ask for Feedback: the thinking frame carries the msgid as feedback.id, and the rating comes back with it', async () => {
		const bot = AIBOT_DEFAULTS.botId;
		const trigger = await activate(chain(triggerNode({ options: { feedback: true } })));
		const pushed = sandbox.aibot.pushMessage(bot, { content: 'rate me' });
		const [run] = await trigger.waitForExecutions(1);
		expect(run.output(TRIGGER)[0].json.replyTo).toMatchObject({ feedbackId: pushed.msgid });
		const thinking = await until(() => sandbox.aibot.frames.find((frame) => frame.cmd === 'aibot_respond_msg'), 'the thinking frame');
		expect(thinking.body).toMatchObject({ msgtype: 'stream', stream: { content: '正在思考…', finish: false, feedback: { id: pushed.msgid } } });
		sandbox.aibot.pushEvent(bot, 'feedback_event', { id: pushed.msgid, type: 2, content: '不够详细', inaccurate_reason_list: [2, 4] });
		const runs = await trigger.waitForExecutions(2);
		expect(runs[1].output(TRIGGER)[0].json.feedback).toMatchObject({ id: pushed.msgid, type: 2, meaning: 'inaccurate', content: '不够详细' });
		expect(sandbox.aibot.problems).toEqual([]);
	});

	test('a server that never answers the subscription: the socket is closed and opened again', async () => {
		const lines: string[] = [];
		const log = (line: string) => lines.push(line);
		sandbox.aibot.silentSubscriptions = 1;
		const connection = new AiBotConnection(
			{ botId: AIBOT_DEFAULTS.botId, secret: AIBOT_DEFAULTS.secret, url: `ws://127.0.0.1:${sandbox.port}`, subscribeTimeoutMs: 300 },
			{ info: log, warn: log, error: log, debug: () => undefined },
		);
		connection.start();
		try {
			expect(await connection.ready(5000)).toBe('subscribed');
			expect(sandbox.aibot.subscriptions.get(AIBOT_DEFAULTS.botId)).toBe(1);
			expect(lines.join('\n')).toMatch(/no answer to the subscription within 0.3 s; reconnecting[\s\S]*reconnecting in 1000 ms[\s\S]*: subscribed$/);
			expect(lines.join('\n')).not.toContain(AIBOT_DEFAULTS.secret);
		} finally {
			connection.stop();
		}
	});

	test('stops on disconnected_event (another connection took over) and does not reconnect', async () => {
		await activate(chain(triggerNode()));
		expect(sandbox.aibot.kick(AIBOT_DEFAULTS.botId)).toBe(true);
		await until(() => knownConnection(AIBOT_DEFAULTS.botId)?.state === 'replaced', 'the replaced state');
		await new Promise((resolve) => setTimeout(resolve, 1500));
		expect(sandbox.aibot.subscriptions.get(AIBOT_DEFAULTS.botId)).toBe(1);
		expect(sandbox.aibot.liveConnections()[AIBOT_DEFAULTS.botId]).toBeUndefined();
	});

	test('deactivation closes the connection; two triggers of one bot share one connection', async () => {
		const first = await activateTrigger({ workflow: chain(triggerNode()), credentials, triggerNode: TRIGGER });
		const second = await activateTrigger({ workflow: { ...chain(triggerNode()), id: 'other-workflow' }, credentials, triggerNode: TRIGGER });
		expect(sandbox.aibot.subscriptions.get(AIBOT_DEFAULTS.botId)).toBe(1);
		sandbox.aibot.pushMessage(AIBOT_DEFAULTS.botId, { content: 'both' });
		await first.waitForExecutions(1);
		await second.waitForExecutions(1);
		await first.close();
		expect(sandbox.aibot.liveConnections()[AIBOT_DEFAULTS.botId]).toBeDefined();
		await second.close();
		await until(() => sandbox.aibot.liveConnections()[AIBOT_DEFAULTS.botId] === undefined, 'the close');
	});

	test('a wrong secret fails the activation with WeCom\'s answer', async () => {
		credentialId = credentials.add('weComAiBotApi', { botId: AIBOT_DEFAULTS.botId, secret: 'wrong', url: `ws://127.0.0.1:${sandbox.port}` });
		await expect(activateTrigger({ workflow: chain(triggerNode()), credentials, triggerNode: TRIGGER })).rejects.toThrow(/40001.*Bot ID and Secret/);
	});

	test('card click → Update Template Card within 5 s; enter_chat → Welcome Message', async () => {
		const card = { card_type: 'button_interaction', main_title: { title: 'Approved by {{name}}' }, button_list: [{ text: 'Approved', style: 1, key: 'done' }] };
		const update = weComNode('Update', { operation: 'updateTemplateCard', card: JSON.stringify(card) });
		const trigger = await activate(chain(triggerNode({ events: ['event.template_card_event'] }), update));
		const click = sandbox.aibot.pushEvent(AIBOT_DEFAULTS.botId, 'template_card_event', { card_type: 'button_interaction', event_key: 'approve', task_id: 'task-77' });
		const [run] = await trigger.waitForExecutions(1);
		expect(run.error).toBeUndefined();
		expect(run.output(TRIGGER)[0].json).toMatchObject({ kind: 'event', eventType: 'template_card_event', eventKey: 'approve', taskId: 'task-77' });
		const frame = sandbox.aibot.frames.find((entry) => entry.cmd === 'aibot_respond_update_msg');
		expect(frame).toMatchObject({ reqId: click.reqId, errcode: 0, body: { response_type: 'update_template_card', template_card: { task_id: 'task-77' } } });
		await active?.close();

		const welcome = await activate(chain(triggerNode({ events: ['event.enter_chat'] }), weComNode('Welcome', { operation: 'welcomeMessage', welcomeType: 'text', content: '你好，我是 n8n 助手' })));
		const entered = sandbox.aibot.pushEvent(AIBOT_DEFAULTS.botId, 'enter_chat');
		const [welcomeRun] = await welcome.waitForExecutions(1);
		expect(welcomeRun.error).toBeUndefined();
		expect(sandbox.aibot.frames.find((entry) => entry.cmd === 'aibot_respond_welcome_msg')).toMatchObject({ reqId: entered.reqId, errcode: 0 });
		expect(sandbox.aibot.problems).toEqual([]);
	});

	test('Send Message proactively over the trigger\'s connection; without one the item fails clearly', async () => {
		const send = weComNode('Send', { operation: 'sendMessage', chatId: '={{ $json.chatId }}', sendType: 'markdown', content: '=Report for {{ $json.userId }}' }, true);
		const trigger = await activate(chain(triggerNode(), send));
		sandbox.aibot.pushMessage(AIBOT_DEFAULTS.botId, { content: 'report please', userid: 'lisi' });
		const [run] = await trigger.waitForExecutions(1);
		expect(run.error).toBeUndefined();
		expect(sandbox.aibot.sent).toEqual([expect.objectContaining({ body: { chatid: 'lisi', msgtype: 'markdown', markdown: { content: 'Report for lisi' } } })]);
	});

	test('limits: an answer over 20480 bytes fails the item, or is truncated on request', async () => {
		const long = '长'.repeat(7000);
		const trigger = await activate(chain(triggerNode(), { ...weComNode('Reply', { operation: 'reply', content: long }), continueOnFail: true }));
		sandbox.aibot.pushMessage(AIBOT_DEFAULTS.botId, { content: 'long please' });
		const [run] = await trigger.waitForExecutions(1);
		expect(String(run.output('Reply')[0].json.error)).toMatch(/21000 bytes; WeCom accepts at most 20480/);
		await active?.close();

		const truncating = await activate(chain(triggerNode(), weComNode('Reply', { operation: 'reply', content: long, options: { truncate: true } })));
		sandbox.aibot.pushMessage(AIBOT_DEFAULTS.botId, { content: 'long please' });
		const [ok] = await truncating.waitForExecutions(1);
		expect(ok.error).toBeUndefined();
		const final = sandbox.aibot.streamList().find((stream) => stream.finished)?.frames.at(-1);
		expect(Buffer.byteLength(final?.content ?? '')).toBe(20478);
	});
});
