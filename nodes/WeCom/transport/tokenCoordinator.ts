/**
 * Per-process coordination of access-token refreshes, one entry per credential.
 * The token itself is persisted by n8n (pre-authentication); this only makes sure that concurrent items and
 * executions in this process that find it stale wait for a single refresh instead of each calling gettoken.
 */
const refreshing = new Map<string, Promise<void>>();
/** Tokens WeCom rejected (40014/41001/42001), so a stale copy read back from storage is not trusted again. */
const rejected = new Map<string, string>();
/** Counts the refreshes that ended per credential, so copies read before one know they may be out of date. */
const generations = new Map<string, number>();

export function refreshGeneration(key: string): number {
	return generations.get(key) ?? 0;
}

export function refreshInFlight(key: string): Promise<void> | undefined {
	return refreshing.get(key);
}

/**
 * Runs `refresh` unless another refresh for `key` is under way; then waits for that one instead.
 * Returns true when this caller performed the refresh.
 */
export async function runRefresh<T>(
	key: string,
	refresh: () => Promise<T>,
	/** Runs after a successful refresh, before the waiting callers resume (e.g. to keep the new credential for them). */
	refreshed?: (value: T) => void,
): Promise<{ leader: true; value: T } | { leader: false }> {
	const pending = refreshing.get(key);
	if (pending) {
		await pending;
		return { leader: false };
	}
	let settle!: () => void;
	refreshing.set(key, new Promise<void>((resolve) => (settle = resolve)));
	let value: T | undefined;
	let ok = false;
	try {
		value = await refresh();
		ok = true;
		return { leader: true, value };
	} finally {
		refreshing.delete(key);
		generations.set(key, refreshGeneration(key) + 1);
		if (ok) refreshed?.(value as T);
		settle();
	}
}

export function markRejected(key: string, token: string): void {
	if (token) rejected.set(key, token);
}

/** A refresh handed back `token` (WeCom returns the same token while it is valid): trust it again. */
export function forgetRejected(key: string, token: string): void {
	if (rejected.get(key) === token) rejected.delete(key);
}

export function isRejected(key: string, token: string): boolean {
	return rejected.get(key) === token;
}

export function isTokenStale(token: unknown, expiresAt: unknown, now: number = Date.now()): boolean {
	if (typeof token !== 'string' || token === '') return true;
	const expiry = Number(expiresAt);
	// A token stored by an older version without expiry is trusted until WeCom rejects it.
	if (!Number.isFinite(expiry) || expiry <= 0) return false;
	return now >= expiry;
}
