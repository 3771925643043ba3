/** The engine test harness: run workflow JSON through n8n-core's real execution engine. See README.md here. */
export { setupEngine, reportedErrors } from './engine';
export { CredentialStore, HarnessCredentialsHelper, type CredentialUpdate, type StoredCredential } from './credentials';
export { getCredentialType, registerCredentialType } from './credentialTypes';
export { nodeTypes, HarnessNodeTypes, PACKAGE_PREFIX } from './nodeTypes';
export { TestInput, TestNoOp, type TestInputItem, type TestBinaryInput } from './testNodes';
export {
	runWorkflow,
	runMany,
	inputWorkflow,
	loadWorkflow,
	type RunWorkflowOptions,
	type WorkflowDefinition,
	type WorkflowNode,
	type WorkflowRunResult,
} from './runWorkflow';
export { readBinary } from './binary';
export { testCredential, type CredentialTestResult } from './credentialTest';
export {
	startWebhookServer,
	type WebhookServer,
	type WebhookServerOptions,
	type WebhookRegistration,
	type WebhookHttpRequest,
	type ExpressLikeResponse,
} from './webhookServer';
export { startWaitingServer, type WaitingServer } from './waitingServer';
export { activateTrigger, type ActiveTrigger } from './triggerRunner';
