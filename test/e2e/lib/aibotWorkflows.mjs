// Credentials and workflows (n8n export format) for the WeCom AI Bot end-to-end scenario (test/e2e/aibot.e2e.mjs).
// The bot's values come from the sandbox (GET /__sandbox/aibot/state → bot): they only open the local imitation.
import { createHash } from 'node:crypto';

const PACKAGE = 'n8n-nodes-wecom-kit';
export const AIBOT_TRIGGER = 'WeCom AI Bot Trigger';

export const AIBOT_IDS = Object.freeze({
	longCredential: 'e2eAiBotLongConn',
	callbackCredential: 'e2eAiBotCallback',
	/** long connection: text → Wait 1.5 s → Set (the answer) → AI Bot: Reply (streamed in 3 steps) */
	answer: 'e2eAiBotAnswer01',
	/** long connection: card click → AI Bot: Update Template Card */
	card: 'e2eAiBotCardWf01',
	/** long connection: file messages → Extract From File (the decrypted binary read back as text) */
	files: 'e2eAiBotFiles001',
	/** callback URL: file messages → Extract From File */
	callbackFiles: 'e2eAiBotCbFile01',
	/** callback URL: text → Wait 1.5 s → Reply */
	callback: 'e2eAiBotCallbk01',
	/** callback URL: card click → Update Template Card */
	callbackCard: 'e2eAiBotCbCard01',
});

export const AIBOT_PATHS = Object.freeze({ callback: 'wecom-aibot-e2e', callbackCard: 'wecom-aibot-e2e-card', callbackFiles: 'wecom-aibot-e2e-file' });
/** The node that reads the trigger's first attachment back as text (proof the binary is the user's file). */
export const READ_FILE = 'Read File';

function uuid(workflowId, n) {
	const hex = createHash('sha1').update(`${workflowId}:${n}`).digest('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function aibotCredentials(bot, sandboxPort) {
	return [
		{ id: AIBOT_IDS.longCredential, name: 'WeCom AI Bot (sandbox)', type: 'weComAiBotApi', data: { botId: bot.botId, secret: bot.secret, url: `ws://127.0.0.1:${sandboxPort}` } },
		{ id: AIBOT_IDS.callbackCredential, name: 'WeCom AI Bot callback (sandbox)', type: 'weComAiBotCallbackApi', data: { token: bot.token, encodingAESKey: bot.encodingAESKey } },
	];
}

function trigger(workflowId, parameters) {
	const callback = parameters.mode === 'callback';
	return {
		id: uuid(workflowId, 1),
		name: AIBOT_TRIGGER,
		type: `${PACKAGE}.weComAiBotTrigger`,
		typeVersion: 1,
		position: [0, 0],
		...(callback ? { webhookId: uuid(workflowId, 9) } : {}),
		parameters,
		credentials: callback
			? { weComAiBotCallbackApi: { id: AIBOT_IDS.callbackCredential, name: 'WeCom AI Bot callback (sandbox)' } }
			: { weComAiBotApi: { id: AIBOT_IDS.longCredential, name: 'WeCom AI Bot (sandbox)' } },
	};
}

function wecom(workflowId, n, name, parameters, x) {
	return { id: uuid(workflowId, n), name, type: `${PACKAGE}.weCom`, typeVersion: 1, position: [x, 0], parameters: { resource: 'aiBot', ...parameters } };
}

const wait = (workflowId) => ({
	id: uuid(workflowId, 2),
	name: 'Think',
	type: 'n8n-nodes-base.wait',
	typeVersion: 1.1,
	position: [200, 0],
	parameters: { resume: 'timeInterval', amount: 1.5, unit: 'seconds' },
	webhookId: uuid(workflowId, 8),
});

const answerSet = (workflowId) => ({
	id: uuid(workflowId, 3),
	name: 'Answer',
	type: 'n8n-nodes-base.set',
	typeVersion: 3.4,
	position: [400, 0],
	parameters: {
		mode: 'manual',
		assignments: { assignments: [{ id: uuid(workflowId, 7), name: 'answer', type: 'string', value: "=**n8n** answers: {{ $('WeCom AI Bot Trigger').item.json.text }} has {{ $('WeCom AI Bot Trigger').item.json.text.length }} characters." }] },
		options: {},
	},
});

const readFile = (workflowId) => ({
	id: uuid(workflowId, 5),
	name: READ_FILE,
	type: 'n8n-nodes-base.extractFromFile',
	typeVersion: 1.1,
	position: [200, 0],
	parameters: { operation: 'text', binaryPropertyName: 'attachment_0', destinationKey: 'fileText', options: {} },
});

const line = (...names) => Object.fromEntries(names.slice(0, -1).map((name, index) => [name, { main: [[{ node: names[index + 1], type: 'main', index: 0 }]] }]));

function workflow(id, name, nodes, connections = {}) {
	return { id, name, active: false, settings: { executionOrder: 'v1' }, nodes, connections };
}

export const CARD_UPDATE = { card_type: 'button_interaction', main_title: { title: '已同意 Approved' }, button_list: [{ text: 'Approved', style: 1, key: 'done' }] };

export function aibotWorkflows() {
	const reply = (id) => wecom(id, 4, 'Reply', { operation: 'reply', content: '={{ $json.answer }}', options: { steps: 3 } }, 600);
	return [
		workflow(
			AIBOT_IDS.answer,
			'E2E: AI Bot answers (long connection)',
			[trigger(AIBOT_IDS.answer, { mode: 'longConnection', events: ['message.text'], options: {} }), wait(AIBOT_IDS.answer), answerSet(AIBOT_IDS.answer), reply(AIBOT_IDS.answer)],
			line(AIBOT_TRIGGER, 'Think', 'Answer', 'Reply'),
		),
		workflow(
			AIBOT_IDS.card,
			'E2E: AI Bot card click (long connection)',
			[trigger(AIBOT_IDS.card, { mode: 'longConnection', events: ['event.template_card_event'], options: {} }), wecom(AIBOT_IDS.card, 4, 'Update Card', { operation: 'updateTemplateCard', card: JSON.stringify(CARD_UPDATE) }, 200)],
			line(AIBOT_TRIGGER, 'Update Card'),
		),
		workflow(
			AIBOT_IDS.files,
			'E2E: AI Bot files (long connection)',
			[trigger(AIBOT_IDS.files, { mode: 'longConnection', events: ['message.file'], options: { stream: false } }), readFile(AIBOT_IDS.files)],
			line(AIBOT_TRIGGER, READ_FILE),
		),
		workflow(
			AIBOT_IDS.callbackFiles,
			'E2E: AI Bot files (callback URL)',
			[trigger(AIBOT_IDS.callbackFiles, { mode: 'callback', path: AIBOT_PATHS.callbackFiles, events: ['message.file'], options: { stream: false } }), readFile(AIBOT_IDS.callbackFiles)],
			line(AIBOT_TRIGGER, READ_FILE),
		),
		workflow(
			AIBOT_IDS.callback,
			'E2E: AI Bot answers (callback URL)',
			[trigger(AIBOT_IDS.callback, { mode: 'callback', path: AIBOT_PATHS.callback, events: ['message.text'], options: {} }), wait(AIBOT_IDS.callback), answerSet(AIBOT_IDS.callback), reply(AIBOT_IDS.callback)],
			line(AIBOT_TRIGGER, 'Think', 'Answer', 'Reply'),
		),
		workflow(
			AIBOT_IDS.callbackCard,
			'E2E: AI Bot card click (callback URL)',
			[
				trigger(AIBOT_IDS.callbackCard, { mode: 'callback', path: AIBOT_PATHS.callbackCard, events: ['event.template_card_event'], options: {} }),
				wecom(AIBOT_IDS.callbackCard, 4, 'Update Card', { operation: 'updateTemplateCard', card: JSON.stringify(CARD_UPDATE) }, 200),
			],
			line(AIBOT_TRIGGER, 'Update Card'),
		),
	];
}
