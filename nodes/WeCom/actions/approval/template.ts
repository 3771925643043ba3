import type { IExecuteFunctions, ILoadOptionsFunctions, INodeProperties } from 'n8n-workflow';

import { parseTemplate, type ApprovalTemplate } from '../../helpers/approval/template';
import { weComApiRequest } from '../../transport';

/**
 * The template (审批模板) by ID: WeCom has no API that lists a self-built app's templates, so the ID is typed or
 * mapped. It is in the admin console (管理后台 → 应用管理 → 审批 → the template → the URL's templateId), or in
 * TemplateId of any approval callback / Get of an approval made with it.
 */
export const templateIdField: INodeProperties = {
	displayName: 'Template',
	name: 'templateId',
	type: 'resourceLocator',
	default: { mode: 'id', value: '' },
	required: true,
	description:
		'The approval template (审批模板). WeCom offers no list of templates: copy the ID from the admin console (应用管理 → 审批 → edit the template: templateId in the address bar), or take TemplateId from an approval callback.',
	hint: 'WeCom has no template list API; find the ID in 应用管理 → 审批 → the template (templateId in the URL)',
	modes: [
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: '3WLJF6naF5jhnXvwisuPmE85wVMYcy2DLtLaZwLV',
			validation: [{ type: 'regex', properties: { regex: '^[0-9A-Za-z_-]{8,}$', errorMessage: 'A template ID is a long string of letters and digits' } }],
		},
	],
};

/** Templates fetched during this node run, per template ID (one gettemplatedetail per template, not per item). */
const runCache = new WeakMap<object, Map<string, Promise<ApprovalTemplate>>>();

export async function loadTemplate(ctx: IExecuteFunctions | ILoadOptionsFunctions, templateId: string, itemIndex?: number): Promise<ApprovalTemplate> {
	let cache = runCache.get(ctx);
	if (!cache) {
		cache = new Map();
		runCache.set(ctx, cache);
	}
	let pending = cache.get(templateId);
	if (!pending) {
		pending = weComApiRequest
			.call(ctx, { method: 'POST', endpoint: 'oa/gettemplatedetail', body: { template_id: templateId }, itemIndex })
			.then((answer) => parseTemplate(templateId, answer));
		cache.set(templateId, pending);
		pending.catch(() => cache?.delete(templateId));
	}
	return await pending;
}
