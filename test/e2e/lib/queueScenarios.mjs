// The queue-mode scenarios, as functions of one running set-up (queueSetup.mjs), so that test/e2e/queue.e2e.mjs
// runs them in order against a single start-up. Each one records what it measured in `ctx.measured`.
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { FINISHED } from '../../../tools/n8n/instance.mjs';
import { AIBOT_TRIGGER, Q_IDS, Q_PATHS, SANDBOX, TRIGGER } from './queueWorkflows.mjs';
import { forgeCallback, innerXml, queryString, send } from './triggerCallbacks.mjs';
import { storedCredential } from './queueSetup.mjs';
import { until } from '../../../tools/n8n/wait.mjs';

const GETTOKEN = '/cgi-bin/gettoken';
const SEND = '/cgi-bin/message/send';
const USERS = ['zhangsan', 'lisi', 'wangwu'];
/** How long requests that must start nothing are given to start something anyway. */
const SETTLE_MS = 2000;

// unique per load of this module (it may be loaded again against the same running set-up while developing)
let msgId = 8_000_000_000_000_000 + (Date.now() % 1_000_000_000) * 1000;
let createTime = Math.floor(Date.now() / 1000) - 3000;

const range = (n) => Array.from({ length: n }, (_, i) => i);
const textCallback = (content) =>
	innerXml({ ToUserName: SANDBOX.corpId, FromUserName: 'zhangsan', CreateTime: ++createTime, MsgType: 'text', Content: content, MsgId: String(++msgId), AgentID: SANDBOX.agentId });

async function callSend(baseUrl, user, text) {
	const res = await fetch(`${baseUrl}/webhook/${Q_PATHS.send}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user, text }) });
	return { status: res.status, text: await res.text() };
}

const light = (q, workflowId) => q.executions({ workflowId, withData: false });

/** Executions of `workflowId` not in `beforeIds`, once all have finished and none came for `quietMs`. */
async function settled(q, workflowId, beforeIds, { atLeast = 0, quietMs = 3000, timeoutMs = 240_000 } = {}) {
	const deadline = Date.now() + timeoutMs;
	let lastCount = -1;
	let stableSince = Date.now();
	for (;;) {
		const fresh = (await light(q, workflowId)).filter((e) => !beforeIds.has(e.id));
		const done = fresh.every((e) => FINISHED.has(e.status));
		if (fresh.length !== lastCount || !done) {
			lastCount = fresh.length;
			stableSince = Date.now();
		} else if (fresh.length >= atLeast && Date.now() - stableSince >= quietMs) {
			return fresh.length ? q.executions({ ids: fresh.map((e) => e.id) }) : [];
		}
		if (Date.now() > deadline) throw new Error(`${workflowId}: ${fresh.length} new execution(s), ${fresh.filter((e) => !FINISHED.has(e.status)).length} unfinished, after ${timeoutMs} ms`);
		await delay(500);
	}
}

const idsOf = async (q, workflowId) => new Set((await light(q, workflowId)).map((e) => e.id));

/** worker name → how many of `executions` it ran (from the workers' own log lines). */
function spread(q, executions) {
	const by = q.executedBy();
	const counts = {};
	for (const e of executions) {
		const worker = by.get(e.id) ?? 'no worker';
		counts[worker] = (counts[worker] ?? 0) + 1;
	}
	return counts;
}

async function sendsSince(sb, mark) {
	return (await sb.requests(SEND)).filter((r) => r.seq > mark);
}
const lastSeq = async (sb) => (await sb.requests()).at(-1)?.seq ?? 0;

// ---------------------------------------------------------------------------------------------------- tokens

export async function tokenFirstExecution(ctx) {
	const { q, sb } = ctx;
	assert.equal(await sb.gettokenCount(), 0, 'no token before the first execution');
	const answer = await callSend(q.url, 'zhangsan', 'first execution');
	assert.equal(answer.status, 200, answer.text);
	const [execution] = await q.waitForExecutions(Q_IDS.send, 1, 120_000);
	assert.equal(execution.status, 'success');
	assert.equal(await sb.gettokenCount(), 1);
	ctx.firstWorker = q.executedBy().get(execution.id);
	assert.match(ctx.firstWorker ?? '', /^worker-/, 'the execution ran on a worker');
	const [token] = await sb.issuedTokens();
	const stored = await storedCredential(q, Q_IDS.apiCredential);
	assert.equal(stored.accessToken, token, `${ctx.firstWorker} stored the token in the shared credential`);
}

/** Many executions at once through the webhook processes: spread over both workers, no gettoken. */
async function sendBatch(ctx, n, label) {
	const { q, sb } = ctx;
	const before = await idsOf(q, Q_IDS.send);
	const mark = await lastSeq(sb);
	const texts = range(n).map((i) => `${label} ${i}`);
	const answers = await Promise.all(texts.map((text, i) => callSend(q.url, USERS[i % USERS.length], text)));
	for (const a of answers) assert.equal(a.status, 200, a.text);
	const runs = await settled(q, Q_IDS.send, before, { atLeast: n, quietMs: 1000 });
	assert.equal(runs.length, n);
	for (const run of runs) assert.equal(run.status, 'success', JSON.stringify(run.error));
	const sends = await sendsSince(sb, mark);
	const delivered = sends.filter((s) => s.answer?.errcode === 0);
	assert.deepEqual(delivered.map((s) => s.json.text.content).sort(), [...texts].sort(), 'every item delivered exactly once');
	return { runs, sends, delivered, perWorker: spread(q, runs) };
}

export async function tokenSharedByWorkers(ctx) {
	const { sb } = ctx;
	const [token] = await sb.issuedTokens();
	const { sends, perWorker } = await sendBatch(ctx, 40, 'spread');
	assert.equal(await sb.gettokenCount(), 1, 'still the one gettoken of the first execution');
	assert.deepEqual([...new Set(sends.map((s) => s.query.access_token))], [token], 'every send used that token');
	const workers = Object.keys(perWorker).filter((w) => w.startsWith('worker-'));
	assert.equal(workers.length, 2, `both workers ran executions: ${JSON.stringify(perWorker)}`);
	const other = workers.find((w) => w !== ctx.firstWorker);
	assert.ok(perWorker[other] > 0, `${other} used the token ${ctx.firstWorker} stored`);
	ctx.measured.tokensShared = { executions: 40, perWorker, gettoken: 1, storedBy: ctx.firstWorker, usedBy: workers };
}

export async function tokenExpiredRefreshOncePerProcess(ctx) {
	const { sb, q } = ctx;
	const [oldToken] = await sb.issuedTokens();
	const before = await sb.gettokenCount();
	await sb.expireTokens();
	await sb.setDelay(GETTOKEN, 1000); // keeps the executions of each worker waiting on one refresh together
	let batch;
	try {
		batch = await sendBatch(ctx, 40, 'expired');
	} finally {
		await sb.setDelay(GETTOKEN, 0);
	}
	const refreshes = (await sb.gettokenCount()) - before;
	const workers = Object.keys(batch.perWorker).filter((w) => w.startsWith('worker-'));
	assert.ok(refreshes >= 1 && refreshes <= workers.length, `${refreshes} gettoken(s) for ${workers.length} worker process(es)`);
	const newToken = (await sb.issuedTokens()).at(-1);
	assert.notEqual(newToken, oldToken);
	const refused = batch.sends.filter((s) => s.query.access_token === oldToken);
	for (const s of refused) assert.equal(s.answer.errcode, 42001);
	assert.equal(batch.sends.length, refused.length + batch.delivered.length, 'no other answers');
	assert.deepEqual([...new Set(batch.delivered.map((s) => s.query.access_token))], [newToken]);
	assert.equal((await storedCredential(q, Q_IDS.apiCredential)).accessToken, newToken, 'the refreshed token is stored');

	// afterwards both workers use the stored token, whichever process fetched it
	const afterwards = await sendBatch(ctx, 20, 'after refresh');
	assert.equal((await sb.gettokenCount()) - before, refreshes, 'no further gettoken');
	assert.deepEqual([...new Set(afterwards.sends.map((s) => s.query.access_token))], [newToken]);
	ctx.measured.tokensExpired = { executions: 40, perWorker: batch.perWorker, refreshes, refusedSends: refused.length, failedItems: 0, afterRefresh: { executions: 20, perWorker: afterwards.perWorker, gettoken: 0 } };
}

// ---------------------------------------------------------------------------------------------------- trigger

// WeCom's own time limits (1 s for verification, 5 s for a callback) are benchmark figures (bench/parts/queue.mjs),
// not assertions: these requests are signed here (@wecom/crypto) and sent without a deadline.
export async function triggerVerificationAnywhere(ctx) {
	const { q } = ctx;
	const before = (await light(q, Q_IDS.trigger)).length;
	for (const base of [q.url, ...q.webhookProcesses.map((w) => w.url)]) {
		const plain = String(1_000_000_000 + Math.floor(Math.random() * 1e9));
		const echo = forgeCallback(plain);
		const answer = await send('GET', `${base}/webhook/${Q_PATHS.trigger}`, queryString({ ...echo.query, echostr: echo.encrypted }));
		assert.deepEqual({ base, status: answer.status, body: answer.body }, { base, status: 200, body: plain });
	}
	await delay(SETTLE_MS);
	assert.equal((await light(q, Q_IDS.trigger)).length, before, 'verification starts nothing');
}

export async function triggerCallbacksRunOnWorkers(ctx) {
	const { q } = ctx;
	const before = await idsOf(q, Q_IDS.trigger);
	const served = [...q.proxy.served];
	const contents = range(20).map((i) => `队列 callback ${i} <&>`);
	const answers = await Promise.all(
		contents.map((content) => {
			const callback = forgeCallback(textCallback(content));
			return send('POST', `${q.url}/webhook/${Q_PATHS.trigger}`, queryString(callback.query), callback.body);
		}),
	);
	for (const a of answers) assert.deepEqual({ status: a.status, body: a.body }, { status: 200, body: '' });
	const runs = await settled(q, Q_IDS.trigger, before, { atLeast: 20, quietMs: 2000 });
	assert.equal(runs.length, 20);
	for (const run of runs) {
		assert.equal(run.status, 'success');
		assert.equal(run.mode, 'webhook');
		const [item] = run.data[TRIGGER];
		assert.equal(item.callbackKind, 'message.text');
		assert.equal(item.MsgType, 'text');
		assert.equal(item.FromUserName, 'zhangsan');
		assert.equal(item.AgentID, String(SANDBOX.agentId));
		assert.match(item.MsgId, /^\d+$/);
	}
	assert.deepEqual(runs.map((r) => r.data[TRIGGER][0].Content).sort(), [...contents].sort());
	const perWorker = spread(q, runs);
	assert.equal(perWorker['no worker'], undefined, `every execution ran on a worker: ${JSON.stringify(perWorker)}`);
	const perProcess = q.proxy.served.map((n, i) => n - served[i]);
	assert.ok(perProcess.every((n) => n > 0), `both webhook processes took callbacks: ${perProcess}`);
	ctx.measured.trigger = { callbacks: 20, executions: runs.length, perWorker, perWebhookProcess: perProcess };
}

export async function triggerBadRequestsStartNothing(ctx) {
	const { q } = ctx;
	const before = (await light(q, Q_IDS.trigger)).length;
	for (const w of q.webhookProcesses) {
		const url = `${w.url}/webhook/${Q_PATHS.trigger}`;
		const valid = () => forgeCallback(textCallback('must not run'));
		const zero = valid();
		assert.equal((await send('POST', url, queryString({ ...zero.query, msg_signature: '0'.repeat(40) }), zero.body)).status, 401);
		const other = forgeCallback(textCallback('other corp'), { receiveId: 'wwsomeoneelse0001' });
		assert.equal((await send('POST', url, queryString(other.query), other.body)).status, 403);
		const key = forgeCallback(textCallback('other key'), { encodingAESKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG' });
		assert.equal((await send('POST', url, queryString(key.query), key.body)).status, 400);
		assert.equal((await send('POST', url, '', valid().body)).status, 400);
		const echo = forgeCallback('42');
		assert.equal((await send('GET', url, queryString(echo.query))).status, 400, 'GET without echostr');
	}
	await delay(SETTLE_MS);
	assert.equal((await light(q, Q_IDS.trigger)).length, before, 'bad requests started nothing');
}

// ---------------------------------------------------------------------------------------------------- retries

/** Sends every callback twice at the same moment, to `targets[0]` and `targets[1]`; returns the executions. */
async function copiesAtOnce(ctx, workflowId, path, targets, count) {
	const { q } = ctx;
	const before = await idsOf(q, workflowId);
	const ids = [];
	for (let start = 0; start < count; start += 10) {
		await Promise.all(
			range(Math.min(10, count - start)).map(async (i) => {
				const xml = textCallback(`copy ${start + i}`);
				ids.push(String(msgId));
				const callback = forgeCallback(xml);
				const answers = await Promise.all(targets.map((base) => send('POST', `${base}/webhook/${path}`, queryString(callback.query), callback.body)));
				for (const a of answers) assert.equal(a.status, 200, a.body);
			}),
		);
	}
	const runs = await settled(q, workflowId, before, { atLeast: count, quietMs: 4000, timeoutMs: 300_000 });
	const started = new Set(runs.map((r) => r.data[TRIGGER][0].MsgId));
	assert.equal(started.size, count, 'every callback started at least once');
	for (const id of ids) assert.ok(started.has(id), `callback ${id} started`);
	return runs;
}

export async function retriesStraightToBothProcesses(ctx) {
	const { q } = ctx;
	const [a, b] = q.webhookProcesses.map((w) => w.url);
	const runs = await copiesAtOnce(ctx, Q_IDS.dupDirect, Q_PATHS.dupDirect, [a, b], 200);
	// Measured, not required: n8n 2.41 gives a webhook node no cross-process check-and-set (see the README).
	ctx.measured.copiesStraightToBoth = { callbacks: 200, copies: 400, executions: runs.length, slippedThrough: runs.length - 200 };
	console.log(`[queue] 200 callbacks, each sent to both webhook processes at once: ${runs.length} executions (${runs.length - 200} duplicates)`);
}

/**
 * A later copy with a new query (as a retry would be if WeCom signed it anew): each callback to the first webhook
 * process, answered, then re-signed to the second, one at a time. Only the workflow's static data (saved by the first
 * process after its execution started, read by the second per request) can recognise it there. Measured, not required.
 */
export async function laterCopiesAtTheOtherProcess(ctx) {
	const { q } = ctx;
	const [a, b] = q.webhookProcesses.map((w) => w.url);
	const before = await idsOf(q, Q_IDS.dupDirect);
	const count = 20;
	for (let i = 0; i < count; i++) {
		const xml = textCallback(`later copy ${i}`);
		for (const base of [a, b]) {
			const callback = forgeCallback(xml); // new timestamp, nonce and signature each time
			const answer = await send('POST', `${base}/webhook/${Q_PATHS.dupDirect}`, queryString(callback.query), callback.body);
			assert.equal(answer.status, 200, answer.body);
			if (base === a) await delay(300);
		}
	}
	const runs = await settled(q, Q_IDS.dupDirect, before, { atLeast: count, quietMs: 4000 });
	ctx.measured.laterCopiesAtOtherProcess = { callbacks: count, executions: runs.length, slippedThrough: runs.length - count };
	console.log(`[queue] ${count} callbacks, a re-signed copy at the other webhook process after the first was answered: ${runs.length} executions`);
}

export async function retriesThroughUriHash(ctx) {
	const { hashProxy } = ctx;
	const served = [...hashProxy.served];
	const runs = await copiesAtOnce(ctx, Q_IDS.dupHash, Q_PATHS.dupHash, [hashProxy.url, hashProxy.url], 200);
	const perProcess = hashProxy.served.map((n, i) => n - served[i]);
	assert.ok(perProcess.every((n) => n > 0), `the hash spreads different callbacks over both processes: ${perProcess}`);
	assert.equal(runs.length, 200, 'exactly one execution per callback');
	ctx.measured.copiesThroughUriHash = { callbacks: 200, copies: 400, executions: runs.length, perWebhookProcess: perProcess };
}

// ---------------------------------------------------------------------------------------------------- send and wait

async function startAsk(ctx, workflowId, path, subject) {
	const { q, sb } = ctx;
	const before = await idsOf(q, workflowId);
	const res = await fetch(`${q.url}/webhook/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ subject }) });
	assert.equal(res.status, 200, await res.text());
	const deadline = Date.now() + 120_000;
	for (;;) {
		const waiting = (await light(q, workflowId)).find((e) => !before.has(e.id) && e.status === 'waiting');
		const card = (await sb.cards()).find((c) => c.title === subject);
		if (waiting && card) return { id: waiting.id, card, before };
		if (Date.now() > deadline) throw new Error(`${subject}: no waiting execution with a card`);
		await delay(300);
	}
}

const startsOf = (q, id) => q.workers.filter((w) => new RegExp(`Worker started execution ${id}\\b`).test(w.logs())).map((w) => w.name);
function startCount(q, id) {
	return q.workers.reduce((n, w) => n + [...w.logs().matchAll(new RegExp(`Worker started execution ${id}\\b`, 'g'))].length, 0);
}

async function finishedOnce(ctx, workflowId, ask) {
	const { q } = ctx;
	const [done] = await settled(q, workflowId, ask.before, { atLeast: 1, quietMs: 1000 });
	assert.equal(done.id, ask.id);
	assert.equal(done.status, 'success', JSON.stringify(done.error));
	return done;
}

export async function sendAndWaitLinkAnyProcess(ctx) {
	const { q, sb } = ctx;
	const ask = await startAsk(ctx, Q_IDS.askLink, Q_PATHS.askLink, `Expense L-${Date.now()}`);
	const link = (title) => ask.card.links.find((l) => l.title === title).url;
	assert.ok(link('同意 Approve').startsWith(`${q.url}/webhook-waiting/${ask.id}/`), link('同意 Approve'));
	const served = [...q.proxy.served];
	const opened = await sb.openLink(link('同意 Approve'));
	assert.equal(opened.status, 200);
	assert.match(opened.body, /Got it, thanks/);
	const done = await finishedOnce(ctx, Q_IDS.askLink, ask);
	assert.deepEqual({ approved: done.data.After[0].data.approved, via: done.data.After[0].data.answeredVia }, { approved: true, via: 'link' });
	const answeredAt = q.proxy.served.findIndex((n, i) => n > served[i]);
	// a second answer later (the other link) finds the execution finished and changes nothing
	const late = await sb.openLink(link('驳回 Decline'));
	assert.match(late.body, /No action required/);
	await delay(SETTLE_MS);
	const again = await q.executions({ workflowId: Q_IDS.askLink });
	assert.equal(again.filter((e) => !ask.before.has(e.id)).length, 1);
	assert.equal(again.find((e) => e.id === ask.id).data.After[0].data.approved, true);
	assert.equal(startCount(q, ask.id), 2, 'a worker ran it twice: the start and the one resume');
	ctx.measured.sendAndWaitLink = { answeredAt: q.webhookProcesses[answeredAt]?.name, ranOn: startsOf(q, ask.id), resumes: startCount(q, ask.id) - 1 };
}

export async function sendAndWaitCardClickAnyProcess(ctx) {
	const { q, sb } = ctx;
	const ask = await startAsk(ctx, Q_IDS.askButton, Q_PATHS.askButton, `Expense B-${Date.now()}`);
	const [approve] = ask.card.buttons;
	assert.match(approve.key, /^wkh1\.a\./);
	// the click reaches the second webhook process; its trigger forwards it through the public URL to whichever takes it
	const triggerAt = (i) => `${q.webhookProcesses[i].url}/webhook/${Q_PATHS.trigger}`;
	const click = await sb.clickCard({ url: triggerAt(1), taskId: ask.card.taskId, userId: 'zhangsan', eventKey: approve.key, timeoutMs: 60_000 });
	assert.deepEqual({ status: click.status, body: click.body }, { status: 200, body: '' });
	const done = await finishedOnce(ctx, Q_IDS.askButton, ask);
	assert.deepEqual(
		{ approved: done.data.After[0].data.approved, via: done.data.After[0].data.answeredVia, user: done.data.After[0].data.userId, updated: done.data.After[0].data.cardUpdated },
		{ approved: true, via: 'card', user: 'zhangsan', updated: true },
	);
	const card = (await sb.cards()).find((c) => c.taskId === ask.card.taskId);
	assert.equal(card.buttonsReplacedBy, '已同意 Approved by zhangsan');
	// WeCom's retry of that click at the other webhook process resumes nothing
	const retry = await sb.postCallback(triggerAt(0), click.xml, { timeoutMs: 60_000 });
	assert.equal(retry.status, 200);
	await delay(SETTLE_MS);
	assert.equal((await light(q, Q_IDS.askButton)).filter((e) => !ask.before.has(e.id)).length, 1);
	assert.equal(startCount(q, ask.id), 2, 'started once, resumed once');
	const trigger = (await light(q, Q_IDS.trigger)).length;
	ctx.measured.sendAndWaitCard = { clickAt: q.webhookProcesses[1].name, ranOn: startsOf(q, ask.id), resumes: startCount(q, ask.id) - 1, triggerExecutions: trigger };
}

// ---------------------------------------------------------------------------------------------------- AI bot


const answerOf = (question) => `worker answers: ${question}`;
const responseWith = async (ctx, text) => (await ctx.aibot('state')).responses.find((r) => JSON.stringify(r.body).includes(text));

export async function aibotLongConnectionInMainOnly(ctx) {
	const { q, aibot, bot } = ctx;
	await until(async () => (await aibot('state')).live[bot.botId], 'the long connection');
	assert.equal((await aibot('state')).subscriptions[bot.botId], 1, 'one connection for the bot');
	const holders = [q.main, ...q.workers, ...q.webhookProcesses].filter((p) => /: subscribed/.test(p.logs())).map((p) => p.name);
	assert.deepEqual(holders, ['main'], 'only the main process subscribed');

	const before = await idsOf(q, Q_IDS.aibotLong);
	const question = '队列里的问题 queue question';
	await aibot('message', { message: { content: question } });
	const response = await until(() => responseWith(ctx, answerOf(question)), 'the answer through response_url');
	assert.equal(response.errcode, 0);
	const [run] = await settled(q, Q_IDS.aibotLong, before, { atLeast: 1, quietMs: 1000 });
	assert.equal(run.status, 'success', JSON.stringify(run.error));
	const ranOn = q.executedBy().get(run.id);
	assert.match(ranOn ?? '', /^worker-/);
	assert.deepEqual((await aibot('state')).problems, []);
	ctx.measured.aibotLong = { connectionHeldBy: holders, subscriptions: 1, ranOn, delivery: 'response_url' };
}

export async function aibotCallbackThroughWebhookProcesses(ctx) {
	const { q, aibot } = ctx;
	const { bot } = ctx;
	// signed here as WeCom signs a bot's URL check (receive ID ""), sent without WeCom's 1-second deadline
	for (const base of [q.url, ...q.webhookProcesses.map((w) => w.url)]) {
		const plain = `bot-${Math.random().toString(16).slice(2, 10)}`;
		const echo = forgeCallback(plain, { token: bot.token, encodingAESKey: bot.encodingAESKey, receiveId: '' });
		const answer = await send('GET', `${base}/webhook/${Q_PATHS.aibotCallback}`, queryString({ ...echo.query, echostr: echo.encrypted }));
		assert.deepEqual({ base, status: answer.status, body: answer.body }, { base, status: 200, body: plain });
	}
	const before = await idsOf(q, Q_IDS.aibotCallback);
	const questions = ['callback one', 'callback two'];
	for (const question of questions) {
		const sent = await aibot('message', { mode: 'callback', url: `${q.url}/webhook/${Q_PATHS.aibotCallback}`, message: { content: question } });
		assert.equal(sent.status, 200);
		assert.equal(sent.reply.msgtype, 'stream');
	}
	for (const question of questions) await until(() => responseWith(ctx, answerOf(question)), `the answer to ${question}`);
	const runs = await settled(q, Q_IDS.aibotCallback, before, { atLeast: 2, quietMs: 1000 });
	assert.equal(runs.length, 2);
	for (const run of runs) assert.equal(run.status, 'success', JSON.stringify(run.error));
	const perWorker = spread(q, runs);
	assert.equal(perWorker['no worker'], undefined);
	ctx.measured.aibotCallback = { verifiedAt: ['proxy', ...q.webhookProcesses.map((w) => w.name)], executions: 2, perWorker };
}

export { AIBOT_TRIGGER };
