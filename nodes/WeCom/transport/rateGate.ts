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
	/** Nobody passes before this time (ms); 0 while open. */
	closedUntil: number;
	/** 0 while open. */
	strikes: number;
	/**
	 * How many times the gate has closed. A ticket remembers the count it passed at, so a refusal is a new strike only
	 * when nothing closed the gate since its request left (a counter, not a clock: two events in the same millisecond
	 * must not look simultaneous).
	 */
	closings: number;
	/** Set while a probe is under way; resolves when it has an answer. */
	probe?: Promise<void>;
	releaseProbe?: () => void;
}

/** One record per credential for the life of the process (it only opens and closes, so `closings` keeps counting). */
const gates = new Map<string, Gate>();

export interface GateTicket {
	/** Call with the outcome of the request: 'limited' (45009/45033), 'answered' (anything else WeCom said) or 'lost'. */
	settle(outcome: 'limited' | 'answered' | 'lost'): 'retry' | 'exhausted' | 'done';
}

function gateOf(key: string): Gate {
	let gate = gates.get(key);
	if (!gate) gates.set(key, (gate = { closedUntil: 0, strikes: 0, closings: 0 }));
	return gate;
}

/**
 * Waits until this credential's gate lets a request through and returns the ticket to report its outcome with.
 * Returns 'exhausted' when the rate-limit budget ran out and the gate has not probed again yet.
 */
export async function passGate(key: string): Promise<GateTicket | 'exhausted'> {
	const gate = gateOf(key);
	for (;;) {
		if (gate.strikes === 0) return ticket(gate, false);
		const wait = gate.closedUntil - Date.now();
		if (exhausted(gate) && wait > 0) return 'exhausted';
		if (wait > 0) {
			await sleep(wait);
			continue;
		}
		if (gate.probe) {
			await gate.probe;
			continue;
		}
		gate.probe = new Promise<void>((resolve) => (gate.releaseProbe = resolve));
		return ticket(gate, true);
	}
}

function ticket(gate: Gate, probe: boolean): GateTicket {
	const closingsAtSend = gate.closings;
	let settled = false;
	return {
		settle(outcome) {
			if (settled) return 'done';
			settled = true;
			if (probe) {
				// Released on the record this probe was made on, whatever happened to the gate meanwhile: the items
				// waiting for it must never be left behind.
				const release = gate.releaseProbe;
				gate.probe = undefined;
				gate.releaseProbe = undefined;
				release?.();
			}
			if (outcome === 'lost') return 'done';
			const sentSinceLastClosing = closingsAtSend === gate.closings;
			if (outcome === 'answered') {
				// WeCom took the call: whatever held it back has lifted.
				if (probe || sentSinceLastClosing) open(gate);
				return 'done';
			}
			if (sentSinceLastClosing) {
				gate.strikes++;
				gate.closings++;
				gate.closedUntil = Date.now() + gateDelay(Math.min(gate.strikes, getRetryPolicy().rateLimitRetries) - 1);
			}
			return exhausted(gate) ? 'exhausted' : 'retry';
		},
	};
}

function open(gate: Gate): void {
	gate.strikes = 0;
	gate.closedUntil = 0;
}

/** The budget ran out: items reaching the gate fail until the next probe. */
function exhausted(gate: Gate): boolean {
	return gate.strikes > getRetryPolicy().rateLimitRetries;
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
