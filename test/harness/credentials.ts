/**
 * In-memory stand-in for n8n's credential storage and its CLI `CredentialsHelper` (packages/cli/src/credentials-helper.ts
 * in n8n 2.41), minus encryption, sharing, dynamic credentials and external secrets. Behaviour kept on purpose:
 *  - getDecrypted() returns a fresh copy of the stored data each call (as a DB read would), with the credential
 *    type's defaults applied and expressions in the data resolved;
 *  - preAuthentication() runs the type's `preAuthentication` only when the hidden expirable property is '' or the
 *    caller says the credentials expired or this is the credential-test mock node, then persists the output
 *    (fields stored as expressions excepted) through updateCredentials() and returns the merged data;
 *  - authenticate() applies generic auth, resolving `={{$credentials.x}}` expressions with the workflow's engine.
 * Every persisted update is recorded so tests can count and inspect stored tokens.
 */
import { getAdditionalKeys } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialsEncrypted,
	ICredentialsExpressionResolveValues,
	ICredentialType,
	IDataObject,
	IExecuteData,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeParameters,
	INodeProperties,
	INodeType,
	INodeTypes,
	IRequestOptionsSimplified,
	IWorkflowDataProxyAdditionalKeys,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import {
	ICredentials,
	ICredentialsHelper,
	NodeHelpers,
	UnexpectedError,
	UserError,
	Workflow,
	getCredentialOwnRequestAllowedDomains,
	isExpression,
} from 'n8n-workflow';

import { getCredentialType } from './credentialTypes';

export interface StoredCredential {
	id: string;
	name: string;
	type: string;
	data: ICredentialDataDecryptedObject;
}

export interface CredentialUpdate {
	/** 1, 2, 3 … in the order updates were persisted (across all credentials of the store). */
	seq: number;
	id: string;
	type: string;
	/** A copy of the full data as persisted. */
	data: ICredentialDataDecryptedObject;
	at: Date;
}

const clone = <T>(value: T): T => structuredClone(value);

let storeCounter = 0;

/** The credentials "database" shared by the runs of a test; also hands out the ICredentialsHelper the engine uses. */
export class CredentialStore {
	readonly updates: CredentialUpdate[] = [];

	readonly helper: HarnessCredentialsHelper;

	private readonly records = new Map<string, StoredCredential>();

	private readonly prefix = `c${++storeCounter}`;

	private nextId = 0;

	constructor() {
		this.helper = new HarnessCredentialsHelper(this);
	}

	/** Stores a credential and returns its ID (use it in a node's `credentials: { type: { id, name } }`). */
	add(type: string, data: ICredentialDataDecryptedObject | IDataObject, options: { id?: string; name?: string } = {}): string {
		const id = options.id ?? `${this.prefix}-${++this.nextId}`;
		if (this.records.has(id)) throw new Error(`A credential with ID "${id}" already exists in this store`);
		this.records.set(id, { id, name: options.name ?? `${type} ${id}`, type, data: clone(data) as ICredentialDataDecryptedObject });
		return id;
	}

	/** A copy of the stored credential (what the database holds now), or undefined. */
	get(id: string): StoredCredential | undefined {
		const record = this.records.get(id);
		return record ? clone(record) : undefined;
	}

	/** `{ id, name }` for a node's `credentials` entry. */
	ref(id: string): INodeCredentialsDetails {
		const record = this.records.get(id);
		if (!record) throw new Error(`No credential with ID "${id}" in this store`);
		return { id, name: record.name };
	}

	/** Changes stored fields directly, as a user editing the credential would (not recorded in `updates`). */
	patch(id: string, changes: ICredentialDataDecryptedObject | IDataObject): void {
		const record = this.records.get(id);
		if (!record) throw new Error(`No credential with ID "${id}" in this store`);
		record.data = { ...record.data, ...clone(changes) } as ICredentialDataDecryptedObject;
	}

	/** How many times the engine persisted credential data (optionally for one credential type only). */
	updateCount(type?: string): number {
		return type === undefined ? this.updates.length : this.updates.filter((update) => update.type === type).length;
	}

	/** @internal used by the helper */
	find(id: string | null | undefined, type: string): StoredCredential | undefined {
		if (!id) return undefined;
		const record = this.records.get(id);
		return record && record.type === type ? record : undefined;
	}

	/** @internal used by the helper */
	persist(id: string, type: string, data: ICredentialDataDecryptedObject): void {
		const record = this.find(id, type);
		if (!record) throw new Error(`Credential with ID "${id}" of type "${type}" does not exist`);
		record.data = clone(data);
		this.updates.push({ seq: this.updates.length + 1, id, type, data: clone(data), at: new Date() });
	}
}

/** ICredentials over a plain stored object (n8n's `Credentials` class would need the Cipher). */
class PlainCredentials extends ICredentials {
	constructor(
		details: INodeCredentialsDetails,
		type: string,
		private plain: ICredentialDataDecryptedObject,
	) {
		super(details, type);
	}

	async getData(): Promise<ICredentialDataDecryptedObject> {
		return clone(this.plain);
	}

	getDataToSave(): ICredentialsEncrypted {
		return { id: this.id, name: this.name, type: this.type, data: JSON.stringify(this.plain) };
	}

	async setData(data: ICredentialDataDecryptedObject): Promise<void> {
		this.plain = clone(data);
	}

	async updateData(toUpdate: ICredentialDataDecryptedObject, toDelete: string[] = []): Promise<void> {
		const next = { ...this.plain, ...clone(toUpdate) };
		for (const key of toDelete) delete next[key];
		this.plain = next;
	}
}

const mockNode: INode = { id: 'mock', name: '', typeVersion: 1, type: 'mock', position: [0, 0], parameters: {} };

const mockNodeTypes: INodeTypes = {
	getKnownTypes: () => ({}),
	getByName: () => ({ description: { properties: [] } }) as unknown as INodeType,
	getByNameAndVersion: () => ({ description: { properties: [] } }) as unknown as INodeType,
};

/** Only `helpers.httpRequest`, limited to the credential's allowed domains, as n8n hands to `preAuthentication`. */
function restrictToCredentialDomains(helpers: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject): IHttpRequestHelper {
	return {
		helpers: {
			httpRequest: async (requestOptions: IHttpRequestOptions) => {
				const allowedDomains = getCredentialOwnRequestAllowedDomains(credentials);
				if (allowedDomains === undefined) return await helpers.helpers.httpRequest(requestOptions);
				if (requestOptions.allowedDomains !== undefined) {
					throw new UserError('This credential restricts requests to specific domains, which cannot be combined with the domains its authentication step asks for.');
				}
				return await helpers.helpers.httpRequest({ ...requestOptions, allowedDomains });
			},
		},
	} as IHttpRequestHelper;
}

export class HarnessCredentialsHelper extends ICredentialsHelper {
	constructor(private readonly store: CredentialStore) {
		super();
	}

	getParentTypes(name: string): string[] {
		const type = getCredentialType(name);
		const parents = type.extends ?? [];
		return [...parents, ...parents.flatMap((parent) => this.getParentTypes(parent))];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		incomingRequestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const requestOptions = incomingRequestOptions as IHttpRequestOptions & Record<string, unknown>;
		const { authenticate } = getCredentialType(typeName);
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);
		if (typeof authenticate === 'object') {
			if (!workflow || !node) throw new UnexpectedError('Workflow and node are required for declarative credential authentication');
			requestOptions.headers ??= {};
			if (authenticate.type === 'generic') {
				for (const [outerKey, outerValue] of Object.entries(authenticate.properties)) {
					for (const [key, value] of Object.entries(outerValue as IDataObject)) {
						const keyResolved = this.resolveValue(key, { $credentials: credentials }, workflow, node);
						const valueResolved = this.resolveValue(value as string, { $credentials: credentials }, workflow, node);
						requestOptions[outerKey] ??= {};
						(requestOptions[outerKey] as IDataObject)[keyResolved] = valueResolved;
					}
				}
			}
		}
		return requestOptions;
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const credentialType = getCredentialType(typeName);
		const expirableProperty = credentialType.properties.find(
			(property) => property.type === 'hidden' && property.typeOptions?.expirable === true,
		);
		if (expirableProperty?.name === undefined) return undefined;

		// The credential test runs the request through a mock noOp node whose only parameter `temp` is ''.
		const isTestingCredentials = node?.parameters?.temp === '' && node?.type === 'n8n-nodes-base.noOp';

		if (typeof credentialType.preAuthentication !== 'function') return undefined;
		if (!(credentials[expirableProperty.name] === '' || credentialsExpired || isTestingCredentials)) return undefined;

		const output = await credentialType.preAuthentication.call(restrictToCredentialDomains(helpers, credentials), credentials);
		// Without the expirable property in the output nothing is stored.
		if (output[expirableProperty.name] === undefined) return undefined;

		if (node.credentials) {
			const nodeCredentials = node.credentials[credentialType.name];
			const storedData = await (await this.getCredentials(nodeCredentials, credentialType.name)).getData();
			const dataToPersist: ICredentialDataDecryptedObject = { ...storedData };
			for (const [key, value] of Object.entries(output as ICredentialDataDecryptedObject)) {
				if (key === expirableProperty.name || !isExpression(storedData[key])) dataToPersist[key] = value;
			}
			await this.updateCredentials(nodeCredentials, credentialType.name, dataToPersist);
			return Object.assign(credentials, output);
		}
		return undefined;
	}

	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const credentialType = getCredentialType(typeName);
		if (typeof credentialType.preAuthentication !== 'function') return undefined;
		const output = await credentialType.preAuthentication.call(restrictToCredentialDomains(helpers, credentials), credentials);
		return (output as ICredentialDataDecryptedObject) ?? undefined;
	}

	async getCredentials(nodeCredentials: INodeCredentialsDetails | undefined, type: string): Promise<ICredentials> {
		const record = this.lookup(nodeCredentials, type);
		return new PlainCredentials({ id: record.id, name: record.name }, record.type, record.data);
	}

	async getDecrypted(
		additionalData: IWorkflowExecuteAdditionalData,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		raw?: boolean,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const record = this.lookup(nodeCredentials, type);
		const data = clone(record.data);
		if (raw === true) return data;
		return await this.applyDefaultsAndOverwrites(additionalData, data, type, mode, executeData, expressionResolveValues);
	}

	/** Type defaults, then expressions in the data resolved (as n8n's helper does; no overwrites here). */
	async applyDefaultsAndOverwrites(
		additionalData: IWorkflowExecuteAdditionalData,
		decryptedDataOriginal: ICredentialDataDecryptedObject,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const properties = this.getCredentialsProperties(type);
		let decryptedData = NodeHelpers.getNodeParameters(
			properties,
			clone(decryptedDataOriginal) as INodeParameters,
			true,
			false,
			null,
			null,
		) as ICredentialDataDecryptedObject;
		if (decryptedDataOriginal.oauthTokenData !== undefined) {
			decryptedData.oauthTokenData = decryptedDataOriginal.oauthTokenData as ICredentialDataDecryptedObject['oauthTokenData'];
		}

		const additionalKeys = getAdditionalKeys(additionalData, mode, null, { isCredential: true });
		if (expressionResolveValues) {
			try {
				decryptedData = expressionResolveValues.workflow.expression.getParameterValue(
					decryptedData as INodeParameters,
					expressionResolveValues.runExecutionData,
					expressionResolveValues.runIndex,
					expressionResolveValues.itemIndex,
					expressionResolveValues.node.name,
					expressionResolveValues.connectionInputData,
					mode,
					additionalKeys,
					executeData,
					false,
					decryptedData,
				) as ICredentialDataDecryptedObject;
			} catch (error) {
				(error as Error).message += ' [Error resolving credentials]';
				throw error;
			}
		} else {
			const workflow = new Workflow({ nodes: [mockNode], connections: {}, active: false, nodeTypes: mockNodeTypes });
			decryptedData = workflow.expression.getComplexParameterValue(
				mockNode,
				decryptedData as INodeParameters,
				mode,
				additionalKeys,
				undefined,
				undefined,
				decryptedData,
			) as ICredentialDataDecryptedObject;
		}
		return decryptedData;
	}

	async updateCredentials(nodeCredentials: INodeCredentialsDetails, type: string, data: ICredentialDataDecryptedObject): Promise<void> {
		const record = this.lookup(nodeCredentials, type);
		this.store.persist(record.id, type, data);
	}

	async updateCredentialsOauthTokenData(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		const record = this.lookup(nodeCredentials, type);
		this.store.persist(record.id, type, { ...record.data, oauthTokenData: data.oauthTokenData });
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		const credentialType: ICredentialType = getCredentialType(type);
		if (credentialType.extends === undefined) {
			if (['oAuth1Api', 'oAuth2Api'].includes(type)) {
				return [
					...credentialType.properties,
					{ displayName: 'oauthTokenData', name: 'oauthTokenData', type: 'json', required: false, default: {} },
				];
			}
			return credentialType.properties;
		}
		const combined: INodeProperties[] = [];
		for (const parent of credentialType.extends) NodeHelpers.mergeNodeProperties(combined, this.getCredentialsProperties(parent));
		NodeHelpers.mergeNodeProperties(combined, credentialType.properties);
		return combined;
	}

	/** The decrypted-credential shape n8n's credential test works with. */
	decryptedFor(id: string, type: string): ICredentialsDecrypted {
		const record = this.lookup({ id, name: '' }, type);
		return { id: record.id, name: record.name, type: record.type, data: clone(record.data) };
	}

	private lookup(nodeCredentials: INodeCredentialsDetails | undefined, type: string): StoredCredential {
		if (!nodeCredentials?.id) {
			throw new UserError(`Credential "${nodeCredentials?.name ?? type}" has no ID: give the node's credentials entry the ID CredentialStore.add() returned`);
		}
		const record = this.store.find(nodeCredentials.id, type);
		if (!record) throw new UserError(`Credential with ID "${nodeCredentials.id}" does not exist for type "${type}".`);
		return record;
	}

	private resolveValue(parameterValue: string, additionalKeys: IWorkflowDataProxyAdditionalKeys, workflow: Workflow, node: INode): string {
		if (!isExpression(parameterValue)) return parameterValue;
		const returnValue = workflow.expression.getSimpleParameterValue(node, parameterValue, 'internal', additionalKeys, undefined, '');
		if (!returnValue) return '';
		return returnValue.toString();
	}
}
