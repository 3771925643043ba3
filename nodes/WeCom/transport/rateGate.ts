/**
 * One shared backoff gate per credential (per process): when WeCom answers 45009 (frequency limit) or 45033 (too
 * many concurrent calls), every request of that credential waits, not just the one that was refused, because the limit
 * is WeCom's count for the whole corp and API.
 *
 * - A refusal of a request sent after the gate last closed is a *strike*: the gate closes for an exponentially
 *   growing delay. Refusals of requests that were already under way when it closed are not new evidence: those items
 *   just wait and try again, without a strike.
 * - When the delay has passed, one request goes first (the probe) while the others wait for its answer; any answer
 *   other than a refusal opens the gate for all and forgets the strikes.
 * - The strikes are the run's shared retry budget for rate limits (RetryPolicy.rateLimitRetries; with WeCom's figures
 *   the waits add up to about a minute, the time WeCom blocks an API once its minute limit is crossed). The item
 *   whose refusal goes past the budget fails; until the gate's next probe, other items reaching it fail at once
 *   instead of queueing behind a limit that did not lift.
 * State is module-level on purpose: all executions in this process that share a credential share its gate.
 */
import { sleep } from 'n8n-workflow';

import { getRetryPolicy } from './retryPolicy';

interface Gate {
	/** Nobody passes before this time (ms). */
	closedUntil: number;
	strikes: number;
	/** When the gate last closed: refusals of requests sent before it are not new strikes. */
	closedAt: number;
	/** The budget ran out: items reaching the gate fail until the next probe. */
	exhausted: boolean;
	/** Set while a probe is under way; resolves when it has an answer. */
	probe?: Promise<void>;
	releaseProbe?: () => void;
}

const gates = new Map<string, Gate>();

export interface GateTicket {
	/** Call with the outcome of the request: 'limited' (45009/45033), 'answered' (anything else WeCom said) or 'lost'. */
	settle(outcome: 'limited' | 'answered' | 'lost'): 'retry' | 'exhausted' | 'done';
}

/**
 * Waits until this credential's gate lets a request through and returns the ticket to report its outcome with.
 * Returns 'exhausted' when the rate-limit budget ran out and the gate has not probed again yet.
 */
export async function passGate(key: string): Promise<GateTicket | 'exhausted'> {
	for (;;) {
		const gate = gates.get(key);
		if (!gate) return ticket(key, Date.now(), false);
		const wait = gate.closedUntil - Date.now();
		if (gate.exhausted && wait > 0) return 'exhausted';
		if (wait > 0) {
			await sleep(wait);
			continue;
		}
		if (gate.probe) {
			await gate.probe;
			continue;
		}
		gate.probe = new Promise<void>((resolve) => (gate.releaseProbe = resolve));
		return ticket(key, Date.now(), true);
	}
}

function ticket(key: string, sentAt: number, probe: boolean): GateTicket {
	let settled = false;
	return {
		settle(outcome) {
			if (settled) return 'done';
			settled = true;
			const gate = gates.get(key);
			if (probe && gate) {
				gate.probe = undefined;
				gate.releaseProbe?.();
			}
			if (outcome === 'lost') return 'done';
			if (outcome === 'answered') {
				// WeCom took the call: whatever held it back has lifted.
				if (gate && (probe || sentAt >= gate.closedAt)) gates.delete(key);
				return 'done';
			}
			const now = Date.now();
			if (gate && sentAt < gate.closedAt) return gate.exhausted ? 'exhausted' : 'retry';
			const policy = getRetryPolicy();
			const strikes = (gate?.strikes ?? 0) + 1;
			const exhausted = strikes > policy.rateLimitRetries;
			gates.set(key, {
				strikes,
				closedAt: now,
				closedUntil: now + gateDelay(Math.min(strikes, policy.rateLimitRetries) - 1),
				exhausted,
			});
			return exhausted ? 'exhausted' : 'retry';
		},
	};
}

/** Exponential, capped by the retry policy, with a little jitter (75–100 %) so processes sharing a corp spread out. */
export function gateDelay(strike: number, random: () => number = Math.random): number {
	const policy = getRetryPolicy();
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** strike);
	return Math.round(ceiling * (0.75 + random() * 0.25));
}

/** Tests: forget every gate. */
export function resetRateGates(): void {
	for (const gate of gates.values()) gate.releaseProbe?.();
	gates.clear();
}

/** Tests and benchmarks: the strikes the gate of `key` holds now (0 when open). */
export function gateStrikes(key: string): number {
	return gates.get(key)?.strikes ?? 0;
}
