import {
	confirmRobotSend,
	msAfterRateLimited,
	msUntilFreeSlot,
	recordRobotSend,
	releaseRobotSend,
	robotSendsInWindow,
	robotWindowKey,
	setRobotRatePolicy,
} from '../../nodes/WeCom/helpers/robotRateLimit';

describe('group robot sliding window', () => {
	const key = robotWindowKey('robot-key-1');
	const other = robotWindowKey('robot-key-2');

	beforeEach(() => {
		setRobotRatePolicy('reset');
		// Exact window arithmetic first; the margin has its own test.
		setRobotRatePolicy({ arrivalMarginMs: 0 });
	});
	afterAll(() => setRobotRatePolicy('reset'));

	it('hashes the webhook key instead of keeping it', () => {
		expect(key).not.toContain('robot-key-1');
		expect(key).toBe(robotWindowKey('robot-key-1'));
		expect(key).not.toBe(other);
	});

	it('lets 20 messages a minute through and names the moment the 21st may go', () => {
		const start = 1_000_000;
		for (let n = 0; n < 20; n++) {
			expect(msUntilFreeSlot(key, start + n * 1000)).toBe(0);
			recordRobotSend(key, start + n * 1000);
		}
		// The first send (at start) leaves the one-minute window at start + 60 s.
		expect(msUntilFreeSlot(key, start + 20_000)).toBe(40_000);
		expect(msUntilFreeSlot(key, start + 60_000)).toBe(0);
		expect(msUntilFreeSlot(other, start + 20_000)).toBe(0);
	});

	it('counts robots separately and forgets sends older than the window', () => {
		setRobotRatePolicy({ limit: 2, windowMs: 1000 });
		recordRobotSend(key, 0);
		recordRobotSend(key, 100);
		expect(msUntilFreeSlot(key, 200)).toBe(800);
		expect(robotSendsInWindow(key, 1050)).toBe(1);
		expect(msUntilFreeSlot(key, 1050)).toBe(0);
		expect(robotSendsInWindow(other, 1050)).toBe(0);
	});

	it('takes back a send WeCom refused', () => {
		setRobotRatePolicy({ limit: 1, windowMs: 1000 });
		const at = recordRobotSend(key, 10);
		expect(msUntilFreeSlot(key, 20)).toBe(990);
		releaseRobotSend(key, at);
		expect(msUntilFreeSlot(key, 20)).toBe(0);
	});

	it('after a 45009 waits until the oldest own send leaves, a whole window when none is known, never less than the minimum', () => {
		setRobotRatePolicy({ limit: 20, windowMs: 1000, minRetryMs: 50 });
		expect(msAfterRateLimited(key, 0)).toBe(1000);
		recordRobotSend(key, 0);
		expect(msAfterRateLimited(key, 300)).toBe(700);
		expect(msAfterRateLimited(key, 990)).toBe(50);
	});
});

describe('group robot sliding window: confirming a send', () => {
	const key = robotWindowKey('robot-key-3');

	beforeEach(() => {
		setRobotRatePolicy('reset');
		// Exact window arithmetic first; the margin has its own test.
		setRobotRatePolicy({ arrivalMarginMs: 0 });
	});

	it('moves a send to the time its answer came back, keeping the window ordered', () => {
		setRobotRatePolicy({ limit: 2, windowMs: 1000 });
		const first = recordRobotSend(key, 0);
		recordRobotSend(key, 10);
		confirmRobotSend(key, first, 50);
		// Now the send at 10 is the oldest; the one confirmed at 50 frees its slot at 1050.
		expect(msUntilFreeSlot(key, 100)).toBe(910);
		expect(msUntilFreeSlot(key, 1020)).toBe(0);
		expect(robotSendsInWindow(key, 1020)).toBe(1);
		expect(msUntilFreeSlot(key, 1049)).toBe(0);
	});

	it('keeps a default margin past the window so a slot is free by the clock of WeCom too', () => {
		setRobotRatePolicy('reset');
		for (let n = 0; n < 20; n++) recordRobotSend(key, n);
		expect(msUntilFreeSlot(key, 100)).toBe(60_000 + 1_200 - 100);
		expect(msAfterRateLimited(key, 100)).toBe(60_000 + 1_200 - 100);
	});
});
