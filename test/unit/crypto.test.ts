import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';

import {
	computeSignature,
	decodeEncodingAesKey,
	decrypt,
	encrypt,
	openCallback,
	sealReply,
	verifySignature,
	WeComCryptoError,
	type WeComCryptoErrorCode,
} from '../../nodes/shared/crypto';
import { SAMPLE_ENCODING_AES_KEY, SAMPLE_RECEIVE_ID, SAMPLE_TOKEN, VERIFY_URL } from './vectors/wecomOfficialSamples';

const key = decodeEncodingAesKey(SAMPLE_ENCODING_AES_KEY);
const PREFIX = Buffer.from('0123456789abcdef');

/** AES-256-CBC over a hand-built plaintext (length a multiple of 16), with no padding added: lets tests forge bad layouts. */
function sealRaw(plain: Buffer, aesKey: Buffer = key): string {
	const cipher = createCipheriv('aes-256-cbc', aesKey, aesKey.subarray(0, 16));
	cipher.setAutoPadding(false);
	return Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64');
}

function openRaw(encrypted: string, aesKey: Buffer = key): Buffer {
	const decipher = createDecipheriv('aes-256-cbc', aesKey, aesKey.subarray(0, 16));
	decipher.setAutoPadding(false);
	return Buffer.concat([decipher.update(Buffer.from(encrypted, 'base64')), decipher.final()]);
}

/** random | length | message | receiveId, then `pad` bytes of value `padValue` (defaults: correct PKCS#7 to 32). */
function layout(options: { message?: Buffer; declaredLength?: number; receiveId?: Buffer; padValue?: number; padBytes?: Buffer }): Buffer {
	const message = options.message ?? Buffer.from('hello');
	const length = Buffer.alloc(4);
	length.writeUInt32BE(options.declaredLength ?? message.length, 0);
	const body = Buffer.concat([PREFIX, length, message, options.receiveId ?? Buffer.from(SAMPLE_RECEIVE_ID)]);
	if (options.padBytes) return Buffer.concat([body, options.padBytes]);
	const padLength = 32 - (body.length % 32);
	return Buffer.concat([body, Buffer.alloc(padLength, options.padValue ?? padLength)]);
}

function codeOf(action: () => unknown): WeComCryptoErrorCode | 'no error' | 'other error' {
	try {
		action();
		return 'no error';
	} catch (error) {
		return error instanceof WeComCryptoError ? error.code : 'other error';
	}
}

function sign(encrypted: string, timestamp = '1700000000', nonce = '123456') {
	return { token: SAMPLE_TOKEN, timestamp, nonce, encrypted, signature: computeSignature(SAMPLE_TOKEN, timestamp, nonce, encrypted) };
}

describe('decodeEncodingAesKey', () => {
	it('decodes the 43-character key (with spare bits in its last character) to 32 bytes', () => {
		expect(key).toHaveLength(32);
		expect(key.equals(Buffer.from(`${SAMPLE_ENCODING_AES_KEY}=`, 'base64'))).toBe(true);
	});

	it.each([
		['42 characters', SAMPLE_ENCODING_AES_KEY.slice(0, 42)],
		['44 characters', `${SAMPLE_ENCODING_AES_KEY}A`],
		['43 characters ending in =', `${SAMPLE_ENCODING_AES_KEY.slice(0, 42)}=`],
		['URL-safe alphabet', `${SAMPLE_ENCODING_AES_KEY.slice(0, 41)}-_`],
		['surrounding space', ` ${SAMPLE_ENCODING_AES_KEY.slice(0, 42)}`],
		['empty', ''],
		['non-ASCII', `${SAMPLE_ENCODING_AES_KEY.slice(0, 42)}é`],
	])('rejects %s with INVALID_KEY', (_label, candidate) => {
		expect(codeOf(() => decodeEncodingAesKey(candidate))).toBe('INVALID_KEY');
	});

	it('rejects a non-string and never repeats the key in the message', () => {
		expect(codeOf(() => decodeEncodingAesKey(undefined as unknown as string))).toBe('INVALID_KEY');
		const almost = SAMPLE_ENCODING_AES_KEY.slice(0, 42);
		try {
			decodeEncodingAesKey(almost);
			throw new Error('expected a rejection');
		} catch (error) {
			expect(error).toBeInstanceOf(WeComCryptoError);
			expect((error as Error).message).not.toContain(almost);
			expect((error as Error).name).toBe('WeComCryptoError');
		}
	});
});

describe('computeSignature / verifySignature', () => {
	it('is SHA-1 of the four strings sorted and concatenated, whatever their argument order', () => {
		const expected = createHash('sha1').update(['1409659589', '263014780', 'P9nA', 'QDG6eK'].sort().join('')).digest('hex');
		expect(computeSignature('QDG6eK', '1409659589', '263014780', 'P9nA')).toBe(expected);
		expect(computeSignature('P9nA', 'QDG6eK', '263014780', '1409659589')).toBe(expected);
	});

	it('sorts by UTF-8 bytes, not UTF-16 code units', () => {
		// In UTF-8 '～' (EF BD 9E) precedes '😀' (F0 9F 98 80); in UTF-16 the emoji (D83D …) would come first.
		const tilde = '\uFF5E';
		const emoji = '\u{1F600}';
		const expected = createHash('sha1').update(Buffer.from(`ab${tilde}${emoji}`, 'utf8')).digest('hex');
		expect(computeSignature(emoji, 'b', tilde, 'a')).toBe(expected);
	});

	it('accepts the right signature in either case', () => {
		const { msgSignature, timestamp, nonce, echostr } = VERIFY_URL;
		expect(verifySignature(SAMPLE_TOKEN, timestamp, nonce, echostr, msgSignature)).toBe(true);
		expect(verifySignature(SAMPLE_TOKEN, timestamp, nonce, echostr, msgSignature.toUpperCase())).toBe(true);
	});

	it('returns false (never throws) for wrong, short, long, empty or odd signatures', () => {
		const { msgSignature, timestamp, nonce, echostr } = VERIFY_URL;
		const check = (signature: unknown) => verifySignature(SAMPLE_TOKEN, timestamp, nonce, echostr, signature as string);
		const flipped = `${msgSignature.slice(0, 39)}${msgSignature[39] === '0' ? '1' : '0'}`;
		expect(check(flipped)).toBe(false);
		expect(check(msgSignature.slice(0, 39))).toBe(false);
		expect(check(`${msgSignature}0`)).toBe(false);
		expect(check('')).toBe(false);
		expect(check(' '.repeat(40))).toBe(false);
		expect(check('é'.repeat(40))).toBe(false);
		expect(check('\u0130'.repeat(40))).toBe(false); // 'İ'.toLowerCase() grows to two code units
		expect(check(undefined)).toBe(false);
		expect(check(12345)).toBe(false);
		expect(verifySignature('otherToken', timestamp, nonce, echostr, msgSignature)).toBe(false);
	});
});

describe('encrypt / decrypt round trips', () => {
	it.each([
		['ASCII', 'hello', SAMPLE_RECEIVE_ID],
		['empty message', '', SAMPLE_RECEIVE_ID],
		['empty receive ID', '<xml/>', ''],
		['multi-byte UTF-8', '你好，世界 😀 é', 'ww中文'],
		['exactly fills a 32-byte block', 'x'.repeat(64 - 20 - SAMPLE_RECEIVE_ID.length), SAMPLE_RECEIVE_ID],
		['long', 'long message '.repeat(500), SAMPLE_RECEIVE_ID],
	])('%s', (_label, message, receiveId) => {
		const encrypted = encrypt(key, message, receiveId);
		expect(decrypt(key, encrypted)).toEqual({ message, receiveId });
		expect(decrypt(key, encrypted, receiveId)).toEqual({ message, receiveId });
	});

	it('lays out random | big-endian length | message | receive ID | PKCS#7 to 32 bytes', () => {
		const message = 'héllo';
		const plain = openRaw(encrypt(key, message, 'corp', PREFIX));
		const body = Buffer.from(message, 'utf8');
		expect(plain.length % 32).toBe(0);
		expect(plain.subarray(0, 16).equals(PREFIX)).toBe(true);
		expect(plain.readUInt32BE(16)).toBe(body.length);
		expect(plain.subarray(20, 20 + body.length).equals(body)).toBe(true);
		const unpadded = 20 + body.length + 4;
		expect(plain.subarray(20 + body.length, unpadded).toString()).toBe('corp');
		const pad = plain.length - unpadded;
		expect([...plain.subarray(unpadded)]).toEqual(Array(pad).fill(pad));
	});

	it('pads a full block with 32 bytes of 32', () => {
		const message = 'x'.repeat(32 - 20 - 4);
		const plain = openRaw(encrypt(key, message, 'corp', PREFIX));
		expect(plain).toHaveLength(64);
		expect([...plain.subarray(32)]).toEqual(Array(32).fill(32));
	});

	it('uses a fresh random prefix unless one is given', () => {
		expect(encrypt(key, 'same', 'id')).not.toBe(encrypt(key, 'same', 'id'));
		expect(encrypt(key, 'same', 'id', PREFIX)).toBe(encrypt(key, 'same', 'id', PREFIX));
	});

	it('refuses a key that is not 32 bytes and a prefix that is not 16 bytes', () => {
		expect(codeOf(() => encrypt(key.subarray(0, 31), 'm', 'id'))).toBe('INVALID_KEY');
		expect(codeOf(() => decrypt(Buffer.concat([key, Buffer.from([1])]), VERIFY_URL.echostr))).toBe('INVALID_KEY');
		expect(() => encrypt(key, 'm', 'id', Buffer.alloc(15))).toThrow(RangeError);
	});
});

describe('decrypt rejections', () => {
	it('accepts a hand-built valid layout (control for the forged cases below)', () => {
		expect(decrypt(key, sealRaw(layout({})), SAMPLE_RECEIVE_ID)).toEqual({ message: 'hello', receiveId: SAMPLE_RECEIVE_ID });
	});

	it.each([
		['length not a multiple of 4', 'abc'],
		['a character outside base64', 'ab$d'],
		['URL-safe base64', VERIFY_URL.echostr.replace(/\+/g, '-').replace(/\//g, '_')],
		['a line break', `${VERIFY_URL.echostr.slice(0, 20)}\n${VERIFY_URL.echostr.slice(20)}`],
		['a space where + was (bad URL decoding)', VERIFY_URL.echostr.replace('+', ' ')],
		['padding in the middle', 'YQ==YWJj'],
		['only padding', '===='],
		['three padding characters', 'Y==='],
	])('BAD_BASE64: %s', (_label, encrypted) => {
		expect(codeOf(() => decrypt(key, encrypted))).toBe('BAD_BASE64');
	});

	it('BAD_BASE64 for a non-string', () => {
		expect(codeOf(() => decrypt(key, undefined as unknown as string))).toBe('BAD_BASE64');
	});

	it.each([
		['empty', ''],
		['15 bytes', Buffer.alloc(15).toString('base64')],
		['17 bytes', Buffer.alloc(17).toString('base64')],
		['40 bytes', Buffer.alloc(40).toString('base64')],
	])('BAD_CIPHERTEXT: %s', (_label, encrypted) => {
		expect(codeOf(() => decrypt(key, encrypted))).toBe('BAD_CIPHERTEXT');
	});

	it('BAD_PADDING: pad value 0', () => {
		expect(codeOf(() => decrypt(key, sealRaw(layout({ padBytes: Buffer.alloc(32 - ((20 + 5 + 18) % 32), 0) }))))).toBe('BAD_PADDING');
	});

	it('BAD_PADDING: pad value 33', () => {
		const body = 20 + 5 + 18; // 43 bytes, padded with 53 bytes of 33 to a 96-byte plaintext
		const padBytes = Buffer.alloc(96 - body, 33);
		expect(codeOf(() => decrypt(key, sealRaw(layout({ padBytes }))))).toBe('BAD_PADDING');
	});

	it('BAD_PADDING: pad value 255', () => {
		expect(codeOf(() => decrypt(key, sealRaw(layout({ padBytes: Buffer.alloc(64 - 43, 255) }))))).toBe('BAD_PADDING');
	});

	it('BAD_PADDING: pad bytes not all equal', () => {
		const padBytes = Buffer.alloc(64 - 43, 21);
		padBytes[0] = 20;
		expect(codeOf(() => decrypt(key, sealRaw(layout({ padBytes }))))).toBe('BAD_PADDING');
	});

	it('BAD_PADDING: pad value larger than the plaintext (16 bytes, pad 32)', () => {
		expect(codeOf(() => decrypt(key, sealRaw(Buffer.alloc(16, 32))))).toBe('BAD_PADDING');
	});

	it('BAD_LENGTH: plaintext shorter than the 20-byte header', () => {
		// 18 real bytes, 14 bytes of padding.
		const plain = Buffer.concat([PREFIX, Buffer.from([0, 0]), Buffer.alloc(14, 14)]);
		expect(codeOf(() => decrypt(key, sealRaw(plain)))).toBe('BAD_LENGTH');
	});

	it('BAD_LENGTH: declared length runs past the buffer', () => {
		expect(codeOf(() => decrypt(key, sealRaw(layout({ declaredLength: 1000 }))))).toBe('BAD_LENGTH');
		expect(codeOf(() => decrypt(key, sealRaw(layout({ declaredLength: 0xffffffff }))))).toBe('BAD_LENGTH');
		// One byte too many: message + receive ID is 23 bytes.
		expect(codeOf(() => decrypt(key, sealRaw(layout({ declaredLength: 24 }))))).toBe('BAD_LENGTH');
		// Exactly to the end: the receive ID is then empty, which is legal.
		expect(decrypt(key, sealRaw(layout({ declaredLength: 23 })))).toEqual({ message: `hello${SAMPLE_RECEIVE_ID}`, receiveId: '' });
	});

	it('BAD_LENGTH: invalid UTF-8 in the message or the receive ID', () => {
		expect(codeOf(() => decrypt(key, sealRaw(layout({ message: Buffer.from([0x68, 0xff, 0x69]) }))))).toBe('BAD_LENGTH');
		// A length that splits a multi-byte character.
		expect(codeOf(() => decrypt(key, sealRaw(layout({ message: Buffer.from('你好'), declaredLength: 4 }))))).toBe('BAD_LENGTH');
		// Overlong encoding of '/' and an encoded surrogate.
		expect(codeOf(() => decrypt(key, sealRaw(layout({ message: Buffer.from([0xc0, 0xaf]) }))))).toBe('BAD_LENGTH');
		expect(codeOf(() => decrypt(key, sealRaw(layout({ message: Buffer.from([0xed, 0xa0, 0x80]) }))))).toBe('BAD_LENGTH');
		expect(codeOf(() => decrypt(key, sealRaw(layout({ receiveId: Buffer.from([0x77, 0x80]) }))))).toBe('BAD_LENGTH');
		// U+FFFD itself is valid UTF-8 and survives.
		expect(decrypt(key, sealRaw(layout({ message: Buffer.from('\uFFFD') }))).message).toBe('\uFFFD');
	});

	it('RECEIVE_ID_MISMATCH: undefined skips the check, any string must match exactly', () => {
		const encrypted = encrypt(key, 'm', SAMPLE_RECEIVE_ID);
		expect(decrypt(key, encrypted, undefined).receiveId).toBe(SAMPLE_RECEIVE_ID);
		expect(codeOf(() => decrypt(key, encrypted, 'wx0000000000000000'))).toBe('RECEIVE_ID_MISMATCH');
		expect(codeOf(() => decrypt(key, encrypted, ''))).toBe('RECEIVE_ID_MISMATCH');
		expect(codeOf(() => decrypt(key, encrypted, SAMPLE_RECEIVE_ID.toUpperCase()))).toBe('RECEIVE_ID_MISMATCH');
		expect(codeOf(() => decrypt(key, encrypted, `${SAMPLE_RECEIVE_ID} `))).toBe('RECEIVE_ID_MISMATCH');
		const empty = encrypt(key, 'm', '');
		expect(decrypt(key, empty, '').receiveId).toBe('');
		expect(codeOf(() => decrypt(key, empty, SAMPLE_RECEIVE_ID))).toBe('RECEIVE_ID_MISMATCH');
	});

	it('tampered ciphertext: a flipped bit over the length field gives BAD_LENGTH, in the last block BAD_PADDING', () => {
		const encrypted = encrypt(key, 'a message long enough for three blocks of ciphertext', SAMPLE_RECEIVE_ID, PREFIX);
		const bytes = Buffer.from(encrypted, 'base64');
		const lengthHit = Buffer.from(bytes);
		lengthHit[0] ^= 0x80; // CBC: flips bit 7 of plaintext byte 16, the top byte of the length
		expect(codeOf(() => decrypt(key, lengthHit.toString('base64')))).toBe('BAD_LENGTH');
		const padHit = Buffer.from(bytes);
		padHit[padHit.length - 17] ^= 0x40; // flips the last plaintext byte, the pad value
		expect(codeOf(() => decrypt(key, padHit.toString('base64')))).toBe('BAD_PADDING');
	});

	it('the wrong key is rejected, not decoded into garbage', () => {
		const otherKey = decodeEncodingAesKey('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ');
		const code = codeOf(() => decrypt(otherKey, VERIFY_URL.echostr));
		expect(['BAD_PADDING', 'BAD_LENGTH']).toContain(code);
	});
});

describe('openCallback', () => {
	const good = sign(encrypt(key, '<xml><A>1</A></xml>', SAMPLE_RECEIVE_ID));
	const base = { token: SAMPLE_TOKEN, key, receiveId: SAMPLE_RECEIVE_ID };

	it('opens a correctly signed callback', () => {
		expect(openCallback({ ...base, ...good })).toBe('<xml><A>1</A></xml>');
	});

	it.each(['signature', 'timestamp', 'nonce', 'encrypted', 'token'] as const)('MISSING_PARAMETER when %s is absent or empty', (field) => {
		expect(codeOf(() => openCallback({ ...base, ...good, [field]: undefined }))).toBe('MISSING_PARAMETER');
		expect(codeOf(() => openCallback({ ...base, ...good, [field]: '' }))).toBe('MISSING_PARAMETER');
	});

	it('names every missing parameter', () => {
		expect(() => openCallback({ ...base })).toThrow('missing msg_signature, timestamp, nonce, encrypted text');
	});

	it('checks in a fixed order: missing → signature → decryption → receive ID', () => {
		const garbage = sign('not base64!');
		// Missing beats a bad signature.
		expect(codeOf(() => openCallback({ ...base, ...good, signature: 'f'.repeat(40), nonce: undefined }))).toBe('MISSING_PARAMETER');
		// A bad signature beats undecryptable text and a bad key.
		expect(codeOf(() => openCallback({ ...base, ...garbage, signature: good.signature }))).toBe('BAD_SIGNATURE');
		expect(codeOf(() => openCallback({ ...base, key: Buffer.alloc(5), ...good, signature: 'f'.repeat(40) }))).toBe('BAD_SIGNATURE');
		// Signed but undecryptable.
		expect(codeOf(() => openCallback({ ...base, ...garbage }))).toBe('BAD_BASE64');
		expect(codeOf(() => openCallback({ ...base, key: Buffer.alloc(5), ...good }))).toBe('INVALID_KEY');
		const forged = sign(sealRaw(layout({ padBytes: Buffer.alloc(64 - 43, 0) })));
		expect(codeOf(() => openCallback({ ...base, ...forged }))).toBe('BAD_PADDING');
		// Decryptable but for someone else.
		expect(codeOf(() => openCallback({ ...base, receiveId: 'wwsomeoneelse', ...good }))).toBe('RECEIVE_ID_MISMATCH');
	});

	it("rejects tampered ciphertext and a tampered timestamp as BAD_SIGNATURE", () => {
		const bytes = Buffer.from(good.encrypted, 'base64');
		bytes[5] ^= 1;
		expect(codeOf(() => openCallback({ ...base, ...good, encrypted: bytes.toString('base64') }))).toBe('BAD_SIGNATURE');
		expect(codeOf(() => openCallback({ ...base, ...good, timestamp: '1700000001' }))).toBe('BAD_SIGNATURE');
	});

	it("treats receiveId '' as 'do not check'", () => {
		expect(openCallback({ ...base, receiveId: '', ...good })).toBe('<xml><A>1</A></xml>');
	});

	it('never puts the token, key or plaintext into error messages', () => {
		const secretMessage = 'TOP-SECRET-PLAINTEXT';
		const attempts = [
			() => openCallback({ ...base, ...good, signature: 'f'.repeat(40) }),
			() => openCallback({ ...base, receiveId: 'other', ...sign(encrypt(key, secretMessage, SAMPLE_RECEIVE_ID)) }),
			() => openCallback({ ...base, ...sign('!!!!') }),
			() => openCallback({ ...base }),
		];
		for (const attempt of attempts) {
			let message = '';
			try {
				attempt();
			} catch (error) {
				message = (error as Error).message;
			}
			expect(message).not.toBe('');
			for (const secret of [SAMPLE_TOKEN, SAMPLE_ENCODING_AES_KEY, key.toString('base64'), key.toString('hex'), secretMessage]) {
				expect(message).not.toContain(secret);
			}
		}
	});
});

describe('sealReply', () => {
	it('round-trips through openCallback with the given timestamp and nonce', () => {
		const sealed = sealReply({ token: SAMPLE_TOKEN, key, receiveId: SAMPLE_RECEIVE_ID, message: '<xml>回复</xml>', timestamp: '1700000000', nonce: '42' });
		expect(sealed.timestamp).toBe('1700000000');
		expect(sealed.nonce).toBe('42');
		expect(sealed.signature).toBe(computeSignature(SAMPLE_TOKEN, '1700000000', '42', sealed.encrypt));
		expect(
			openCallback({
				token: SAMPLE_TOKEN,
				key,
				receiveId: SAMPLE_RECEIVE_ID,
				signature: sealed.signature,
				timestamp: sealed.timestamp,
				nonce: sealed.nonce,
				encrypted: sealed.encrypt,
			}),
		).toBe('<xml>回复</xml>');
	});

	it('fills in a seconds timestamp and a 10-digit nonce', () => {
		const sealed = sealReply({ token: SAMPLE_TOKEN, key, receiveId: '', message: 'x' });
		expect(sealed.timestamp).toMatch(/^\d{10}$/);
		expect(sealed.nonce).toMatch(/^\d{10}$/);
		expect(decrypt(key, sealed.encrypt, '').message).toBe('x');
	});
});
