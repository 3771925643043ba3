// Workflows of the bulk part: Webhook → Split Out → our WeCom node (one workflow per Concurrency) or n8n's HTTP Request
// node, each item's recipient and text written by expressions, so both sides do the same per-item work.
import { createHash } from 'node:crypto';

const PKG = 'n8n-nodes-wecom-kit';
const TEXT = '"Hi " + $json.name + ", your order #" + $json.order + " ships today."';

export const uuid = (seed) => {
	const hex = createHash('sha1').update(seed).digest('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

/** `count` items for users the sandbox knows (user0…user999); `tag` keeps each run's texts distinct. */
export const personalised = (count, tag) => Array.from({ length: count }, (_, n) => ({ user: `user${n % 1000}`, name: `Customer ${tag}-${n}`, order: 100000 + n }));
/** What the expression TEXT makes of an item (for the bare loop's bodies). */
export const textOf = (item) => `Hi ${item.name}, your order #${item.order} ships today.`;

export function bulkWorkflows({ sandboxUrl, token, agentId, defaults }) {
	const apiId = 'benchBulkWeComApi';
	const ids = {};
	const paths = {};
	const workflow = (key, last) => {
		const id = `bulk${createHash('sha1').update(key).digest('hex').slice(0, 12)}`;
		ids[key] = id;
		paths[key] = `bench-bulk-${key}`;
		return {
			id,
			name: `Bench bulk: ${key}`,
			active: false,
			settings: { executionOrder: 'v1' },
			nodes: [
				{
					id: uuid(`${id}:hook`),
					name: 'Webhook',
					type: 'n8n-nodes-base.webhook',
					typeVersion: 2,
					position: [0, 0],
					webhookId: uuid(`${id}:hookid`),
					parameters: { path: paths[key], httpMethod: 'POST', responseMode: 'onReceived', options: {} },
				},
				{ id: uuid(`${id}:split`), name: 'Split Out', type: 'n8n-nodes-base.splitOut', typeVersion: 1, position: [220, 0], parameters: { fieldToSplitOut: 'body.items', options: {} } },
				{ id: uuid(`${id}:last`), position: [440, 0], ...last },
			],
			connections: {
				Webhook: { main: [[{ node: 'Split Out', type: 'main', index: 0 }]] },
				'Split Out': { main: [[{ node: last.name, type: 'main', index: 0 }]] },
			},
		};
	};
	const ours = (concurrency) => ({
		name: 'WeCom',
		type: `${PKG}.weCom`,
		typeVersion: 1,
		parameters: { resource: 'message', operation: 'send', toUser: '={{ $json.user }}', msgtype: 'text', textContent: `={{ ${TEXT} }}`, ...(concurrency ? { concurrency } : {}) },
		credentials: { weComApi: { id: apiId, name: 'WeCom app (bench sandbox)' } },
	});
	const http = {
		name: 'HTTP Request',
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		parameters: {
			method: 'POST',
			url: `${sandboxUrl}/cgi-bin/message/send`,
			sendQuery: true,
			queryParameters: { parameters: [{ name: 'access_token', value: token }] },
			sendBody: true,
			specifyBody: 'json',
			jsonBody: `={{ JSON.stringify({ touser: $json.user, msgtype: "text", agentid: ${agentId}, text: { content: ${TEXT} } }) }}`,
			options: {},
		},
	};
	// One workflow for every Concurrency (read from the request, item 0 as the node reads it): each published workflow
	// costs an n8n CLI run at start-up, minutes on a loaded machine. The default one leaves the field unset.
	const workflows = [workflow('ours-default', ours()), workflow('ours', ours("={{ $('Webhook').first().json.body.concurrency }}")), workflow('http', http)];
	const credentials = [
		{
			id: apiId,
			name: 'WeCom app (bench sandbox)',
			type: 'weComApi',
			data: { corpId: defaults.corpId, corpSecret: defaults.corpSecret, agentId: String(defaults.agentId), baseUrl: sandboxUrl },
		},
	];
	return { workflows, credentials, ids, paths };
}
