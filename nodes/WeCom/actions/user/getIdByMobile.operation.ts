import type { INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { READ_HINT } from '../../helpers/contacts';
import { updateDisplayOptions } from '../../helpers/displayOptions';
import { callEndpoint } from '../../helpers/endpoint';

const properties: INodeProperties[] = [
	{
		displayName: 'Mobile',
		name: 'mobile',
		type: 'string',
		default: '',
		required: true,
		placeholder: '13800000000',
		description: 'The mobile number in the contacts (5-32 bytes)',
		hint: `${READ_HINT}. Many failed lookups (over 20% of the headcount) block lookups for a day.`,
	},
];

export const description = updateDisplayOptions({ show: { resource: ['user'], operation: ['getIdByMobile'] } }, properties);

/** The user ID of a mobile number (手机号获取userid, user/getuserid). */
export const execute = callEndpoint({
	method: 'POST',
	endpoint: 'user/getuserid',
	request: (ctx, i) => {
		const mobile = String(ctx.getNodeParameter('mobile', i, '')).trim();
		const bytes = Buffer.byteLength(mobile);
		if (bytes < 5 || bytes > 32) throw new NodeOperationError(ctx.getNode(), `Mobile "${mobile}" must be 5-32 bytes`, { itemIndex: i });
		return { mobile };
	},
	output: (answer, request) => ({ userid: answer.userid, mobile: request.mobile }),
});
