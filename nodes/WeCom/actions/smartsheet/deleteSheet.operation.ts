import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { updateDisplayOptions } from '../../helpers/displayOptions';
import { documentField, readSheetRef, sheetField, wedoc } from '../../helpers/smartsheet/api';

export const description = updateDisplayOptions({ show: { resource: ['smartsheet'], operation: ['deleteSheet'] } }, [documentField, sheetField]);

/** smartsheet/delete_sheet: the sheet and all its records. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const { docid, sheetId } = readSheetRef(this, itemIndex);
	await wedoc(this, 'smartsheet/delete_sheet', { docid, sheet_id: sheetId }, itemIndex);
	return [{ json: { docid, sheet_id: sheetId, deleted: true } }];
}
