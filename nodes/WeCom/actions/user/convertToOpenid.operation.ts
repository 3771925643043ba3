import type { INodeProperties } from 'n8n-workflow';

import { readUserId, userLocator } from '../../helpers/contacts';
import { updateDisplayOptions } from '../../helpers/displayOptions';
import { callEndpoint } from '../../helpers/endpoint';

const properties: INodeProperties[] = [{ ...userLocator(), hint: 'The member must use WeCom through WeChat (else error 43004) and be in the app\'s visible range' }];

export const description = updateDisplayOptions({ show: { resource: ['user'], operation: ['convertToOpenid'] } }, properties);

/** user ID → openid (userid转openid, user/convert_to_openid), e.g. for WeChat Pay. */
export const execute = callEndpoint({
	method: 'POST',
	endpoint: 'user/convert_to_openid',
	request: (ctx, i) => ({ userid: readUserId(ctx, i) }),
	output: (answer, request) => ({ userid: request.userid, openid: answer.openid }),
});
