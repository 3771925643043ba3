/**
 * The `weComApi` credential as one node run sees it, read once instead of once (or twice) per request.
 *
 * In n8n every `getCredentials` reads the credential from the database, decrypts it and resolves its expressions
 * (1-2 ms each in n8n 2.41 on the bench machine); a run of 5,000 items would do that 10,000 times for an unchanged
 * record. Here a node run (its context object) keeps the copy it read. The copy is dropped, and the store read again,
 * when:
 *  - any refresh of this credential ended in this process (generation counter, see tokenCoordinator);
 *  - it is older than MAX_AGE_MS, so edits and tokens stored by other processes are picked up in a bounded time;
 *  - the caller finds its token stale or rejected by WeCom (the transport re-reads before it refreshes).
 * Entries live in a WeakMap keyed on the context, so they end with the node run.
 * The copy is resolved for the item of the run's first call. Credential fields whose expressions depend on the item
 * are therefore not re-resolved per item; n8n's own httpRequestWithAuthentication authenticates every request with
 * the credential resolved for item 0 anyway, and one stored token cannot serve several apps.
 */
import type { ICredentialDataDecryptedObject, ICredentialsDecrypted, IExecuteFunctions, ILoadOptionsFunctions, IWebhookFunctions } from 'n8n-workflow';

import { refreshGeneration } from './tokenCoordinator';

/** Webhook contexts: the send-and-wait webhook updates the answered card. */
export type WeComContext = IExecuteFunctions | ILoadOptionsFunctions | IWebhookFunctions;

export const WECOM_API_CREDENTIAL = 'weComApi';

/** Upper bound on how long a node run trusts its copy without reading the store again. */
const MAX_AGE_MS = 30_000;

export interface WeComCredential {
	data: ICredentialDataDecryptedObject;
	/** The refresh lock and rejected-token bookkeeping key of this stored credential. */
	key: string;
	/** True when `data` came from the store during this call (not from the node run's copy). */
	fresh: boolean;
}

interface Entry {
	data: ICredentialDataDecryptedObject;
	key: string;
	generation: number;
	readAt: number;
	/** The node's credential reference, for the `credentialsDecrypted` handed to n8n. */
	id: string;
	name: string;
}

const entries = new WeakMap<object, Entry>();
/** A read of the store under way for a node run: items running at the same time share it instead of each reading. */
const reading = new WeakMap<object, Promise<WeComCredential>>();

/** The node run's copy when still trustworthy, else the stored credential (then kept for the next calls). */
export async function readWeComCredential(ctx: WeComContext, itemIndex: number, options: { fresh?: boolean } = {}): Promise<WeComCredential> {
	const entry = entries.get(ctx);
	if (!options.fresh && entry && entry.generation === refreshGeneration(entry.key) && Date.now() - entry.readAt < MAX_AGE_MS) {
		return { data: entry.data, key: entry.key, fresh: false };
	}
	// Reads asked for as fresh (after a refresh or a rejection) must not join one that started before it.
	if (options.fresh) return await readStored(ctx, itemIndex, entry);
	const pending = reading.get(ctx);
	if (pending) return await pending;
	const read = readStored(ctx, itemIndex, entry);
	reading.set(ctx, read);
	try {
		return await read;
	} finally {
		if (reading.get(ctx) === read) reading.delete(ctx);
	}
}

async function readStored(ctx: WeComContext, itemIndex: number, entry: Entry | undefined): Promise<WeComCredential> {
	const reference = entry ?? nodeReference(ctx);
	// Taken before the read: a refresh ending while the read is under way makes the next call read again.
	const knownKey = entry?.key ?? (reference.id ? credentialKey(reference.id, {}) : undefined);
	const generation = knownKey === undefined ? undefined : refreshGeneration(knownKey);
	const data = await ctx.getCredentials<ICredentialDataDecryptedObject>(WECOM_API_CREDENTIAL, itemIndex);
	const key = knownKey ?? credentialKey(reference.id, data);
	entries.set(ctx, { data, key, id: reference.id, name: reference.name, generation: generation ?? refreshGeneration(key), readAt: Date.now() });
	return { data, key, fresh: true };
}

/** The refresh lock / gate key of the node's credential, without reading the store when the node names its credential. */
export async function weComCredentialKey(ctx: WeComContext, itemIndex: number): Promise<string> {
	const entry = entries.get(ctx);
	if (entry) return entry.key;
	const reference = nodeReference(ctx);
	if (reference.id) return credentialKey(reference.id, {});
	return (await readWeComCredential(ctx, itemIndex)).key;
}

/** Keeps `data` (e.g. the credential with the token a refresh just stored) as the node run's copy. */
export function rememberWeComCredential(ctx: WeComContext, key: string, data: ICredentialDataDecryptedObject): void {
	const reference = entries.get(ctx) ?? nodeReference(ctx);
	entries.set(ctx, { data, key, id: reference.id, name: reference.name, generation: refreshGeneration(key), readAt: Date.now() });
}

export function forgetWeComCredential(ctx: WeComContext): void {
	entries.delete(ctx);
}

/** The shape n8n's `httpRequestWithAuthentication` accepts instead of reading the credential itself. */
export function asDecrypted(ctx: WeComContext, data: ICredentialDataDecryptedObject): ICredentialsDecrypted {
	const reference = entries.get(ctx) ?? nodeReference(ctx);
	// A copy: n8n merges a refreshed token into what it is given, which must not change the run's copy under it.
	return { id: reference.id, name: reference.name, type: WECOM_API_CREDENTIAL, data: { ...data } };
}

function nodeReference(ctx: WeComContext): { id: string; name: string } {
	const reference = ctx.getNode().credentials?.[WECOM_API_CREDENTIAL];
	return { id: reference?.id ?? '', name: reference?.name ?? WECOM_API_CREDENTIAL };
}

/** One refresh lock per stored credential; falls back to corp + agent when the node has no credential ID (tests). */
function credentialKey(id: string, data: ICredentialDataDecryptedObject): string {
	if (id) return `id:${id}`;
	return `corp:${String(data.corpId ?? '')}:${String(data.agentId ?? '')}`;
}
