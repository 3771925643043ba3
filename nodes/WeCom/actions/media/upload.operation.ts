import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { updateDisplayOptions } from '../../helpers/displayOptions';
import { MEDIA_RULES, uploadTemporaryMedia, type MediaType } from '../../helpers/media';
import { readUploadSource, uploadSourceProperties, uploadedMediaJson } from '../../helpers/uploadFields';

const properties: INodeProperties[] = [
	{
		displayName: 'Media Type',
		name: 'mediaType',
		type: 'options',
		options: [
			{ name: 'File (文件)', value: 'file', description: MEDIA_RULES.file.label },
			{ name: 'Image (图片)', value: 'image', description: MEDIA_RULES.image.label },
			{ name: 'Video (视频)', value: 'video', description: MEDIA_RULES.video.label },
			{ name: 'Voice (语音)', value: 'voice', description: MEDIA_RULES.voice.label },
		],
		default: 'image',
		description: 'What the media_id will be sent as; the node checks size and format before uploading',
	},
	...uploadSourceProperties("Name recipients see, instead of the binary data's own file name"),
];

export const description = updateDisplayOptions({ show: { resource: ['media'], operation: ['upload'] } }, properties);

/** Temporary media (临时素材, media/upload): the media_id works for 3 days in messages of the same app. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const type = this.getNodeParameter('mediaType', itemIndex) as MediaType;
	const file = await readUploadSource(this, itemIndex);
	const uploaded = await uploadTemporaryMedia(this, type, file, itemIndex);
	return [{ json: uploadedMediaJson(uploaded, file) }];
}
