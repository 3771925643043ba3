// Credentials and workflows (n8n export format) for the WeCom Trigger end-to-end scenarios
// (test/e2e/trigger.e2e.mjs). Secrets are the sandbox's fixed defaults (test/sandbox/fixed-credentials.json):
// they only open the local imitation of WeCom, and the tests search n8n's data and logs for them.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sandboxDefaults } from '../../sandbox/control-client.mjs';

/** The card the engine test's chain sends too (test/fixtures). */
const APPROVAL_CARD = JSON.parse(readFileSync(new URL('../../fixtures/approval-card.json', import.meta.url), 'utf8'));

export const SANDBOX = sandboxDefaults();
const PACKAGE = 'n8n-nodes-wecom-kit';
export const TRIGGER_NODE = 'WeCom Trigger';

export const IDS = Object.freeze({
	callbackCredential: 'e2eWeComCallback',
	apiCredential: 'e2eWeComApiCred1',
	/** Every callback type, empty acknowledgement, retries ignored. */
	main: 'e2eTriggerMain01',
	/** Passive text reply. */
	reply: 'e2eTriggerReply1',
	/** Manual start → WeCom: send a button_interaction card. */
	sendCard: 'e2eSendCardWf001',
	/** WeCom Trigger (card clicks of one task) → WeCom: update the card by ResponseCode. */
	chain: 'e2eCardChainWf01',
});

export const PATHS = Object.freeze({ main: 'wecom-e2e', reply: 'wecom-e2e-reply', chain: 'wecom-e2e-chain' });
export const CARD_TASK_ID = 'e2e-approval-1';
export const PASSIVE_TEXT = '收到 <ok> & 谢谢';

/** @param {string} sandboxUrl the WeCom API base URL the action node talks to */
export function triggerCredentials(sandboxUrl) {
	return [
		{
			id: IDS.callbackCredential,
			name: 'WeCom callback (sandbox)',
			type: 'weComCallbackApi',
			data: { token: SANDBOX.callbackToken, encodingAESKey: SANDBOX.encodingAESKey, receiveId: SANDBOX.corpId },
		},
		{
			id: IDS.apiCredential,
			name: 'WeCom app (sandbox)',
			type: 'weComApi',
			data: { corpId: SANDBOX.corpId, corpSecret: SANDBOX.corpSecret, agentId: SANDBOX.agentId, baseUrl: sandboxUrl },
		},
	];
}

const callbackCredentialRef = { weComCallbackApi: { id: IDS.callbackCredential, name: 'WeCom callback (sandbox)' } };
const apiCredentialRef = { weComApi: { id: IDS.apiCredential, name: 'WeCom app (sandbox)' } };

/** A deterministic UUID per (workflow, node) pair; n8n wants UUIDs for node IDs and webhook IDs. */
function uuid(workflowId, n) {
	const hex = createHash('sha1').update(`${workflowId}:${n}`).digest('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The trigger node. Its webhooks use `isFullPath`, so with a webhookId the production URL is
 * `<n8n>/webhook/<path>` exactly (n8n's getNodeWebhookPath); without one n8n would prefix the workflow ID.
 */
function triggerNode(workflowId, parameters) {
	return {
		id: uuid(workflowId, 1),
		name: TRIGGER_NODE,
		type: `${PACKAGE}.weComTrigger`,
		typeVersion: 1,
		position: [0, 0],
		webhookId: uuid(workflowId, 9),
		parameters,
		credentials: callbackCredentialRef,
	};
}

function workflow(id, name, nodes, connections = {}) {
	return { id, name, active: false, settings: { executionOrder: 'v1' }, nodes, connections };
}

export function triggerWorkflows() {
	const main = workflow(IDS.main, 'E2E: WeCom Trigger (all callbacks)', [triggerNode(IDS.main, { path: PATHS.main, events: [], responseMode: 'empty', options: {} })]);

	const reply = workflow(IDS.reply, 'E2E: WeCom Trigger (passive text reply)', [
		triggerNode(IDS.reply, { path: PATHS.reply, responseMode: 'passive', replyType: 'text', replyContent: PASSIVE_TEXT, options: {} }),
	]);

	const sendCard = workflow(
		IDS.sendCard,
		'E2E: send an approval card',
		[
			{ id: uuid(IDS.sendCard, 1), name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: uuid(IDS.sendCard, 2),
				name: 'Send Card',
				type: `${PACKAGE}.weCom`,
				typeVersion: 1,
				position: [220, 0],
				parameters: { ...APPROVAL_CARD, cardTaskId: CARD_TASK_ID },
				credentials: apiCredentialRef,
			},
		],
		{ Start: { main: [[{ node: 'Send Card', type: 'main', index: 0 }]] } },
	);

	const chain = workflow(
		IDS.chain,
		'E2E: card click → update card',
		[
			triggerNode(IDS.chain, { path: PATHS.chain, events: ['event.template_card_event'], responseMode: 'empty', options: { taskIds: CARD_TASK_ID } }),
			{
				id: uuid(IDS.chain, 2),
				name: 'Update Card',
				type: `${PACKAGE}.weCom`,
				typeVersion: 1,
				position: [220, 0],
				parameters: {
					resource: 'message',
					operation: 'updateTemplateCard',
					responseCode: '={{ $json.ResponseCode }}',
					updateMode: 'replaceButton',
					replaceName: '={{ $json.EventKey === "approve" ? "已同意 Approved" : "已驳回 Rejected" }}',
					updateFor: 'specific',
					updateUserIds: '={{ $json.FromUserName }}',
				},
				credentials: apiCredentialRef,
			},
		],
		{ [TRIGGER_NODE]: { main: [[{ node: 'Update Card', type: 'main', index: 0 }]] } },
	);

	return [main, reply, sendCard, chain];
}
