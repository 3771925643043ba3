import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { UploadFile } from '../transport/multipart';
import { mediaExpiresAt, readBinaryFile } from './media';

/** The "File Name" option of every operation that uploads or downloads a file; `description` says whose name it replaces. */
export function fileNameOptions(description: string, placeholder = ''): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [{ displayName: 'File Name', name: 'fileName', type: 'string', default: '', placeholder, description }],
	};
}

/** Input binary field + File Name option, as the upload operations (app media, robot media) show them. */
export function uploadSourceProperties(fileNameDescription: string): INodeProperties[] {
	return [
		{
			displayName: 'Input Binary Field',
			name: 'binaryPropertyName',
			type: 'string',
			default: 'data',
			required: true,
			hint: 'The name of the input binary field holding the file to upload',
		},
		fileNameOptions(fileNameDescription, 'report.pdf'),
	];
}

/** The file an upload operation was given, renamed when the user set a File Name. */
export async function readUploadSource(ctx: IExecuteFunctions, itemIndex: number): Promise<UploadFile> {
	const file = await readBinaryFile(ctx, itemIndex, ctx.getNodeParameter('binaryPropertyName', itemIndex, 'data') as string);
	const name = fileNameOption(ctx, itemIndex);
	if (name) file.filename = name;
	return file;
}

export function fileNameOption(ctx: IExecuteFunctions, itemIndex: number): string {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	return typeof options.fileName === 'string' ? options.fileName.trim() : '';
}

/** What an upload outputs: WeCom's answer plus when the temporary media_id stops working. */
export function uploadedMediaJson(uploaded: { media_id: string; type: string; created_at: string }, file: UploadFile): IDataObject {
	return {
		media_id: uploaded.media_id,
		type: uploaded.type,
		created_at: uploaded.created_at,
		expires_at: mediaExpiresAt(uploaded.created_at),
		filename: file.filename,
		size: file.data.length,
	};
}
