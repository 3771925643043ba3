import type { INodeProperties } from 'n8n-workflow';

import { updateDisplayOptions } from '../../helpers/displayOptions';
import { callEndpoint, compact } from '../../helpers/endpoint';
import { assertMaxChars, assertRequired } from '../../helpers/text';

const properties: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'tagname',
		type: 'string',
		default: '',
		required: true,
		description: 'Unique in the company, up to 32 characters',
		hint: 'The tag belongs to the app (or secret) of this credential: only it may change the tag later',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [{ displayName: 'Tag ID', name: 'tagid', type: 'number', default: 1, description: 'Choose the new tag\'s ID; WeCom picks one otherwise' }],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['tag'], operation: ['create'] } }, properties);

/** Creates a tag (创建标签, tag/create). */
export const execute = callEndpoint({
	method: 'POST',
	endpoint: 'tag/create',
	request: (ctx, i) => {
		const tagname = String(ctx.getNodeParameter('tagname', i, '')).trim();
		assertRequired(ctx, 'Name', tagname, i);
		assertMaxChars(ctx, 'Name', tagname, 32, i);
		const extra = ctx.getNodeParameter('additionalFields', i, {}) as { tagid?: number };
		return compact({ tagname, tagid: extra.tagid });
	},
	output: (answer, request) => ({ tagid: answer.tagid, tagname: request.tagname }),
});
