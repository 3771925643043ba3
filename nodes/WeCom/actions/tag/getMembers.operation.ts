import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { READ_HINT, readNumericId, tagLocator } from '../../helpers/contacts';
import { updateDisplayOptions } from '../../helpers/displayOptions';
import { listEndpoint } from '../../helpers/endpoint';
import { returnAllFields } from '../../helpers/listing';

const properties: INodeProperties[] = [{ ...tagLocator(), hint: `${READ_HINT}; members outside the visible range are left out` }, ...returnAllFields('tag', ['getMembers'], { maxLimit: 30000 })];

export const description = updateDisplayOptions({ show: { resource: ['tag'], operation: ['getMembers'] } }, properties);

/** A tag's members (获取标签成员, tag/get): one item per user ({type: 'user'}) and per department ({type: 'department'}). */
export const execute = listEndpoint({
	method: 'GET',
	endpoint: 'tag/get',
	request: (ctx, i) => ({ tagid: readNumericId(ctx, i, 'tagId', 'Tag') }),
	records: (answer, request) => {
		const tag = { tagid: request.tagid, tagname: answer.tagname };
		const users = ((answer.userlist ?? []) as IDataObject[]).map((user) => ({ ...tag, type: 'user', userid: user.userid, name: user.name }));
		const parties = ((answer.partylist ?? []) as number[]).map((id) => ({ ...tag, type: 'department', department: id }));
		return [...users, ...parties];
	},
});
