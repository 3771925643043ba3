import type { INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { assertListSize, readIds, readNumericIds } from '../../helpers/contacts';
import { updateDisplayOptions } from '../../helpers/displayOptions';
import { callEndpoint } from '../../helpers/endpoint';

const list = (displayName: string, name: string, placeholder: string, description: string): INodeProperties => ({
	displayName,
	name,
	type: 'string',
	default: '',
	placeholder,
	description,
});

const properties: INodeProperties[] = [
	list('User IDs', 'userIds', 'zhangsan|lisi', 'Up to 1000 user IDs (array, or separated by |, commas or new lines)'),
	list('Department IDs', 'departmentIds', '2,3', 'Up to 100 department IDs'),
	list('Tag IDs', 'tagIds', '1', 'Up to 100 tag IDs'),
];

export const description = updateDisplayOptions({ show: { resource: ['user'], operation: ['invite'] } }, properties);

/** Invites members to WeCom (邀请成员, batch/invite); the invalid ones come back as lists. */
export const execute = callEndpoint({
	method: 'POST',
	endpoint: 'batch/invite',
	request: (ctx, i) => {
		const user = readIds(ctx, i, 'userIds');
		const party = readNumericIds(ctx, i, 'departmentIds', 'Department IDs');
		const tag = readNumericIds(ctx, i, 'tagIds', 'Tag IDs');
		if (user.length + party.length + tag.length === 0) throw new NodeOperationError(ctx.getNode(), 'Give at least one user, department or tag to invite', { itemIndex: i });
		assertListSize(ctx, i, 'User IDs', user, 1000);
		assertListSize(ctx, i, 'Department IDs', party, 100);
		assertListSize(ctx, i, 'Tag IDs', tag, 100);
		return { user, party, tag };
	},
	output: (answer) => ({ invaliduser: answer.invaliduser ?? [], invalidparty: answer.invalidparty ?? [], invalidtag: answer.invalidtag ?? [] }),
});
