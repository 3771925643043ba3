/** IWorkflowExecuteAdditionalData built the way n8n's `WorkflowExecuteAdditionalData.getBase()` shapes it. */
import { ExecutionLifecycleHooks, ExternalSecretsProxy } from 'n8n-core';
import type { IWorkflowBase, IWorkflowExecuteAdditionalData, WorkflowExecuteMode } from 'n8n-workflow';

import type { CredentialStore } from './credentials';

/** Absolute URLs: n8n-core builds resume/form/webhook URLs with `new URL()`, which rejects empty strings. */
export const INSTANCE_BASE_URL = 'http://127.0.0.1:5678';

let executionCounter = 0;

/** Unique within the process, so concurrent runs never share an execution ID. */
export function nextExecutionId(): string {
	return `harness-${process.pid}-${++executionCounter}`;
}

export function buildAdditionalData(options: {
	credentials: CredentialStore;
	executionId?: string;
	workflowData: IWorkflowBase;
	hooksMode: WorkflowExecuteMode;
	webhookBaseUrl?: string;
	/** Where signed resume URLs point (default INSTANCE_BASE_URL/webhook-waiting); the waiting server's own URL. */
	webhookWaitingBaseUrl?: string;
}): IWorkflowExecuteAdditionalData {
	const { credentials, executionId, workflowData, hooksMode } = options;
	const base = INSTANCE_BASE_URL;
	const additionalData = {
		credentialsHelper: credentials.helper,
		executeWorkflow: async () => {
			throw new Error('The test harness does not run sub-workflows (Execute Workflow)');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		startRunnerTask: async () => {
			throw new Error('The test harness has no task runner (Code node)');
		},
		logAiEvent: () => undefined,
		executionId,
		currentNodeExecutionIndex: 0,
		restApiUrl: `${base}/rest`,
		instanceBaseUrl: `${base}/`,
		formBaseUrl: `${base}/form`,
		formTestBaseUrl: `${base}/form-test`,
		formWaitingBaseUrl: `${base}/form-waiting`,
		webhookBaseUrl: options.webhookBaseUrl ?? `${base}/webhook`,
		webhookTestBaseUrl: `${base}/webhook-test`,
		webhookWaitingBaseUrl: options.webhookWaitingBaseUrl ?? `${base}/webhook-waiting`,
		mcpBaseUrl: `${base}/mcp`,
		mcpTestBaseUrl: `${base}/mcp-test`,
		variables: {},
		externalSecretsProxy: new ExternalSecretsProxy(),
		workflowId: workflowData.id,
		projectId: 'harness-project',
		userId: 'harness-user',
		workflowSettings: workflowData.settings ?? {},
		hooks: executionId === undefined ? undefined : new ExecutionLifecycleHooks(hooksMode, executionId, workflowData),
	};
	return additionalData as unknown as IWorkflowExecuteAdditionalData;
}
