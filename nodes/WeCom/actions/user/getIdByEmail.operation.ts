import type { INodeProperties } from 'n8n-workflow';

import { READ_HINT } from '../../helpers/contacts';
import { updateDisplayOptions } from '../../helpers/displayOptions';
import { callEndpoint } from '../../helpers/endpoint';
import { assertRequired } from '../../helpers/text';

const properties: INodeProperties[] = [
	{ displayName: 'Email', name: 'email', type: 'string', placeholder: 'name@email.com', default: '', required: true, hint: READ_HINT },
	{
		displayName: 'Email Type',
		name: 'emailType',
		type: 'options',
		options: [
			{ name: 'Corp Email (企业邮箱)', value: 1 },
			{ name: 'Personal Email (个人邮箱)', value: 2 },
		],
		default: 1,
	},
];

export const description = updateDisplayOptions({ show: { resource: ['user'], operation: ['getIdByEmail'] } }, properties);

/** The user ID of an email address (邮箱获取userid, user/get_userid_by_email). */
export const execute = callEndpoint({
	method: 'POST',
	endpoint: 'user/get_userid_by_email',
	request: (ctx, i) => {
		const email = String(ctx.getNodeParameter('email', i, '')).trim();
		assertRequired(ctx, 'Email', email, i);
		return { email, email_type: Number(ctx.getNodeParameter('emailType', i, 1)) };
	},
	output: (answer, request) => ({ userid: answer.userid, email: request.email }),
});
