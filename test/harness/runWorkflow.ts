/**
 * Runs workflow JSON through n8n-core's real `WorkflowExecute` (expressions, credentials, HTTP helpers, binary data,
 * error handling, continueOnFail …), with our nodes and an in-memory credential store.
 */
import { readFileSync } from 'node:fs';

import { WorkflowExecute } from 'n8n-core';
import type {
	ExecutionBaseError,
	IConnections,
	IDataObject,
	INode,
	INodeExecutionData,
	IPinData,
	IRun,
	IRunExecutionData,
	ITaskData,
	IWorkflowBase,
	IWorkflowSettings,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { buildAdditionalData, nextExecutionId } from './additionalData';
import type { CredentialStore } from './credentials';
import { setupEngine } from './engine';
import { nodeTypes } from './nodeTypes';

/** An INode whose parameters may be any plain object (tests build them from `unknown` data; n8n validates at run time). */
export type WorkflowNode = Omit<INode, 'parameters'> & { parameters: INode['parameters'] | Record<string, unknown> };

export interface WorkflowDefinition {
	id?: string;
	name?: string;
	nodes: Array<INode | WorkflowNode>;
	connections: IConnections;
	pinData?: IPinData;
	settings?: IWorkflowSettings;
	staticData?: IDataObject;
}

/**
 * The workflow most tests run: a `test.input` node holding `items`, wired to `node` (placed to its right). The node
 * is given without a position; `name` defaults to what the node declares.
 */
export function inputWorkflow(
	node: Omit<WorkflowNode, 'position' | 'typeVersion'> & { typeVersion?: number },
	items: unknown[] = [{ json: {} }],
	extra: Pick<WorkflowDefinition, 'name'> = {},
): WorkflowDefinition {
	return {
		...extra,
		nodes: [
			{ id: 'input', name: 'Input', type: 'test.input', typeVersion: 1, position: [0, 0], parameters: { items } },
			{ typeVersion: 1, ...node, position: [200, 0] },
		],
		connections: { Input: { main: [[{ node: node.name, type: 'main', index: 0 }]] } },
	};
}

export interface RunWorkflowOptions {
	/** The workflow, or the path of a workflow JSON file (as exported from n8n). */
	workflow: WorkflowDefinition | string;
	credentials: CredentialStore;
	/** Cancel the execution and reject after this long (default 30 s). */
	timeoutMs?: number;
	/** Name of the node to start from; default: the first node whose type has no inputs. */
	startNode?: string;
	/** Execution mode seen by nodes (default 'manual', as when clicking "Execute workflow"). */
	mode?: WorkflowExecuteMode;
	/** Base of signed resume URLs (the waiting server's `/webhook-waiting`); see waitingServer.ts. */
	webhookWaitingBaseUrl?: string;
}

export interface WorkflowRunResult {
	executionId: string;
	run: IRun;
	/** The workflow-level error (the error that stopped the execution), if any. */
	error?: ExecutionBaseError;
	/** Items a node output on a run and output index; [] when it produced none (or did not run). */
	output(nodeName: string, runIndex?: number, outputIndex?: number): INodeExecutionData[];
	/** The error a node's run ended with, if it failed. */
	nodeError(nodeName: string, runIndex?: number): ExecutionBaseError | undefined;
	/** The node's task data for a run (start time, status, hints …), if it ran. */
	task(nodeName: string, runIndex?: number): ITaskData | undefined;
	/** Names of the nodes that ran, in the order they first ran. */
	executedNodes(): string[];
}

let workflowCounter = 0;

export function loadWorkflow(workflow: WorkflowDefinition | string): WorkflowDefinition {
	if (typeof workflow !== 'string') return workflow;
	return JSON.parse(readFileSync(workflow, 'utf8')) as WorkflowDefinition;
}

/** The IWorkflowBase n8n keeps for a workflow (hooks and additional data want it). */
export function toWorkflowData(definition: WorkflowDefinition): IWorkflowBase {
	const now = new Date();
	return {
		id: definition.id ?? `harness-wf-${++workflowCounter}`,
		name: definition.name ?? 'Harness workflow',
		active: false,
		isArchived: false,
		createdAt: now,
		updatedAt: now,
		nodes: definition.nodes as INode[],
		connections: definition.connections,
		settings: definition.settings ?? { executionOrder: 'v1' },
		staticData: definition.staticData,
		pinData: definition.pinData,
	} as IWorkflowBase;
}

export function createWorkflow(workflowData: IWorkflowBase, staticData?: IDataObject): Workflow {
	return new Workflow({
		id: workflowData.id,
		name: workflowData.name,
		nodes: structuredClone(workflowData.nodes),
		connections: workflowData.connections,
		active: workflowData.active,
		nodeTypes,
		staticData: staticData ?? (workflowData.staticData as IDataObject | undefined),
		settings: workflowData.settings,
		pinData: workflowData.pinData,
	});
}

export function findStartNode(workflow: Workflow, startNode?: string): INode {
	if (startNode !== undefined) {
		const node = workflow.getNode(startNode);
		if (!node) throw new Error(`Start node "${startNode}" is not in the workflow`);
		return node;
	}
	const nodes = Object.values(workflow.nodes).filter((node) => node.disabled !== true);
	const withoutInputs = nodes.find((node) => {
		const { inputs } = nodeTypes.getByNameAndVersion(node.type, node.typeVersion).description;
		return Array.isArray(inputs) && inputs.length === 0;
	});
	const start = withoutInputs ?? nodes.find((node) => workflow.getParentNodes(node.name).length === 0);
	if (!start) throw new Error('The workflow has no start node (a node without inputs)');
	return start;
}

export function toRunResult(executionId: string, run: IRun): WorkflowRunResult {
	const runData = run.data.resultData.runData;
	return {
		executionId,
		run,
		error: run.data.resultData.error,
		output: (nodeName, runIndex = 0, outputIndex = 0) => runData[nodeName]?.[runIndex]?.data?.main?.[outputIndex] ?? [],
		nodeError: (nodeName, runIndex = 0) => runData[nodeName]?.[runIndex]?.error,
		task: (nodeName, runIndex = 0) => runData[nodeName]?.[runIndex],
		executedNodes: () =>
			Object.entries(runData)
				.filter(([, tasks]) => tasks.length > 0)
				.sort(([, a], [, b]) => a[0].executionIndex - b[0].executionIndex || a[0].startTime - b[0].startTime)
				.map(([name]) => name),
	};
}

/** Awaits an execution, cancelling it if it outlives the timeout. */
export async function awaitExecution(
	execution: ReturnType<WorkflowExecute['run']>,
	timeoutMs: number,
	label: string,
): Promise<IRun> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<never>((_, reject) => {
		timer = setTimeout(() => {
			execution.cancel();
			reject(new Error(`${label} did not finish within ${timeoutMs} ms`));
		}, timeoutMs);
	});
	try {
		return await Promise.race([execution, timeout]);
	} finally {
		clearTimeout(timer);
	}
}

/** Runs a whole workflow from its start node and resolves with the result (it never rejects on node errors). */
export async function runWorkflow(options: RunWorkflowOptions): Promise<WorkflowRunResult> {
	setupEngine();
	const definition = loadWorkflow(options.workflow);
	const workflowData = toWorkflowData(definition);
	const workflow = createWorkflow(workflowData);
	const mode = options.mode ?? 'manual';
	const executionId = nextExecutionId();
	const additionalData = buildAdditionalData({
		credentials: options.credentials,
		executionId,
		workflowData,
		hooksMode: mode === 'manual' ? 'manual' : 'integrated',
		webhookWaitingBaseUrl: options.webhookWaitingBaseUrl,
	});
	const startNode = findStartNode(workflow, options.startNode);
	const execute = new WorkflowExecute(additionalData, mode);
	const run = await awaitExecution(
		execute.run({ workflow, startNode, pinData: definition.pinData }),
		options.timeoutMs ?? 30000,
		`Workflow "${workflowData.name}" (execution ${executionId})`,
	);
	return toRunResult(executionId, run);
}

/** Runs several workflows at once (each its own execution ID) against one credential store. */
export async function runMany(runs: RunWorkflowOptions[]): Promise<WorkflowRunResult[]> {
	return await Promise.all(runs.map(async (options) => await runWorkflow(options)));
}

/** Starts an execution from prepared run data (a trigger's output), as n8n's WorkflowRunner does for webhooks. */
export async function runFromExecutionData(options: {
	workflow: Workflow;
	workflowData: IWorkflowBase;
	runExecutionData: IRunExecutionData;
	credentials: CredentialStore;
	executionId: string;
	mode: WorkflowExecuteMode;
	timeoutMs?: number;
	webhookWaitingBaseUrl?: string;
}): Promise<WorkflowRunResult> {
	setupEngine();
	const additionalData = buildAdditionalData({
		credentials: options.credentials,
		executionId: options.executionId,
		workflowData: options.workflowData,
		hooksMode: options.mode,
		webhookWaitingBaseUrl: options.webhookWaitingBaseUrl,
	});
	const execute = new WorkflowExecute(additionalData, options.mode, options.runExecutionData);
	const run = await awaitExecution(
		execute.processRunExecutionData(options.workflow),
		options.timeoutMs ?? 30000,
		`Workflow "${options.workflowData.name}" (execution ${options.executionId})`,
	);
	return toRunResult(options.executionId, run);
}
