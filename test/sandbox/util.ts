import { randomBytes } from 'node:crypto';

export function utf8Bytes(value: string): number {
	return Buffer.byteLength(value, 'utf8');
}

/** Characters as a person counts them (code points, so an emoji or a 汉字 is one). */
export function charCount(value: string): number {
	return Array.from(value).length;
}

/** Cuts a string to at most `limit` UTF-8 bytes without splitting a character. */
export function truncateUtf8(value: string, limit: number): string {
	if (utf8Bytes(value) <= limit) return value;
	let bytes = 0;
	let result = '';
	for (const char of value) {
		const size = utf8Bytes(char);
		if (bytes + size > limit) break;
		bytes += size;
		result += char;
	}
	return result;
}

export function randomId(bytes: number): string {
	return randomBytes(bytes).toString('base64url');
}

export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Normalises 'message/send', 'cgi-bin/message/send' and '/cgi-bin/message/send' to the last form. */
export function normalizePath(path: string): string {
	const trimmed = path.trim().split('?')[0];
	if (trimmed.startsWith('/cgi-bin/') || trimmed.startsWith('/media-cdn') || trimmed.startsWith('/__sandbox')) return trimmed;
	if (trimmed.startsWith('cgi-bin/')) return `/${trimmed}`;
	return `/cgi-bin/${trimmed.replace(/^\/+/, '')}`;
}

export type ImageFormat = 'jpg' | 'png';

export function sniffImage(data: Buffer): ImageFormat | undefined {
	if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'jpg';
	if (data.length >= 8 && data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
	return undefined;
}

export function isAmr(data: Buffer): boolean {
	return data.subarray(0, 5).toString('latin1') === '#!AMR';
}

export function isMp4(data: Buffer): boolean {
	return data.length >= 8 && data.subarray(4, 8).toString('latin1') === 'ftyp';
}

export const MB = 1024 * 1024;
