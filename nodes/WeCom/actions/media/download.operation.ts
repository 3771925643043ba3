import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { updateDisplayOptions } from '../../helpers/displayOptions';
import { assertRequired } from '../../helpers/text';
import { fileNameOption, fileNameOptions } from '../../helpers/uploadFields';
import { weComApiDownload } from '../../transport';

const properties: INodeProperties[] = [
	{
		displayName: 'Media ID',
		name: 'mediaId',
		type: 'string',
		default: '',
		required: true,
		placeholder: '={{ $json.MediaId }}',
		description:
			"The media_id to download: from an upload, or the MediaId the WeCom Trigger outputs for images, voice, video and files users send to the app (valid 3 days)",
	},
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the output binary field to put the file in',
	},
	fileNameOptions("Name for the file instead of the one WeCom sends (voice arrives as AMR, e.g. 'voice.amr')"),
];

export const description = updateDisplayOptions({ show: { resource: ['media'], operation: ['download'] } }, properties);

/** Temporary media (media/get) into a binary field; the input item's JSON and binary fields are kept. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const mediaId = String(this.getNodeParameter('mediaId', itemIndex, '')).trim();
	assertRequired(this, 'Media ID', mediaId, itemIndex);
	const propertyName = String(this.getNodeParameter('binaryPropertyName', itemIndex, 'data')).trim() || 'data';

	const file = await weComApiDownload.call(this, { method: 'GET', endpoint: 'media/get', qs: { media_id: mediaId }, itemIndex });
	const override = fileNameOption(this, itemIndex);
	const mimeType = file.contentType.split(';')[0].trim();
	const fileName = override || file.filename || mediaId;
	// A generic type tells nothing: let n8n guess from the name or the bytes instead.
	const binary = await this.helpers.prepareBinaryData(
		file.data,
		fileName,
		mimeType && mimeType !== 'application/octet-stream' ? mimeType : undefined,
	);

	const input = this.getInputData()[itemIndex];
	return [
		{
			json: { ...input.json, media_id: mediaId, fileName: binary.fileName ?? fileName, mimeType: binary.mimeType, fileSize: file.data.length },
			binary: { ...(input.binary ?? {}), [propertyName]: binary },
		},
	];
}
