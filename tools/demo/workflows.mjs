// The example workflows (examples/*.json) as the demo imports them: fixed IDs, credentials that
// point at the WeCom sandbox, and the file example's download URL pointing at the local file server.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const examplesDir = join(repoRoot, 'examples');

const TRIGGER_TYPE = 'n8n-nodes-wecom-kit.weComTrigger';

/** Fixed demo IDs (16 characters, like the IDs n8n generates) so the demo can link to and run them. */
export const DEMO_WORKFLOWS = Object.freeze({
	alert: { file: 'alert-markdown.json', id: 'wecomDemoAlert01' },
	approval: { file: 'approval-card.json', id: 'wecomDemoApprove' },
	file: { file: 'file-to-department.json', id: 'wecomDemoFile001' },
});

export const DEMO_CREDENTIALS = Object.freeze({
	weComApi: { id: 'wecomDemoApiCred', name: 'WeCom API (sandbox)' },
	weComCallbackApi: { id: 'wecomDemoCallbck', name: 'WeCom Callback (sandbox)' },
	weComWebhookApi: { id: 'wecomDemoRobotCr', name: 'WeCom Group Robot (sandbox)' },
});

/** Every examples/*.json, parsed, as users import them. */
export function loadExamples() {
	return readdirSync(examplesDir)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((file) => ({ file, workflow: JSON.parse(readFileSync(join(examplesDir, file), 'utf8')) }));
}

export function loadExample(file) {
	return JSON.parse(readFileSync(join(examplesDir, file), 'utf8'));
}

/**
 * Credentials for the sandbox's fixed (printable, local-only) app, callback and robot settings.
 * @param {string} sandboxUrl
 * @param {typeof import('../../test/sandbox/defaults').SANDBOX_DEFAULTS} defaults
 */
export function demoCredentials(sandboxUrl, defaults) {
	return [
		{
			...DEMO_CREDENTIALS.weComApi,
			type: 'weComApi',
			data: { corpId: defaults.corpId, corpSecret: defaults.corpSecret, agentId: String(defaults.agentId), baseUrl: sandboxUrl },
		},
		{
			...DEMO_CREDENTIALS.weComCallbackApi,
			type: 'weComCallbackApi',
			data: { token: defaults.callbackToken, encodingAESKey: defaults.encodingAESKey, receiveId: defaults.corpId },
		},
		{
			...DEMO_CREDENTIALS.weComWebhookApi,
			type: 'weComWebhookApi',
			data: { webhookKey: defaults.robotKey, baseUrl: sandboxUrl },
		},
	];
}

/** Points every credential reference of a workflow at the demo credential of the same type. */
function useDemoCredentials(workflow) {
	for (const node of workflow.nodes) {
		for (const type of Object.keys(node.credentials ?? {})) {
			const demo = DEMO_CREDENTIALS[type];
			if (!demo) throw new Error(`${workflow.name}: node "${node.name}" uses credential type ${type}, which the demo does not provide`);
			node.credentials[type] = { ...demo };
		}
	}
	return workflow;
}

/** Sets a Set node's string field (the examples keep what users must change in "settings" Set nodes). */
function setField(workflow, nodeName, field, value) {
	const node = workflow.nodes.find((n) => n.name === nodeName);
	const assignment = node?.parameters?.assignments?.assignments?.find((a) => a.name === field);
	if (!assignment) throw new Error(`${workflow.name}: no field "${field}" in node "${nodeName}"`);
	assignment.value = value;
}

/** The WeCom Trigger node's webhook path in a workflow (its production URL is <n8n>/webhook/<path>). */
export function triggerPath(workflow) {
	const trigger = workflow.nodes.find((n) => n.type === TRIGGER_TYPE);
	if (!trigger) throw new Error(`${workflow.name} has no WeCom Trigger node`);
	return trigger.parameters.path;
}

/**
 * The three demo workflows, ready for startN8n({ workflows }).
 * @param {{ fileUrl: string }} opts
 */
export function demoWorkflows({ fileUrl }) {
	const out = {};
	for (const [key, { file, id }] of Object.entries(DEMO_WORKFLOWS)) {
		const workflow = useDemoCredentials(loadExample(file));
		workflow.id = id;
		workflow.active = false;
		if (key === 'file') setField(workflow, 'File settings', 'fileUrl', fileUrl);
		out[key] = workflow;
	}
	return out;
}
