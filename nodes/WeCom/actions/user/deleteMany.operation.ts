import type { INodeProperties } from 'n8n-workflow';

import { SYNC_SECRET_HINT, assertListSize, readIds } from '../../helpers/contacts';
import { updateDisplayOptions } from '../../helpers/displayOptions';
import { callEndpoint } from '../../helpers/endpoint';

const properties: INodeProperties[] = [
	{
		displayName: 'User IDs',
		name: 'userIds',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'zhangsan|lisi',
		description: 'Up to 200 user IDs: an array, or separated by |, commas or new lines. If one does not exist, WeCom deletes none.',
		hint: SYNC_SECRET_HINT,
	},
];

export const description = updateDisplayOptions({ show: { resource: ['user'], operation: ['deleteMany'] } }, properties);

/** Deletes up to 200 members at once (批量删除成员, user/batchdelete). */
export const execute = callEndpoint({
	method: 'POST',
	endpoint: 'user/batchdelete',
	request: (ctx, i) => {
		const useridlist = readIds(ctx, i, 'userIds');
		assertListSize(ctx, i, 'User IDs', useridlist, 200, 1);
		return { useridlist };
	},
	output: (_answer, request) => ({ deleted: request.useridlist }),
});
