// Credentials and workflows (n8n export format) for the queue-mode scenarios (test/e2e/queue.e2e.mjs): one set,
// imported once into the shared PostgreSQL database of main, workers and webhook processes.
// No Code nodes: the queue set-up runs without task runners (tools/n8n/queue.mjs), so items come from
// expressions on the Webhook node's body.
import { createHash } from 'node:crypto';
import { sandboxDefaults } from '../../sandbox/control-client.mjs';

export const SANDBOX = sandboxDefaults();
const PACKAGE = 'n8n-nodes-wecom-kit';
export const TRIGGER = 'WeCom Trigger';
export const AIBOT_TRIGGER = 'WeCom AI Bot Trigger';

export const Q_IDS = Object.freeze({
	apiCredential: 'queueWeComApi001',
	callbackCredential: 'queueWeComCbk001',
	aibotCredential: 'queueAiBotLong01',
	aibotCallbackCredential: 'queueAiBotCbk001',
	/** Webhook (answers when done) → WeCom: Send, one message per call */
	send: 'queueSendWf00001',
	/** WeCom Trigger, every callback; also takes the native card clicks of send-and-wait */
	trigger: 'queueTriggerWf01',
	/** WeCom Trigger for the copies sent straight to both webhook processes */
	dupDirect: 'queueDupDirect01',
	/** WeCom Trigger for the copies sent through the URI-hashing proxy */
	dupHash: 'queueDupHash0001',
	/** Webhook → WeCom: Send and Wait (links) → After */
	askLink: 'queueAskLinkWf01',
	/** Webhook → WeCom: Send and Wait (native card buttons) → After */
	askButton: 'queueAskBtnWf001',
	/** AI bot, long connection: text → Answer → Reply */
	aibotLong: 'queueAiBotLongWf',
	/** AI bot, callback URL: text → Answer → Reply */
	aibotCallback: 'queueAiBotCbkWf1',
	/** n8n's own Webhook node answering at once: the benchmark's yardstick */
	plainHook: 'queuePlainHook01',
});

export const Q_PATHS = Object.freeze({
	send: 'q-send',
	trigger: 'q-trigger',
	dupDirect: 'q-dup-direct',
	dupHash: 'q-dup-hash',
	askLink: 'q-ask-link',
	askButton: 'q-ask-button',
	aibotCallback: 'q-aibot',
	plainHook: 'q-plain',
});

/** Every workflow that must be published (production webhooks, the long connection). */
export const Q_PUBLISHED = [Q_IDS.send, Q_IDS.trigger, Q_IDS.dupDirect, Q_IDS.dupHash, Q_IDS.askLink, Q_IDS.askButton, Q_IDS.aibotLong, Q_IDS.aibotCallback, Q_IDS.plainHook];

const api = { weComApi: { id: Q_IDS.apiCredential, name: 'WeCom app (sandbox)' } };
const callback = { weComCallbackApi: { id: Q_IDS.callbackCredential, name: 'WeCom callback (sandbox)' } };

/** @param {string} sandboxUrl @param {{ botId: string; secret: string; token: string; encodingAESKey: string }} bot */
export function queueCredentials(sandboxUrl, bot) {
	const ws = sandboxUrl.replace(/^http/, 'ws');
	return [
		{ id: Q_IDS.apiCredential, name: api.weComApi.name, type: 'weComApi', data: { corpId: SANDBOX.corpId, corpSecret: SANDBOX.corpSecret, agentId: String(SANDBOX.agentId), baseUrl: sandboxUrl } },
		{ id: Q_IDS.callbackCredential, name: callback.weComCallbackApi.name, type: 'weComCallbackApi', data: { token: SANDBOX.callbackToken, encodingAESKey: SANDBOX.encodingAESKey, receiveId: SANDBOX.corpId } },
		{ id: Q_IDS.aibotCredential, name: 'WeCom AI Bot (sandbox)', type: 'weComAiBotApi', data: { botId: bot.botId, secret: bot.secret, url: ws } },
		{ id: Q_IDS.aibotCallbackCredential, name: 'WeCom AI Bot callback (sandbox)', type: 'weComAiBotCallbackApi', data: { token: bot.token, encodingAESKey: bot.encodingAESKey } },
	];
}

/** A deterministic UUID per (workflow, n): n8n wants UUIDs for node and webhook IDs. */
function uuid(workflowId, n) {
	const hex = createHash('sha1').update(`${workflowId}:${n}`).digest('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function workflow(id, name, nodes) {
	const connections = {};
	nodes.forEach((n, i) => {
		n.position = [i * 220, 0];
		if (i > 0) connections[nodes[i - 1].name] = { main: [[{ node: n.name, type: 'main', index: 0 }]] };
	});
	return { id, name, active: false, settings: { executionOrder: 'v1' }, nodes, connections };
}

const node = (wf, n, name, type, typeVersion, parameters, extra = {}) => ({ id: uuid(wf, n), name, type, typeVersion, position: [0, 0], parameters, ...extra });

function webhook(wf, path, responseMode) {
	return node(wf, 1, 'Webhook', 'n8n-nodes-base.webhook', 2, { path, httpMethod: 'POST', responseMode, ...(responseMode === 'lastNode' ? { responseData: 'allEntries' } : {}), options: {} }, { webhookId: uuid(wf, 9) });
}

function trigger(wf, path, events = []) {
	return node(wf, 1, TRIGGER, `${PACKAGE}.weComTrigger`, 1, { path, events, responseMode: 'empty', options: {} }, { webhookId: uuid(wf, 9), credentials: callback });
}

function ask(wf, extra) {
	return node(
		wf,
		2,
		'Ask',
		`${PACKAGE}.weCom`,
		1,
		{
			resource: 'message',
			operation: 'sendAndWait', // n8n-workflow's SEND_AND_WAIT_OPERATION
			toUser: 'zhangsan',
			subject: '={{ $json.body.subject }}',
			message: 'Approve 1,280 CNY for the Shanghai trip?',
			approvalOptions: { values: { approvalType: 'double', approveLabel: '同意 Approve', disapproveLabel: '驳回 Decline' } },
			...extra,
		},
		{ webhookId: uuid(wf, 8), credentials: { ...api, ...callback } },
	);
}

const after = (wf) => node(wf, 3, 'After', 'n8n-nodes-base.noOp', 1, {});

function aibotTrigger(wf, parameters) {
	const isCallback = parameters.mode === 'callback';
	return node(wf, 1, AIBOT_TRIGGER, `${PACKAGE}.weComAiBotTrigger`, 1, parameters, {
		...(isCallback ? { webhookId: uuid(wf, 9) } : {}),
		credentials: isCallback
			? { weComAiBotCallbackApi: { id: Q_IDS.aibotCallbackCredential, name: 'WeCom AI Bot callback (sandbox)' } }
			: { weComAiBotApi: { id: Q_IDS.aibotCredential, name: 'WeCom AI Bot (sandbox)' } },
	});
}

const answer = (wf) =>
	node(wf, 2, 'Answer', 'n8n-nodes-base.set', 3.4, {
		mode: 'manual',
		assignments: { assignments: [{ id: uuid(wf, 7), name: 'answer', type: 'string', value: `=worker answers: {{ $('${AIBOT_TRIGGER}').item.json.text }}` }] },
		options: {},
	});

const reply = (wf) => node(wf, 3, 'Reply', `${PACKAGE}.weCom`, 1, { resource: 'aiBot', operation: 'reply', content: '={{ $json.answer }}', options: {} });

export function queueWorkflows() {
	const send = node(Q_IDS.send, 2, 'Send', `${PACKAGE}.weCom`, 1, { resource: 'message', operation: 'send', toUser: '={{ $json.body.user }}', msgtype: 'text', textContent: '={{ $json.body.text }}' }, { credentials: api });
	return [
		workflow(Q_IDS.send, 'Queue: send per webhook call', [webhook(Q_IDS.send, Q_PATHS.send, 'lastNode'), send]),
		workflow(Q_IDS.trigger, 'Queue: WeCom Trigger (all callbacks, card answers)', [trigger(Q_IDS.trigger, Q_PATHS.trigger)]),
		workflow(Q_IDS.dupDirect, 'Queue: copies straight to both webhook processes', [trigger(Q_IDS.dupDirect, Q_PATHS.dupDirect)]),
		workflow(Q_IDS.dupHash, 'Queue: copies through the URI-hashing proxy', [trigger(Q_IDS.dupHash, Q_PATHS.dupHash)]),
		workflow(Q_IDS.askLink, 'Queue: send and wait (links)', [webhook(Q_IDS.askLink, Q_PATHS.askLink, 'onReceived'), ask(Q_IDS.askLink, {}), after(Q_IDS.askLink)]),
		workflow(Q_IDS.askButton, 'Queue: send and wait (card buttons)', [
			webhook(Q_IDS.askButton, Q_PATHS.askButton, 'onReceived'),
			ask(Q_IDS.askButton, { answerWith: 'buttons', cardUpdate: { approvedText: '已同意 Approved' } }),
			after(Q_IDS.askButton),
		]),
		workflow(Q_IDS.aibotLong, 'Queue: AI bot (long connection)', [aibotTrigger(Q_IDS.aibotLong, { mode: 'longConnection', events: ['message.text'], options: {} }), answer(Q_IDS.aibotLong), reply(Q_IDS.aibotLong)]),
		workflow(Q_IDS.aibotCallback, 'Queue: AI bot (callback URL)', [
			aibotTrigger(Q_IDS.aibotCallback, { mode: 'callback', path: Q_PATHS.aibotCallback, events: ['message.text'], options: {} }),
			answer(Q_IDS.aibotCallback),
			reply(Q_IDS.aibotCallback),
		]),
		workflow(Q_IDS.plainHook, "Queue: n8n's Webhook node (answers at once)", [webhook(Q_IDS.plainHook, Q_PATHS.plainHook, 'onReceived')]),
	];
}
