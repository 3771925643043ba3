import type { ILoadOptionsFunctions, INodeParameterResourceLocator, ResourceMapperFields } from 'n8n-workflow';

import { loadTemplate } from '../actions/approval/template';
import { mapperFields } from '../helpers/approval/mapper';

/** The resource mapper of Approval → Submit: the chosen template's controls with their types and required marks. */
export async function getApprovalControls(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	const locator = this.getNodeParameter('templateId', '') as INodeParameterResourceLocator | string;
	const templateId = String((typeof locator === 'object' && locator !== null ? locator.value : locator) ?? '').trim();
	if (!templateId) return { fields: [], emptyFieldsNotice: 'Enter the template ID first.' };
	try {
		const template = await loadTemplate(this, templateId);
		return { fields: mapperFields(template), emptyFieldsNotice: `Template "${template.name}" has no controls that take a value.` };
	} catch (error) {
		return { fields: [], emptyFieldsNotice: `Cannot read template ${templateId}: ${(error as Error).message}` };
	}
}
