/**
 * Cross-checks nodes/shared/crypto against @wecom/crypto (WeCom's official npm package) as an oracle,
 * plus the fixed sample vectors from WeCom's official WXBizMsgCrypt libraries.
 * Oracle quirks: it takes the EncodingAESKey string (not the decoded key), pads to 32-byte blocks like WeCom,
 * names the receive ID `id`, and its decrypt never rejects anything (no padding, length or ID checks).
 */
import * as oracle from '@wecom/crypto';

import {
	computeSignature,
	decodeEncodingAesKey,
	decrypt,
	encrypt,
	openCallback,
	sealReply,
	verifySignature,
} from '../../nodes/shared/crypto';
import {
	POST_MESSAGE,
	SAMPLE_ENCODING_AES_KEY,
	SAMPLE_RECEIVE_ID,
	SAMPLE_TOKEN,
	VERIFY_URL,
	seededRandom,
} from './vectors/wecomOfficialSamples';

const ROUNDS = 3000;
const random = seededRandom(0x5eed_c0de);

function randomInt(max: number): number {
	return Math.floor(random() * max);
}

function randomBytes(length: number): Buffer {
	const bytes = Buffer.alloc(length);
	for (let i = 0; i < length; i++) bytes[i] = randomInt(256);
	return bytes;
}

/** A random EncodingAESKey as WeCom shows it: 32 random bytes in base64 without the trailing '='. */
function randomEncodingAesKey(): string {
	return randomBytes(32).toString('base64').slice(0, 43);
}

const CODE_POINT_POOLS: Array<[number, number]> = [
	[0x20, 0x7e], // printable ASCII
	[0x0a, 0x0a], // newline
	[0x00, 0x1f], // control characters
	[0x4e00, 0x9fff], // CJK
	[0x00a0, 0x07ff], // two-byte UTF-8
	[0xe000, 0xfffd], // private use and other three-byte characters above the surrogates
	[0x1f300, 0x1faff], // emoji (surrogate pairs in JS)
	[0x10000, 0x10ffff], // any astral plane
];

function randomText(maxLength: number): string {
	const length = randomInt(maxLength + 1);
	const chars: string[] = [];
	for (let i = 0; i < length; i++) {
		const [low, high] = CODE_POINT_POOLS[randomInt(CODE_POINT_POOLS.length)];
		chars.push(String.fromCodePoint(low + randomInt(high - low + 1)));
	}
	return chars.join('');
}

function randomMessage(): string {
	switch (randomInt(6)) {
		case 0:
			return '';
		case 1:
			return randomText(3);
		case 2:
			return `<xml><Content><![CDATA[${randomText(200)}]]></Content></xml>`;
		case 3:
			return randomText(4096);
		default:
			return randomText(300);
	}
}

function randomReceiveId(): string {
	switch (randomInt(5)) {
		case 0:
			return '';
		case 1:
			return `ww${randomBytes(8).toString('hex')}`;
		case 2:
			return randomText(20);
		default:
			return `wx${randomBytes(8).toString('hex')}`;
	}
}

function randomAscii(maxLength: number, alphabet: string): string {
	const length = 1 + randomInt(maxLength);
	let text = '';
	for (let i = 0; i < length; i++) text += alphabet[randomInt(alphabet.length)];
	return text;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

describe('published WeCom sample vectors', () => {
	const key = decodeEncodingAesKey(SAMPLE_ENCODING_AES_KEY);

	it('are consistent with the oracle (URL verification)', () => {
		expect(oracle.getSignature(SAMPLE_TOKEN, VERIFY_URL.timestamp, VERIFY_URL.nonce, VERIFY_URL.echostr)).toBe(VERIFY_URL.msgSignature);
		const opened = oracle.decrypt(SAMPLE_ENCODING_AES_KEY, VERIFY_URL.echostr);
		expect(opened.message).toBe(VERIFY_URL.plaintext);
		expect(opened.id).toBe(SAMPLE_RECEIVE_ID);
	});

	it('are consistent with the oracle (POST message)', () => {
		expect(oracle.getSignature(SAMPLE_TOKEN, POST_MESSAGE.timestamp, POST_MESSAGE.nonce, POST_MESSAGE.encrypt)).toBe(
			POST_MESSAGE.msgSignature,
		);
		const opened = oracle.decrypt(SAMPLE_ENCODING_AES_KEY, POST_MESSAGE.encrypt);
		expect(opened.message).toBe(POST_MESSAGE.plaintext);
		expect(opened.id).toBe(SAMPLE_RECEIVE_ID);
	});

	it('verify and decrypt with our implementation (URL verification)', () => {
		expect(computeSignature(SAMPLE_TOKEN, VERIFY_URL.timestamp, VERIFY_URL.nonce, VERIFY_URL.echostr)).toBe(
			'5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3',
		);
		expect(
			openCallback({
				token: SAMPLE_TOKEN,
				key,
				receiveId: SAMPLE_RECEIVE_ID,
				signature: VERIFY_URL.msgSignature,
				timestamp: VERIFY_URL.timestamp,
				nonce: VERIFY_URL.nonce,
				encrypted: VERIFY_URL.echostr,
			}),
		).toBe('1616140317555161061');
	});

	it('verify and decrypt with our implementation (POST message)', () => {
		expect(
			openCallback({
				token: SAMPLE_TOKEN,
				key,
				receiveId: SAMPLE_RECEIVE_ID,
				signature: POST_MESSAGE.msgSignature,
				timestamp: POST_MESSAGE.timestamp,
				nonce: POST_MESSAGE.nonce,
				encrypted: POST_MESSAGE.encrypt,
			}),
		).toBe(POST_MESSAGE.plaintext);
		expect(decrypt(key, POST_MESSAGE.encrypt)).toEqual({ message: POST_MESSAGE.plaintext, receiveId: SAMPLE_RECEIVE_ID });
	});

	it('re-encrypt to the same ciphertext given the same random prefix', () => {
		const prefix = oracle.decrypt(SAMPLE_ENCODING_AES_KEY, VERIFY_URL.echostr).random;
		expect(encrypt(key, VERIFY_URL.plaintext, SAMPLE_RECEIVE_ID, prefix)).toBe(VERIFY_URL.echostr);
	});
});

describe(`agreement with @wecom/crypto over ${ROUNDS} random inputs`, () => {
	it('decrypts what the oracle encrypts, and the oracle decrypts what we encrypt', () => {
		for (let round = 0; round < ROUNDS; round++) {
			const encodingAesKey = randomEncodingAesKey();
			const key = decodeEncodingAesKey(encodingAesKey);
			const message = randomMessage();
			const receiveId = randomReceiveId();
			const prefix = randomBytes(16);
			const context = { round, encodingAesKey, receiveId, messageLength: message.length };

			const theirs = oracle.encrypt(encodingAesKey, message, receiveId, prefix);
			const ours = encrypt(key, message, receiveId, prefix);
			// Same key, prefix and 32-byte padding: byte-identical ciphertext.
			if (ours !== theirs) throw new Error(`ciphertext differs: ${JSON.stringify(context)}`);

			const opened = decrypt(key, theirs, receiveId);
			if (opened.message !== message || opened.receiveId !== receiveId) {
				throw new Error(`our decrypt disagrees: ${JSON.stringify(context)}`);
			}

			const fresh = encrypt(key, message, receiveId);
			const theirOpen = oracle.decrypt(encodingAesKey, fresh);
			if (theirOpen.message !== message || theirOpen.id !== receiveId) {
				throw new Error(`oracle decrypt disagrees: ${JSON.stringify(context)}`);
			}
		}
	});

	it('computes the same signatures and verifies the oracle’s', () => {
		const base64 = `${ALNUM}+/=`;
		for (let round = 0; round < ROUNDS; round++) {
			const token = randomAscii(32, ALNUM);
			const timestamp = randomAscii(10, '0123456789');
			const nonce = randomAscii(12, randomInt(2) === 0 ? '0123456789' : ALNUM);
			const encrypted = randomAscii(400, base64);
			const theirs = oracle.getSignature(token, timestamp, nonce, encrypted);
			const ours = computeSignature(token, timestamp, nonce, encrypted);
			if (ours !== theirs) throw new Error(`signature differs in round ${round}`);
			if (!verifySignature(token, timestamp, nonce, encrypted, theirs.toUpperCase())) {
				throw new Error(`oracle signature rejected in round ${round}`);
			}
		}
	});

	it('opens callbacks the oracle seals, and the oracle opens our sealed replies', () => {
		for (let round = 0; round < 300; round++) {
			const encodingAesKey = randomEncodingAesKey();
			const key = decodeEncodingAesKey(encodingAesKey);
			const token = randomAscii(32, ALNUM);
			const receiveId = `ww${randomBytes(8).toString('hex')}`;
			const message = randomMessage();
			const timestamp = String(1_700_000_000 + randomInt(100_000_000));
			const nonce = String(randomInt(1_000_000_000));

			const encrypted = oracle.encrypt(encodingAesKey, message, receiveId);
			const signature = oracle.getSignature(token, timestamp, nonce, encrypted);
			expect(openCallback({ token, key, receiveId, signature, timestamp, nonce, encrypted })).toBe(message);

			const sealed = sealReply({ token, key, receiveId, message });
			expect(oracle.getSignature(token, sealed.timestamp, sealed.nonce, sealed.encrypt)).toBe(sealed.signature);
			const theirOpen = oracle.decrypt(encodingAesKey, sealed.encrypt);
			expect(theirOpen.message).toBe(message);
			expect(theirOpen.id).toBe(receiveId);
		}
	});
});
