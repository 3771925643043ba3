import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { updateDisplayOptions } from '../../helpers/displayOptions';
import { limited, readLimit, returnAllFields, toItems } from '../../helpers/listing';
import { documentField, readDocId, wedoc } from '../../helpers/smartsheet/api';

export const description = [
	...updateDisplayOptions({ show: { resource: ['smartsheet'], operation: ['getSheets'] } }, [documentField]),
	...returnAllFields('smartsheet', ['getSheets']),
];

/** smartsheet/get_sheet: one item per sheet (子表). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const docid = readDocId(this, itemIndex);
	const answer = await wedoc(this, 'smartsheet/get_sheet', { docid }, itemIndex);
	return toItems(limited((answer.sheet_list ?? []) as IDataObject[], readLimit(this, itemIndex)).map((sheet) => ({ docid, ...sheet })));
}
