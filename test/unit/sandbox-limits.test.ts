/**
 * The sandbox as a distant WeCom under load: delays with jitter per path or for every API, the count of requests it
 * handles at once (and the most so far), and WeCom's frequency limits (访问频率限制, path 90312) as WeCom enforces
 * them: per corp and per API, 45009 beyond, a block after crossing, a faster clock for tests and benchmarks, and the
 * silent per-member drop of app messages. Over real HTTP on a simulated clock where time matters.
 */
import axios from 'axios';

import { SANDBOX_DEFAULTS, SandboxClient, startSandbox, type WeComSandbox } from '../sandbox';
import { RateLimiter } from '../sandbox/rateLimiter';

const http = axios.create({ validateStatus: () => true });
type Answer = Record<string, unknown> & { errcode: number; errmsg: string };

describe('sandbox: latency, in-flight count and WeCom frequency limits', () => {
	let sandbox: WeComSandbox;
	let clock = 1_700_000_000_000;
	const api = (path: string) => `${sandbox.url}/cgi-bin/${path}`;
	const token = async () =>
		(await http.get<Answer>(api('gettoken'), { params: { corpid: SANDBOX_DEFAULTS.corpId, corpsecret: SANDBOX_DEFAULTS.corpSecret } })).data.access_token as string;
	const send = async (access_token: string, touser = 'zhangsan') =>
		(await http.post<Answer>(api('message/send'), { touser, msgtype: 'text', agentid: SANDBOX_DEFAULTS.agentId, text: { content: 'hi' } }, { params: { access_token } }))
			.data;
	const tagList = async (access_token: string) => (await http.get<Answer>(api('tag/list'), { params: { access_token } })).data.errcode;

	beforeAll(async () => {
		sandbox = await startSandbox({ now: () => clock });
	});
	afterAll(async () => await sandbox.close());
	beforeEach(() => sandbox.reset());

	it('counts the API requests it is handling at once, and the most so far (control calls excluded)', async () => {
		const access_token = await token();
		// Long enough that all seven have arrived before the first is answered, even on a busy machine.
		sandbox.setDelay('*', 400);
		await Promise.all(Array.from({ length: 7 }, () => send(access_token)));
		expect(sandbox.inFlight()).toBe(0);
		expect(sandbox.maxInFlight()).toBe(7);
		const client = new SandboxClient(sandbox.url);
		expect(await client.inFlight()).toEqual({ inFlight: 0, maxInFlight: 7 });
		expect(await client.inFlight(true)).toEqual({ inFlight: 0, maxInFlight: 0 });
		expect((await client.state()).maxInFlight).toBe(0);
		sandbox.setDelay('*', 0);
	});

	it('delays every API path with "*", a single path on its own, with jitter inside the bounds', async () => {
		const access_token = await token();
		const client = new SandboxClient(sandbox.url);
		await client.setDelay('*', 25, 10);
		const timed = async (call: () => Promise<unknown>) => {
			const started = process.hrtime.bigint();
			await call();
			return Number(process.hrtime.bigint() - started) / 1e6;
		};
		const times = [];
		for (let n = 0; n < 6; n++) times.push(await timed(() => send(access_token)));
		// A delay is a lower bound (what the sandbox waits); the upper side depends on the machine, so only the floor is checked.
		expect(Math.min(...times)).toBeGreaterThanOrEqual(14);
		await client.setDelay('*', 0);
		await client.setDelay('tag/list', 40);
		expect(await timed(() => tagList(access_token))).toBeGreaterThanOrEqual(39);
		await client.setDelay('tag/list', 0);
	});

	it('WeCom limits: 10,000 calls a minute per corp and API, 45009 beyond, and the API stays blocked for 60 s', async () => {
		sandbox.enforceWeComLimits({ timeScale: 1 });
		const access_token = await token();
		// Fill the minute through the sandbox's own counter in one go (10,000 HTTP calls would only slow the test).
		sandbox.setRateLimit('tag/list', 3, 60_000, 60_000);
		expect([await tagList(access_token), await tagList(access_token), await tagList(access_token)]).toEqual([0, 0, 0]);
		expect(await tagList(access_token)).toBe(45009);
		clock += 30_000;
		expect(await tagList(access_token)).toBe(45009);
		clock += 30_001;
		expect(await tagList(access_token)).toBe(0);
	});

	it("WeCom's base rule is per API: other APIs of the corp go on; message/send is exempt unless asked", async () => {
		const client = new SandboxClient(sandbox.url);
		// A clock 6,000 times faster: a "minute" is 10 ms, so 10,000 calls cannot fit; the count stays WeCom's.
		await client.enforceWeComLimits({ timeScale: 6000 });
		const access_token = await token();
		expect(await tagList(access_token)).toBe(0);
		expect((await send(access_token)).errcode).toBe(0);
		await client.enforceWeComLimits({ includeMessageSend: true, perMember: false });
		expect((await send(access_token)).errcode).toBe(0);
		await client.enforceWeComLimits(false);
	});

	it("WeCom's figures: the 10,001st call of a corp to one API within a minute is refused and blocks it for 60 s; the 150,001st within an hour for an hour", () => {
		let now = 0;
		const limiter = new RateLimiter(() => now);
		limiter.enforceWeComLimits({});
		const path = '/cgi-bin/user/create';
		const accepted = (count: number) => {
			let yes = 0;
			for (let n = 0; n < count; n++) if (limiter.take(path, 'corpA', now)) yes++;
			return yes;
		};
		expect(accepted(10_000)).toBe(10_000);
		expect(limiter.take(path, 'corpA', now)).toBe(false);
		expect(limiter.take(path, 'corpB', now)).toBe(true);
		expect(limiter.take('/cgi-bin/user/update', 'corpA', now)).toBe(true);
		now += 59_999;
		expect(limiter.take(path, 'corpA', now)).toBe(false);
		now += 2;
		expect(limiter.take(path, 'corpA', now)).toBe(true);
		// 15 minutes of 10,000 a minute reach the hourly 150,000; then the hour block holds past the next minutes.
		for (let minute = 1; minute < 15; minute++) {
			now = minute * 60_001 + 60_001;
			expect(accepted(minute === 1 ? 9_999 : 10_000)).toBe(minute === 1 ? 9_999 : 10_000);
		}
		now += 60_001;
		expect(limiter.take(path, 'corpA', now)).toBe(false);
		now += 5 * 60_000;
		expect(limiter.take(path, 'corpA', now)).toBe(false);
	});

	it('per member: an app sending one member more than 30 messages a minute has the rest dropped without an error', async () => {
		sandbox.enforceWeComLimits({});
		const access_token = await token();
		const answers = [];
		for (let n = 0; n < 33; n++) answers.push(await send(access_token, 'lisi'));
		expect(answers.every((answer) => answer.errcode === 0 && typeof answer.msgid === 'string')).toBe(true);
		const dropped = sandbox.messages().filter((message) => message.droppedFor?.includes('lisi'));
		expect(dropped).toHaveLength(3);
		// Another member is not affected; a minute later lisi receives again.
		expect((await send(access_token, 'zhangsan')).errcode).toBe(0);
		expect(sandbox.messages().at(-1)?.droppedFor).toBeUndefined();
		clock += 60_001;
		await send(access_token, 'lisi');
		expect(sandbox.messages().at(-1)?.droppedFor).toBeUndefined();
		sandbox.enforceWeComLimits(false);
	});
});
