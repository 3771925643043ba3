// Engine-side helpers: the WeCom sandbox in-process, the engine harness (n8n-core's real WorkflowExecute), and
// workflows that send text messages with our WeCom node.
import { requireTs } from './ts.mjs';

export function loadKit() {
	const sandboxModule = requireTs('test/sandbox');
	const harness = requireTs('test/harness');
	const { setRetryPolicy } = requireTs('nodes/WeCom/transport/retryPolicy');
	// No retry should happen in a benchmark; if one does, it must not sleep for seconds.
	setRetryPolicy({ baseDelayMs: 5, maxDelayMs: 20 });
	return { ...sandboxModule, ...harness };
}

export function addApiCredential(kit, store, sandbox) {
	const { SANDBOX_DEFAULTS } = kit;
	return store.add(
		'weComApi',
		{ corpId: SANDBOX_DEFAULTS.corpId, corpSecret: SANDBOX_DEFAULTS.corpSecret, agentId: String(SANDBOX_DEFAULTS.agentId), baseUrl: sandbox.url },
		{ id: 'bench-wecom-api', name: 'WeCom (bench)' },
	);
}

/** Input node with `count` items `{ n, text }` → WeCom node sending each item's text to one user. */
export function textSendWorkflow(credentialId, count, { name = 'bench send', prefix = 'alert', extraParameters = {} } = {}) {
	const items = Array.from({ length: count }, (_, n) => ({ json: { n, text: `${prefix} #${n}: disk usage 91% on host-${n % 50}` } }));
	return requireTs('test/harness').inputWorkflow(
		{
			id: '2',
			name: 'WeCom',
			type: 'n8n-nodes-wecom-kit.weCom',
			parameters: { resource: 'message', operation: 'send', toUser: 'zhangsan', msgtype: 'text', textContent: '={{ $json.text }}', ...extraParameters },
			credentials: { weComApi: { id: credentialId, name: 'WeCom (bench)' } },
		},
		items,
		{ name },
	);
}

/** Throws with the node's error if a run failed; returns the WeCom node's output items. */
export function expectSuccess(result, nodeName = 'WeCom') {
	if (result.error) throw new Error(`Workflow failed: ${result.error.message} ${result.error.description ?? ''}`);
	return result.output(nodeName);
}

/** The WeCom node's own execution time (ms) as the engine recorded it in its task data. */
export function nodeTime(result, nodeName = 'WeCom') {
	return result.task(nodeName)?.executionTime ?? NaN;
}
