import type { INodeProperties } from 'n8n-workflow';

import { updateDisplayOptions } from '../../helpers/displayOptions';
import { callEndpoint } from '../../helpers/endpoint';
import { assertRequired } from '../../helpers/text';

const properties: INodeProperties[] = [
	{ displayName: 'OpenID', name: 'openid', type: 'string', default: '', required: true, placeholder: 'oDjGHs-1yCnGrRovBj2yHij5JAAA', description: 'An openid of a member, e.g. from a WeChat Pay result' },
];

export const description = updateDisplayOptions({ show: { resource: ['user'], operation: ['convertToUserid'] } }, properties);

/** openid → user ID (openid转userid, user/convert_to_userid). */
export const execute = callEndpoint({
	method: 'POST',
	endpoint: 'user/convert_to_userid',
	request: (ctx, i) => {
		const openid = String(ctx.getNodeParameter('openid', i, '')).trim();
		assertRequired(ctx, 'OpenID', openid, i);
		return { openid };
	},
	output: (answer, request) => ({ openid: request.openid, userid: answer.userid }),
});
