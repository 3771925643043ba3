import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { updateDisplayOptions } from '../../helpers/displayOptions';
import { uploadRobotMedia, type RobotMediaType } from '../../helpers/robotMedia';
import { readUploadSource, uploadSourceProperties, uploadedMediaJson } from '../../helpers/uploadFields';

const properties: INodeProperties[] = [
	{
		displayName: 'Media Type',
		name: 'robotMediaType',
		type: 'options',
		options: [
			{ name: 'File (文件)', value: 'file', description: 'Any format, 5 bytes to 20 MB' },
			{ name: 'Voice (语音)', value: 'voice', description: 'AMR, at most 2 MB and 60 seconds' },
		],
		default: 'file',
	},
	...uploadSourceProperties("Name shown in the group instead of the binary data's own file name"),
];

export const description = updateDisplayOptions({ show: { resource: ['robot'], operation: ['uploadMedia'] } }, properties);

/** Uploads a file or voice recording for this robot; send its media_id later with Send → File/Voice → Media ID. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const type = this.getNodeParameter('robotMediaType', itemIndex) as RobotMediaType;
	const file = await readUploadSource(this, itemIndex);
	const uploaded = await uploadRobotMedia(this, type, file, itemIndex);
	return [{ json: uploadedMediaJson(uploaded, file) }];
}
