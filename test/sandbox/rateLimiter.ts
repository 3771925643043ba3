import { normalizePath } from './util';

/**
 * One counting rule: at most `limit` accepted calls within `windowMs`. With `blockMs`, the call that finds the window
 * full blocks the scope for that long (WeCom: "按分钟拦截则被屏蔽60秒，按小时拦截则被屏蔽60分钟"), during which
 * every call is refused, whatever the count.
 */
export interface RateRule {
	limit: number;
	windowMs: number;
	blockMs?: number;
}

/** Group robots: 20 messages a minute per key (path 99110). */
const DEFAULT_LIMITS: Record<string, RateRule[]> = {
	'/cgi-bin/webhook/send': [{ limit: 20, windowMs: 60_000 }],
};

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * WeCom's default frequency limits (访问频率限制, developer.work.weixin.qq.com/document/path/90312):
 * - base frequency, per corp and per API: 10,000 calls a minute and 150,000 an hour; crossing the minute limit blocks
 *   that API for the corp for 60 s, crossing the hour limit for 60 min; answered with 45009;
 * - sending app messages does not count towards the base frequency; instead one app may send one member at most 30
 *   messages a minute and 1,000 an hour, and WeCom silently drops what goes beyond (the call still answers ok).
 */
export const WECOM_BASE_RULES: readonly RateRule[] = [
	{ limit: 10_000, windowMs: MINUTE, blockMs: MINUTE },
	{ limit: 150_000, windowMs: HOUR, blockMs: HOUR },
];
export const WECOM_MEMBER_RULES: readonly RateRule[] = [
	{ limit: 30, windowMs: MINUTE },
	{ limit: 1_000, windowMs: HOUR },
];
const MESSAGE_SEND = '/cgi-bin/message/send';

export interface WeComLimitOptions {
	/** Run WeCom's clock this many times faster (60: a "minute" lasts 1 s, a block too); default 1. */
	timeScale?: number;
	/**
	 * Apply the base frequency to message/send as well. WeCom exempts message sends from it; benchmarks turn this on to
	 * have a documented 45009 rule on the path they measure.
	 */
	includeMessageSend?: boolean;
	/** Drop (silently, as WeCom does) app messages beyond 30 a minute / 1,000 an hour per member; default true. */
	perMember?: boolean;
}

interface WeComLimits {
	base: RateRule[];
	member: RateRule[];
	includeMessageSend: boolean;
}

const scaled = (rules: readonly RateRule[], scale: number): RateRule[] =>
	rules.map((rule) => ({ limit: rule.limit, windowMs: rule.windowMs / scale, ...(rule.blockMs ? { blockMs: rule.blockMs / scale } : {}) }));

/** Sliding-window limits per path (and per robot key / corp), on the sandbox clock; accepted calls count. */
export class RateLimiter {
	private limits = new Map<string, RateRule[]>();
	private hits = new Map<string, HitWindow>();
	private blockedUntil = new Map<string, number>();
	private wecom: WeComLimits | undefined;

	constructor(private readonly now: () => number) {
		this.clear();
	}

	clear(): void {
		this.limits = new Map(Object.entries(DEFAULT_LIMITS));
		this.hits.clear();
		this.blockedUntil.clear();
		this.wecom = undefined;
	}

	set(path: string, limit: number, windowMs: number, blockMs?: number): void {
		this.limits.set(normalizePath(path), [{ limit, windowMs, ...(blockMs ? { blockMs } : {}) }]);
	}

	/** Turns WeCom's default limits on for every API that needs a token (or off with `false`). */
	enforceWeComLimits(options: WeComLimitOptions | false): void {
		if (options === false) {
			this.wecom = undefined;
			return;
		}
		const scale = options.timeScale && options.timeScale > 0 ? options.timeScale : 1;
		this.wecom = {
			base: scaled(WECOM_BASE_RULES, scale),
			member: options.perMember === false ? [] : scaled(WECOM_MEMBER_RULES, scale),
			includeMessageSend: options.includeMessageSend === true,
		};
	}

	/** Counts one call; false when a window is full or the scope is blocked (the caller answers 45009). */
	take(path: string, scope: string, at: number = this.now()): boolean {
		const rules = this.limits.get(path) ?? this.wecomRules(path);
		return rules.length === 0 || this.pass(`${path}\n${scope}`, rules, at);
	}

	/**
	 * WeCom's per-member rule for app messages: false when this app already sent this member 30 messages this minute
	 * (or 1,000 this hour); such a message is dropped without an error.
	 */
	memberAccepts(corpId: string, agentId: number, userid: string, at: number = this.now()): boolean {
		const rules = this.wecom?.member ?? [];
		return rules.length === 0 || this.pass(`member\n${corpId}\n${agentId}\n${userid.toLowerCase()}`, rules, at);
	}

	private wecomRules(path: string): RateRule[] {
		if (!this.wecom || (path === MESSAGE_SEND && !this.wecom.includeMessageSend)) return [];
		return this.wecom.base;
	}

	private pass(scope: string, rules: RateRule[], now: number): boolean {
		const windows = rules.map((rule, index) => {
			const key = `${scope}\n${index}`;
			let window = this.hits.get(key);
			if (!window) this.hits.set(key, (window = new HitWindow()));
			window.prune(now - rule.windowMs);
			return { rule, key, window };
		});
		for (const { rule, key, window } of windows) {
			if ((this.blockedUntil.get(key) ?? 0) > now) return false;
			if (window.size >= rule.limit) {
				if (rule.blockMs) this.blockedUntil.set(key, now + rule.blockMs);
				return false;
			}
		}
		for (const { window } of windows) window.push(now);
		return true;
	}
}

/** Accepted call times, oldest first; pruning moves a start index (no copying per call). */
class HitWindow {
	private times: number[] = [];
	private start = 0;

	get size(): number {
		return this.times.length - this.start;
	}

	push(at: number): void {
		this.times.push(at);
	}

	/** Forgets the calls at or before `cutoff`. */
	prune(cutoff: number): void {
		while (this.start < this.times.length && this.times[this.start] <= cutoff) this.start++;
		if (this.start > 1024 && this.start * 2 > this.times.length) {
			this.times = this.times.slice(this.start);
			this.start = 0;
		}
	}
}
