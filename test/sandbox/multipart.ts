/** A small multipart/form-data parser (WeCom's upload endpoints take one part named `media`). */
export interface MultipartPart {
	name: string;
	filename?: string;
	contentType: string;
	data: Buffer;
}

export function boundaryOf(contentType: string | undefined): string | undefined {
	if (!contentType || !/^multipart\/form-data/i.test(contentType)) return undefined;
	const match = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
	return match ? (match[1] ?? match[2]).trim() : undefined;
}

/** Parses the body; returns undefined when it is not well-formed multipart. */
export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] | undefined {
	const delimiter = Buffer.from(`--${boundary}`);
	const parts: MultipartPart[] = [];
	let position = body.indexOf(delimiter);
	if (position < 0) return undefined;
	for (;;) {
		position += delimiter.length;
		// `--` after a delimiter closes the body.
		if (body[position] === 0x2d && body[position + 1] === 0x2d) return parts;
		if (body[position] === 0x0d && body[position + 1] === 0x0a) position += 2;
		else return undefined;
		const headerEnd = body.indexOf('\r\n\r\n', position);
		if (headerEnd < 0) return undefined;
		const headers = parseHeaders(body.subarray(position, headerEnd).toString('utf8'));
		const contentStart = headerEnd + 4;
		const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), contentStart);
		if (next < 0) return undefined;
		const disposition = headers['content-disposition'] ?? '';
		const name = param(disposition, 'name');
		if (name === undefined) return undefined;
		parts.push({
			name,
			filename: filenameOf(disposition),
			contentType: headers['content-type'] ?? 'application/octet-stream',
			data: body.subarray(contentStart, next),
		});
		position = next + 2;
	}
}

function parseHeaders(text: string): Record<string, string> {
	const headers: Record<string, string> = {};
	for (const line of text.split('\r\n')) {
		const colon = line.indexOf(':');
		if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
	}
	return headers;
}

function param(header: string, key: string): string | undefined {
	const match = new RegExp(`(?:^|;)\\s*${key}\\s*=\\s*(?:"([^"]*)"|([^;]*))`, 'i').exec(header);
	return match ? (match[1] ?? match[2]).trim() : undefined;
}

/** filename*=UTF-8''… (RFC 5987) wins over filename="…" (raw UTF-8, as most clients send it). */
function filenameOf(disposition: string): string | undefined {
	const star = param(disposition, 'filename\\*');
	if (star) {
		const encoded = star.replace(/^[\w-]+'[^']*'/, '');
		try {
			return decodeURIComponent(encoded);
		} catch {
			return encoded;
		}
	}
	return param(disposition, 'filename');
}
