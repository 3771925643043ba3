import type { INodeProperties } from 'n8n-workflow';

import { SYNC_SECRET_HINT, readUserId, userLocator } from '../../helpers/contacts';
import { updateDisplayOptions } from '../../helpers/displayOptions';
import { callEndpoint } from '../../helpers/endpoint';

const properties: INodeProperties[] = [{ ...userLocator(), hint: `${SYNC_SECRET_HINT}. Also deletes the member's corp mailbox.` }];

export const description = updateDisplayOptions({ show: { resource: ['user'], operation: ['delete'] } }, properties);

/** Deletes a member (删除成员, user/delete). */
export const execute = callEndpoint({
	method: 'GET',
	endpoint: 'user/delete',
	request: (ctx, i) => ({ userid: readUserId(ctx, i) }),
	output: (_answer, request) => ({ userid: request.userid, deleted: true }),
});
