import { RETRYABLE_ERRCODES } from '../../shared/errorCodes';
import { isTransientNetworkError } from '../../shared/networkError';

export interface RetryPolicy {
	/** Retries after the first attempt (so attempts = maxRetries + 1). */
	maxRetries: number;
	/** Delay before the first retry; doubles each time. */
	baseDelayMs: number;
	/** Cap for one delay. */
	maxDelayMs: number;
	/**
	 * Rate limits (45009/45033) are waited out by the credential's shared gate (rateGate.ts): this many consecutive
	 * strikes for the whole run, not per item. 12 with the delays above is about a minute (59–79 s) of waiting, the
	 * time WeCom blocks an API after its minute limit was crossed.
	 */
	rateLimitRetries: number;
}

/** Module state on purpose: one policy per process. Tests shorten the delays through setRetryPolicy. */
const policy: RetryPolicy = { maxRetries: 3, baseDelayMs: 1000, maxDelayMs: 8000, rateLimitRetries: 12 };

export function getRetryPolicy(): Readonly<RetryPolicy> {
	return policy;
}

export function setRetryPolicy(changes: Partial<RetryPolicy>): void {
	Object.assign(policy, changes);
}

/** Exponential backoff with "full jitter": spreads retries of parallel items so they do not collide again. */
export function backoffDelay(retry: number, random: () => number = Math.random): number {
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
	return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export function isRetryableErrcode(errcode: number): boolean {
	return RETRYABLE_ERRCODES.has(errcode);
}

/** WeCom's frequency (45009) and concurrency (45033) limits: shared by the whole corp, so waited out together. */
export const RATE_LIMIT_ERRCODES: ReadonlySet<number> = new Set([45009, 45033]);

export { isTransientNetworkError };
