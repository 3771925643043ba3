import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { updateDisplayOptions } from '../../helpers/displayOptions';
import { documentField, readDocId, wedoc } from '../../helpers/smartsheet/api';

export const description = updateDisplayOptions({ show: { resource: ['smartsheetDoc'], operation: ['get'] } }, [documentField]);

/** wedoc/get_doc_base_info plus the share link (wedoc/doc_share) and the sheets. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const docid = readDocId(this, itemIndex);
	const info = (await wedoc(this, 'get_doc_base_info', { docid }, itemIndex)).doc_base_info as IDataObject;
	const share = await wedoc(this, 'doc_share', { docid }, itemIndex);
	const sheets = await wedoc(this, 'smartsheet/get_sheet', { docid }, itemIndex);
	return [{ json: { ...info, share_url: share.share_url, sheets: (sheets.sheet_list ?? []) as IDataObject[] } }];
}
