// Polling helpers shared by the e2e process launchers.
import { connect } from 'node:net';

export const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once something accepts TCP connections on host:port. */
export async function waitForPort(port, { host = '127.0.0.1', timeoutMs = 30_000, isDead = () => false, what = `port ${port}` } = {}) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const open = await new Promise((resolve) => {
			const socket = connect({ host, port });
			socket.once('connect', () => {
				socket.destroy();
				resolve(true);
			});
			socket.once('error', () => resolve(false));
		});
		if (open) return;
		const dead = isDead();
		if (dead) throw new Error(`${what} never opened: ${dead}`);
		if (Date.now() > deadline) throw new Error(`${what} did not open within ${timeoutMs} ms`);
		await delay(100);
	}
}

/** Resolves once GET url answers 200. */
export async function waitForHttpOk(url, { timeoutMs = 60_000, isDead = () => false, what = url } = {}) {
	const deadline = Date.now() + timeoutMs;
	let last = 'no answer';
	for (;;) {
		try {
			const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
			await res.arrayBuffer();
			if (res.ok) return;
			last = `HTTP ${res.status}`;
		} catch (e) {
			last = e.cause?.code || e.message;
		}
		const dead = isDead();
		if (dead) throw new Error(`${what} never became ready: ${dead}`);
		if (Date.now() > deadline) throw new Error(`${what} not ready within ${timeoutMs} ms (last: ${last})`);
		await delay(200);
	}
}

/** Polls probe() until it returns something truthy, and returns that; fails after timeoutMs naming what it waited for. */
export async function until(probe, what, timeoutMs = 60_000, everyMs = 100) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await delay(everyMs);
	}
}
