import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { updateDisplayOptions } from '../../helpers/displayOptions';
import { documentField, readDocId, wedoc } from '../../helpers/smartsheet/api';

export const description = updateDisplayOptions({ show: { resource: ['smartsheetDoc'], operation: ['delete'] } }, [documentField]);

/** wedoc/del_doc: only documents the app created. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const docid = readDocId(this, itemIndex);
	await wedoc(this, 'del_doc', { docid }, itemIndex);
	return [{ json: { docid, deleted: true } }];
}
