/**
 * WeCom's rules for what an intelligent robot (智能机器人) may send, checked before anything leaves n8n.
 * Pure functions; each failure names the field and the limit. Sources: pages 101031 (stream, passive replies),
 * 101138 (response_url), 101463 (long connection). Template cards are checked by the application card validator
 * (nodes/WeCom/helpers/templateCard/validate.ts): page 101032 describes the same TemplateCard.
 */
import { createHash } from 'node:crypto';

export const AIBOT_LIMITS = {
	/** stream.content and markdown.content, UTF-8 bytes. */
	contentBytes: 20480,
	/** stream.msg_item images, only in the frame with finish: true. */
	images: 10,
	imageBytes: 10 * 1024 * 1024,
	feedbackIdBytes: 256,
	/** A stream must finish within 6 minutes of the user's message (callback mode; WeCom stops refreshing). */
	streamLifetimeMs: 6 * 60 * 1000,
	/** Welcome messages and card updates: within 5 seconds of the event. */
	eventReplyMs: 5000,
	/** response_url: once, within one hour. */
	responseUrlLifetimeMs: 60 * 60 * 1000,
	/** Long-connection chunked upload: ≤ 512 KB raw per chunk, ≤ 100 chunks. */
	uploadChunkBytes: 512 * 1024,
	uploadChunks: 100,
} as const;

export class AiBotLimitError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'AiBotLimitError';
	}
}

export function byteLength(text: string): number {
	return Buffer.byteLength(text, 'utf8');
}

export function checkContent(content: string, field = 'Content'): void {
	const bytes = byteLength(content);
	if (bytes > AIBOT_LIMITS.contentBytes) {
		throw new AiBotLimitError(
			`${field} has ${bytes} bytes; WeCom accepts at most ${AIBOT_LIMITS.contentBytes} bytes (UTF-8) in one robot answer. Shorten it, or turn on Truncate Long Answers.`,
		);
	}
}

/** Cuts text to at most `maxBytes` UTF-8 bytes on a character boundary. */
export function truncateBytes(text: string, maxBytes: number): string {
	if (byteLength(text) <= maxBytes) return text;
	const bytes = Buffer.from(text, 'utf8').subarray(0, maxBytes);
	let end = bytes.length;
	// Step back over a cut multi-byte sequence (continuation bytes are 10xxxxxx).
	while (end > 0 && (bytes[end - 1] & 0xc0) === 0x80) end--;
	if (end > 0 && bytes[end - 1] >= 0xc0) end--;
	return bytes.subarray(0, end).toString('utf8');
}

export interface StreamImage {
	base64: string;
	md5: string;
}

/** A JPG or PNG as WeCom's msg_item image {base64, md5}; checks format and size. */
export function streamImage(data: Buffer, name = 'image'): StreamImage {
	if (data.length > AIBOT_LIMITS.imageBytes) {
		throw new AiBotLimitError(`${name} has ${data.length} bytes; WeCom accepts images of at most 10 MB in a robot answer`);
	}
	const isPng = data.length > 8 && data.readUInt32BE(0) === 0x89504e47;
	const isJpg = data.length > 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff;
	if (!isPng && !isJpg) throw new AiBotLimitError(`${name} is neither JPG nor PNG; WeCom shows only those in a robot answer`);
	return { base64: data.toString('base64'), md5: createHash('md5').update(data).digest('hex') };
}

export function checkImages(count: number): void {
	if (count > AIBOT_LIMITS.images) {
		throw new AiBotLimitError(`${count} images; WeCom accepts at most ${AIBOT_LIMITS.images} images in one robot answer`);
	}
}

export function checkFeedbackId(id: string): void {
	if (byteLength(id) > AIBOT_LIMITS.feedbackIdBytes) {
		throw new AiBotLimitError(`Feedback ID has ${byteLength(id)} bytes; WeCom accepts at most ${AIBOT_LIMITS.feedbackIdBytes}`);
	}
}
