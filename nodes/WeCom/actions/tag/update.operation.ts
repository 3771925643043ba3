import type { INodeProperties } from 'n8n-workflow';

import { readNumericId, tagLocator } from '../../helpers/contacts';
import { updateDisplayOptions } from '../../helpers/displayOptions';
import { callEndpoint } from '../../helpers/endpoint';
import { assertMaxChars, assertRequired } from '../../helpers/text';

const properties: INodeProperties[] = [
	{ ...tagLocator(), hint: 'Only the app (or secret) that created the tag may rename it (else error 81011)' },
	{ displayName: 'New Name', name: 'tagname', type: 'string', default: '', required: true, description: 'Unique in the company, up to 32 characters' },
];

export const description = updateDisplayOptions({ show: { resource: ['tag'], operation: ['update'] } }, properties);

/** Renames a tag (更新标签名字, tag/update). */
export const execute = callEndpoint({
	method: 'POST',
	endpoint: 'tag/update',
	request: (ctx, i) => {
		const tagname = String(ctx.getNodeParameter('tagname', i, '')).trim();
		assertRequired(ctx, 'New Name', tagname, i);
		assertMaxChars(ctx, 'New Name', tagname, 32, i);
		return { tagid: readNumericId(ctx, i, 'tagId', 'Tag'), tagname };
	},
	output: (_answer, request) => ({ tagid: request.tagid, tagname: request.tagname, updated: true }),
});
