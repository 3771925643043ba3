/**
 * The trigger's webhook path, declared so n8n 2.x can resolve it without its expression engine.
 *
 * A description field `={{$parameter["path"]}}` is an expression n8n evaluates for every request. n8n's own nodes
 * attach a native resolver under WEBHOOK_RESOLVERS (a registered symbol), and n8n then reads the path straight from
 * the node's parameters when none of them holds an expression. n8n 2.41 still acquires an expression isolate for
 * each request to any trigger but its own Webhook node (LiveWebhooks.webhookPhaseNeedsIsolate), which is most of a
 * callback's wait in real n8n (README: Performance); with the resolver the path costs no evaluation inside it, and a
 * later n8n that skips the isolate for natively resolvable descriptions can skip it for this trigger too.
 * n8n 1.x exports no such symbol and keeps using the template, which stays exactly the same string.
 */
import type { INodeParameters, IWebhookDescription, NativeParameterResolvers } from 'n8n-workflow';
import { WEBHOOK_RESOLVERS } from 'n8n-workflow';

const PATH_TEMPLATE = '={{$parameter["path"]}}';

export function webhookPathFields(): Pick<IWebhookDescription, 'path' | typeof WEBHOOK_RESOLVERS> {
	const fields: Pick<IWebhookDescription, 'path' | typeof WEBHOOK_RESOLVERS> = { path: PATH_TEMPLATE };
	// Undefined at runtime in n8n versions without native resolvers.
	if (typeof WEBHOOK_RESOLVERS === 'symbol') {
		const resolvers: NativeParameterResolvers = { path: { template: PATH_TEMPLATE, resolve: (parameters: INodeParameters) => parameters.path } };
		fields[WEBHOOK_RESOLVERS] = resolvers;
	}
	return fields;
}
