// The WeCom intelligent robot in a real n8n, both modes, against the sandbox playing WeCom:
// - long connection: the published triggers of one bot share one WebSocket; a text message gets the
//   thinking frame at once and, after the workflow's 1.5 s pause, the answer streamed in order on the same
//   stream; a card click is answered with the updated card within WeCom's 5 s; a file arrives as binary data;
//   the connection survives a drop (reconnects, nothing lost or doubled), comes back after an n8n restart, and
//   stops for good on disconnected_event;
// - callback URL: URL verification, the thinking stream in the HTTP answer, the answer fetched by refresh
//   callbacks, the card click answered in the held HTTP answer.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { freePort, packageTarball, startN8n, startSandbox } from './lib/n8n.mjs';
import { AIBOT_IDS, AIBOT_PATHS, AIBOT_TRIGGER, aibotCredentials, aibotWorkflows } from './lib/aibotWorkflows.mjs';
import { waitForTriggerUrls } from './lib/triggerCallbacks.mjs';

const LIMIT_STREAM_MS = 6 * 60 * 1000;
const LIMIT_EVENT_MS = 5000;

let sandbox;
let n8n;
let tarball;
let userFolder;
let bot;
const callbackUrl = {};

async function control(action, body) {
	const res = await fetch(`${sandbox.url}/__sandbox/aibot/${action}`, {
		method: body === undefined ? 'GET' : 'POST',
		headers: body === undefined ? {} : { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
		signal: AbortSignal.timeout(20_000),
	});
	const data = await res.json();
	if (res.status !== 200) throw new Error(`aibot control ${action}: HTTP ${res.status} ${data.error ?? ''}`);
	return data;
}

const state = () => control('state');

async function until(probe, what, timeoutMs = 20_000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await delay(100);
	}
}

const subscriptions = async () => (await state()).subscriptions[bot.botId] ?? 0;
const finishedStream = async (msgid) => (await state()).streams.find((stream) => stream.msgid === msgid && stream.finished);

async function startInstance() {
	const instance = await startN8n({
		userFolder,
		packageTarball: tarball,
		...(n8n === undefined
			? { credentials: aibotCredentials(bot, sandbox.port), workflows: aibotWorkflows(), activate: Object.values(AIBOT_IDS).filter((id) => !id.endsWith('Conn') && !id.endsWith('Callback')) }
			: {}),
		log: Boolean(process.env.E2E_N8N_LOG),
	});
	callbackUrl.message = `${instance.url}/webhook/${AIBOT_PATHS.callback}`;
	callbackUrl.card = `${instance.url}/webhook/${AIBOT_PATHS.callbackCard}`;
	return instance;
}

before(async () => {
	userFolder = await mkdtemp(join(tmpdir(), 'n8n-e2e-aibot-'));
	[sandbox, tarball] = await Promise.all([startSandbox({ port: await freePort(), log: Boolean(process.env.E2E_SANDBOX_LOG) }), packageTarball()]);
	bot = (await state()).bot;
	n8n = await startInstance();
	await control('settings', { refreshIntervalMs: 250 });
});

after(async () => {
	await n8n?.stop();
	await sandbox?.stop();
	if (userFolder) await rm(userFolder, { recursive: true, force: true });
});

/** Pushes a text message over the long connection and returns the finished stream and the execution. */
async function askOverLongConnection(content, expectedRuns) {
	const pushedAt = Date.now();
	const pushed = await control('message', { message: { content } });
	const stream = await until(() => finishedStream(pushed.msgid), `the answer to "${content}"`);
	const runs = await n8n.waitForExecutions(AIBOT_IDS.answer, expectedRuns, 20_000);
	return { pushed, pushedAt, stream, runs };
}

function assertStreamed(stream, question) {
	const contents = stream.frames.map((frame) => frame.content);
	assert.equal(contents[0], '正在思考…', 'the first frame is the thinking text');
	assert.equal(stream.frames[0].finish, false);
	assert.equal(contents.at(-1), `**n8n** answers: ${question} has ${question.length} characters.`);
	assert.equal(stream.frames.at(-1).finish, true);
	assert.equal(stream.frames.filter((frame) => frame.finish).length, 1, 'exactly one final frame');
	// After the thinking text, every frame shows at least what the one before showed (refreshes may repeat one).
	const answer = contents.slice(1).filter((content) => content !== '正在思考…');
	for (let index = 1; index < answer.length; index++) assert.ok(answer[index].startsWith(answer[index - 1]), `frame ${index} continues frame ${index - 1}: ${JSON.stringify(contents)}`);
	assert.ok(stream.frames.at(-1).at - stream.createdAt < LIMIT_STREAM_MS, 'finished within 6 minutes');
}

test('long connection: one connection for three triggers; thinking at once, then the answer streamed in order', async () => {
	await until(async () => (await state()).live[bot.botId], 'the subscription');
	assert.equal(await subscriptions(), 1, 'three published triggers of one bot share one connection');
	const question = '什么是 n8n?';
	const { pushedAt, stream, runs } = await askOverLongConnection(question, 1);
	assertStreamed(stream, question);
	assert.equal(stream.frames.length, 4, 'thinking + 3 steps');
	assert.ok(stream.frames[0].at - pushedAt < 2000, 'the thinking frame came at once');
	assert.ok(stream.frames[1].at - stream.frames[0].at >= 1400, 'the answer came after the workflow\'s pause');
	assert.equal(runs[0].status, 'success');
	assert.equal(runs[0].data[AIBOT_TRIGGER][0].text, question);
	assert.deepEqual((await state()).problems, []);
});

test('long connection: a card click is answered with the updated card within 5 s', async () => {
	const click = await control('event', { eventtype: 'template_card_event', detail: { card_type: 'button_interaction', event_key: 'approve', task_id: 'e2e-task-1' } });
	const frame = await until(async () => (await state()).frames.find((entry) => entry.cmd === 'aibot_respond_update_msg' && entry.reqId === click.reqId), 'the card update');
	assert.equal(frame.errcode, 0, frame.errmsg);
	assert.equal(frame.body.template_card.task_id, 'e2e-task-1');
	assert.equal(frame.body.template_card.main_title.title, '已同意 Approved');
	const [run] = await n8n.waitForExecutions(AIBOT_IDS.card, 1);
	assert.equal(run.status, 'success');
	assert.ok(run.data[AIBOT_TRIGGER][0].replyTo.receivedAt + LIMIT_EVENT_MS > frame.at, 'answered within 5 s');
});

test('long connection: a file message arrives as binary data', async () => {
	const content = Buffer.from('%PDF-1.4 e2e file from a WeCom user 你好');
	const media = await control('media', { base64: content.toString('base64'), fileName: 'e2e-report.pdf', mode: 'ws' });
	await control('message', { message: { msgtype: 'file', file: media } });
	const [run] = await n8n.waitForExecutions(AIBOT_IDS.files, 1);
	assert.equal(run.status, 'success');
	const item = run.data[AIBOT_TRIGGER][0];
	assert.equal(item.attachments[0].binaryProperty, 'attachment_0');
	assert.equal(item.attachments[0].size, content.length);
	assert.equal(item.attachments[0].fileName, 'e2e-report.pdf');
});

test('long connection: survives a drop, reconnects, and nothing is lost or doubled', async () => {
	const before = await subscriptions();
	await control('drop', {});
	await until(async () => (await subscriptions()) === before + 1, 'the reconnect');
	const question = 'after the drop';
	const { stream, runs } = await askOverLongConnection(question, 2);
	assertStreamed(stream, question);
	await delay(1000);
	assert.equal((await n8n.executions({ workflowId: AIBOT_IDS.answer, withData: false })).length, 2, 'one execution per message');
	assert.match(n8n.logs(), /reconnecting in \d+ ms/);
	assert.equal(runs.length, 2);
});

test('callback URL: verification, thinking in the HTTP answer, the answer by refresh callbacks, card update', async () => {
	await waitForTriggerUrls([callbackUrl.message, callbackUrl.card]);
	const verified = await control('verify-url', { url: callbackUrl.message });
	assert.ok(verified.ok, JSON.stringify(verified));
	const question = 'callback mode?';
	const sent = await control('message', { mode: 'callback', url: callbackUrl.message, message: { content: question } });
	assert.equal(sent.status, 200);
	assert.equal(sent.reply.msgtype, 'stream');
	assert.equal(sent.reply.stream.content, '正在思考…');
	const stream = await until(() => finishedStream(sent.msgid), 'the callback-mode answer');
	assertStreamed(stream, question);
	assert.equal(stream.frames.at(-1).via, 'refresh');
	await n8n.waitForExecutions(AIBOT_IDS.callback, 1);

	const click = await control('event', { mode: 'callback', url: callbackUrl.card, eventtype: 'template_card_event', detail: { card_type: 'button_interaction', event_key: 'approve', task_id: 'e2e-task-2' } });
	assert.equal(click.errcode, 0, click.errmsg);
	assert.equal(click.reply.response_type, 'update_template_card');
	assert.equal(click.reply.template_card.task_id, 'e2e-task-2');
	assert.deepEqual((await state()).problems, []);
});

test('the long connection comes back after an n8n restart', async () => {
	const before = await subscriptions();
	await n8n.stop();
	n8n = await startInstance();
	await until(async () => (await subscriptions()) === before + 1, 'the subscription of the new n8n');
	const question = 'after the restart';
	const { stream } = await askOverLongConnection(question, 3);
	assertStreamed(stream, question);
});

test('disconnected_event: the connection stops for good and says so in the log', async () => {
	const before = await subscriptions();
	await control('kick', {});
	await until(() => n8n.logs().includes('disconnected_event'), 'the log line');
	await delay(2500);
	assert.equal(await subscriptions(), before, 'no reconnect after disconnected_event');
	assert.equal((await state()).live[bot.botId], undefined);
	const logs = n8n.logs();
	for (const secret of [bot.secret, bot.token, bot.encodingAESKey]) assert.ok(!logs.includes(secret), 'no secret in the log');
});
