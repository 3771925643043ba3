// Workflows (n8n export format) for test/e2e/send-and-wait.e2e.mjs. One workflow holds every variant: each has
// its own Webhook trigger (POST /webhook/saw-<variant> starts only that branch), a WeCom "Ask …" node (Send and
// Wait for Response to the sandbox user) and an IF on `data.approved` with an "… approved" and an "… other" end,
// so the path an execution finished on is the last node it ran. A second, published workflow holds the WeCom
// Trigger on the app's callback URL that hands native button clicks to the waiting executions.
import { createHash } from 'node:crypto';
import { IDS as TRIGGER_IDS, triggerCredentials } from './triggerWorkflows.mjs';

const PACKAGE = 'n8n-nodes-wecom-kit';

export const SAW_IDS = Object.freeze({ ask: 'e2eSendAndWait01', answers: 'e2eSawAnswers001' });
export const ANSWERS_PATH = 'wecom-saw-answers';
export const USER = 'zhangsan';
export const LABELS = Object.freeze({ approve: '同意 Approve', decline: '驳回 Decline', approvedText: '已同意 Approved' });
export const TIMEOUT_SECONDS = 6;

const DOUBLE = { values: { approvalType: 'double', approveLabel: LABELS.approve, disapproveLabel: LABELS.decline } };

/** Parameters of each variant's Ask node (besides resource, operation, recipient, subject and message). */
export const VARIANTS = Object.freeze({
	approval: { approvalOptions: DOUBLE },
	freeText: { responseType: 'freeText', options: { messageButtonLabel: 'Answer', responseFormTitle: 'Your view' } },
	customForm: {
		responseType: 'customForm',
		formFields: {
			values: [
				{ fieldLabel: 'Amount', fieldType: 'number', requiredField: true },
				{ fieldLabel: 'Cost Center', fieldType: 'dropdown', fieldOptions: { values: [{ option: 'R&D' }, { option: 'Sales' }] } },
			],
		},
	},
	// n8n's Limit Wait Time takes minutes at the least as unit; 0.1 minutes is 6 seconds.
	timeout: { approvalOptions: DOUBLE, options: { limitWaitTime: { values: { limitType: 'afterTimeInterval', resumeAmount: TIMEOUT_SECONDS / 60, resumeUnit: 'minutes' } } } },
	buttons: { answerWith: 'buttons', approvalOptions: DOUBLE, cardUpdate: { approvedText: LABELS.approvedText } },
});

/** The nodes each variant's execution can end on. */
export const ends = (variant) => ({ ask: `Ask ${variant}`, approved: `${variant} approved`, other: `${variant} other` });

function uuid(seed) {
	const hex = createHash('sha1').update(seed).digest('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const apiRef = { weComApi: { id: TRIGGER_IDS.apiCredential, name: 'WeCom app (sandbox)' } };
const callbackRef = { weComCallbackApi: { id: TRIGGER_IDS.callbackCredential, name: 'WeCom callback (sandbox)' } };

function branch(variant, parameters, row) {
	const { ask, approved, other } = ends(variant);
	const start = `Start ${variant}`;
	const gate = `${variant} approved?`;
	const y = row * 200;
	const nodes = [
		{
			id: uuid(`${variant}:start`),
			name: start,
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, y],
			webhookId: uuid(`${variant}:start-hook`),
			parameters: { httpMethod: 'POST', path: `saw-${variant}`, responseMode: 'onReceived', options: {} },
		},
		{
			id: uuid(`${variant}:ask`),
			name: ask,
			type: `${PACKAGE}.weCom`,
			typeVersion: 1,
			position: [220, y],
			webhookId: uuid(`${variant}:ask-hook`),
			parameters: {
				resource: 'message',
				operation: 'sendAndWait',
				toUser: USER,
				subject: `Expense ${variant}`,
				message: 'Approve 1,280 CNY for the Shanghai trip?',
				...parameters,
			},
			credentials: parameters.answerWith === 'buttons' ? { ...apiRef, ...callbackRef } : apiRef,
		},
		{
			id: uuid(`${variant}:if`),
			name: gate,
			type: 'n8n-nodes-base.if',
			typeVersion: 1,
			position: [440, y],
			parameters: { conditions: { boolean: [{ value1: '={{ $json.data?.approved === true }}', value2: true }] } },
		},
		{ id: uuid(`${variant}:yes`), name: approved, type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [660, y - 60], parameters: {} },
		{ id: uuid(`${variant}:no`), name: other, type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [660, y + 60], parameters: {} },
	];
	const connections = {
		[start]: { main: [[{ node: ask, type: 'main', index: 0 }]] },
		[ask]: { main: [[{ node: gate, type: 'main', index: 0 }]] },
		[gate]: { main: [[{ node: approved, type: 'main', index: 0 }], [{ node: other, type: 'main', index: 0 }]] },
	};
	return { nodes, connections };
}

export function sendAndWaitWorkflows() {
	const parts = Object.entries(VARIANTS).map(([variant, parameters], row) => branch(variant, parameters, row));
	const ask = {
		id: SAW_IDS.ask,
		name: 'E2E: Send and Wait for Response',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: parts.flatMap((part) => part.nodes),
		connections: Object.assign({}, ...parts.map((part) => part.connections)),
	};
	const answers = {
		id: SAW_IDS.answers,
		name: 'E2E: WeCom Trigger for card answers',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: uuid('answers:trigger'),
				name: 'WeCom Trigger',
				type: `${PACKAGE}.weComTrigger`,
				typeVersion: 1,
				position: [0, 0],
				webhookId: uuid('answers:trigger-hook'),
				parameters: { path: ANSWERS_PATH, events: ['message.text'], responseMode: 'empty', options: {} },
				credentials: callbackRef,
			},
		],
		connections: {},
	};
	return [ask, answers];
}

export { triggerCredentials as sendAndWaitCredentials };
