/**
 * The per-callback fast paths (crypto.ts, xml.ts) must give exactly what the general code gives: the same values,
 * the same key order, the same errors. Each is checked against a straightforward reference or the general path.
 */
import { createCipheriv, createHash, randomBytes } from 'node:crypto';

import {
	computeSignature,
	decodeEncodingAesKey,
	decrypt,
	encrypt,
	verifySignature,
	WeComCryptoError,
	type WeComCryptoErrorCode,
} from '../../nodes/shared/crypto';
import { parseXml, parseXmlGeneral, WeComXmlError, type XmlObject } from '../../nodes/shared/xml';
import { POST_ENVELOPE, POST_MESSAGE, SAMPLE_ENCODING_AES_KEY, SAMPLE_RECEIVE_ID, seededRandom } from './vectors/wecomOfficialSamples';

const random = seededRandom(777001);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
const key = decodeEncodingAesKey(SAMPLE_ENCODING_AES_KEY);

function codeOf(action: () => unknown): WeComCryptoErrorCode | 'no error' | 'other error' {
	try {
		action();
		return 'no error';
	} catch (error) {
		return error instanceof WeComCryptoError ? error.code : 'other error';
	}
}

/** The signature as WXBizMsgCrypt defines it: the four strings as UTF-8 bytes, sorted bytewise, concatenated. */
function referenceSignature(parts: string[]): string {
	const bytes = parts.map((part) => Buffer.from(part, 'utf8')).sort(Buffer.compare);
	return createHash('sha1').update(Buffer.concat(bytes)).digest('hex');
}

describe('signature fast path (ASCII sorted as strings)', () => {
	const ASCII = ['', 'a', 'A', 'ab', 'a0', '0', '~', '+/=', 'QDG6eK', '1700000000', '17000000001', 'zZ'];
	const OTHER = ['é', '中', '😀', '\uFFFF', '\uE000', '\uD800', 'a\u0080', 'ｚ'];

	it('equals the byte-order reference for ASCII, non-ASCII and mixed inputs', () => {
		for (let round = 0; round < 3000; round++) {
			const parts = Array.from({ length: 4 }, () => {
				let text = '';
				const pieces = Math.floor(random() * 4);
				for (let i = 0; i < pieces; i++) text += random() < 0.8 ? pick(ASCII) : pick(OTHER);
				return text;
			});
			const [token, timestamp, nonce, encrypted] = parts;
			const expected = referenceSignature(parts);
			expect(computeSignature(token, timestamp, nonce, encrypted)).toBe(expected);
			expect(verifySignature(token, timestamp, nonce, encrypted, expected)).toBe(true);
			expect(verifySignature(token, timestamp, nonce, encrypted, expected.toUpperCase())).toBe(true);
		}
	});

	it('accepts only 40 hex digits: look-alikes, control characters and non-ASCII are refused', () => {
		const [token, timestamp, nonce, encrypted] = ['QDG6eK', '1409659589', '263014780', 'P9nAzCzyDtyTWESHep1vC5X9xho'];
		const good = computeSignature(token, timestamp, nonce, encrypted);
		const check = (signature: string) => verifySignature(token, timestamp, nonce, encrypted, signature);
		expect(check(good)).toBe(true);
		// Characters whose code with bit 0x20 set is a hex digit or letter, and characters Buffer.from(…, 'hex') might truncate.
		const impostors = ['\u0010', '\u0019', '\u0001', 'G', 'g', '\u0161', '\u0141', '\uFF10', '\u212A', ' ', '\u0000'];
		for (const impostor of impostors) {
			for (const at of [0, 1, 20, 39]) {
				const forged = `${good.slice(0, at)}${impostor}${good.slice(at + 1)}`;
				expect(check(forged)).toBe(false);
			}
		}
		// Every position matters.
		for (let at = 0; at < 40; at++) {
			const flipped = `${good.slice(0, at)}${good[at] === 'a' ? 'b' : 'a'}${good.slice(at + 1)}`;
			expect(check(flipped)).toBe(false);
		}
	});
});

describe('decrypt fast paths', () => {
	const BASE64_PATTERN = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

	it('refuses exactly what the base64 pattern refuses (canonical text skips the pattern)', () => {
		const valid = encrypt(key, 'hello', SAMPLE_RECEIVE_ID);
		const variants = [
			valid,
			`${valid} `,
			` ${valid}`,
			`${valid.slice(0, 10)}\n${valid.slice(10)}`,
			valid.replace(/\+/g, '-').replace(/\//g, '_'),
			valid.replace(/=+$/, ''),
			`${valid}=`,
			`${valid.slice(0, -4)}====`,
			valid.slice(0, -1),
			'',
			'====',
			'QQ==',
			'QR==', // non-zero spare bits: the pattern accepts them, and so must the fast path
			'QUI=',
			'QUJ=',
			'é'.repeat(8),
		];
		// The lowest bit of the last data character is a spare bit ('==' or '=' endings): setting it keeps the bytes
		// but changes the text, so the text is not canonical and takes the pattern path.
		const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
		expect(valid.endsWith('=')).toBe(true);
		const tail = valid.endsWith('==') ? valid.length - 3 : valid.length - 2;
		const spare = valid.slice(0, tail) + ALPHABET[ALPHABET.indexOf(valid[tail]) ^ 1] + valid.slice(tail + 1);
		variants.push(spare);
		for (const text of variants) {
			const code = codeOf(() => decrypt(key, text, SAMPLE_RECEIVE_ID));
			if (BASE64_PATTERN.test(text)) expect(code).not.toBe('BAD_BASE64');
			else expect(code).toBe('BAD_BASE64');
		}
		expect(Buffer.from(spare, 'base64').toString('base64')).not.toBe(spare);
		expect(decrypt(key, spare, SAMPLE_RECEIVE_ID).message).toBe('hello');
	});

	it('decrypts correctly while switching between more keys than it keeps deciphers for', () => {
		const keys = Array.from({ length: 40 }, () => randomBytes(32));
		const sealed = keys.map((aesKey, index) => ({ aesKey, text: encrypt(aesKey, `message ${index} ${'x'.repeat(index * 7)}`, `id${index}`) }));
		for (let round = 0; round < 400; round++) {
			const index = Math.floor(random() * keys.length);
			const { aesKey, text } = sealed[index];
			expect(decrypt(aesKey, text, `id${index}`).message).toBe(`message ${index} ${'x'.repeat(index * 7)}`);
			// The wrong key never yields the message, and a later right key is unaffected.
			const other = keys[(index + 1) % keys.length];
			const wrong = codeOf(() => decrypt(other, text, `id${index}`));
			expect(wrong).not.toBe('no error');
		}
	});

	it('gives every block the previous ciphertext block, over lengths of 1 to 40 blocks', () => {
		for (let blocks = 1; blocks <= 40; blocks++) {
			const plain = randomBytes(blocks * 16);
			const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
			cipher.setAutoPadding(false);
			const text = Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64');
			// Decrypting a forged layout reports a layout problem, never garbage; a real one round-trips.
			const message = `m${'y'.repeat(blocks * 13)}`;
			expect(decrypt(key, encrypt(key, message, SAMPLE_RECEIVE_ID), SAMPLE_RECEIVE_ID).message).toBe(message);
			expect(['no error', 'BAD_PADDING', 'BAD_LENGTH']).toContain(codeOf(() => decrypt(key, text)));
		}
	});

	it('keeps U+FFFD that was sent and refuses every invalid UTF-8 form', () => {
		const seal = (message: Buffer): string => {
			const length = Buffer.alloc(4);
			length.writeUInt32BE(message.length, 0);
			const body = Buffer.concat([randomBytes(16), length, message, Buffer.from(SAMPLE_RECEIVE_ID)]);
			const padLength = 32 - (body.length % 32);
			const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
			cipher.setAutoPadding(false);
			return Buffer.concat([cipher.update(Buffer.concat([body, Buffer.alloc(padLength, padLength)])), cipher.final()]).toString('base64');
		};
		expect(decrypt(key, seal(Buffer.from('a\uFFFDb')), SAMPLE_RECEIVE_ID).message).toBe('a\uFFFDb');
		expect(decrypt(key, seal(Buffer.from('你好 😀')), SAMPLE_RECEIVE_ID).message).toBe('你好 😀');
		const invalid = [
			[0xff],
			[0x80],
			[0xc0, 0x80], // overlong NUL
			[0xe0, 0x80, 0xaf], // overlong '/'
			[0xed, 0xa0, 0x80], // surrogate
			[0xf4, 0x90, 0x80, 0x80], // above U+10FFFF
			[0xe4, 0xbd], // truncated
			[0xef, 0xbf, 0xbd, 0xff], // a real U+FFFD next to an invalid byte
		];
		for (const bytes of invalid) {
			expect(codeOf(() => decrypt(key, seal(Buffer.from([0x61, ...bytes, 0x62])), SAMPLE_RECEIVE_ID))).toBe('BAD_LENGTH');
		}
	});
});

describe('parseXml fast path agrees with the general parser', () => {
	function outcome(parse: (xml: string) => XmlObject, xml: string): { value?: XmlObject; keys?: string; error?: string } {
		try {
			const value = parse(xml);
			return { value, keys: JSON.stringify(keysDeep(value)) };
		} catch (error) {
			if (!(error instanceof WeComXmlError)) throw error;
			return { error: error.message };
		}
	}

	/** Key order at every level, and own property names such as __proto__ that toEqual might skip. */
	function keysDeep(node: unknown): unknown {
		if (typeof node === 'string') return node;
		if (Array.isArray(node)) return node.map(keysDeep);
		const object = node as Record<string, unknown>;
		return Object.getOwnPropertyNames(object).map((name) => [name, keysDeep(object[name])]);
	}

	function expectSame(xml: string): void {
		const fast = outcome((text) => parseXml(text), xml);
		const general = outcome((text) => parseXmlGeneral(text), xml);
		expect(fast).toEqual(general);
		if (fast.value !== undefined) expect(Object.getPrototypeOf(fast.value)).toBe(Object.prototype);
	}

	const CARD =
		'<xml><ToUserName><![CDATA[ww1]]></ToUserName><CreateTime>1700000000</CreateTime><AgentID>1000002</AgentID>' +
		'<SelectedItems><SelectedItem><QuestionKey><![CDATA[q1]]></QuestionKey><OptionIds><OptionId><![CDATA[o1]]></OptionId>' +
		'<OptionId><![CDATA[o2]]></OptionId></OptionIds></SelectedItem><SelectedItem><QuestionKey>q2</QuestionKey></SelectedItem></SelectedItems></xml>';

	it.each([
		['official envelope', POST_ENVELOPE],
		['official message', POST_MESSAGE.plaintext],
		['compact card event', CARD],
		['indented card event', CARD.replace(/></g, '>\n\t<')],
		['self-closing and empty elements', '<xml><A/><B></B><C>  </C><A/></xml>'],
		['self-closing root', '<xml/>'],
		['whitespace-only root', '<xml> \n\t</xml>'],
		['CDATA with markup inside', '<xml><A><![CDATA[<b>&amp;]]></A><B><![CDATA[]]></B></xml>'],
		['text around CDATA', '<xml><A> x <![CDATA[y]]> z </A></xml>'],
		['BOM and declaration', '\uFEFF<?xml version="1.0" encoding="UTF-8"?>\n<xml><A>1</A></xml>\n'],
		['inherited names', '<xml><constructor>1</constructor><toString>2</toString><toString>3</toString><hasOwnProperty/></xml>'],
		['__proto__', '<xml><__proto__><polluted>yes</polluted></__proto__><__proto__>2</__proto__></xml>'],
		['names with : . - _ and digits', '<xml><a:b>1</a:b><_c.d-e9>2</_c.d-e9></xml>'],
		['non-ASCII names', '<xml><名字>1</名字><aé>2</aé></xml>'],
		['repeats at depth', '<xml><A><B>1</B><B>2</B><B>3</B></A><A><B>4</B></A></xml>'],
		['depth 32', `${'<a>'.repeat(32)}x${'</a>'.repeat(32)}`],
		['depth 33', `${'<a>'.repeat(33)}x${'</a>'.repeat(33)}`],
		['depth 32 self-closing', `${'<a>'.repeat(32)}<b/>${'</a>'.repeat(32)}`],
		['root text', '<xml>text</xml>'],
		['mixed content', '<xml><A>t<B>1</B></A></xml>'],
		['mixed content by CDATA', '<xml><A><B>1</B><![CDATA[t]]></A></xml>'],
		['two roots', '<xml></xml><xml></xml>'],
		['two self-closing roots', '<xml/><xml/>'],
		['text after root', '<xml></xml>x'],
		['CDATA after root', '<xml></xml><![CDATA[x]]>'],
		['mismatched end tag', '<xml><A>1</B></xml>'],
		['end tag prefix', '<xml><Ab>1</A></xml>'],
		['end tag longer', '<xml><A>1</Ab></xml>'],
		['end tag with space', '<xml><A>1</A ></xml>'],
		['unclosed', '<xml><A>1</A>'],
		['unterminated CDATA', '<xml><A><![CDATA[1</A></xml>'],
		['stray end tag', '</xml>'],
		['entity', '<xml><A>&amp;&lt;&#65;</A></xml>'],
		['unknown entity', '<xml><A>&x;</A></xml>'],
		["']]>' in text", '<xml><A>a]]>b</A></xml>'],
		["']' in text", '<xml><A>a]b</A></xml>'],
		['attributes', '<xml a="1"><A b=\'2\'>x</A></xml>'],
		['comment', '<xml><!-- c --><A>1</A></xml>'],
		['DOCTYPE', '<!DOCTYPE xml><xml/>'],
		['processing instruction', '<xml><?pi x?></xml>'],
		['empty', ''],
		['blank', '  \n'],
		['lone <', '<'],
		['unfinished start tag', '<xml'],
		['unfinished end tag', '<xml></xml'],
		['empty tag name', '<xml><>1</></xml>'],
		['digit-first name', '<xml><1A>1</1A></xml>'],
	])('%s', (_name, xml) => expectSame(xml));

	it('agrees on 10,000 mutated documents', () => {
		const SEEDS = [POST_ENVELOPE, POST_MESSAGE.plaintext, CARD, CARD.replace(/></g, '>\n<'), '<xml><A/><B>1</B><B>2</B></xml>'];
		const TOKENS = [
			'<', '>', '/', '&', ';', '!', '?', '[', ']', ']]>', '<![CDATA[', '<!--', '</', '/>', '<xml>', '</xml>', '<A>', '</A>', '<B/>', ' ', '\n',
			'__proto__', 'constructor', 'a="1"', '&amp;', '中', '\uFEFF', '<?xml version="1.0"?>', 'x', ':', '-', '.', '0',
		];
		for (let round = 0; round < 10000; round++) {
			let text = pick(SEEDS);
			const edits = 1 + Math.floor(random() * 4);
			for (let edit = 0; edit < edits; edit++) {
				const at = Math.floor(random() * (text.length + 1));
				const kind = Math.floor(random() * 4);
				if (kind === 0) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 12));
				else if (kind === 1) text = text.slice(0, at) + pick(TOKENS) + text.slice(at);
				else if (kind === 2) text = text.slice(0, at) + pick(TOKENS) + text.slice(at + 1);
				else text = text.slice(0, at) + text.slice(at, at + 30) + text.slice(at);
			}
			expectSame(text);
		}
	});

	it('applies the size limit before either path', () => {
		const xml = `<xml><A>${'中'.repeat(100)}</A></xml>`;
		expect(() => parseXml(xml, { maxBytes: 250 })).toThrow('larger than 250 bytes');
		expect(parseXml(xml, { maxBytes: 400 }).A).toBe('中'.repeat(100));
		// Exactly at the limit in UTF-8 bytes, above it in UTF-16 units times three.
		const exact = Buffer.byteLength(xml, 'utf8');
		expect(parseXml(xml, { maxBytes: exact }).A).toBe('中'.repeat(100));
		expect(() => parseXml(xml, { maxBytes: exact - 1 })).toThrow(WeComXmlError);
	});
});
