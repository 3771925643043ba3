// Builders for the workflow and credential JSON (n8n's export format) that the e2e scenarios import:
// our WeCom node, the core nodes that feed it items and files, and credentials pointing at the sandbox.
import { randomUUID } from 'node:crypto';

export const WECOM_NODE = 'n8n-nodes-wecom-kit.weCom';
export const WECOM_TRIGGER_NODE = 'n8n-nodes-wecom-kit.weComTrigger';

/** n8n generates 16 alphanumeric characters; padding a readable stem keeps IDs stable and legible. */
export function workflowId(stem) {
	const clean = String(stem).replace(/[^A-Za-z0-9]/g, '');
	if (clean.length > 16) throw new Error(`Workflow ID stem "${stem}" is longer than 16 characters`);
	return clean.padEnd(16, '0');
}

/** A node at column `x`; IDs are fresh UUIDs as n8n's editor makes them. */
export function node(name, type, typeVersion, parameters = {}, extra = {}) {
	return { id: randomUUID(), name, type, typeVersion, position: [0, 0], parameters, ...extra };
}

export const manualTrigger = (name = 'Start') => node(name, 'n8n-nodes-base.manualTrigger', 1);

/**
 * Production webhook answering with the last node's items once the execution has finished, so a caller
 * knows its execution is over when the response arrives.
 */
export function webhookTrigger(path, name = 'Webhook') {
	return node(
		name,
		'n8n-nodes-base.webhook',
		2,
		{ path, httpMethod: 'POST', responseMode: 'lastNode', responseData: 'allEntries', options: {} },
		{ webhookId: randomUUID() },
	);
}

/** A Code node that outputs exactly these items (JSON and, optionally, base64 binary). */
export function codeItems(name, items) {
	const literal = JSON.stringify(items.map((item) => ('json' in item ? item : { json: item })));
	return node(name, 'n8n-nodes-base.code', 2, { mode: 'runOnceForAllItems', language: 'javaScript', jsCode: `return ${literal};` });
}

/** A Code node mapping each incoming webhook body's `items` array to one item per entry. */
export function bodyItems(name = 'Body items') {
	return node(name, 'n8n-nodes-base.code', 2, {
		mode: 'runOnceForAllItems',
		language: 'javaScript',
		jsCode: 'return $input.all().flatMap((item) => (item.json.body.items || [item.json.body]).map((json) => ({ json })));',
	});
}

/** Core "Convert to File" (Move Base64 String to File): how users turn a base64 field into binary data. */
export function base64ToFile(name, { sourceProperty, binaryPropertyName = 'data', fileName, mimeType }) {
	return node(name, 'n8n-nodes-base.convertToFile', 1.1, {
		operation: 'toBinary',
		sourceProperty,
		binaryPropertyName,
		options: { fileName, mimeType },
	});
}

/**
 * Our action node. `credential`: { type: 'weComApi' | 'weComWebhookApi', id, name }.
 * `continueOnFail` maps to n8n's "On Error: Continue" (failed items go out as items with `error`).
 */
export function weComNode(name, parameters, { credential, continueOnFail = false } = {}) {
	return node(name, WECOM_NODE, 1, parameters, {
		credentials: { [credential.type]: { id: credential.id, name: credential.name } },
		...(continueOnFail ? { onError: 'continueRegularOutput' } : {}),
	});
}

/**
 * A workflow from nodes and `edges` ([fromName, toName] on main output 0). Nodes are laid out by
 * their depth from the first node, so the editor shows branches side by side.
 */
export function workflow({ id, name, nodes, edges, settings = {} }) {
	const byName = new Map(nodes.map((n) => [n.name, n]));
	const connections = {};
	const depth = new Map([[nodes[0].name, 0]]);
	for (const [from, to] of edges) {
		if (!byName.has(from) || !byName.has(to)) throw new Error(`Edge ${from} -> ${to} names a node that is not in workflow ${id}`);
		connections[from] ??= { main: [[]] };
		connections[from].main[0].push({ node: to, type: 'main', index: 0 });
		depth.set(to, (depth.get(from) ?? 0) + 1);
	}
	const rows = new Map();
	for (const n of nodes) {
		const column = depth.get(n.name) ?? 0;
		const row = rows.get(column) ?? 0;
		rows.set(column, row + 1);
		n.position = [column * 220, row * 160];
	}
	return { id, name, active: false, settings: { executionOrder: 'v1', ...settings }, nodes, connections };
}

/** A workflow whose nodes run one after another. */
export function linearWorkflow({ id, name, nodes, settings }) {
	const edges = nodes.slice(1).map((n, index) => [nodes[index].name, n.name]);
	return workflow({ id, name, nodes, edges, settings });
}

/** A credential reference for weComNode() plus the import record startN8n() takes. */
export function weComApiCredential(id, name, data) {
	return { ref: { type: 'weComApi', id, name }, record: { id, name, type: 'weComApi', data } };
}

export function weComRobotCredential(id, name, data) {
	return { ref: { type: 'weComWebhookApi', id, name }, record: { id, name, type: 'weComWebhookApi', data } };
}

export function weComCallbackCredential(id, name, data) {
	return { ref: { type: 'weComCallbackApi', id, name }, record: { id, name, type: 'weComCallbackApi', data } };
}
