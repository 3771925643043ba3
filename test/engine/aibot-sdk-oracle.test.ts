/**
 * WeCom's own long-connection client (@wecom/aibot-node-sdk) against the sandbox's WebSocket server: proves the
 * sandbox speaks the protocol WeCom's client speaks (subscribe, acks by req_id, message and event callbacks,
 * streamed replies, welcome, card update, proactive send, chunked upload, disconnected_event).
 */
import { WSClient } from '@wecom/aibot-node-sdk';

import { AIBOT_DEFAULTS } from '../sandbox/aibot';
import { startSandbox, type WeComSandbox } from '../sandbox';

const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

async function until<T>(probe: () => T | undefined, what: string, ms = 5000): Promise<T> {
	for (let waited = 0; waited < ms; waited += 20) {
		const value = probe();
		if (value !== undefined && value !== false) return value;
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
	throw new Error(`timed out waiting for ${what}`);
}

describe('official SDK ↔ sandbox long connection', () => {
	let sandbox: WeComSandbox;
	let client: WSClient;

	beforeAll(async () => {
		sandbox = await startSandbox();
	});
	afterAll(async () => {
		await sandbox.close();
	});
	afterEach(() => {
		try {
			client?.disconnect();
		} catch {
			// already disconnected
		}
		sandbox.aibot.reset();
	});

	function connect(secret = AIBOT_DEFAULTS.secret): WSClient {
		client = new WSClient({ botId: AIBOT_DEFAULTS.botId, secret, wsUrl: `ws://127.0.0.1:${sandbox.port}`, logger: quiet, maxReconnectAttempts: 0, maxAuthFailureAttempts: 0 });
		return client;
	}

	test('subscribes, receives a text message and streams a reply that the sandbox accepts in order', async () => {
		const sdk = connect();
		let authenticated = false;
		sdk.on('authenticated', () => (authenticated = true));
		sdk.connect();
		await until(() => authenticated, 'authentication');
		expect(sandbox.aibot.liveConnections()[AIBOT_DEFAULTS.botId]).toBeDefined();

		const received: unknown[] = [];
		sdk.on('message.text', (frame) => {
			received.push(frame.body);
			void (async () => {
				await sdk.replyStream(frame, 'stream-1', '正在思考…', false);
				await sdk.replyStream(frame, 'stream-1', 'The answer', false);
				await sdk.replyStream(frame, 'stream-1', 'The answer is 42.', true);
			})();
		});
		const pushed = sandbox.aibot.pushMessage(AIBOT_DEFAULTS.botId, { content: 'what is the answer?' });
		const stream = await until(() => {
			const state = sandbox.aibot.streams.get('stream-1');
			return state?.finished ? state : undefined;
		}, 'the finished stream');
		expect(received).toEqual([expect.objectContaining({ msgid: pushed.msgid, msgtype: 'text', text: { content: 'what is the answer?' } })]);
		expect(stream.frames.map((frame) => [frame.content, frame.finish])).toEqual([
			['正在思考…', false],
			['The answer', false],
			['The answer is 42.', true],
		]);
		expect(sandbox.aibot.problems).toEqual([]);
	});

	test('a frame after finish, a second stream id and oversize content are refused with an errcode', async () => {
		const sdk = connect();
		let authenticated = false;
		sdk.on('authenticated', () => (authenticated = true));
		sdk.connect();
		await until(() => authenticated, 'authentication');
		const outcomes: string[] = [];
		sdk.on('message.text', (frame) => {
			void (async () => {
				await sdk.replyStream(frame, 's-a', 'x', false);
				await sdk.replyStream(frame, 's-b', 'y', false).catch((error: { errcode?: number }) => outcomes.push(`other id ${String(error.errcode)}`));
				await sdk.replyStream(frame, 's-a', 'z'.repeat(20481), false).catch((error: { errcode?: number }) => outcomes.push(`too long ${String(error.errcode)}`));
				await sdk.replyStream(frame, 's-a', 'done', true);
				await sdk.replyStream(frame, 's-a', 'again', true).catch((error: { errcode?: number }) => outcomes.push(`after finish ${String(error.errcode)}`));
			})();
		});
		sandbox.aibot.pushMessage(AIBOT_DEFAULTS.botId, { content: 'hi' });
		await until(() => outcomes.length === 3, 'three refusals');
		expect(outcomes).toEqual(['other id 40064', 'too long 40067', 'after finish 40065']);
	});

	test('welcome message, card update, proactive send and chunked upload', async () => {
		const sdk = connect();
		let authenticated = false;
		sdk.on('authenticated', () => (authenticated = true));
		sdk.connect();
		await until(() => authenticated, 'authentication');
		const results: string[] = [];
		sdk.on('event.enter_chat', (frame) => {
			sdk.replyWelcome(frame, { msgtype: 'text', text: { content: '你好' } }).then(() => results.push('welcome ok'), () => results.push('welcome failed'));
		});
		sdk.on('event.template_card_event', (frame) => {
			const card = { card_type: 'button_interaction', task_id: 'task-1', main_title: { title: 'Done' }, button_list: [{ text: 'Approved', key: 'x', style: 1 }] };
			sdk.updateTemplateCard(frame, card as never).then(() => results.push('update ok'), () => results.push('update failed'));
		});
		sandbox.aibot.pushEvent(AIBOT_DEFAULTS.botId, 'enter_chat');
		sandbox.aibot.pushEvent(AIBOT_DEFAULTS.botId, 'template_card_event', { card_type: 'button_interaction', event_key: 'approve', task_id: 'task-1' });
		await until(() => results.length === 2, 'both event replies');
		expect(results.sort()).toEqual(['update ok', 'welcome ok']);

		await sdk.sendMessage('zhangsan', { msgtype: 'markdown', markdown: { content: '**hello**' } });
		expect(sandbox.aibot.sent).toEqual([expect.objectContaining({ body: { chatid: 'zhangsan', msgtype: 'markdown', markdown: { content: '**hello**' } } })]);

		const file = Buffer.alloc(700 * 1024, 7);
		const uploaded = await sdk.uploadMedia(file, { type: 'file', filename: 'report.bin' });
		expect(uploaded.media_id).toMatch(/^media/);
		await sdk.sendMediaMessage('zhangsan', 'file', uploaded.media_id);
		expect(sandbox.aibot.sent).toHaveLength(2);
	});

	test('a newer connection of the same bot gets disconnected_event to the older one, which stops', async () => {
		const first = connect();
		let firstAuthenticated = false;
		const events: string[] = [];
		first.on('authenticated', () => (firstAuthenticated = true));
		first.on('event.disconnected_event', () => events.push('disconnected_event'));
		first.connect();
		await until(() => firstAuthenticated, 'first authentication');

		const second = new WSClient({ botId: AIBOT_DEFAULTS.botId, secret: AIBOT_DEFAULTS.secret, wsUrl: `ws://127.0.0.1:${sandbox.port}`, logger: quiet, maxReconnectAttempts: 0 });
		let secondAuthenticated = false;
		second.on('authenticated', () => (secondAuthenticated = true));
		second.connect();
		try {
			await until(() => secondAuthenticated && events.length > 0, 'takeover');
			expect(events).toEqual(['disconnected_event']);
			await until(() => !first.isConnected, 'the first client to close');
			expect(second.isConnected).toBe(true);
		} finally {
			second.disconnect();
		}
	});

	test('a wrong secret is refused', async () => {
		const sdk = connect('wrong');
		const errors: string[] = [];
		sdk.on('error', (error) => errors.push(error.message));
		sdk.connect();
		await until(() => errors.length > 0, 'the refusal');
		expect(errors[0]).toContain('40001');
	});
});
