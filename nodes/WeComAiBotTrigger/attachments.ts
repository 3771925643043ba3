/**
 * Downloads the files of a message (URLs live 5 minutes), decrypts them and attaches them as n8n binary data:
 * `attachment_0`, `attachment_1` … in the order of `attachments`. A file that cannot be fetched or decrypted
 * is reported on its attachment entry (`error`), and the message still starts the workflow.
 */
import type { IBinaryKeyData, IDataObject, IHttpRequestOptions, INodeExecutionData } from 'n8n-workflow';

import type { Attachment } from '../shared/aibot/message';
import { decryptMedia } from '../shared/aibot/media';

export interface AttachmentHelpers {
	httpRequest(options: IHttpRequestOptions): Promise<unknown>;
	prepareBinaryData(data: Buffer, fileName?: string, mimeType?: string): Promise<IBinaryKeyData[string]>;
}

const EXTENSIONS: Record<string, string> = { image: 'jpg', video: 'mp4', file: 'bin' };

function fileNameFrom(disposition: unknown, fallback: string): string {
	const header = Array.isArray(disposition) ? String(disposition[0]) : typeof disposition === 'string' ? disposition : '';
	const encoded = /filename\*=UTF-8''([^;\s]+)/i.exec(header);
	if (encoded) {
		try {
			return decodeURIComponent(encoded[1]);
		} catch {
			// fall through
		}
	}
	const plain = /filename="?([^";]+)"?/i.exec(header);
	return plain ? plain[1].trim() : fallback;
}

function sniffMime(data: Buffer, type: string): string | undefined {
	if (data.length > 8 && data.readUInt32BE(0) === 0x89504e47) return 'image/png';
	if (data.length > 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'image/jpeg';
	if (data.length > 4 && data.subarray(0, 4).toString('latin1') === '%PDF') return 'application/pdf';
	if (data.length > 12 && data.subarray(4, 8).toString('latin1') === 'ftyp') return 'video/mp4';
	return type === 'image' ? 'image/jpeg' : undefined;
}

export async function attachFiles(
	helpers: AttachmentHelpers,
	item: IDataObject,
	fallbackKey: string | undefined,
): Promise<INodeExecutionData> {
	const attachments = (item.attachments ?? []) as unknown as Array<Attachment & IDataObject>;
	const binary: IBinaryKeyData = {};
	for (const [index, attachment] of attachments.entries()) {
		const property = `attachment_${index}`;
		const key = attachment.aeskey ?? fallbackKey;
		try {
			if (!key) throw new Error('no key to decrypt it (the message carried no aeskey)');
			const response = (await helpers.httpRequest({
				method: 'GET',
				url: attachment.url,
				encoding: 'arraybuffer',
				returnFullResponse: true,
				timeout: 60_000,
			})) as { body: Buffer | ArrayBuffer; headers: Record<string, unknown> };
			const encrypted = Buffer.isBuffer(response.body) ? response.body : Buffer.from(response.body);
			const data = decryptMedia(encrypted, key);
			const fileName = fileNameFrom(response.headers['content-disposition'], `${attachment.type}-${index}.${EXTENSIONS[attachment.type] ?? 'bin'}`);
			binary[property] = await helpers.prepareBinaryData(data, fileName, sniffMime(data, attachment.type));
			attachment.binaryProperty = property;
			attachment.fileName = fileName;
			attachment.size = data.length;
		} catch (error) {
			attachment.error = `could not fetch or decrypt the ${attachment.type}: ${(error as Error).message}`;
		}
		delete attachment.aeskey;
	}
	return Object.keys(binary).length > 0 ? { json: item, binary } : { json: item };
}
