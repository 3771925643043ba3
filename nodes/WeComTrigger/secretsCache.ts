/**
 * The trigger's callback secrets between requests. Reading the credential is a database read that n8n 2.41 makes
 * wait behind the writes of running executions (about 100 ms per callback in the real-n8n benchmark, all of it
 * before WeCom got its answer). So a callback is checked with the secrets the previous one was checked with, and
 * the credential is read again once the answer is out, off WeCom's clock:
 *  - kept secrets are at most one callback old, and never older than MAX_AGE_MS (then the read comes first);
 *  - a callback the kept secrets reject is checked again with a fresh read, so an edited credential never makes
 *    the trigger refuse a genuine callback;
 *  - a credential that became unusable is dropped at the next read.
 * Keyed by workflow, node, webhook path and credential; one process's memory, never logged.
 */
import type { IWebhookFunctions } from 'n8n-workflow';

import type { CallbackSecrets } from './callbackRequest';

const MAX_AGE_MS = 10 * 60_000;
const MAX_ENTRIES = 256;

interface Entry {
	secrets: CallbackSecrets;
	readAt: number;
}

const kept = new Map<string, Entry>();

export function secretsKey(ctx: IWebhookFunctions): string {
	const node = ctx.getNode();
	const credentialId = node.credentials?.weComCallbackApi?.id ?? '';
	const path = String(ctx.getNodeParameter('path', '') ?? '');
	return `${ctx.getWorkflow().id ?? ''}\n${node.id ?? node.name}\n${path}\n${credentialId}`;
}

/** The kept secrets, unless there are none or they are older than MAX_AGE_MS. */
export function keptSecrets(key: string): CallbackSecrets | undefined {
	const entry = kept.get(key);
	if (entry === undefined) return undefined;
	if (Date.now() - entry.readAt > MAX_AGE_MS) {
		kept.delete(key);
		return undefined;
	}
	return entry.secrets;
}

export function keepSecrets(key: string, secrets: CallbackSecrets): void {
	if (!kept.has(key) && kept.size >= MAX_ENTRIES) kept.clear();
	kept.set(key, { secrets, readAt: Date.now() });
}

export function dropSecrets(key: string): void {
	kept.delete(key);
}

export function sameSecrets(a: CallbackSecrets, b: CallbackSecrets): boolean {
	return a.token === b.token && a.receiveId === b.receiveId && a.key.equals(b.key);
}
