/**
 * Files users send an intelligent robot are served AES-256-CBC encrypted (key = the 32 bytes of the aeskey, or of
 * the EncodingAESKey in callback mode; IV = the key's first 16 bytes; PKCS#7 to 32-byte blocks). Strict like
 * nodes/shared/crypto.ts: a wrong key or a cut download is an error, never garbage handed on as a file.
 */
import { createDecipheriv, createCipheriv } from 'node:crypto';

export class AiBotMediaError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'AiBotMediaError';
	}
}

/** The 32-byte key from a 43-character key (EncodingAESKey) or its 44-character padded form (aeskey). */
export function mediaKey(key: string): Buffer {
	const trimmed = key.trim();
	if (!/^[A-Za-z0-9+/]{43}=?$/.test(trimmed)) throw new AiBotMediaError('the file key is not 43 base64 characters');
	const bytes = Buffer.from(trimmed.endsWith('=') ? trimmed : `${trimmed}=`, 'base64');
	if (bytes.length !== 32) throw new AiBotMediaError('the file key does not decode to 32 bytes');
	return bytes;
}

export function decryptMedia(encrypted: Buffer, key: string): Buffer {
	const aesKey = mediaKey(key);
	if (encrypted.length === 0 || encrypted.length % 32 !== 0) {
		throw new AiBotMediaError(`the downloaded file has ${encrypted.length} bytes, not a positive multiple of 32 (cut off, or not encrypted)`);
	}
	const decipher = createDecipheriv('aes-256-cbc', aesKey, aesKey.subarray(0, 16));
	decipher.setAutoPadding(false);
	const plain = Buffer.concat([decipher.update(encrypted), decipher.final()]);
	const pad = plain[plain.length - 1];
	if (pad < 1 || pad > 32) throw new AiBotMediaError('the file does not decrypt (bad padding: wrong key or corrupt download)');
	for (let i = plain.length - pad; i < plain.length; i++) {
		if (plain[i] !== pad) throw new AiBotMediaError('the file does not decrypt (bad padding: wrong key or corrupt download)');
	}
	return plain.subarray(0, plain.length - pad);
}

/** The inverse, for tests and the sandbox. */
export function encryptMedia(plain: Buffer, key: string): Buffer {
	const aesKey = mediaKey(key);
	const pad = 32 - (plain.length % 32);
	const cipher = createCipheriv('aes-256-cbc', aesKey, aesKey.subarray(0, 16));
	cipher.setAutoPadding(false);
	return Buffer.concat([cipher.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])), cipher.final()]);
}
