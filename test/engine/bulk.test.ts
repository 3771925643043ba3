/**
 * Bulk runs with bounded concurrency (issue 15) through n8n's real engine against the sandbox over HTTP: output order
 * and pairing under answers that come back out of order, Continue On Fail, the stop at the first failure without it,
 * one token refresh for a run whose token WeCom ended mid-way, a 45009 storm waited out by the shared gate with no item
 * lost, and that concurrency is really bounded (the sandbox counts the requests it is handling at once).
 * Counts come from what the sandbox recorded, never from timings.
 */
import { DEFAULT_CONCURRENCY, MAX_CONCURRENCY, concurrencyProperties } from '../../nodes/WeCom/actions/concurrency';
import { resources } from '../../nodes/WeCom/actions/resources';
import { WeCom } from '../../nodes/WeCom/WeCom.node';
import { setRobotRatePolicy } from '../../nodes/WeCom/helpers/robotRateLimit';
import { setRetryPolicy } from '../../nodes/WeCom/transport/retryPolicy';
import { SAMPLE_FILES, inputItem, useWeComTestBed } from './kit';

const SEND = '/cgi-bin/message/send';
const UPLOAD = '/cgi-bin/media/upload';

/** Items whose text names them, to one user each (`user<n>`, known to the sandbox) unless `user` is given. */
const texts = (count: number, user?: (n: number) => string) => Array.from({ length: count }, (_, n) => inputItem({ n, user: user?.(n) ?? `user${n}` }));
const sendText = (extra: Record<string, unknown> = {}) => ({
	operation: 'send',
	toUser: '={{ $json.user }}',
	msgtype: 'text',
	textContent: '={{ "bulk #" + $json.n }}',
	...extra,
});

describe('bulk sends with bounded concurrency', () => {
	const bed = useWeComTestBed('message');
	const deliveredTexts = () => bed.sandbox.messages().map((message) => String((message.body as { text: { content: string } }).text.content));
	const textOf = (msgid: unknown) => {
		const message = bed.sandbox.messages().find((entry) => entry.msgid === msgid);
		return message ? String((message.body as { text: { content: string } }).text.content) : undefined;
	};
	beforeEach(() => bed.sandbox.setDelay('*', 6, 5));

	it('keeps input order and pairing while answers come back out of order, with at most Concurrency requests at once', async () => {
		const result = await bed.run(sendText({ concurrency: 5 }), texts(60));
		expect(result.error).toBeUndefined();
		const output = result.output('WeCom');
		expect(output).toHaveLength(60);
		expect(output.map((item) => item.pairedItem)).toEqual(Array.from({ length: 60 }, (_, item) => ({ item })));
		// Each output item carries the msgid of its own input item's message.
		expect(output.map((item) => textOf(item.json.msgid))).toEqual(Array.from({ length: 60 }, (_, n) => `bulk #${n}`));
		expect(deliveredTexts().sort()).toEqual(Array.from({ length: 60 }, (_, n) => `bulk #${n}`).sort());
		expect(bed.sandbox.maxInFlight()).toBeGreaterThan(1);
		expect(bed.sandbox.maxInFlight()).toBeLessThanOrEqual(5);
	});

	it(`runs ${DEFAULT_CONCURRENCY} at once by default, and ${MAX_CONCURRENCY} at most whatever is asked`, async () => {
		await bed.run(sendText(), texts(40));
		expect(bed.sandbox.requestsTo(SEND)).toHaveLength(40);
		expect(bed.sandbox.maxInFlight()).toBeLessThanOrEqual(DEFAULT_CONCURRENCY);
		bed.sandbox.reset();
		bed.sandbox.setDelay('*', 6, 5);
		const many = await bed.run(sendText({ concurrency: 500 }), texts(120));
		expect(many.error).toBeUndefined();
		expect(bed.sandbox.maxInFlight()).toBeLessThanOrEqual(MAX_CONCURRENCY);
	});

	it('Concurrency 1 sends one after the other, in input order', async () => {
		await bed.run(sendText({ concurrency: 1 }), texts(12));
		expect(bed.sandbox.maxInFlight()).toBe(1);
		expect(deliveredTexts()).toEqual(Array.from({ length: 12 }, (_, n) => `bulk #${n}`));
	});

	it('Continue On Fail: failed items become error items in their place, the others are delivered', async () => {
		const bad = new Set([3, 17, 18]);
		const result = await bed.run(sendText(), texts(30, (n) => (bad.has(n) ? 'nobody-here' : `user${n}`)), { continueOnFail: true });
		expect(result.error).toBeUndefined();
		const output = result.output('WeCom');
		expect(output.map((item) => item.pairedItem)).toEqual(Array.from({ length: 30 }, (_, item) => ({ item })));
		output.forEach((item, n) => {
			if (bad.has(n)) expect(item.json).toMatchObject({ errcode: 81013, error: expect.stringContaining('81013') });
			else expect(textOf(item.json.msgid)).toBe(`bulk #${n}`);
		});
		expect(bed.sandbox.messages()).toHaveLength(27);
	});

	it('without Continue On Fail the first failure stops the run: nothing after it starts, the node fails with that item', async () => {
		const concurrency = 5;
		const result = await bed.run(sendText({ concurrency }), texts(40, (n) => (n === 7 || n === 9 ? 'nobody-here' : `user${n}`)));
		expect(String(result.error?.message)).toContain('81013');
		expect(result.nodeError('WeCom')?.context?.itemIndex).toBe(7);
		const sends = bed.sandbox.requestsTo(SEND);
		const itemOf = (request: (typeof sends)[number]) => Number(/#(\d+)$/.exec(String((request.body as { text: { content: string } }).text.content))?.[1]);
		const sentItems = sends.map(itemOf);
		// Every item before the failure was sent, and not all 40 were: the run stopped.
		for (let n = 0; n < 7; n++) expect(sentItems).toContain(n);
		expect(sentItems.length).toBeLessThan(40);
		// Once WeCom's refusal of a failing item is back, nothing new starts: at most the other Concurrency - 1 lanes may
		// have sent one request each between that answer leaving the sandbox and the node reading it.
		const firstRefusal = sends.filter((request) => request.answer?.errcode === 81013).sort((a, b) => (a.answeredAtSeq ?? 0) - (b.answeredAtSeq ?? 0))[0];
		const startedAfter = sends.filter((request) => request.seq > (firstRefusal.answeredAtSeq ?? Infinity));
		expect(startedAfter.length).toBeLessThanOrEqual(concurrency - 1);
		expect(result.output('WeCom')).toHaveLength(0);
	});

	it('a token WeCom ended while many items are in flight is refreshed once; every item is delivered once', async () => {
		await bed.run(sendText(), texts(1));
		expect(bed.sandbox.gettokenCount()).toBe(1);
		bed.sandbox.expireTokens();
		const result = await bed.run(sendText({ concurrency: 20 }), texts(80));
		expect(result.error).toBeUndefined();
		expect(result.output('WeCom').every((item) => typeof item.json.msgid === 'string')).toBe(true);
		expect(bed.sandbox.gettokenCount()).toBe(2);
		expect(bed.credentials.updateCount('weComApi')).toBe(2);
		const answers = bed.sandbox.requestsTo(SEND).slice(1).map((request) => request.answer?.errcode);
		// Only requests already under way with the old token were refused, each repeated once.
		const refused = answers.filter((code) => code === 42001).length;
		expect(refused).toBeGreaterThanOrEqual(1);
		expect(refused).toBeLessThanOrEqual(20);
		expect(answers.filter((code) => code === 0)).toHaveLength(80);
		expect(deliveredTexts().slice(1).sort()).toEqual(Array.from({ length: 80 }, (_, n) => `bulk #${n}`).sort());
	});

	describe('a 45009 storm', () => {
		// Jest's own limit above the run's (timeoutMs), so a slow machine shows n8n's answer rather than a bare timeout.
		const STORM_TIMEOUT_MS = 150_000;
		// Long enough pauses that the gate outlasts the sandbox's block (WeCom: 60 s after the minute limit is crossed).
		beforeEach(() => setRetryPolicy({ maxDelayMs: 120 }));
		afterEach(() => setRetryPolicy({ maxDelayMs: 20 }));

		it('slows the whole run down (shared gate) and no item fails while the budget lasts', async () => {
			// WeCom's rule shape, shrunk: 8 calls per 150 ms window, and crossing it blocks the API for 150 ms. The first
			// wave of 10 concurrent calls crosses it however slow the machine is, so the storm happens on every run.
			bed.sandbox.setRateLimit(SEND, 8, 150, 150);
			// 150 items through ~20 blocks take 3-5 s here; a CI machine busy with other work can be several times slower,
			// which is no failure of what is asserted.
			const result = await bed.run(sendText({ concurrency: 10 }), texts(150), { continueOnFail: true, timeoutMs: 120_000 });
			expect(result.error).toBeUndefined();
			const output = result.output('WeCom');
			expect(output.filter((item) => item.json.error !== undefined)).toEqual([]);
			expect(output.map((item) => textOf(item.json.msgid))).toEqual(Array.from({ length: 150 }, (_, n) => `bulk #${n}`));
			expect(bed.sandbox.messages()).toHaveLength(150);
			const answers = bed.sandbox.requestsTo(SEND).map((request) => request.answer?.errcode);
			expect(answers.filter((code) => code === 45009).length).toBeGreaterThan(0);
			expect(bed.sandbox.maxInFlight()).toBeLessThanOrEqual(10);
		}, STORM_TIMEOUT_MS);

		it('a gate closed by one run holds the other runs sharing the credential too', async () => {
			bed.sandbox.setRateLimit(SEND, 20, 150, 150);
			const runs = await Promise.all([0, 1, 2].map(() => bed.run(sendText({ concurrency: 10 }), texts(40), { continueOnFail: true, timeoutMs: 120_000 })));
			for (const result of runs) {
				expect(result.error).toBeUndefined();
				expect(result.output('WeCom').filter((item) => item.json.error !== undefined)).toEqual([]);
			}
			expect(bed.sandbox.messages()).toHaveLength(120);
		}, STORM_TIMEOUT_MS);

		it('45033 (too many concurrent calls) is waited out the same way', async () => {
			bed.sandbox.injectError(SEND, 45033, 15);
			const result = await bed.run(sendText(), texts(30));
			expect(result.error).toBeUndefined();
			expect(bed.sandbox.messages()).toHaveLength(30);
		});
	});
});

describe('other bulk paths run concurrently too', () => {
	const bed = useWeComTestBed('media');
	beforeEach(() => bed.sandbox.setDelay('*', 6, 5));

	it('media uploads: every file once, output in input order, bounded', async () => {
		const files = Array.from({ length: 24 }, (_, n) =>
			inputItem({ n }, { data: { data: Buffer.concat([SAMPLE_FILES.PDF, Buffer.from(` #${n}`)]), fileName: `report-${n}.pdf`, mimeType: 'application/pdf' } }),
		);
		const result = await bed.run({ operation: 'upload', mediaType: 'file', binaryPropertyName: 'data' }, files);
		expect(result.error).toBeUndefined();
		const output = result.output('WeCom');
		expect(output.map((item) => item.json.filename)).toEqual(Array.from({ length: 24 }, (_, n) => `report-${n}.pdf`));
		output.forEach((item, n) => expect(bed.sandbox.media(String(item.json.media_id))?.data.toString()).toContain(` #${n}`));
		expect(bed.sandbox.requestsTo(UPLOAD)).toHaveLength(24);
		expect(bed.sandbox.maxInFlight()).toBeGreaterThan(1);
		expect(bed.sandbox.maxInFlight()).toBeLessThanOrEqual(DEFAULT_CONCURRENCY);
	});
});

describe('the Concurrency field', () => {
	const fields = new WeCom().description.properties.filter((property) => property.name === 'concurrency');
	const shownFor = (resource: string, operation: string) =>
		fields.some((field) => field.displayOptions?.show?.resource?.includes(resource) && field.displayOptions?.show?.operation?.includes(operation));

	it('is generated for every operation that may run concurrently, from the operation map', () => {
		expect(fields).toEqual(concurrencyProperties(resources));
		for (const [resource, module] of Object.entries(resources)) {
			for (const [operation, handler] of Object.entries(module.operations)) {
				expect([resource, operation, shownFor(resource, operation)]).toEqual([resource, operation, !handler.sequential && !handler.executeBatch]);
			}
		}
		expect(fields[0]).toMatchObject({ type: 'number', default: DEFAULT_CONCURRENCY, typeOptions: { minValue: 1, maxValue: MAX_CONCURRENCY } });
	});

	it('is not offered where order matters: robot and AI bot sends, app chat create/update/send, department writes', () => {
		expect(shownFor('robot', 'send')).toBe(false);
		expect(shownFor('appChat', 'send')).toBe(false);
		expect(shownFor('appChat', 'create')).toBe(false);
		expect(shownFor('appChat', 'update')).toBe(false);
		for (const operation of ['create', 'update', 'delete']) expect(shownFor('department', operation)).toBe(false);
		expect(shownFor('aiBot', 'sendMessage')).toBe(false);
		for (const operation of ['send', 'updateTemplateCard', 'updateTaskCard', 'recall']) expect(shownFor('message', operation)).toBe(true);
		for (const operation of ['upload', 'uploadImage', 'download']) expect(shownFor('media', operation)).toBe(true);
	});
});

describe('the group robot stays one at a time, paced to its limit', () => {
	const bed = useWeComTestBed('robot', { credentialType: 'weComWebhookApi', beforeEach: () => setRobotRatePolicy('reset'), afterAll: () => setRobotRatePolicy('reset') });
	const ROBOT_SEND = '/cgi-bin/webhook/send';

	it('a Concurrency left in the parameters does not make robot sends parallel; the pacing still holds', async () => {
		bed.sandbox.setDelay('*', 6, 5);
		// WeCom's 20 a minute, shrunk: 3 per 300 ms; the node's own window paces, so the robot never refuses one.
		bed.sandbox.setRateLimit(ROBOT_SEND, 3, 300);
		setRobotRatePolicy({ limit: 3, windowMs: 300, minRetryMs: 20, maxWaitMs: 10_000, arrivalMarginMs: 100 });
		const items = Array.from({ length: 8 }, (_, n) => inputItem({ n }));
		const result = await bed.run({ operation: 'send', messageType: 'text', textContent: '={{ "robot #" + $json.n }}', concurrency: 20, options: { whenRateLimited: 'wait' } }, items);
		expect(result.error).toBeUndefined();
		expect(result.output('WeCom').map((item) => item.json.errcode)).toEqual(Array.from({ length: 8 }, () => 0));
		expect(bed.sandbox.maxInFlight()).toBe(1);
		const sent = bed.sandbox.requestsTo(ROBOT_SEND);
		expect(sent.map((request) => request.answer?.errcode)).toEqual(Array.from({ length: 8 }, () => 0));
		expect(sent.map((request) => (request.body as { text: { content: string } }).text.content)).toEqual(Array.from({ length: 8 }, (_, n) => `robot #${n}`));
	});
});

describe('contact writes run concurrently', () => {
	const bed = useWeComTestBed('user');

	it('creating many users: each once, output in input order, bounded; a 45009 on the way is waited out', async () => {
		bed.useContactsSecret();
		bed.sandbox.setDelay('*', 6, 5);
		bed.sandbox.injectError('/cgi-bin/user/create', 45009, 4);
		const items = Array.from({ length: 30 }, (_, n) => inputItem({ id: `bulk-user-${n}`, name: `Bulk ${n}`, email: `bulk${n}@example.com` }));
		const result = await bed.run({ operation: 'create', userid: '={{ $json.id }}', name: '={{ $json.name }}', additionalFields: { email: '={{ $json.email }}' } }, items);
		expect(result.error).toBeUndefined();
		expect(result.output('WeCom').map((item) => item.json.userid)).toEqual(Array.from({ length: 30 }, (_, n) => `bulk-user-${n}`));
		for (let n = 0; n < 30; n++) expect(bed.sandbox.contacts().user(`bulk-user-${n}`)?.name).toBe(`Bulk ${n}`);
		const answers = bed.sandbox.requestsTo('/cgi-bin/user/create').map((request) => request.answer?.errcode);
		expect(answers.filter((code) => code === 0)).toHaveLength(30);
		expect(bed.sandbox.maxInFlight()).toBeGreaterThan(1);
		expect(bed.sandbox.maxInFlight()).toBeLessThanOrEqual(DEFAULT_CONCURRENCY);
	});
});
