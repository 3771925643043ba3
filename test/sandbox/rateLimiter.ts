import { normalizePath } from './util';

/** Group robots: 20 messages a minute per key (path 99110). */
const DEFAULT_LIMITS: Record<string, { limit: number; windowMs: number }> = {
	'/cgi-bin/webhook/send': { limit: 20, windowMs: 60_000 },
};

/** Sliding-window limits per path (and per robot key / app), on the sandbox clock; accepted calls count. */
export class RateLimiter {
	private limits = new Map<string, { limit: number; windowMs: number }>();
	private hits = new Map<string, number[]>();

	constructor(private readonly now: () => number) {
		this.clear();
	}

	clear(): void {
		this.limits = new Map(Object.entries(DEFAULT_LIMITS));
		this.hits.clear();
	}

	set(path: string, limit: number, windowMs: number): void {
		this.limits.set(normalizePath(path), { limit, windowMs });
	}

	/** Counts one call; false when the window is full (the caller answers 45009). */
	take(path: string, scope: string, at: number = this.now()): boolean {
		const rule = this.limits.get(path);
		if (!rule) return true;
		const key = `${path}\n${scope}`;
		const now = at;
		const recent = (this.hits.get(key) ?? []).filter((at) => at > now - rule.windowMs);
		if (recent.length >= rule.limit) {
			this.hits.set(key, recent);
			return false;
		}
		recent.push(now);
		this.hits.set(key, recent);
		return true;
	}
}
