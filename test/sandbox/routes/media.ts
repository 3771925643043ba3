import { fail } from '../errors';
import type { MultipartPart } from '../multipart';
import type { MediaRecord } from '../state';
import { isAmr, isMp4, MB, sniffImage } from '../util';
import { appOf, ok, type Route, type RouteContext, type RouteResult } from './context';

/** The part named `media`, or 44001 (empty media). */
export function mediaPart(ctx: RouteContext): MultipartPart {
	const part = ctx.parts?.find((entry) => entry.name === 'media');
	if (!part) fail(44001, 'send a multipart/form-data body with a part named "media"');
	if (!part.filename) fail(44001, 'the "media" part needs a filename');
	return part;
}

/**
 * Temporary media rules (path 90253 / 96484): every file > 5 bytes (40006); image ≤ 10 MB JPG/PNG (40004 format,
 * 40009 size); voice ≤ 2 MB AMR (301017 format, 40006 size); video ≤ 10 MB MP4 (40004 format, 40011 size);
 * file ≤ 20 MB (40006). An unknown `type` is 40005.
 */
export function checkMediaRules(type: string, data: Buffer, allowed: string[]): void {
	if (!allowed.includes(type)) fail(40005, `type must be one of ${allowed.join(', ')}`);
	if (data.length <= 5) fail(40006, 'files must be larger than 5 bytes');
	switch (type) {
		case 'image':
			if (!sniffImage(data)) fail(40004, 'images must be JPG or PNG');
			if (data.length > 10 * MB) fail(40009, 'images are limited to 10 MB');
			break;
		case 'voice':
			if (!isAmr(data)) fail(301017, 'voice must be AMR');
			if (data.length > 2 * MB) fail(40006, 'voice is limited to 2 MB');
			break;
		case 'video':
			if (!isMp4(data)) fail(40004, 'video must be MP4');
			if (data.length > 10 * MB) fail(40011, 'video is limited to 10 MB');
			break;
		case 'file':
			if (data.length > 20 * MB) fail(40006, 'files are limited to 20 MB');
			break;
	}
}

export function uploadAnswer(record: MediaRecord): RouteResult {
	// WeCom sends created_at as a string of Unix seconds.
	return ok({ type: record.type, media_id: record.mediaId, created_at: String(Math.floor(record.createdAt / 1000)) });
}

const upload: Route = {
	needsToken: true,
	handle(ctx) {
		const type = ctx.query.type ?? '';
		if (!['image', 'voice', 'video', 'file'].includes(type)) fail(40005, 'type must be image, voice, video or file');
		const part = mediaPart(ctx);
		checkMediaRules(type, part.data, ['image', 'voice', 'video', 'file']);
		const record = ctx.store.storeMedia({
			type,
			filename: part.filename ?? 'media',
			contentType: part.contentType,
			data: Buffer.from(part.data),
			corpId: appOf(ctx).corpId,
		});
		return uploadAnswer(record);
	},
};

/** uploadimg: JPG/PNG, 5 B – 2 MB, answers a permanent URL served by the sandbox under /media-cdn/. */
const uploadimg: Route = {
	needsToken: true,
	handle(ctx) {
		const part = mediaPart(ctx);
		if (part.data.length <= 5) fail(40006, 'files must be larger than 5 bytes');
		const format = sniffImage(part.data);
		if (!format) fail(40004, 'images must be JPG or PNG');
		if (part.data.length > 2 * MB) fail(40009, 'images for uploadimg are limited to 2 MB');
		const record = ctx.store.storeMedia({
			type: 'image',
			permanent: true,
			filename: part.filename ?? `image.${format}`,
			contentType: format === 'png' ? 'image/png' : 'image/jpeg',
			data: Buffer.from(part.data),
			corpId: appOf(ctx).corpId,
		});
		return ok({ url: `${ctx.baseUrl}/media-cdn/${record.mediaId}.${format}` });
	},
};

/** Binary answer with WeCom's headers; Range requests get 206 like the real media/get. */
export function binaryAnswer(record: MediaRecord, range: string | undefined): RouteResult {
	const ascii = record.filename.replace(/[^\x20-\x7e]/g, '_').replace(/"/g, '_');
	const headers: Record<string, string> = {
		'Content-Type': record.contentType,
		'Content-Disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(record.filename)}`,
		'Accept-Ranges': 'bytes',
	};
	const match = range ? /^bytes=(\d*)-(\d*)$/.exec(range.trim()) : null;
	if (match && (match[1] || match[2])) {
		const size = record.data.length;
		const start = match[1] ? Number(match[1]) : Math.max(0, size - Number(match[2]));
		const end = match[1] && match[2] ? Math.min(Number(match[2]), size - 1) : size - 1;
		if (start >= size || start > end) {
			return { kind: 'binary', status: 416, headers: { 'Content-Range': `bytes */${size}` }, data: Buffer.alloc(0) };
		}
		headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
		return { kind: 'binary', status: 206, headers, data: record.data.subarray(start, end + 1) };
	}
	return { kind: 'binary', status: 200, headers, data: record.data };
}

/** media/get: the bytes, or JSON 40007 for an unknown/expired media_id. */
const get: Route = {
	needsToken: true,
	handle(ctx) {
		const mediaId = ctx.query.media_id;
		if (!mediaId) fail(40007, 'media_id missing');
		const record = ctx.store.findMedia(mediaId, { corpId: appOf(ctx).corpId });
		if (!record) fail(40007, `media_id "${mediaId}" does not exist or expired (3 days)`);
		return binaryAnswer(record, ctx.range);
	},
};

export const mediaRoutes: Record<string, Route> = {
	'/cgi-bin/media/upload': upload,
	'/cgi-bin/media/uploadimg': uploadimg,
	'/cgi-bin/media/get': get,
};
