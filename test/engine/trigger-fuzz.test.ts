/**
 * 10,000 random mutations of valid callbacks against the WeCom Trigger served by n8n's real webhook path:
 * flipped bits (body, ciphertext, signature), truncation, swapped / missing / repeated parameters, random bytes,
 * mutated URL verifications. Every request must get an answer (no crash, no unhandled rejection, no 5xx) and
 * none may start the workflow.
 *
 * Valid originals are posted once first, so the few mutations that stay valid without the key (an edit to the
 * unsigned <ToUserName> of the envelope, an upper-cased hex digit in msg_signature) are retries of a known
 * callback and start nothing either.
 */
import { startSandbox, type WeComSandbox } from '../sandbox';
import { innerXml, keepAlive, queryString, send, sign, startTrigger, AES_KEY, CORP_ID, TOKEN, type TriggerSetup } from './triggerKit';

const MUTATIONS = Number(process.env.TRIGGER_FUZZ_COUNT ?? 10_000);
const CONCURRENCY = 16;
const SEED = Number(process.env.TRIGGER_FUZZ_SEED ?? Date.now() % 2 ** 31);
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** mulberry32: reproducible with the printed seed. */
function prng(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

interface Original {
	query: Record<string, string>;
	body: string;
	encrypted: string;
}

interface Mutant {
	method: 'GET' | 'POST';
	query: string;
	body?: Buffer | string;
	contentType?: string;
	kind: string;
}

describe('WeCom Trigger fuzz', () => {
	let sandbox: WeComSandbox;
	let setup: TriggerSetup;
	const unhandled: unknown[] = [];
	const onUnhandled = (reason: unknown) => unhandled.push(reason);

	beforeAll(async () => {
		process.on('unhandledRejection', onUnhandled);
		sandbox = await startSandbox({ callback: { token: TOKEN, encodingAESKey: AES_KEY, receiveId: CORP_ID } });
		setup = await startTrigger();
	});
	afterAll(async () => {
		process.off('unhandledRejection', onUnhandled);
		await setup.server.close();
		await sandbox.close();
		keepAlive.destroy();
	});

	it(`${MUTATIONS} mutated callbacks: zero crashes, zero workflow starts`, async () => {
		const random = prng(SEED);
		const int = (n: number) => Math.floor(random() * n);
		const pick = <T>(list: readonly T[]): T => list[int(list.length)];

		// Valid originals of several shapes, each posted once (one execution each).
		const inners = [
			innerXml({ ToUserName: CORP_ID, FromUserName: 'u1', CreateTime: 1700000001, MsgType: 'text', Content: 'hello 你好', MsgId: '9000000000000001', AgentID: 1 }),
			innerXml({ ToUserName: CORP_ID, FromUserName: 'u2', CreateTime: 1700000002, MsgType: 'image', PicUrl: 'https://x/p.jpg', MediaId: 'm1', MsgId: '9000000000000002', AgentID: 1 }),
			innerXml(
				{ ToUserName: CORP_ID, FromUserName: 'u3', CreateTime: 1700000003, MsgType: 'event', Event: 'template_card_event', EventKey: 'k', TaskId: 't', CardType: 'vote_interaction', ResponseCode: 'rc' },
				'<SelectedItems><SelectedItem><QuestionKey>q</QuestionKey><OptionIds><OptionId>a</OptionId></OptionIds></SelectedItem></SelectedItems><AgentID>1</AgentID>',
			),
		];
		const originals: Original[] = inners.map((xml) => {
			const { query, body } = sandbox.encryptCallback(xml);
			const encrypted = /<Encrypt><!\[CDATA\[([^\]]+)\]\]><\/Encrypt>/.exec(body)?.[1] ?? '';
			expect(encrypted).not.toBe('');
			return { query, body, encrypted };
		});
		for (const original of originals) {
			expect((await send('POST', setup.url, queryString(original.query), original.body)).status).toBe(200);
		}
		await setup.server.waitForExecutions(originals.length);
		const verification = sandbox.encryptCallback('<xml/>');
		const echoEncrypted = /<Encrypt><!\[CDATA\[([^\]]+)\]\]><\/Encrypt>/.exec(verification.body)?.[1] ?? '';

		const flipBit = (bytes: Buffer): Buffer => {
			const copy = Buffer.from(bytes);
			if (copy.length > 0) copy[int(copy.length)] ^= 1 << int(8);
			return copy;
		};
		const changeChar = (text: string, alphabet: string): string => {
			if (text.length === 0) return alphabet[int(alphabet.length)];
			const at = int(text.length);
			let replacement = pick(alphabet.split(''));
			if (replacement === text[at]) replacement = alphabet[(alphabet.indexOf(replacement) + 1) % alphabet.length];
			return text.slice(0, at) + replacement + text.slice(at + 1);
		};
		const randomBytesOf = (length: number): Buffer => Buffer.from(Array.from({ length }, () => int(256)));

		const mutate = (): Mutant => {
			const original = pick(originals);
			const q = { ...original.query };
			const withEncrypt = (encrypted: string) => original.body.replace(original.encrypted, encrypted);
			switch (int(14)) {
				case 0:
					return { kind: 'flip body bit', method: 'POST', query: queryString(q), body: flipBit(Buffer.from(original.body)) };
				case 1:
					return { kind: 'change ciphertext char', method: 'POST', query: queryString(q), body: withEncrypt(changeChar(original.encrypted, BASE64)) };
				case 2: {
					// Re-signed by someone who knows the Token but not the key: passes the signature, must fail decryption.
					const tampered = changeChar(original.encrypted, BASE64);
					const resigned = { ...q, msg_signature: sign(q.timestamp, q.nonce, tampered) };
					return { kind: 'tampered + re-signed', method: 'POST', query: queryString(resigned), body: withEncrypt(tampered) };
				}
				case 3:
					return { kind: 'change signature char', method: 'POST', query: queryString({ ...q, msg_signature: changeChar(q.msg_signature, '0123456789abcdef') }), body: original.body };
				case 4:
					return { kind: 'truncate body', method: 'POST', query: queryString(q), body: original.body.slice(0, int(original.body.length)) };
				case 5: {
					const cut = original.encrypted.slice(0, int(original.encrypted.length));
					const resigned = { ...q, msg_signature: sign(q.timestamp, q.nonce, cut) };
					return { kind: 'truncate ciphertext (re-signed)', method: 'POST', query: queryString(random() < 0.5 ? q : resigned), body: withEncrypt(cut) };
				}
				case 6: {
					const swaps: Array<[string, string]> = [['timestamp', 'nonce'], ['msg_signature', 'nonce'], ['msg_signature', 'timestamp']];
					const [a, b] = pick(swaps);
					return { kind: 'swap parameters', method: 'POST', query: queryString({ ...q, [a]: q[b], [b]: q[a] }), body: original.body };
				}
				case 7: {
					const drop = pick(Object.keys(q));
					const rest = { ...q };
					delete rest[drop];
					return { kind: 'missing parameter', method: 'POST', query: queryString(rest), body: original.body };
				}
				case 8:
					return { kind: 'random bytes body', method: 'POST', query: queryString(q), body: randomBytesOf(int(2048)), contentType: pick(['text/xml', 'application/json', 'application/octet-stream', 'application/x-www-form-urlencoded']) };
				case 9: {
					const name = pick(Object.keys(q));
					return { kind: 'repeated parameter', method: 'POST', query: `${queryString(q)}&${name}=${encodeURIComponent(random() < 0.5 ? q[name] : String(int(1e9)))}`, body: original.body };
				}
				case 10:
					return { kind: 'other timestamp', method: 'POST', query: queryString({ ...q, timestamp: String(Number(q.timestamp) + 1 + int(1000)) }), body: original.body };
				case 11: {
					const bytes = Buffer.from(original.body);
					const at = int(bytes.length);
					return { kind: 'insert random bytes', method: 'POST', query: queryString(q), body: Buffer.concat([bytes.subarray(0, at), randomBytesOf(1 + int(16)), bytes.subarray(at)]) };
				}
				case 12: {
					const vq = { ...verification.query, echostr: changeChar(echoEncrypted, BASE64) };
					if (random() < 0.5) vq.msg_signature = sign(vq.timestamp, vq.nonce, vq.echostr);
					return { kind: 'mutated URL verification', method: 'GET', query: queryString(vq) };
				}
				default: {
					const junk = randomBytesOf(int(64)).toString('latin1');
					return { kind: 'junk query', method: pick(['GET', 'POST'] as const), query: `${encodeURIComponent(junk)}=${encodeURIComponent(junk)}&msg_signature`, body: original.body };
				}
			}
		};

		const statuses = new Map<number, number>();
		const byKind = new Map<string, Set<number>>();
		const failures: string[] = [];
		let next = 0;
		const started = Date.now();
		const worker = async () => {
			while (next < MUTATIONS) {
				next++;
				const mutant = mutate();
				try {
					const answer = await send(mutant.method, setup.url, mutant.query, mutant.body, mutant.contentType);
					statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
					if (!byKind.has(mutant.kind)) byKind.set(mutant.kind, new Set());
					byKind.get(mutant.kind)?.add(answer.status);
					if (answer.status >= 500) failures.push(`${mutant.kind}: HTTP ${answer.status} ${answer.body.slice(0, 120)}`);
				} catch (error) {
					failures.push(`${mutant.kind}: no answer (${(error as Error).message})`);
				}
			}
		};
		await Promise.all(Array.from({ length: CONCURRENCY }, worker));
		const elapsed = Date.now() - started;

		// Give any execution a mutation might have started time to show up, then check nothing did.
		const sentinel = sandbox.encryptCallback(
			innerXml({ ToUserName: CORP_ID, FromUserName: 'u9', CreateTime: 1700000009, MsgType: 'text', Content: 'sentinel', MsgId: '9000000000000009' }),
		);
		expect((await send('POST', setup.url, queryString(sentinel.query), sentinel.body)).status).toBe(200);
		await setup.server.waitForExecutions(originals.length + 1);

		// eslint-disable-next-line no-console
		console.log(
			`trigger fuzz: ${MUTATIONS} mutations in ${elapsed} ms (${Math.round((MUTATIONS / elapsed) * 1000)}/s), seed ${SEED}; ` +
				`statuses ${JSON.stringify(Object.fromEntries(statuses))}; ` +
				`by kind ${JSON.stringify(Object.fromEntries([...byKind].map(([kind, set]) => [kind, [...set].sort()])))}`,
		);
		expect(failures.slice(0, 10)).toEqual([]);
		expect(unhandled).toEqual([]);
		expect(setup.server.errors).toEqual([]);
		expect(setup.server.executions).toHaveLength(originals.length + 1);
		expect(setup.server.executions.at(-1)?.output('WeCom Trigger')[0].json.Content).toBe('sentinel');
		expect([...statuses.keys()].every((status) => [200, 400, 401, 403, 413].includes(status))).toBe(true);
	});
});
