/**
 * WeCom's callback crypto (WXBizMsgCrypt): SHA-1 signature over the sorted token, timestamp, nonce and
 * ciphertext, and AES-256-CBC with IV = key[0..16] over
 *   16 random bytes | 4-byte big-endian message length | UTF-8 message | receive ID | PKCS#7 pad to 32 bytes.
 * Pure functions, no n8n types. Stricter than the reference implementation: every malformed input is
 * rejected with a WeComCryptoError carrying a code, never silently decoded into garbage.
 */
import {
	createCipheriv,
	createDecipheriv,
	hash,
	randomBytes,
	randomInt,
	type Decipher,
} from 'node:crypto';

export type WeComCryptoErrorCode =
	| 'MISSING_PARAMETER'
	| 'INVALID_KEY'
	| 'BAD_SIGNATURE'
	| 'BAD_BASE64'
	| 'BAD_CIPHERTEXT'
	| 'BAD_PADDING'
	| 'BAD_LENGTH'
	| 'RECEIVE_ID_MISMATCH';

/** A rejected callback or key. The message names what is wrong, never the key, token or plaintext. */
export class WeComCryptoError extends Error {
	readonly code: WeComCryptoErrorCode;

	constructor(code: WeComCryptoErrorCode, message: string) {
		super(message);
		this.name = 'WeComCryptoError';
		this.code = code;
	}
}

const KEY_BYTES = 32;
const IV_BYTES = 16;
const RANDOM_BYTES = 16;
const HEADER_BYTES = RANDOM_BYTES + 4;
/** WeCom pads to 32-byte blocks (not AES's 16), so a valid pad value is 1..32. */
const PAD_BLOCK = 32;
const AES_BLOCK = 16;
const SIGNATURE_HEX_CHARS = 40;

const KEY_PATTERN = /^[A-Za-z0-9+/]{43}$/;
/** Standard base64 with '=' padding only at the end; Buffer.from(…, 'base64') alone skips junk silently. */
const BASE64_PATTERN = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * The 43-character EncodingAESKey as the 32-byte AES key. The last character may carry non-zero spare bits
 * (WeCom's own sample key does), so only the alphabet and the decoded length are checked.
 */
export function decodeEncodingAesKey(encodingAesKey: string): Buffer {
	if (typeof encodingAesKey !== 'string' || !KEY_PATTERN.test(encodingAesKey)) {
		throw new WeComCryptoError('INVALID_KEY', 'EncodingAESKey must be exactly 43 characters of A-Z, a-z, 0-9, + and /');
	}
	const key = Buffer.from(`${encodingAesKey}=`, 'base64');
	if (key.length !== KEY_BYTES) {
		throw new WeComCryptoError('INVALID_KEY', 'EncodingAESKey does not decode to 32 bytes');
	}
	return key;
}

/** SHA-1 hex of the four strings sorted in UTF-8 byte order and concatenated. */
function signatureHex(token: string, timestamp: string, nonce: string, encrypted: string): string {
	if (isAscii(token) && isAscii(timestamp) && isAscii(nonce) && isAscii(encrypted)) {
		// For ASCII, JS's UTF-16 order is byte order, so the strings sort and hash as they are (what WeCom sends).
		return hash('sha1', [token, timestamp, nonce, encrypted].sort().join(''), 'hex');
	}
	// Byte order, not JS's UTF-16 order: they differ once surrogate pairs meet U+E000..U+FFFF.
	const parts = [token, timestamp, nonce, encrypted].map((part) => Buffer.from(part, 'utf8'));
	parts.sort(Buffer.compare);
	return hash('sha1', Buffer.concat(parts), 'hex');
}

/** Every UTF-16 unit below 0x80: any other character takes more UTF-8 bytes than UTF-16 units. */
function isAscii(text: string): boolean {
	return Buffer.byteLength(text, 'utf8') === text.length;
}

/** SHA-1 hex of token, timestamp, nonce and ciphertext sorted in UTF-8 byte order and concatenated. */
export function computeSignature(token: string, timestamp: string, nonce: string, encrypted: string): string {
	return signatureHex(token, timestamp, nonce, encrypted);
}

/** 40 characters of 0-9, a-f, A-F: only then does Buffer.from(…, 'hex') read all of them. */
function isHexSignature(signature: string): boolean {
	if (signature.length !== SIGNATURE_HEX_CHARS) return false;
	for (let i = 0; i < SIGNATURE_HEX_CHARS; i++) {
		const code = signature.charCodeAt(i);
		if (!((code >= 0x30 && code <= 0x39) || (code >= 0x61 && code <= 0x66) || (code >= 0x41 && code <= 0x46))) return false;
	}
	return true;
}

/** Whether `signature` (hex, any case) matches; compares in constant time and never throws on odd input. */
export function verifySignature(
	token: string,
	timestamp: string,
	nonce: string,
	encrypted: string,
	signature: string,
): boolean {
	// The format check depends only on the caller's input; the comparison with the expected digest is constant-time.
	if (typeof signature !== 'string' || !isHexSignature(signature)) return false;
	return hexDigestsEqual(signature, signatureHex(token, timestamp, nonce, encrypted));
}

/**
 * Constant-time comparison of two 40-character hex digests, `given` in any case, `expected` lower case: every
 * character is visited and differences are OR-ed together, with no branch on the data. Same guarantee as
 * timingSafeEqual over the decoded bytes, without decoding both into Buffers per request (a third of the
 * signature check's time). ORing 0x20 lower-cases A-F and leaves 0-9 as they are; isHexSignature ran first.
 */
function hexDigestsEqual(given: string, expected: string): boolean {
	if (expected.length !== SIGNATURE_HEX_CHARS) return false;
	let difference = 0;
	for (let i = 0; i < SIGNATURE_HEX_CHARS; i++) difference |= (given.charCodeAt(i) | 0x20) ^ expected.charCodeAt(i);
	return difference === 0;
}

function assertKey(key: Buffer): void {
	if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES) {
		throw new WeComCryptoError('INVALID_KEY', 'the AES key must be 32 bytes (decode the EncodingAESKey first)');
	}
}

/** Encrypts `message` for `receiveId`; returns base64. `random16` fixes the random prefix (tests only). */
export function encrypt(key: Buffer, message: string, receiveId: string, random16?: Buffer): string {
	assertKey(key);
	const random = random16 ?? randomBytes(RANDOM_BYTES);
	if (!Buffer.isBuffer(random) || random.length !== RANDOM_BYTES) {
		throw new RangeError('the random prefix must be exactly 16 bytes');
	}
	const body = Buffer.from(message, 'utf8');
	const length = Buffer.alloc(4);
	length.writeUInt32BE(body.length, 0);
	const unpadded = Buffer.concat([random, length, body, Buffer.from(receiveId, 'utf8')]);
	const padLength = PAD_BLOCK - (unpadded.length % PAD_BLOCK);
	const plain = Buffer.concat([unpadded, Buffer.alloc(padLength, padLength)]);
	const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, IV_BYTES));
	cipher.setAutoPadding(false);
	return Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64');
}

/**
 * AES-256-ECB deciphers kept per key. CBC decryption is ECB decryption of each block XORed with the previous
 * ciphertext block (the IV for the first), and an ECB decipher without padding holds no state between
 * block-aligned update() calls, so one object serves every callback instead of a new CBC decipher per call.
 * Keyed by the key's base64 (never logged); a handful of credentials at most, so the map stays small.
 */
const ecbDeciphers = new Map<string, Decipher>();
const MAX_CACHED_KEYS = 16;

function ecbDecipherFor(key: Buffer): { id: string; decipher: Decipher } {
	const id = key.toString('base64');
	let decipher = ecbDeciphers.get(id);
	if (decipher === undefined) {
		decipher = createDecipheriv('aes-256-ecb', key, null);
		decipher.setAutoPadding(false);
		if (ecbDeciphers.size >= MAX_CACHED_KEYS) {
			const oldest = ecbDeciphers.keys().next();
			if (oldest.done !== true) ecbDeciphers.delete(oldest.value);
		}
		ecbDeciphers.set(id, decipher);
	}
	return { id, decipher };
}

/** Raw AES-256-CBC decryption (IV = key[0..16]) of a positive multiple of 16 bytes, without padding removal. */
function aesDecrypt(key: Buffer, cipherBytes: Buffer): Buffer | undefined {
	const { id, decipher } = ecbDecipherFor(key);
	let plain: Buffer;
	try {
		plain = decipher.update(cipherBytes);
	} catch {
		ecbDeciphers.delete(id);
		return undefined;
	}
	if (plain.length !== cipherBytes.length) {
		// Cannot happen for block-aligned input; never reuse a decipher whose state is in doubt.
		ecbDeciphers.delete(id);
		return undefined;
	}
	for (let i = 0; i < IV_BYTES; i++) plain[i] ^= key[i];
	if ((plain.byteOffset & 3) === 0 && (cipherBytes.byteOffset & 3) === 0) {
		// Word-wise XOR; byte order is irrelevant to XOR.
		const out = new Int32Array(plain.buffer, plain.byteOffset, plain.length >> 2);
		const previous = new Int32Array(cipherBytes.buffer, cipherBytes.byteOffset, cipherBytes.length >> 2);
		for (let i = AES_BLOCK >> 2; i < out.length; i++) out[i] ^= previous[i - (AES_BLOCK >> 2)];
	} else {
		for (let i = AES_BLOCK; i < plain.length; i++) plain[i] ^= cipherBytes[i - AES_BLOCK];
	}
	return plain;
}

/** UTF-8 text of `bytes`, or undefined when they are not valid UTF-8 (decoding would substitute U+FFFD). */
function strictUtf8(bytes: Buffer): string | undefined {
	const text = bytes.toString('utf8');
	// Node's decoder replaces every invalid sequence with U+FFFD, so text without one decoded losslessly;
	// with one, a genuine U+FFFD (EF BF BD) is told from a substitution by re-encoding.
	if (!text.includes('\uFFFD')) return text;
	return Buffer.from(text, 'utf8').equals(bytes) ? text : undefined;
}

/**
 * Decrypts WeCom's base64 ciphertext.
 * `expectedReceiveId`: undefined = do not check; any string (including '') must equal the receive ID exactly.
 * Invalid UTF-8 in the message or receive ID is reported as BAD_LENGTH: the declared length split the
 * plaintext in the wrong place or the plaintext is corrupt.
 */
export function decrypt(
	key: Buffer,
	encryptedBase64: string,
	expectedReceiveId?: string,
): { message: string; receiveId: string } {
	assertKey(key);
	if (typeof encryptedBase64 !== 'string') {
		throw new WeComCryptoError('BAD_BASE64', 'the encrypted text is not valid base64');
	}
	const cipherBytes = Buffer.from(encryptedBase64, 'base64');
	// Text that re-encodes to itself is canonical base64, which the pattern accepts; only the rest needs the
	// (slower) pattern, which also accepts non-zero spare bits in the last character.
	if (cipherBytes.toString('base64') !== encryptedBase64 && !BASE64_PATTERN.test(encryptedBase64)) {
		throw new WeComCryptoError('BAD_BASE64', 'the encrypted text is not valid base64');
	}
	if (cipherBytes.length === 0 || cipherBytes.length % AES_BLOCK !== 0) {
		throw new WeComCryptoError('BAD_CIPHERTEXT', 'the ciphertext length is not a positive multiple of 16 bytes');
	}
	const plain = aesDecrypt(key, cipherBytes);
	if (plain === undefined) {
		throw new WeComCryptoError('BAD_CIPHERTEXT', 'the ciphertext could not be decrypted');
	}

	const padLength = plain[plain.length - 1];
	if (padLength < 1 || padLength > PAD_BLOCK || padLength > plain.length) {
		throw new WeComCryptoError('BAD_PADDING', 'the PKCS#7 pad value is outside 1..32 (wrong key or corrupt data)');
	}
	let padDiff = 0;
	for (let i = plain.length - padLength; i < plain.length; i++) padDiff |= plain[i] ^ padLength;
	if (padDiff !== 0) {
		throw new WeComCryptoError('BAD_PADDING', 'the PKCS#7 pad bytes are inconsistent (wrong key or corrupt data)');
	}
	const unpadded = plain.subarray(0, plain.length - padLength);

	if (unpadded.length < HEADER_BYTES) {
		throw new WeComCryptoError('BAD_LENGTH', 'the plaintext is shorter than its 20-byte header');
	}
	const messageLength = unpadded.readUInt32BE(RANDOM_BYTES);
	if (messageLength > unpadded.length - HEADER_BYTES) {
		throw new WeComCryptoError('BAD_LENGTH', 'the declared message length runs past the plaintext');
	}
	const message = strictUtf8(unpadded.subarray(HEADER_BYTES, HEADER_BYTES + messageLength));
	const receiveId = strictUtf8(unpadded.subarray(HEADER_BYTES + messageLength));
	if (message === undefined || receiveId === undefined) {
		throw new WeComCryptoError('BAD_LENGTH', 'the decrypted message or receive ID is not valid UTF-8');
	}
	if (expectedReceiveId !== undefined && receiveId !== expectedReceiveId) {
		throw new WeComCryptoError(
			'RECEIVE_ID_MISMATCH',
			'the message was encrypted for a different receive ID (check the Corp ID / suite ID)',
		);
	}
	return { message, receiveId };
}

/** The query WeCom puts on callback URLs (URL-decoded). */
export interface CallbackQuery {
	msg_signature?: string;
	timestamp?: string;
	nonce?: string;
	echostr?: string;
}

/**
 * Verifies and decrypts one callback (the GET echostr or the POST <Encrypt> text) and returns the plaintext.
 * Rejection order is fixed: MISSING_PARAMETER, BAD_SIGNATURE, decryption errors (INVALID_KEY, BAD_*),
 * RECEIVE_ID_MISMATCH. `receiveId` '' skips the receive-ID check (an unset Corp ID in the credential, or
 * callbacks that carry none); any other value must match exactly. The signature and key already authenticate.
 */
export function openCallback(params: {
	token: string;
	key: Buffer;
	receiveId: string;
	signature?: string;
	timestamp?: string;
	nonce?: string;
	encrypted?: string;
}): string {
	const { token, key, receiveId, signature, timestamp, nonce, encrypted } = params;
	if (!token || !signature || !timestamp || !nonce || !encrypted) {
		const present: Array<[string, string | undefined]> = [
			['token', token],
			['msg_signature', signature],
			['timestamp', timestamp],
			['nonce', nonce],
			['encrypted text', encrypted],
		];
		const missing = present.filter(([, value]) => !value).map(([name]) => name);
		throw new WeComCryptoError('MISSING_PARAMETER', `missing ${missing.join(', ')}`);
	}
	if (!verifySignature(token, timestamp, nonce, encrypted, signature)) {
		throw new WeComCryptoError('BAD_SIGNATURE', 'msg_signature does not match (check the Token)');
	}
	return decrypt(key, encrypted, receiveId === '' ? undefined : receiveId).message;
}

/** Encrypts and signs a passive reply; timestamp defaults to now (seconds), nonce to 10 random digits. */
export function sealReply(params: {
	token: string;
	key: Buffer;
	receiveId: string;
	message: string;
	timestamp?: string;
	nonce?: string;
}): { encrypt: string; signature: string; timestamp: string; nonce: string } {
	const timestamp = params.timestamp || String(Math.floor(Date.now() / 1000));
	const nonce = params.nonce || String(randomInt(1_000_000_000, 10_000_000_000));
	const encrypted = encrypt(params.key, params.message, params.receiveId);
	return {
		encrypt: encrypted,
		signature: computeSignature(params.token, timestamp, nonce, encrypted),
		timestamp,
		nonce,
	};
}
