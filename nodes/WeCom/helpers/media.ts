import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { weComApiRequest } from '../transport';
import type { UploadFile } from '../transport/multipart';

export type MediaType = 'image' | 'voice' | 'video' | 'file';
export type MediaFormat = 'jpg' | 'png' | 'amr' | 'mp4' | 'any';

export interface MediaRule {
	maxBytes: number;
	formats: MediaFormat[];
	label: string;
}

const MB = 1024 * 1024;

/** WeCom's upload rules (素材管理 / media/upload, path 90253): every file must be larger than 5 bytes. */
export const MEDIA_RULES: Record<MediaType, MediaRule> = {
	image: { maxBytes: 10 * MB, formats: ['jpg', 'png'], label: 'Image: JPG or PNG, at most 10 MB' },
	voice: { maxBytes: 2 * MB, formats: ['amr'], label: 'Voice: AMR, at most 2 MB and 60 seconds' },
	video: { maxBytes: 10 * MB, formats: ['mp4'], label: 'Video: MP4, at most 10 MB' },
	file: { maxBytes: 20 * MB, formats: ['any'], label: 'File: any format, at most 20 MB' },
};

/** media/uploadimg: permanent image URLs for news and card pictures. */
export const PERMANENT_IMAGE_RULE: MediaRule = { maxBytes: 2 * MB, formats: ['jpg', 'png'], label: 'Image: JPG or PNG, at most 2 MB' };

export const MIN_MEDIA_BYTES = 6;

/** Recognises formats by their first bytes, not by file name, since binary data from HTTP often has none. */
export function sniffFormat(data: Buffer): MediaFormat | undefined {
	if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'jpg';
	if (data.length >= 8 && data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
	if (data.subarray(0, 5).toString('latin1') === '#!AMR') return 'amr';
	if (data.length >= 12 && data.subarray(4, 8).toString('latin1') === 'ftyp') return 'mp4';
	return undefined;
}

/** Checks size and format before any upload, so users learn the rule without a round trip. */
export function checkMediaFile(
	ctx: IExecuteFunctions,
	file: UploadFile,
	rule: MediaRule,
	itemIndex: number,
): void {
	const size = file.data.length;
	if (size < MIN_MEDIA_BYTES) {
		throw new NodeOperationError(ctx.getNode(), `The file "${file.filename}" is ${size} bytes; WeCom needs more than 5 bytes`, {
			itemIndex,
		});
	}
	if (size > rule.maxBytes) {
		throw new NodeOperationError(
			ctx.getNode(),
			`The file "${file.filename}" is ${(size / MB).toFixed(2)} MB; WeCom accepts at most ${rule.maxBytes / MB} MB here`,
			{ itemIndex, description: rule.label },
		);
	}
	if (!rule.formats.includes('any')) {
		const format = sniffFormat(file.data);
		if (!format || !rule.formats.includes(format)) {
			throw new NodeOperationError(
				ctx.getNode(),
				`The file "${file.filename}" is not ${rule.formats.map((f) => f.toUpperCase()).join(' or ')}${format ? ` (it looks like ${format.toUpperCase()})` : ''}`,
				{ itemIndex, description: rule.label },
			);
		}
	}
}

/** Reads an input binary property as an upload, keeping its file name and MIME type. */
export async function readBinaryFile(ctx: IExecuteFunctions, itemIndex: number, propertyName: string): Promise<UploadFile> {
	const name = propertyName.trim() || 'data';
	const meta = ctx.helpers.assertBinaryData(itemIndex, name);
	const data = await ctx.helpers.getBinaryDataBuffer(itemIndex, name);
	const extension = meta.fileExtension ? `.${meta.fileExtension}` : '';
	return {
		data,
		filename: meta.fileName ?? `${name}${extension}`,
		contentType: meta.mimeType || 'application/octet-stream',
	};
}

/** Uploads temporary media (valid 3 days) and returns WeCom's answer {type, media_id, created_at}. */
export async function uploadTemporaryMedia(
	ctx: IExecuteFunctions,
	type: MediaType,
	file: UploadFile,
	itemIndex: number,
): Promise<{ media_id: string; type: string; created_at: string }> {
	checkMediaFile(ctx, file, MEDIA_RULES[type], itemIndex);
	const answer = await weComApiRequest.call(ctx, {
		method: 'POST',
		endpoint: 'media/upload',
		qs: { type },
		upload: file,
		itemIndex,
	});
	return { media_id: String(answer.media_id), type: String(answer.type ?? type), created_at: String(answer.created_at ?? '') };
}

/** Uploads a permanent image (media/uploadimg) and returns its URL, for news articles and card pictures. */
export async function uploadPermanentImage(ctx: IExecuteFunctions, file: UploadFile, itemIndex: number): Promise<string> {
	checkMediaFile(ctx, file, PERMANENT_IMAGE_RULE, itemIndex);
	const answer = await weComApiRequest.call(ctx, { method: 'POST', endpoint: 'media/uploadimg', upload: file, itemIndex });
	return String(answer.url);
}

/**
 * The media source choice every media field offers: an existing media_id, or a binary property to upload first.
 * Returns the media_id to send.
 */
export async function resolveMediaId(
	ctx: IExecuteFunctions,
	itemIndex: number,
	type: MediaType,
	source: { source: 'mediaId' | 'binary'; mediaId?: string; binaryPropertyName?: string },
): Promise<{ mediaId: string; uploaded?: { media_id: string; created_at: string; filename: string } }> {
	if (source.source === 'mediaId') {
		const mediaId = String(source.mediaId ?? '').trim();
		if (!mediaId) {
			throw new NodeOperationError(ctx.getNode(), 'Media ID is required', {
				itemIndex,
				description: 'Give a media_id from a previous upload, or switch the source to a binary property.',
			});
		}
		return { mediaId };
	}
	const file = await readBinaryFile(ctx, itemIndex, source.binaryPropertyName ?? 'data');
	const answer = await uploadTemporaryMedia(ctx, type, file, itemIndex);
	return { mediaId: answer.media_id, uploaded: { media_id: answer.media_id, created_at: answer.created_at, filename: file.filename } };
}

/** Temporary media (media/upload, webhook/upload_media) stay valid for 3 days. */
export const TEMPORARY_MEDIA_LIFETIME_SECONDS = 3 * 24 * 60 * 60;

/** When temporary media uploaded at `createdAt` (unix seconds, as WeCom answers it) expire, in the same unit. */
export function mediaExpiresAt(createdAt: string | number): string {
	const seconds = Number(createdAt);
	return Number.isFinite(seconds) && seconds > 0 ? String(seconds + TEMPORARY_MEDIA_LIFETIME_SECONDS) : '';
}
