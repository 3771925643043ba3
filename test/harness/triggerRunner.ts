/**
 * Activates a workflow's trigger node the way n8n's ActiveWorkflowManager does for `trigger()` nodes: a real
 * `TriggerContext` from n8n-core (mode 'trigger', activation 'activate'), whose `emit` starts an execution from the
 * trigger node with the emitted data (WorkflowExecute.processRunExecutionData, mode 'trigger'), and the node's
 * `closeFunction` on deactivation. Workflow static data is kept across executions like n8n saves it.
 */
import { TriggerContext } from 'n8n-core';
import type { IDataObject, INodeExecutionData, ITriggerResponse } from 'n8n-workflow';
import { createRunExecutionData } from 'n8n-workflow';

import { buildAdditionalData, nextExecutionId } from './additionalData';
import type { CredentialStore } from './credentials';
import { setupEngine } from './engine';
import { createWorkflow, loadWorkflow, runFromExecutionData, toWorkflowData, type WorkflowDefinition, type WorkflowRunResult } from './runWorkflow';
import { nodeTypes } from './nodeTypes';

export interface ActiveTrigger {
	readonly executions: WorkflowRunResult[];
	/** Resolves when `count` executions have finished. */
	waitForExecutions(count: number, timeoutMs?: number): Promise<WorkflowRunResult[]>;
	/** Deactivation: the node's closeFunction. */
	close(): Promise<void>;
}

export async function activateTrigger(options: { workflow: WorkflowDefinition; credentials: CredentialStore; triggerNode: string }): Promise<ActiveTrigger> {
	setupEngine();
	const definition = loadWorkflow(options.workflow);
	const workflowData = { ...toWorkflowData(definition), active: true };
	const staticData: IDataObject = structuredClone(definition.staticData ?? {});
	const workflow = createWorkflow(workflowData, staticData);
	const node = workflow.getNode(options.triggerNode);
	if (!node) throw new Error(`no node ${options.triggerNode}`);
	const nodeType = nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	if (!nodeType.trigger) throw new Error(`${node.type} has no trigger()`);
	const executions: WorkflowRunResult[] = [];
	const running = new Set<Promise<void>>();
	const emit = (data: INodeExecutionData[][]) => {
		const executionId = nextExecutionId();
		const runExecutionData = createRunExecutionData({ executionData: { nodeExecutionStack: [{ node, data: { main: data }, source: null }] } });
		const started = runFromExecutionData({
			workflow: createWorkflow(workflowData, workflow.staticData as IDataObject),
			workflowData,
			runExecutionData,
			credentials: options.credentials,
			executionId,
			mode: 'trigger',
		}).then((result) => {
			executions.push(result);
		});
		running.add(started);
		void started.finally(() => running.delete(started));
	};
	const additionalData = buildAdditionalData({ credentials: options.credentials, workflowData, hooksMode: 'trigger' });
	const context = new TriggerContext(workflow, node, additionalData, 'trigger', 'activate', emit, (error) => {
		throw error;
	});
	const response: ITriggerResponse = (await nodeType.trigger.call(context)) ?? {};
	return {
		executions,
		async waitForExecutions(count, timeoutMs = 15000) {
			for (let waited = 0; executions.length < count && waited < timeoutMs; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
			if (executions.length < count) throw new Error(`only ${executions.length} of ${count} executions within ${timeoutMs} ms`);
			return executions;
		},
		async close() {
			await response.closeFunction?.();
			await Promise.all([...running]);
		},
	};
}
