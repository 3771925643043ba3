/**
 * The common bed of the WeCom node's engine tests: a sandbox per file, a fresh credential store per test, and
 * `run(parameters, items)` that runs Input → WeCom through n8n's real engine.
 */
import { LoadOptionsContext } from 'n8n-core';
import type { IDataObject, ILoadOptionsFunctions, INode } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { CredentialStore, inputWorkflow, nodeTypes, runWorkflow, setupEngine, type WorkflowRunResult } from '../harness';
import { buildAdditionalData } from '../harness/additionalData';
import { toWorkflowData, type WorkflowNode } from '../harness/runWorkflow';
import { SANDBOX_DEFAULTS, startSandbox, type WeComSandbox } from '../sandbox';
import { resetRateGates } from '../../nodes/WeCom/transport/rateGate';
import { setRetryPolicy } from '../../nodes/WeCom/transport/retryPolicy';

/** The smallest files whose magic bytes pass the node's format sniffing. */
export const SAMPLE_FILES = {
	JPG: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0tiny-jpeg-body')]),
	PNG: Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('\0\0\0\rIHDRtiny-png')]),
	AMR: Buffer.from('#!AMR\n\x3c\x48\xf5\x1f\x96\x66\x79\xe1', 'latin1'),
	MP4: Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom\0\0\0\0isommp41')]),
	PDF: Buffer.from('%PDF-1.4 a tiny report'),
};

export const AGENT_ID = Number(SANDBOX_DEFAULTS.agentId);

export interface BinaryInput {
	data: Buffer;
	fileName: string;
	mimeType: string;
}

/** One item for the harness's test.input node, binary given as Buffers. */
export function inputItem(json: Record<string, unknown> = {}, binary?: Record<string, BinaryInput>) {
	return {
		json,
		...(binary
			? {
					binary: Object.fromEntries(
						Object.entries(binary).map(([key, file]) => [key, { data: file.data.toString('base64'), mimeType: file.mimeType, fileName: file.fileName }]),
					),
				}
			: {}),
	};
}

/** The weComApi credential of the sandbox corp's contacts sync secret (no agent of its own). */
export function contactsSyncCredential(baseUrl: string): IDataObject {
	return { corpId: SANDBOX_DEFAULTS.corpId, corpSecret: SANDBOX_DEFAULTS.contactsSecret, agentId: '', baseUrl };
}

export const userIds = (count: number): string[] => Array.from({ length: count }, (_, index) => `user${index}`);

export type WeComCredentialType = 'weComApi' | 'weComWebhookApi';

export interface RunOptions {
	continueOnFail?: boolean;
	/** How long the run may take before the harness cancels it (default: the harness's 30 s). */
	timeoutMs?: number;
}

export interface WeComTestBed {
	readonly sandbox: WeComSandbox;
	readonly credentials: CredentialStore;
	readonly credentialId: string;
	/** A WeCom node of this bed's resource and credential, for workflows of several nodes. */
	node(name: string, parameters: Record<string, unknown>, x?: number, options?: RunOptions): WorkflowNode;
	/** Swaps this test's credential for one with other data (e.g. a wrong key). */
	replaceCredential(data: IDataObject): void;
	/** Swaps this test's credential for the corp's contacts sync secret (通讯录同步): contact writes and user/list_id. */
	useContactsSecret(): void;
	/** What the editor's calls get (loadOptions, listSearch, resourceMapping): a WeCom node of this bed with these parameters, at this parameter path. */
	loadOptionsContext(parameters: Record<string, unknown>, path: string): ILoadOptionsFunctions;
	/** Input (the given items) → WeCom (the given parameters). */
	run(parameters: Record<string, unknown>, items?: unknown[], options?: RunOptions): Promise<WorkflowRunResult>;
}

/** Registers the jest hooks of a describe block and returns its bed. */
export function useWeComTestBed(resource: string, options: { credentialType?: WeComCredentialType; beforeEach?: () => void; afterAll?: () => void } = {}): WeComTestBed {
	const credentialType = options.credentialType ?? 'weComApi';
	let sandbox: WeComSandbox | undefined;
	let credentials = new CredentialStore();
	let credentialId = '';

	beforeAll(async () => {
		setRetryPolicy({ baseDelayMs: 5, maxDelayMs: 20 });
		sandbox = await startSandbox();
	});
	afterAll(async () => {
		options.afterAll?.();
		await sandbox?.close();
	});
	beforeEach(() => {
		const box = started();
		box.reset();
		resetRateGates();
		options.beforeEach?.();
		credentials = new CredentialStore();
		credentialId =
			credentialType === 'weComApi'
				? credentials.add('weComApi', {
						corpId: SANDBOX_DEFAULTS.corpId,
						corpSecret: SANDBOX_DEFAULTS.corpSecret,
						agentId: String(SANDBOX_DEFAULTS.agentId),
						baseUrl: box.url,
					})
				: credentials.add('weComWebhookApi', {
						webhookKey: `${box.url}/cgi-bin/webhook/send?key=${SANDBOX_DEFAULTS.robotKey}`,
						baseUrl: box.url,
					});
	});

	function started(): WeComSandbox {
		if (!sandbox) throw new Error('The sandbox starts in beforeAll; use the bed inside tests');
		return sandbox;
	}

	const node = (name: string, parameters: Record<string, unknown>, x = 200, runOptions: RunOptions = {}): WorkflowNode => ({
		id: name,
		name,
		type: 'weCom',
		typeVersion: 1,
		position: [x, 0],
		parameters: { resource, ...parameters },
		credentials: { [credentialType]: { id: credentialId, name: credentialType } },
		...(runOptions.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
	});

	return {
		get sandbox() {
			return started();
		},
		get credentials() {
			return credentials;
		},
		get credentialId() {
			return credentialId;
		},
		node,
		replaceCredential(data) {
			credentials = new CredentialStore();
			credentialId = credentials.add(credentialType, data);
		},
		loadOptionsContext(parameters, path) {
			setupEngine();
			const editorNode: INode = {
				id: '2',
				name: 'WeCom',
				type: 'weCom',
				typeVersion: 1,
				position: [0, 0],
				parameters: { resource, ...parameters },
				credentials: { [credentialType]: { id: credentialId, name: credentialType } },
			};
			const definition = { nodes: [editorNode], connections: {} };
			const workflow = new Workflow({ id: 'editor', ...definition, active: false, nodeTypes });
			const additionalData = buildAdditionalData({ credentials, workflowData: toWorkflowData(definition), hooksMode: 'manual' });
			return new LoadOptionsContext(workflow, editorNode, additionalData, path);
		},
		useContactsSecret() {
			credentials = new CredentialStore();
			credentialId = credentials.add('weComApi', contactsSyncCredential(started().url));
		},
		async run(parameters, items = [inputItem()], runOptions = {}) {
			return await runWorkflow({ workflow: inputWorkflow(node('WeCom', parameters, 200, runOptions), items), credentials, timeoutMs: runOptions.timeoutMs });
		},
	};
}
