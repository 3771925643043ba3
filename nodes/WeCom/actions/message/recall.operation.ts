import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { updateDisplayOptions } from '../../helpers/displayOptions';
import { assertRequired } from '../../helpers/text';
import { weComApiRequest } from '../../transport';

const properties: INodeProperties[] = [
	{
		displayName: 'Message ID',
		name: 'msgid',
		type: 'string',
		default: '',
		required: true,
		placeholder: '={{ $json.msgid }}',
		description: 'The msgid from the output of Message → Send',
		hint: 'Only messages sent in the last 24 hours can be recalled, and only from the WeCom client (copies shown in WeChat stay)',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['message'], operation: ['recall'] } }, properties);

/** Recalls an app message (撤回应用消息, message/recall). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const msgid = String(this.getNodeParameter('msgid', itemIndex, '')).trim();
	assertRequired(this, 'Message ID', msgid, itemIndex);
	await weComApiRequest.call(this, { method: 'POST', endpoint: 'message/recall', body: { msgid }, itemIndex });
	return [{ json: { msgid, recalled: true } }];
}
