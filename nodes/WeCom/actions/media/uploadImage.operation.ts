import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { updateDisplayOptions } from '../../helpers/displayOptions';
import { PERMANENT_IMAGE_RULE, readBinaryFile, uploadPermanentImage } from '../../helpers/media';

const properties: INodeProperties[] = [
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the input binary field holding the image',
		description: `${PERMANENT_IMAGE_RULE.label}. The URL works in news articles and template card pictures.`,
	},
];

export const description = updateDisplayOptions({ show: { resource: ['media'], operation: ['uploadImage'] } }, properties);

/** Permanent image (media/uploadimg): answers a URL that does not expire, for news and card pictures. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const file = await readBinaryFile(this, itemIndex, this.getNodeParameter('binaryPropertyName', itemIndex, 'data') as string);
	const url = await uploadPermanentImage(this, file, itemIndex);
	return [{ json: { url, filename: file.filename, size: file.data.length } }];
}
