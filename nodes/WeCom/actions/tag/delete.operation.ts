import type { INodeProperties } from 'n8n-workflow';

import { readNumericId, tagLocator } from '../../helpers/contacts';
import { updateDisplayOptions } from '../../helpers/displayOptions';
import { callEndpoint } from '../../helpers/endpoint';

const properties: INodeProperties[] = [{ ...tagLocator(), hint: 'Only the app (or secret) that created the tag may delete it (else error 81011)' }];

export const description = updateDisplayOptions({ show: { resource: ['tag'], operation: ['delete'] } }, properties);

/** Deletes a tag (删除标签, tag/delete). */
export const execute = callEndpoint({
	method: 'GET',
	endpoint: 'tag/delete',
	request: (ctx, i) => ({ tagid: readNumericId(ctx, i, 'tagId', 'Tag') }),
	output: (_answer, request) => ({ tagid: request.tagid, deleted: true }),
});
