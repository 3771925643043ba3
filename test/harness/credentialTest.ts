/**
 * What n8n does when a user clicks "Test" on a credential (packages/cli/src/services/credentials-tester.service.ts,
 * n8n 2.41), replicated over the harness:
 *  - a type with `test: ICredentialTestRequest` is tested by running that request through n8n-core's real
 *    `RoutingNode`, on a copy of the `n8n-nodes-base.noOp` node type whose only property `temp` (default '') carries
 *    the request. The credentials helper sees that mock node and always runs `preAuthentication` (persisting the
 *    token, since the UI saves a credential before testing it). Then the `rules` apply: `responseCode` on a failed
 *    request, `responseSuccessBody` on the first output item of a successful one;
 *  - otherwise a node that lists the credential with `testedBy: '<method>'` is tested by calling
 *    `methods.credentialTest[<method>]` with n8n-core's `CredentialTestContext`.
 */
import { Container } from '@n8n/di';
import { CredentialTestContext, ErrorReporter, ExecuteContext, RoutingNode } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialTestFunction,
	ICredentialTestRequest,
	ICredentialsDecrypted,
	IDataObject,
	IExecuteData,
	INode,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeType,
	INodeTypes,
	IRunExecutionData,
	ITaskDataConnections,
} from 'n8n-workflow';
import { NodeHelpers, Workflow, createRunExecutionData } from 'n8n-workflow';

import { buildAdditionalData, nextExecutionId } from './additionalData';
import type { CredentialStore } from './credentials';
import { getCredentialType } from './credentialTypes';
import { setupEngine } from './engine';
import { nodeTypes } from './nodeTypes';
import { toWorkflowData } from './runWorkflow';

export interface CredentialTestResult extends INodeCredentialTestResult {
	/** The stored credential that was tested (created from `data` unless `options.id` was given). */
	credentialId: string;
}

// lodash's get, as n8n applies `responseSuccessBody` keys (lodash comes with n8n-workflow; it has no types here).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const getPath = require('lodash/get') as (data: unknown, path: string) => unknown;

function findNodeTestFunction(type: string): ICredentialTestFunction | undefined {
	for (const name of Object.keys(nodeTypes.getKnownTypes())) {
		let nodeType: INodeType;
		try {
			nodeType = nodeTypes.getByNameAndVersion(name);
		} catch {
			continue;
		}
		for (const { name: credentialName, testedBy } of nodeType.description.credentials ?? []) {
			if (credentialName === type && typeof testedBy === 'string') {
				const fn = nodeType.methods?.credentialTest?.[testedBy];
				if (fn) return fn;
			}
		}
	}
	return undefined;
}

/**
 * Tests credential data like n8n's credential modal. Without `options.id` the data is first saved to the store as a
 * new credential (the UI saves before it tests), so a token fetched by preAuthentication is persisted on it.
 */
export async function testCredential(
	store: CredentialStore,
	type: string,
	data: ICredentialDataDecryptedObject | IDataObject,
	options: { id?: string } = {},
): Promise<CredentialTestResult> {
	setupEngine();
	const credentialId = options.id ?? store.add(type, data, { name: `${type} (tested)` });
	const credentialsDecrypted: ICredentialsDecrypted = { id: credentialId, name: store.ref(credentialId).name, type, data: { ...data } as ICredentialDataDecryptedObject };
	const workflowData = toWorkflowData({ nodes: [], connections: {}, name: 'Credential test' });
	const additionalData = buildAdditionalData({ credentials: store, executionId: nextExecutionId(), workflowData, hooksMode: 'internal' });
	const result = (r: INodeCredentialTestResult): CredentialTestResult => ({ ...r, credentialId });

	const credentialType = getCredentialType(type);
	const testRequest: ICredentialTestRequest | undefined = credentialType.test;
	const testFunction = testRequest ? undefined : findNodeTestFunction(type);
	if (!testRequest && !testFunction) return result({ status: 'Error', message: 'No testing function found for this credential.' });

	try {
		credentialsDecrypted.data = await store.helper.applyDefaultsAndOverwrites(additionalData, credentialsDecrypted.data ?? {}, type, 'internal');
	} catch (error) {
		return result({ status: 'Error', message: String((error as Error).message) });
	}

	if (testFunction) {
		const context = new CredentialTestContext();
		return result(await testFunction.call(context, credentialsDecrypted));
	}
	const request = testRequest as ICredentialTestRequest;

	const noOp = nodeTypes.getByNameAndVersion('n8n-nodes-base.noOp');
	const version = noOp.description.version;
	const node: INode = {
		id: 'temp',
		parameters: {},
		name: 'Temp-Node',
		type: noOp.description.name,
		typeVersion: Array.isArray(version) ? version[version.length - 1] : version,
		position: [0, 0],
		credentials: { [type]: { id: credentialsDecrypted.id, name: credentialsDecrypted.name } },
	};
	const nodeTypeCopy: INodeType = {
		description: {
			...noOp.description,
			credentials: [{ name: type, required: true }],
			properties: [{ displayName: 'Temp', name: 'temp', type: 'string', routing: { request: request.request }, default: '' }],
		},
	};
	const mockNodeTypes: INodeTypes = {
		getKnownTypes: () => ({}),
		getByName: () => nodeTypeCopy,
		getByNameAndVersion: (_name, v) => NodeHelpers.getVersionedNodeType(nodeTypeCopy, v),
	};
	// The Workflow constructor fills in parameter defaults, which is what sets `temp` to ''.
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: mockNodeTypes });
	const workflowNode = workflow.getNode(node.name) as INode;
	const inputData: ITaskDataConnections = { main: [[{ json: {} }]] };
	const runExecutionData: IRunExecutionData = createRunExecutionData({ resultData: { runData: {} } });
	const executeData: IExecuteData = { node: workflowNode, data: {}, source: null };
	const executeFunctions = new ExecuteContext(workflow, workflowNode, additionalData, 'internal', runExecutionData, 0, [], inputData, executeData, []);
	const routingNode = new RoutingNode(executeFunctions, nodeTypeCopy, credentialsDecrypted);

	let response: INodeExecutionData[][] | null | undefined;
	try {
		response = await routingNode.runNode();
	} catch (caught) {
		const error = caught as Error & { cause?: { response?: { status: number; statusText?: string }; code?: string } };
		Container.get(ErrorReporter).error(error);
		if (error.cause?.response) {
			const statusCode = error.cause.response.status;
			for (const rule of request.rules ?? []) {
				if (rule.type === 'responseCode' && statusCode === rule.properties.value) {
					return result({ status: 'Error', message: rule.properties.message });
				}
			}
			if (statusCode < 199 || statusCode > 299) {
				return result({ status: 'Error', message: error.cause.response.statusText || `Received HTTP status code: ${statusCode}` });
			}
		} else if (error.cause?.code) {
			return result({ status: 'Error', message: error.cause.code });
		}
		return result({ status: 'Error', message: String(error.message) });
	}

	for (const rule of request.rules ?? []) {
		if (rule.type === 'responseSuccessBody') {
			const responseData = response?.[0]?.[0]?.json;
			if (getPath(responseData, rule.properties.key) === rule.properties.value) {
				return result({ status: 'Error', message: rule.properties.message });
			}
		}
	}
	return result({ status: 'OK', message: 'Connection successful!' });
}
