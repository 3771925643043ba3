/**
 * Executions that wait (putExecutionToWait) and a real HTTP server on 127.0.0.1 that resumes them the way n8n 2.41's
 * `/webhook-waiting/<execution>/<suffix>` endpoint does (packages/cli/src/webhooks/waiting-webhooks.ts and
 * webhook-helpers.ts), for send-and-wait nodes:
 *  - the execution must exist (404), not be running (409) and not have failed (409);
 *  - when the suffix is the ID of a node whose `operation` is `sendAndWait`, the URL's `signature` must be
 *    n8n-core's HMAC of path + query (validateUrlSignature with the instance's HMAC secret), else 401 and n8n's
 *    `form-invalid-token` view; other waiting nodes need the execution's resume token;
 *  - a finished execution answers the `send-and-wait-no-action-required` view (late clicks);
 *  - the waiting node's `restartWebhook` description for the method and path runs `webhook()` in n8n-core's real
 *    WebhookContext (executionId set, as n8n sets it); without `workflowData` the answer is `webhookResponse` and the
 *    execution keeps waiting; with it, the node is disabled, its stack entry gets the webhook data
 *    (forwardAllOutputs) and the execution continues (processRunExecutionData); `onReceived` answers at once;
 *  - a `webhook()` that throws ends the execution with that error, as n8n does.
 * `timeOut(id)` does what n8n's WaitTracker does when `waitTill` has passed: it resumes the execution with the wait
 * still set, so the engine disables the node and passes its input on.
 * Views rendered with `res.render` come back as the stand-in of webhookServer.ts (`data-n8n-view`, JSON data).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQuery } from 'node:querystring';

import { Container } from '@n8n/di';
import { InstanceSettings, WAITING_TOKEN_QUERY_PARAM, WebhookContext, WorkflowExecute, validateUrlSignature } from 'n8n-core';
import type { IDataObject, INode, IRun, IRunExecutionData, IWebhookData, IWebhookDescription, IWebhookResponseData, IWorkflowBase, Workflow } from 'n8n-workflow';
import { SEND_AND_WAIT_OPERATION } from 'n8n-workflow';

import { buildAdditionalData, nextExecutionId } from './additionalData';
import type { CredentialStore } from './credentials';
import { setupEngine } from './engine';
import { nodeTypes } from './nodeTypes';
import {
	awaitExecution,
	createWorkflow,
	findStartNode,
	loadWorkflow,
	toRunResult,
	toWorkflowData,
	type WorkflowDefinition,
	type WorkflowRunResult,
} from './runWorkflow';
import { expressify, parseBody, readRawBody, sendStatic, type WebhookHttpRequest } from './webhookServer';

interface StoredExecution {
	id: string;
	workflowData: IWorkflowBase;
	run: IRun;
	status: 'waiting' | 'running' | 'finished' | 'error';
	/** Every result, in order (the first wait, then each resumption). */
	results: WorkflowRunResult[];
}

export interface WaitingServer {
	/** http://127.0.0.1:<port>/webhook-waiting (what signed resume URLs start with) */
	waitingBaseUrl: string;
	/** Runs a workflow from its start node; it may end waiting. */
	start(workflow: WorkflowDefinition | string, options?: { startNode?: string }): Promise<WorkflowRunResult>;
	/** The execution's status as n8n's store would show it. */
	status(executionId: string): 'waiting' | 'running' | 'finished' | 'error' | undefined;
	/** The latest result of an execution. */
	latest(executionId: string): WorkflowRunResult | undefined;
	/** Resolves with the result once the execution is no longer waiting or running. */
	finished(executionId: string, timeoutMs?: number): Promise<WorkflowRunResult>;
	/** What n8n's WaitTracker does when waitTill has passed. */
	timeOut(executionId: string): Promise<WorkflowRunResult>;
	close(): Promise<void>;
}

function isFinalStatus(run: IRun): boolean {
	return run.data.waitTill === undefined || run.data.waitTill === null;
}

export async function startWaitingServer(options: { credentials: CredentialStore; executionTimeoutMs?: number }): Promise<WaitingServer> {
	setupEngine();
	const executions = new Map<string, StoredExecution>();
	const listeners = new Set<() => void>();
	const changed = () => listeners.forEach((listener) => listener());
	let waitingBaseUrl = '';
	const timeoutMs = options.executionTimeoutMs ?? 30000;

	const record = (stored: StoredExecution, run: IRun) => {
		stored.run = run;
		stored.results.push(toRunResult(stored.id, run));
		stored.status = run.data.resultData.error ? 'error' : isFinalStatus(run) ? 'finished' : 'waiting';
		changed();
	};

	const continueExecution = async (stored: StoredExecution, runExecutionData: IRunExecutionData): Promise<WorkflowRunResult> => {
		stored.status = 'running';
		const workflow = createWorkflow(stored.workflowData);
		const additionalData = buildAdditionalData({
			credentials: options.credentials,
			executionId: stored.id,
			workflowData: stored.workflowData,
			hooksMode: 'integrated',
			webhookWaitingBaseUrl: waitingBaseUrl,
		});
		const execute = new WorkflowExecute(additionalData, 'integrated', runExecutionData);
		const run = await awaitExecution(execute.processRunExecutionData(workflow), timeoutMs, `Resumed execution ${stored.id}`);
		record(stored, run);
		return stored.results[stored.results.length - 1];
	};

	const handle = async (incoming: IncomingMessage, rawRes: ServerResponse): Promise<void> => {
		const res = expressify(rawRes);
		const url = new URL(incoming.url ?? '/', 'http://127.0.0.1');
		const match = /^\/webhook-waiting\/([^/]+)(?:\/([^/]+))?\/?$/.exec(url.pathname);
		if (!match) {
			res.status(404).json({ code: 404, message: 'Not a waiting webhook URL' });
			return;
		}
		const executionId = decodeURIComponent(match[1]);
		const suffix = match[2] === undefined ? undefined : decodeURIComponent(match[2]);
		const stored = executions.get(executionId);
		if (!stored) {
			res.status(404).json({ code: 404, message: `The execution "${executionId}" does not exist.` });
			return;
		}
		const isSendAndWait =
			suffix !== undefined && stored.workflowData.nodes.some((node) => node.id === suffix && node.parameters.operation === SEND_AND_WAIT_OPERATION);
		const provided = url.searchParams.get(WAITING_TOKEN_QUERY_PARAM) ?? '';
		const secret = Container.get(InstanceSettings).hmacSignatureSecret;
		const valid = isSendAndWait ? provided !== '' && validateUrlSignature(provided, url, secret) : provided === stored.run.data.resumeToken;
		if (!valid) {
			if (isSendAndWait) res.status(401).render('form-invalid-token');
			else res.status(401).json({ error: 'Invalid token' });
			return;
		}
		if (stored.status === 'running') {
			res.status(409).json({ code: 409, message: `The execution "${executionId}" is running already.` });
			return;
		}
		if (stored.status === 'error') {
			res.status(409).json({ code: 409, message: `The execution "${executionId}" has finished with error.` });
			return;
		}
		if (stored.status === 'finished') {
			if (isSendAndWait) res.render('send-and-wait-no-action-required', { isTestWebhook: false });
			else res.status(409).json({ code: 409, message: `The execution "${executionId} has finished already.` });
			return;
		}

		const runExecutionData = structuredClone(stored.run.data);
		const lastNodeExecuted = runExecutionData.resultData.lastNodeExecuted as string;
		const workflow = createWorkflow(stored.workflowData);
		const node = workflow.getNode(lastNodeExecuted) as INode;
		const nodeType = nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
		const method = (incoming.method ?? 'GET').toUpperCase();
		const description = findRestartWebhook(workflow, node, method, suffix ?? '');
		if (!description || !nodeType.webhook) {
			if (isSendAndWait) res.render('send-and-wait-no-action-required', { isTestWebhook: false });
			else res.status(404).json({ code: 404, message: 'No waiting webhook with a matching path/method.' });
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
		const additionalData = buildAdditionalData({
			credentials: options.credentials,
			executionId,
			workflowData: stored.workflowData,
			hooksMode: 'webhook',
			webhookWaitingBaseUrl: waitingBaseUrl,
		});
		additionalData.httpRequest = req as never;
		additionalData.httpResponse = res as never;
		const webhookData: IWebhookData = {
			httpMethod: method as IWebhookData['httpMethod'],
			node: node.name,
			path: suffix ?? '',
			webhookDescription: description,
			workflowId: stored.workflowData.id,
			workflowExecuteAdditionalData: additionalData,
			webhookId: node.webhookId,
		};

		let result: IWebhookResponseData;
		let webhookError: Error | undefined;
		try {
			const context = new WebhookContext(workflow, node, additionalData, 'webhook', webhookData, [], runExecutionData);
			result = (await nodeType.webhook.call(context)) as IWebhookResponseData;
		} catch (error) {
			webhookError = error as Error;
			result = { noWebhookResponse: true, workflowData: [[{ json: {} }]] };
			if (!res.headersSent) res.status(500).json({ code: 0, message: 'Workflow Webhook Error: Workflow could not be started!' });
		}
		const responded = () => result.noWebhookResponse === true || res.headersSent || res.writableEnded;
		if (result.workflowData === undefined) {
			if (!responded()) sendStatic(res, result.webhookResponse ?? { message: 'Webhook call received' }, 200);
			return;
		}

		// As WaitingWebhooks.getWebhookExecutionData + prepareExecutionData: no more wait, node disabled, its data replaced.
		runExecutionData.waitTill = undefined;
		const entry = runExecutionData.executionData!.nodeExecutionStack[0];
		entry.node.disabled = true;
		entry.data.main = result.workflowData;
		entry.metadata = { ...entry.metadata, forwardAllOutputs: true };
		if (webhookError) {
			runExecutionData.resultData.error = { message: webhookError.message, stack: webhookError.stack } as never;
		}
		const running = continueExecution(stored, runExecutionData);
		if (!responded()) {
			const body = result.webhookResponse ?? { message: 'Workflow was started' };
			sendStatic(res, body, 200);
		}
		await running;
	};

	const server = createServer((req, res) => {
		handle(req, res).catch((error: Error) => {
			if (!res.headersSent) {
				res.statusCode = 500;
				res.end(JSON.stringify({ code: 0, message: error.message }));
			}
		});
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve());
	});
	waitingBaseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook-waiting`;

	return {
		waitingBaseUrl,
		async start(workflowDefinition, startOptions = {}) {
			const definition = loadWorkflow(workflowDefinition);
			const workflowData = toWorkflowData(definition);
			const workflow = createWorkflow(workflowData);
			const id = nextExecutionId();
			const stored: StoredExecution = { id, workflowData, run: undefined as unknown as IRun, status: 'running', results: [] };
			executions.set(id, stored);
			const additionalData = buildAdditionalData({
				credentials: options.credentials,
				executionId: id,
				workflowData,
				hooksMode: 'integrated',
				webhookWaitingBaseUrl: waitingBaseUrl,
			});
			const execute = new WorkflowExecute(additionalData, 'integrated');
			const run = await awaitExecution(execute.run({ workflow, startNode: findStartNode(workflow, startOptions.startNode) }), timeoutMs, `Execution ${id}`);
			record(stored, run);
			return stored.results[0];
		},
		status: (id) => executions.get(id)?.status,
		latest: (id) => {
			const results = executions.get(id)?.results ?? [];
			return results[results.length - 1];
		},
		finished: async (id, waitMs = 10000) =>
			await new Promise<WorkflowRunResult>((resolve, reject) => {
				const check = () => {
					const stored = executions.get(id);
					if (!stored || (stored.status !== 'finished' && stored.status !== 'error')) return false;
					clearTimeout(timer);
					listeners.delete(check);
					resolve(stored.results[stored.results.length - 1]);
					return true;
				};
				const timer = setTimeout(() => {
					listeners.delete(check);
					reject(new Error(`Execution ${id} did not finish within ${waitMs} ms (status ${executions.get(id)?.status})`));
				}, waitMs);
				if (!check()) listeners.add(check);
			}),
		async timeOut(id) {
			const stored = executions.get(id);
			if (!stored || stored.status !== 'waiting') throw new Error(`Execution ${id} is not waiting`);
			return await continueExecution(stored, structuredClone(stored.run.data));
		},
		close: async () => {
			await new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			});
		},
	};
}

function findRestartWebhook(workflow: Workflow, node: INode, method: string, suffix: string): IWebhookDescription | undefined {
	const nodeType = nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	return (nodeType.description.webhooks ?? []).find((description) => {
		if (description.restartWebhook !== true || description.httpMethod !== method) return false;
		const path = workflow.expression.getSimpleParameterValue(node, description.path, 'internal', {}, undefined, '');
		return String(path) === suffix;
	});
}
