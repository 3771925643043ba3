/**
 * Group robots (群机器人) accept 20 messages a minute each; WeCom answers 45009 past that.
 * This keeps an in-process sliding window of the sends made per robot, so a batch of items can pace itself
 * (wait for a free slot before sending) instead of running into 45009 item after item.
 * The window is module state on purpose: it spans executions of every workflow in this process that share a robot.
 * Robot keys are secrets, so the map is keyed by a hash of the key.
 */
import { createHash } from 'node:crypto';

export interface RobotRatePolicy {
	/** Messages a robot accepts within one window. */
	limit: number;
	/** Length of the window in milliseconds. */
	windowMs: number;
	/** The longest one item may wait in total before it fails ("Wait and Retry"). */
	maxWaitMs: number;
	/** The shortest pause after a 45009 when the local window cannot tell when a slot frees. */
	minRetryMs: number;
	/** Extra wait past the window: WeCom counts a message when it arrives, not when we sent it (network, clock skew). */
	arrivalMarginMs: number;
}

export const ROBOT_MESSAGES_PER_MINUTE = 20;

const DEFAULT_POLICY: RobotRatePolicy = { limit: ROBOT_MESSAGES_PER_MINUTE, windowMs: 60_000, maxWaitMs: 65_000, minRetryMs: 1_000, arrivalMarginMs: 1_200 };

const policy: RobotRatePolicy = { ...DEFAULT_POLICY };

/** Timestamps (ms) of recent sends per robot, oldest first. */
const windows = new Map<string, number[]>();

export function getRobotRatePolicy(): Readonly<RobotRatePolicy> {
	return policy;
}

/** Tests shorten the window to match a sandbox limit; `reset` restores WeCom's figures and forgets all sends. */
export function setRobotRatePolicy(changes: Partial<RobotRatePolicy> | 'reset'): void {
	if (changes === 'reset') {
		Object.assign(policy, DEFAULT_POLICY);
		windows.clear();
		return;
	}
	Object.assign(policy, changes);
}

export function robotWindowKey(robotKey: string): string {
	return createHash('sha256').update(robotKey).digest('hex').slice(0, 32);
}

function recent(windowKey: string, now: number): number[] {
	const list = (windows.get(windowKey) ?? []).filter((at) => at > now - policy.windowMs);
	if (list.length) windows.set(windowKey, list);
	else windows.delete(windowKey);
	return list;
}

/** Milliseconds until this robot has a free slot by the local count (0 = send now). */
export function msUntilFreeSlot(windowKey: string, now: number = Date.now()): number {
	const list = recent(windowKey, now);
	if (list.length < policy.limit) return 0;
	// The send that frees the slot for us is the one `limit` places back from the newest.
	const blocking = list[list.length - policy.limit];
	return Math.max(0, blocking + policy.windowMs + policy.arrivalMarginMs - now);
}

/** How long to pause after WeCom answered 45009: sends from elsewhere share the robot, so the local count was low. */
export function msAfterRateLimited(windowKey: string, now: number = Date.now()): number {
	const list = recent(windowKey, now);
	// Until our oldest send leaves the window, at least; with none known, a whole window.
	const wait = list.length ? list[0] + policy.windowMs + policy.arrivalMarginMs - now : policy.windowMs;
	return Math.max(policy.minRetryMs, wait);
}

/**
 * Counts one send for this robot, taken before the request so that parallel executions sharing the robot see it;
 * returns the timestamp to hand to releaseRobotSend if WeCom did not accept the message.
 */
export function recordRobotSend(windowKey: string, now: number = Date.now()): number {
	const list = recent(windowKey, now);
	list.push(now);
	windows.set(windowKey, list);
	return now;
}

/**
 * Moves a send recorded with recordRobotSend to the time WeCom's answer came back: WeCom counted it on arrival,
 * somewhere between the two, so the later time keeps the local window on the safe side.
 */
export function confirmRobotSend(windowKey: string, at: number, now: number = Date.now()): void {
	const list = windows.get(windowKey);
	const index = list ? list.lastIndexOf(at) : -1;
	if (!list || index < 0) {
		recordRobotSend(windowKey, now);
		return;
	}
	list.splice(index, 1);
	// Keep the list ordered oldest first.
	let position = list.length;
	while (position > 0 && list[position - 1] > now) position--;
	list.splice(position, 0, now);
}

/** Takes back a send recorded with recordRobotSend (WeCom refused it, so it used no slot). */
export function releaseRobotSend(windowKey: string, at: number): void {
	const list = windows.get(windowKey);
	if (!list) return;
	const index = list.lastIndexOf(at);
	if (index >= 0) list.splice(index, 1);
	if (!list.length) windows.delete(windowKey);
}

/** Sends counted for this robot within the current window. */
export function robotSendsInWindow(windowKey: string, now: number = Date.now()): number {
	return recent(windowKey, now).length;
}
