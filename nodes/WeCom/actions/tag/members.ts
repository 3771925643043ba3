/** Add Members and Remove Members share their fields and their request (tag/addtagusers, tag/deltagusers). */
import type { INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { assertListSize, readIds, readNumericId, readNumericIds, tagLocator } from '../../helpers/contacts';
import { callEndpoint, type ItemExecute } from '../../helpers/endpoint';
import { splitPipeList } from '../../helpers/idList';

export const memberProperties: INodeProperties[] = [
	{ ...tagLocator(), hint: 'Only the app (or secret) that created the tag may change its members (else error 81011)' },
	{ displayName: 'User IDs', name: 'userIds', type: 'string', default: '', placeholder: 'zhangsan|lisi', description: 'Up to 1000 user IDs (array, or separated by |, commas or new lines)' },
	{ displayName: 'Department IDs', name: 'departmentIds', type: 'string', default: '', placeholder: '2,3', description: 'Up to 100 department IDs' },
];

export function memberChange(endpoint: 'tag/addtagusers' | 'tag/deltagusers'): ItemExecute {
	return callEndpoint({
		method: 'POST',
		endpoint,
		request: (ctx, i) => {
			const userlist = readIds(ctx, i, 'userIds');
			const partylist = readNumericIds(ctx, i, 'departmentIds', 'Department IDs');
			if (userlist.length + partylist.length === 0) throw new NodeOperationError(ctx.getNode(), 'Give at least one user or department', { itemIndex: i });
			assertListSize(ctx, i, 'User IDs', userlist, 1000);
			assertListSize(ctx, i, 'Department IDs', partylist, 100);
			return { tagid: readNumericId(ctx, i, 'tagId', 'Tag'), userlist, partylist };
		},
		// Partly invalid input still succeeds; WeCom names the rest.
		output: (answer, request) => ({
			tagid: request.tagid,
			invalidUsers: splitPipeList(answer.invalidlist),
			invalidDepartments: (answer.invalidparty ?? []) as number[],
		}),
	});
}
