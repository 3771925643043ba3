import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { updateDisplayOptions } from '../../helpers/displayOptions';
import { templateJson } from '../../helpers/approval/template';
import { readLocator } from '../../helpers/resourceLocator';
import { loadTemplate, templateIdField } from './template';

export const description = updateDisplayOptions({ show: { resource: ['approval'], operation: ['getTemplate'] } }, [templateIdField]);

/** A template's controls (oa/gettemplatedetail) as clean JSON. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const templateId = readLocator(this, 'templateId', itemIndex, 'Template');
	return [{ json: templateJson(await loadTemplate(this, templateId, itemIndex)) }];
}
