import type { IDataObject } from 'n8n-workflow';

/** WeCom retries three times within about 15 seconds; a much longer window costs little and covers slow retries. */
export const DEDUPE_WINDOW_MS = 15 * 60 * 1000;
const MAX_KEYS = 2000;

/** Callbacks seen by this process, per trigger node: catches retries that arrive before static data is saved. */
const processMemory = new Map<string, Map<string, number>>();

/**
 * Records `key` and says whether it was seen within the window, in this process or in the workflow's static data
 * (which n8n stores with the workflow, so it also spans restarts and, read back per request, other instances).
 */
export function seenBefore(scope: string, key: string, staticData: IDataObject, now: number = Date.now()): boolean {
	let local = processMemory.get(scope);
	if (!local) {
		local = new Map();
		processMemory.set(scope, local);
	}
	const stored = (staticData.recentCallbacks ?? {}) as Record<string, number>;
	const previous = local.get(key) ?? stored[key];
	const duplicate = previous !== undefined && now - previous < DEDUPE_WINDOW_MS;

	local.set(key, now);
	stored[key] = now;
	staticData.recentCallbacks = prune(stored, now);
	if (local.size > MAX_KEYS) processMemory.set(scope, new Map(Object.entries(prune(Object.fromEntries(local), now))));
	return duplicate;
}

function prune(entries: Record<string, number>, now: number): Record<string, number> {
	const fresh = Object.entries(entries)
		.filter(([, at]) => now - at < DEDUPE_WINDOW_MS)
		.sort((a, b) => b[1] - a[1])
		.slice(0, MAX_KEYS);
	return Object.fromEntries(fresh);
}
