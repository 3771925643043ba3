/**
 * The credential's shared rate-limit gate (transport/rateGate.ts) on a clock the test moves, so events that fall in
 * the same millisecond (common on a fast machine, and what made a CI run hang) are exercised on purpose.
 */
import { gateStrikes, passGate, resetRateGates, type GateTicket } from '../../nodes/WeCom/transport/rateGate';
import { getRetryPolicy, setRetryPolicy } from '../../nodes/WeCom/transport/retryPolicy';

const KEY = 'corp\nsecret';
let now = 1_000_000;
const saved = { ...getRetryPolicy() };

beforeEach(() => {
	now = 1_000_000;
	jest.spyOn(Date, 'now').mockImplementation(() => now);
	setRetryPolicy({ baseDelayMs: 5, maxDelayMs: 20, rateLimitRetries: 3 });
	resetRateGates();
});
afterEach(() => {
	jest.restoreAllMocks();
	setRetryPolicy(saved);
	resetRateGates();
});

async function pass(): Promise<GateTicket> {
	const result = await passGate(KEY);
	if (result === 'exhausted') throw new Error('gate unexpectedly exhausted');
	return result;
}

/** Resolves to what `promise` settled with, or 'pending' when it has not settled after the queued work ran. */
async function state<T>(promise: Promise<T>): Promise<T | 'pending'> {
	return Promise.race([promise, new Promise<'pending'>((resolve) => setTimeout(() => resolve('pending'), 30))]);
}

describe('the shared rate-limit gate', () => {
	it('counts one strike for refusals of requests sent before it closed, even in the same millisecond', async () => {
		const first = await pass();
		const second = await pass();
		expect(first.settle('limited')).toBe('retry');
		expect(second.settle('limited')).toBe('retry');
		expect(gateStrikes(KEY)).toBe(1);
	});

	it('an answer to a request sent before the gate closed does not open it', async () => {
		const first = await pass();
		const second = await pass();
		first.settle('limited');
		second.settle('answered');
		expect(gateStrikes(KEY)).toBe(1);
		expect(await state(passGate(KEY))).toBe('pending');
	});

	it('never strands the items waiting for a probe, whatever settles while it is under way', async () => {
		const early = await pass();
		const refused = await pass();
		refused.settle('limited');
		now += 1_000;
		const probe = await pass();
		const waiting = passGate(KEY);
		expect(await state(waiting)).toBe('pending');
		// An older request's answer arrives while the probe is out, then the probe is refused again.
		early.settle('answered');
		expect(probe.settle('limited')).toBe('retry');
		expect(gateStrikes(KEY)).toBe(2);
		now += 1_000;
		const next = await state(waiting);
		expect(next).not.toBe('pending');
		// The waiter became the next probe: its answer opens the gate for everyone.
		(next as GateTicket).settle('answered');
		expect(gateStrikes(KEY)).toBe(0);
		expect(await state(passGate(KEY))).not.toBe('pending');
	});

	it('a lost probe hands the turn to the next waiting item without a strike', async () => {
		(await pass()).settle('limited');
		now += 1_000;
		const probe = await pass();
		const waiting = passGate(KEY);
		probe.settle('lost');
		expect(await state(waiting)).not.toBe('pending');
		expect(gateStrikes(KEY)).toBe(1);
	});

	it('spends the budget across the run, then fails items at once until the next probe', async () => {
		(await pass()).settle('limited');
		for (let strike = 2; strike <= 3; strike++) {
			now += 1_000;
			expect((await pass()).settle('limited')).toBe('retry');
		}
		now += 1_000;
		expect((await pass()).settle('limited')).toBe('exhausted');
		expect(await passGate(KEY)).toBe('exhausted');
		now += 1_000;
		const probe = await pass();
		probe.settle('answered');
		expect(gateStrikes(KEY)).toBe(0);
	});
});
