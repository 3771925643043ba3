import { randomBytes } from 'node:crypto';

export interface UploadFile {
	data: Buffer;
	filename: string;
	contentType: string;
}

/**
 * Builds a multipart/form-data body with one file part, named `media` unless `field` says otherwise (WeCom's media
 * endpoints use `media`).
 * A plain Buffer (not a stream) so a retry after a token refresh can send it again.
 */
export function buildMediaMultipart(file: UploadFile, field = 'media'): { body: Buffer; contentType: string } {
	const name = field.replace(/["\r\n]/g, '_') || 'media';
	const boundary = `----n8nWeComKit${randomBytes(12).toString('hex')}`;
	const filename = file.filename.replace(/["\r\n]/g, '_');
	const head = Buffer.from(
		`--${boundary}\r\n` +
			`Content-Disposition: form-data; name="${name}"; filename="${filename}"; filelength=${file.data.length}\r\n` +
			`Content-Type: ${file.contentType || 'application/octet-stream'}\r\n\r\n`,
		'utf8',
	);
	const tail = Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8');
	return { body: Buffer.concat([head, file.data, tail]), contentType: `multipart/form-data; boundary=${boundary}` };
}
