/**
 * The credential types the harness knows: the package's own (loaded lazily from the TypeScript sources, so a
 * half-written file only breaks tests that use it) plus test-only fixtures.
 */
import type { ICredentialType } from 'n8n-workflow';

import { fixtureCredentialTypes } from './fixtures/credentials';

type Loader = () => ICredentialType;

const loaders: Record<string, Loader> = {
	weComApi: () => new (require('../../credentials/WeComApi.credentials').WeComApi)(),
	weComCallbackApi: () => new (require('../../credentials/WeComCallbackApi.credentials').WeComCallbackApi)(),
	weComWebhookApi: () => new (require('../../credentials/WeComWebhookApi.credentials').WeComWebhookApi)(),
	weComSmartsheetWebhookApi: () => new (require('../../credentials/WeComSmartsheetWebhookApi.credentials').WeComSmartsheetWebhookApi)(),
	weComAiBotApi: () => new (require('../../credentials/WeComAiBotApi.credentials').WeComAiBotApi)(),
	weComAiBotCallbackApi: () => new (require('../../credentials/WeComAiBotCallbackApi.credentials').WeComAiBotCallbackApi)(),
};

const cache = new Map<string, ICredentialType>();

for (const type of fixtureCredentialTypes) cache.set(type.name, type);

/** Adds (or replaces) a credential type, e.g. a test's own fixture. */
export function registerCredentialType(type: ICredentialType): void {
	cache.set(type.name, type);
}

export function knownCredentialTypeNames(): string[] {
	return [...new Set([...Object.keys(loaders), ...cache.keys()])];
}

export function getCredentialType(name: string): ICredentialType {
	const cached = cache.get(name);
	if (cached) return cached;
	const load = loaders[name];
	if (!load) throw new Error(`The test harness knows no credential type "${name}" (known: ${knownCredentialTypeNames().join(', ')})`);
	let type: ICredentialType;
	try {
		type = load();
	} catch (error) {
		throw new Error(`Could not load credential type "${name}" from credentials/: ${(error as Error).message}`);
	}
	cache.set(name, type);
	return type;
}
