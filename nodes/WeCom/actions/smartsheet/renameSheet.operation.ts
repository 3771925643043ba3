import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { updateDisplayOptions } from '../../helpers/displayOptions';
import { documentField, operationError, readSheetRef, sheetField, wedoc } from '../../helpers/smartsheet/api';

export const description = updateDisplayOptions({ show: { resource: ['smartsheet'], operation: ['renameSheet'] } }, [
	documentField,
	sheetField,
	{ displayName: 'New Title', name: 'title', type: 'string', default: '', required: true },
]);

/** smartsheet/update_sheet with a new title. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const { docid, sheetId } = readSheetRef(this, itemIndex);
	const title = String(this.getNodeParameter('title', itemIndex, '')).trim();
	if (!title) throw operationError(this, 'New Title is empty', itemIndex);
	await wedoc(this, 'smartsheet/update_sheet', { docid, properties: { sheet_id: sheetId, title } }, itemIndex);
	return [{ json: { docid, sheet_id: sheetId, title } }];
}
