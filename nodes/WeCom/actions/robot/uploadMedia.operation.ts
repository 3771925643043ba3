import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { updateDisplayOptions } from '../../helpers/displayOptions';
import { mediaExpiresAt, readBinaryFile } from '../../helpers/media';
import { uploadRobotMedia, type RobotMediaType } from '../../helpers/robotMedia';

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
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the input binary field holding the file to upload',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'File Name',
				name: 'fileName',
				type: 'string',
				default: '',
				placeholder: 'report.pdf',
				description: 'Name shown in the group instead of the binary data\'s own file name',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['robot'], operation: ['uploadMedia'] } }, properties);

/** Uploads a file or voice recording for this robot; send its media_id later with Send → File/Voice → Media ID. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const type = this.getNodeParameter('robotMediaType', itemIndex) as RobotMediaType;
	const file = await readBinaryFile(this, itemIndex, this.getNodeParameter('binaryPropertyName', itemIndex, 'data') as string);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	if (typeof options.fileName === 'string' && options.fileName.trim()) file.filename = options.fileName.trim();
	const uploaded = await uploadRobotMedia(this, type, file, itemIndex);
	return [
		{
			json: {
				media_id: uploaded.media_id,
				type: uploaded.type,
				created_at: uploaded.created_at,
				expires_at: mediaExpiresAt(uploaded.created_at),
				filename: file.filename,
				size: file.data.length,
			},
		},
	];
}
