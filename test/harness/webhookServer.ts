/**
 * A real HTTP server on 127.0.0.1 that serves a workflow's webhooks the way n8n's production webhook endpoint does
 * (packages/cli/src/webhooks/{live-webhooks,webhook-helpers,webhook-request-handler}.ts in n8n 2.41):
 *  - `/webhook/<path>`: the registered (method, path) pairs come from each trigger node's `webhooks` descriptions
 *    (path expression, isFullPath, node.webhookId) via n8n-workflow's own `getNodeWebhookPath`;
 *  - the request carries `rawBody` (the exact bytes, a Buffer), `body` (parsed like n8n: JSON, XML through xml2js with
 *    lower-cased tag names and collapsed arrays, urlencoded forms), `query`, `params`, `headers`;
 *  - the node's `webhook()` runs in n8n-core's real `WebhookContext`; `getResponseObject()` is the real
 *    `http.ServerResponse` with the few express helpers added (status, send, json, set/header, type, sendStatus);
 *  - `noWebhookResponse: true` leaves the answer to the node; without `workflowData` the answer is `webhookResponse`
 *    or `{"message":"Webhook call received"}`; with `workflowData` an execution starts from the trigger node with
 *    that data (WorkflowExecute.processRunExecutionData, mode 'webhook') and `onReceived` answers at once with the
 *    node's `responseData`, else `webhookResponse`, else `{"message":"Workflow was started"}` (strings sent as text,
 *    anything else as JSON);
 *  - a `webhook()` that throws gets HTTP 500 `{"code":0,"message":"Workflow Webhook Error: Workflow could not be started!"}`;
 *  - workflow static data changed by `webhook()` is persisted after each request (fresh copy per request, like a DB).
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQuery } from 'node:querystring';

import { WebhookContext } from 'n8n-core';
import type {
	IDataObject,
	IHttpRequestMethods,
	INode,
	IWebhookData,
	IWebhookDescription,
	IWebhookResponseData,
	IWorkflowBase,
	Workflow,
} from 'n8n-workflow';
import { NodeHelpers, createRunExecutionData } from 'n8n-workflow';

import { INSTANCE_BASE_URL, buildAdditionalData, nextExecutionId } from './additionalData';
import type { CredentialStore } from './credentials';
import { setupEngine } from './engine';
import { nodeTypes } from './nodeTypes';
import {
	createWorkflow,
	loadWorkflow,
	runFromExecutionData,
	toWorkflowData,
	type WorkflowDefinition,
	type WorkflowRunResult,
} from './runWorkflow';

export interface WebhookServerOptions {
	workflow: WorkflowDefinition | string;
	credentials: CredentialStore;
	/** Default: a free port. */
	port?: number;
	/** Per-execution timeout (default 30 s). */
	executionTimeoutMs?: number;
}

export interface WebhookRegistration {
	method: IHttpRequestMethods;
	path: string;
	nodeName: string;
	webhookName: string;
}

export interface WebhookServer {
	port: number;
	/** http://127.0.0.1:<port> */
	baseUrl: string;
	/** http://127.0.0.1:<port>/webhook/<path> */
	url(path: string): string;
	registrations: WebhookRegistration[];
	/** Finished executions the webhooks started, in completion order. */
	executions: WorkflowRunResult[];
	/** Errors thrown by webhook() or by the engine while running a started execution. */
	errors: Error[];
	/** The persisted workflow static data (a copy). */
	staticData(): IDataObject;
	/** Resolves once at least `n` started executions have finished. */
	waitForExecutions(n: number, timeoutMs?: number): Promise<WorkflowRunResult[]>;
	/** Stops listening and waits for executions still running. */
	close(): Promise<void>;
}

/** The express helpers n8n nodes use on `getResponseObject()`, added onto node's ServerResponse. */
export interface ExpressLikeResponse extends ServerResponse {
	status(code: number): ExpressLikeResponse;
	sendStatus(code: number): ExpressLikeResponse;
	set(field: string | Record<string, string>, value?: string): ExpressLikeResponse;
	header(field: string | Record<string, string>, value?: string): ExpressLikeResponse;
	type(contentType: string): ExpressLikeResponse;
	send(body?: unknown): ExpressLikeResponse;
	json(body: unknown): ExpressLikeResponse;
	/**
	 * n8n renders its handlebars views (form-trigger, send-and-wait-no-action-required …). The harness has no views:
	 * it answers an HTML stand-in naming the view, with the render data as JSON in `<script id="view-data">`.
	 */
	render(view: string, data?: unknown): void;
}

/** The request handed to `webhook()` (an express Request in n8n). */
export interface WebhookHttpRequest extends IncomingMessage {
	rawBody: Buffer;
	body: unknown;
	query: IDataObject;
	params: IDataObject;
	path: string;
	contentType: string;
}

// xml2js ships with n8n-workflow's dependency tree but has no types here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const xml2js = require('xml2js') as {
	parseStringPromise(xml: string, options: IDataObject): Promise<unknown>;
};

export function viewStandIn(view: string, data?: unknown): string {
	const json = JSON.stringify(data ?? {}).replace(/</g, '\\u003c');
	return `<!DOCTYPE html><html data-n8n-view="${view}"><body><script type="application/json" id="view-data">${json}</script></body></html>`;
}

export function expressify(res: ServerResponse): ExpressLikeResponse {
	const r = res as ExpressLikeResponse;
	const setHeaders = (field: string | Record<string, string>, value?: string) => {
		if (typeof field === 'string') res.setHeader(field, value ?? '');
		else for (const [key, v] of Object.entries(field)) res.setHeader(key, v);
		return r;
	};
	r.status = (code) => {
		res.statusCode = code;
		return r;
	};
	r.set = setHeaders;
	r.header = setHeaders;
	r.type = (contentType) => {
		res.setHeader('Content-Type', contentType.includes('/') ? contentType : `application/${contentType}`);
		return r;
	};
	r.json = (body) => {
		if (!res.hasHeader('Content-Type')) res.setHeader('Content-Type', 'application/json; charset=utf-8');
		const text = JSON.stringify(body);
		res.setHeader('Content-Length', Buffer.byteLength(text));
		res.end(text);
		return r;
	};
	r.send = (body) => {
		if (body === undefined || body === null) {
			res.end();
		} else if (Buffer.isBuffer(body)) {
			if (!res.hasHeader('Content-Type')) res.setHeader('Content-Type', 'application/octet-stream');
			res.setHeader('Content-Length', body.length);
			res.end(body);
		} else if (typeof body === 'string') {
			if (!res.hasHeader('Content-Type')) res.setHeader('Content-Type', 'text/html; charset=utf-8');
			res.setHeader('Content-Length', Buffer.byteLength(body));
			res.end(body);
		} else {
			r.json(body);
		}
		return r;
	};
	r.sendStatus = (code) => r.status(code).send(String(code));
	r.render = (view, data) => {
		res.setHeader('Content-Type', 'text/html; charset=utf-8');
		r.send(viewStandIn(view, data));
	};
	return r;
}

export async function readRawBody(req: IncomingMessage): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
	return Buffer.concat(chunks);
}

export async function parseBody(raw: Buffer, contentType: string): Promise<unknown> {
	if (raw.length === 0) return {};
	const type = contentType.split(';')[0].trim().toLowerCase();
	try {
		if (type === 'application/json' || type.endsWith('+json')) return JSON.parse(raw.toString('utf8'));
		if (type === 'application/xml' || type === 'text/xml' || type.endsWith('+xml')) {
			return await xml2js.parseStringPromise(raw.toString('utf8'), {
				async: true,
				normalize: true,
				normalizeTags: true,
				explicitArray: false,
			});
		}
		if (type === 'application/x-www-form-urlencoded') return { ...parseQuery(raw.toString('utf8')) };
		// n8n parses forms (formidable) into { data: fields, files }; the harness keeps text fields only.
		if (type === 'multipart/form-data') return { data: parseMultipartFields(raw, contentType), files: {} };
		if (type.startsWith('text/')) return raw.toString('utf8');
	} catch {
		return {};
	}
	return {};
}

/** The text fields of a multipart/form-data body (repeated names become arrays, as formidable gives them). */
export function parseMultipartFields(raw: Buffer, contentType: string): IDataObject {
	const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
	const fields: IDataObject = {};
	if (!boundary) return fields;
	const marker = `--${boundary[1] ?? boundary[2]}`;
	for (const part of raw.toString('utf8').split(marker)) {
		const split = part.indexOf('\r\n\r\n');
		if (split < 0) continue;
		const headers = part.slice(0, split);
		const name = /name="([^"]*)"/i.exec(headers)?.[1];
		if (name === undefined || /filename=/i.test(headers)) continue;
		const value = part.slice(split + 4).replace(/\r\n$/, '');
		const existing = fields[name];
		if (existing === undefined) fields[name] = value;
		else fields[name] = Array.isArray(existing) ? [...(existing as string[]), value] : [existing as string, value];
	}
	return fields;
}

export function sendStatic(res: ExpressLikeResponse, body: unknown, code: number): void {
	res.status(code);
	if (body === undefined) res.end();
	else if (typeof body === 'string') res.send(body);
	else res.json(body);
}

function collectRegistrations(workflow: Workflow, workflowId: string): WebhookRegistration[] {
	const registrations: WebhookRegistration[] = [];
	for (const node of Object.values(workflow.nodes)) {
		if (node.disabled === true) continue;
		const nodeType = nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
		if (nodeType.webhook === undefined || nodeType.description.webhooks === undefined) continue;
		for (const description of nodeType.description.webhooks) {
			const evaluate = (value: unknown, fallback?: string | boolean) =>
				workflow.expression.getSimpleParameterValue(node, value as string, 'internal', {}, undefined, fallback);
			if (evaluate(description.restartWebhook, false) === true) continue;
			let nodePath = String(evaluate(description.path) ?? '');
			if (nodePath.startsWith('/')) nodePath = nodePath.slice(1);
			if (nodePath.endsWith('/')) nodePath = nodePath.slice(0, -1);
			const isFullPath = evaluate(description.isFullPath, false) as boolean;
			const path = NodeHelpers.getNodeWebhookPath(workflowId, node, nodePath, isFullPath, false);
			const methods = String(evaluate(description.httpMethod, 'GET'));
			for (const method of methods.split(',')) {
				if (!method.trim()) continue;
				const registration = { method: method.trim() as IHttpRequestMethods, path, nodeName: node.name, webhookName: description.name };
				if (registrations.some((r) => r.method === registration.method && r.path === registration.path)) {
					throw new Error(`Two webhooks listen on ${registration.method} /webhook/${path}: n8n would refuse to activate this workflow`);
				}
				registrations.push(registration);
			}
		}
	}
	return registrations;
}

/** Serves the workflow's webhooks on 127.0.0.1 until close(). */
export async function startWebhookServer(options: WebhookServerOptions): Promise<WebhookServer> {
	setupEngine();
	const definition = structuredClone(loadWorkflow(options.workflow));
	// The editor gives every webhook node a webhookId; without one n8n prefixes the path with workflow ID and node name.
	for (const node of definition.nodes) {
		const type = nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
		if (type.description.webhooks && node.webhookId === undefined) node.webhookId = randomUUID();
	}
	const workflowData: IWorkflowBase = { ...toWorkflowData(definition), active: true };
	let persistedStaticData: IDataObject = structuredClone(definition.staticData ?? {});
	const registrations = collectRegistrations(createWorkflow(workflowData, {}), workflowData.id);

	const executions: WorkflowRunResult[] = [];
	const errors: Error[] = [];
	const pending = new Set<Promise<void>>();
	const events = new EventEmitter();
	let baseUrl = '';

	const startExecution = (workflow: Workflow, node: INode, result: IWebhookResponseData): Promise<WorkflowRunResult> => {
		const executionId = nextExecutionId();
		const runExecutionData = createRunExecutionData({
			executionData: { nodeExecutionStack: [{ node, data: { main: result.workflowData ?? [] }, source: null }] },
		});
		const running = runFromExecutionData({
			workflow,
			workflowData,
			runExecutionData,
			credentials: options.credentials,
			executionId,
			mode: 'webhook',
			timeoutMs: options.executionTimeoutMs,
		});
		const tracked = running.then(
			(run) => {
				executions.push(run);
				events.emit('change');
			},
			(error: Error) => {
				errors.push(error);
				events.emit('change');
			},
		);
		pending.add(tracked);
		void tracked.finally(() => pending.delete(tracked));
		return running;
	};

	const handle = async (incoming: IncomingMessage, rawRes: ServerResponse): Promise<void> => {
		const res = expressify(rawRes);
		const url = new URL(incoming.url ?? '/', baseUrl);
		const method = (incoming.method ?? 'GET').toUpperCase();
		let path = url.pathname.startsWith('/webhook/') ? decodeURIComponent(url.pathname.slice('/webhook/'.length)) : undefined;
		if (path?.endsWith('/')) path = path.slice(0, -1);
		const registration = registrations.find((r) => r.method === method && r.path === path);
		if (!registration) {
			res.status(404).json({ code: 404, message: `The requested webhook "${method} ${path ?? url.pathname}" is not registered.` });
			return;
		}

		const rawBody = await readRawBody(incoming);
		const contentType = String(incoming.headers['content-type'] ?? '');
		const req = Object.assign(incoming, {
			rawBody,
			body: await parseBody(rawBody, contentType),
			query: { ...parseQuery(url.search.slice(1)) } as IDataObject,
			params: {},
			path: url.pathname,
			contentType: contentType.split(';')[0].trim().toLowerCase(),
		}) as WebhookHttpRequest;

		// A fresh Workflow per request with the persisted static data, as n8n loads the workflow from the database.
		const workflow = createWorkflow(workflowData, structuredClone(persistedStaticData));
		const node = workflow.getNode(registration.nodeName) as INode;
		const nodeType = nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
		const webhookDescription = nodeType.description.webhooks?.find((w) => w.name === registration.webhookName) as IWebhookDescription;
		const additionalData = buildAdditionalData({
			credentials: options.credentials,
			executionId: undefined,
			workflowData,
			hooksMode: 'webhook',
			webhookBaseUrl: `${baseUrl}/webhook`,
		});
		additionalData.httpRequest = req as never;
		additionalData.httpResponse = res as never;
		const webhookData: IWebhookData = {
			httpMethod: registration.method,
			node: node.name,
			path: registration.path,
			webhookDescription,
			workflowId: workflowData.id,
			workflowExecuteAdditionalData: additionalData,
			webhookId: node.webhookId,
		};
		const evaluate = (value: unknown, fallback: string | number) =>
			workflow.expression.getSimpleParameterValue(node, value as string, 'webhook', {}, undefined, fallback);
		const responseMode = String(evaluate(webhookDescription.responseMode, 'onReceived'));
		const responseCode = Number(evaluate(webhookDescription.responseCode, 200));
		const responseData = webhookDescription.responseData === undefined ? undefined : String(evaluate(webhookDescription.responseData, ''));

		let result: IWebhookResponseData;
		try {
			const context = new WebhookContext(workflow, node, additionalData, 'webhook', webhookData, [], null);
			result = (await nodeType.webhook!.call(context)) as IWebhookResponseData;
		} catch (error) {
			errors.push(error as Error);
			events.emit('change');
			if (!res.headersSent) res.status(500).json({ code: 0, message: 'Workflow Webhook Error: Workflow could not be started!' });
			return;
		}

		// n8n saves the static data once the webhook has answered (LiveWebhooks → saveStaticData).
		const staticData = workflow.staticData as IDataObject;
		if (staticData.__dataChanged === true) {
			const copy = JSON.parse(JSON.stringify(staticData)) as IDataObject;
			delete copy.__dataChanged;
			persistedStaticData = copy;
		}

		const responded = () => result.noWebhookResponse === true || res.headersSent || res.writableEnded;
		if (result.workflowData === undefined) {
			if (!responded()) sendStatic(res, result.webhookResponse !== undefined ? result.webhookResponse : { message: 'Webhook call received' }, responseCode);
			return;
		}

		const running = startExecution(workflow, node, result);
		if (responded()) return;
		if (responseMode === 'onReceived') {
			let body: unknown;
			if (responseData === 'noData') body = undefined;
			else if (responseData) body = responseData;
			else if (result.webhookResponse !== undefined) body = result.webhookResponse;
			else body = { message: 'Workflow was started' };
			sendStatic(res, body, responseCode);
		} else if (responseMode === 'lastNode') {
			const run = await running.catch(() => undefined);
			const lastNode = run?.run.data.resultData.lastNodeExecuted;
			if (!run || run.error || !lastNode) {
				res.status(500).json({ code: 0, message: 'Error in workflow' });
				return;
			}
			sendStatic(res, run.output(lastNode)[0]?.json ?? {}, responseCode);
		} else {
			res.status(500).json({ code: 0, message: `The test harness does not support responseMode "${responseMode}"` });
		}
	};

	const server = createServer((req, res) => {
		handle(req, res).catch((error: Error) => {
			errors.push(error);
			if (!res.headersSent) {
				res.statusCode = 500;
				res.end(JSON.stringify({ code: 0, message: error.message }));
			}
		});
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
	});
	const { port } = server.address() as AddressInfo;
	baseUrl = `http://127.0.0.1:${port}`;

	return {
		port,
		baseUrl,
		url: (path) => `${baseUrl}/webhook/${path.replace(/^\/+/, '')}`,
		registrations,
		executions,
		errors,
		staticData: () => structuredClone(persistedStaticData),
		waitForExecutions: async (n, timeoutMs = 10000) =>
			await new Promise<WorkflowRunResult[]>((resolve, reject) => {
				const check = () => {
					if (executions.length < n) return false;
					clearTimeout(timer);
					events.off('change', check);
					resolve(executions.slice());
					return true;
				};
				const timer = setTimeout(() => {
					events.off('change', check);
					reject(
						new Error(
							`Expected ${n} finished execution(s) within ${timeoutMs} ms, got ${executions.length}` +
								(errors.length ? `; errors: ${errors.map((e) => e.message).join(' | ')}` : ''),
						),
					);
				}, timeoutMs);
				if (!check()) events.on('change', check);
			}),
		close: async () => {
			await new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			});
			await Promise.allSettled([...pending]);
		},
	};
}

export { INSTANCE_BASE_URL };
