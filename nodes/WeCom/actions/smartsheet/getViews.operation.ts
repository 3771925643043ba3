import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { updateDisplayOptions } from '../../helpers/displayOptions';
import { collectPages, readLimit, returnAllFields, toItems } from '../../helpers/listing';
import { documentField, READ_PAGE, readSheetRef, sheetField, wedoc } from '../../helpers/smartsheet/api';

export const description = [
	...updateDisplayOptions({ show: { resource: ['smartsheet'], operation: ['getViews'] } }, [documentField, sheetField]),
	...returnAllFields('smartsheet', ['getViews']),
];

/** smartsheet/get_views, following offset pages (limit ≤ 1000). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const { docid, sheetId } = readSheetRef(this, itemIndex);
	const views = await collectPages<IDataObject>(
		async (cursor, limit) => {
			const answer = await wedoc(this, 'smartsheet/get_views', { docid, sheet_id: sheetId, offset: Number(cursor ?? 0), limit }, itemIndex);
			return { records: (answer.views ?? []) as IDataObject[], next: answer.has_more ? Number(answer.next) : undefined };
		},
		readLimit(this, itemIndex),
		READ_PAGE,
	);
	return toItems(views.map((view) => ({ docid, sheet_id: sheetId, ...view })));
}
