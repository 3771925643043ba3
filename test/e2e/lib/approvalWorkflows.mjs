// Credentials and workflows for the approvals scenario (test/e2e/approvals.e2e.mjs): the importable example
// examples/approval-expense.json itself (submit from a webhook, follow the decision with a switch), pointed at
// the sandbox, plus a workflow whose WeCom Trigger lets only approved expense claims through.
import { loadExample } from '../../../tools/demo/workflows.mjs';
import { sandboxDefaults } from '../../sandbox/control-client.mjs';
import { node, weComApiCredential, weComCallbackCredential, weComNode, linearWorkflow, WECOM_TRIGGER_NODE } from './workflows.mjs';

const SANDBOX = sandboxDefaults();

/** The sandbox's 报销申请 template (test/sandbox/approvalTemplates.ts), which the example is mapped to. */
export const EXPENSE_TEMPLATE_ID = '3WLJF6naF5jhnXvwisuPmE85wVMYcy2DLtLaZwLV';
export const LEAVE_TEMPLATE_ID = 'C4NxJWFSBcpLmYNKXhpjBnQ5yMzhuWiHXEqj5SHf';

export const APPROVAL_IDS = Object.freeze({ example: 'e2eApprovalExpns', approved: 'e2eApprovalOnly1' });
export const APPROVAL_PATHS = Object.freeze({ submit: 'expense-approval', decision: 'wecom-approvals', approved: 'wecom-approved-only' });
export const APPROVED_TRIGGER = 'On approved expense';

/** @param {string} sandboxUrl */
export function approvalCredentials(sandboxUrl) {
	const app = weComApiCredential('e2eApprovalApi01', 'WeCom app (sandbox)', { corpId: SANDBOX.corpId, corpSecret: SANDBOX.corpSecret, agentId: SANDBOX.agentId, baseUrl: sandboxUrl });
	const callback = weComCallbackCredential('e2eApprovalCb001', 'WeCom callback (sandbox)', {
		token: SANDBOX.callbackToken,
		encodingAESKey: SANDBOX.encodingAESKey,
		receiveId: SANDBOX.corpId,
	});
	return { app, callback, records: [app.record, callback.record] };
}

/** The example as a user imports it, with the credentials they would select. */
function exampleWorkflow(credentials) {
	const workflow = loadExample('approval-expense.json');
	workflow.id = APPROVAL_IDS.example;
	for (const n of workflow.nodes) {
		if (n.credentials?.weComApi) n.credentials = { weComApi: { id: credentials.app.ref.id, name: credentials.app.ref.name } };
		if (n.credentials?.weComCallbackApi) n.credentials = { weComCallbackApi: { id: credentials.callback.ref.id, name: credentials.callback.ref.name } };
	}
	return workflow;
}

/** WeCom Trigger (the expense template, status 已通过 only) → Get the detail → tell the applicant. */
function approvedOnlyWorkflow(credentials) {
	// A webhookId makes the production URL <n8n>/webhook/<path> exactly (the trigger's path is a full path).
	const trigger = node(
		APPROVED_TRIGGER,
		WECOM_TRIGGER_NODE,
		1,
		{ path: APPROVAL_PATHS.approved, events: ['event.sys_approval_change'], responseMode: 'empty', options: { approvalTemplateIds: EXPENSE_TEMPLATE_ID, approvalStatuses: [2] } },
		{ webhookId: '5a0d3c1e-2b4f-4e6a-8c7d-9f1e2d3c4b51', credentials: { weComCallbackApi: { id: credentials.callback.ref.id, name: credentials.callback.ref.name } } },
	);
	return linearWorkflow({
		id: APPROVAL_IDS.approved,
		name: 'E2E approvals: approved expense → detail → message',
		nodes: [
			trigger,
			weComNode('Get detail', { resource: 'approval', operation: 'get', spNo: '={{ $json.approval.spNo }}' }, { credential: credentials.app.ref }),
			weComNode(
				'Tell applicant',
				{
					resource: 'message',
					operation: 'send',
					toUser: '={{ $json.applicant.userid }}',
					msgtype: 'text',
					textContent: "=报销 {{ $json.sp_no }} {{ $json.sp_status_name }}: {{ $json.controls['报销事由'] }}, {{ $json.controls['报销金额'] }} 元",
				},
				{ credential: credentials.app.ref },
			),
		],
	});
}

/** @param {ReturnType<typeof approvalCredentials>} credentials */
export function approvalWorkflows(credentials) {
	return [exampleWorkflow(credentials), approvedOnlyWorkflow(credentials)];
}
