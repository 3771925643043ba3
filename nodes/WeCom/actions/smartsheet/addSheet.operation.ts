import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { updateDisplayOptions } from '../../helpers/displayOptions';
import { documentField, readDocId, wedoc } from '../../helpers/smartsheet/api';

export const description = updateDisplayOptions({ show: { resource: ['smartsheet'], operation: ['addSheet'] } }, [
	documentField,
	{ displayName: 'Title', name: 'title', type: 'string', default: '', placeholder: '订单', description: 'Name of the new sheet; empty lets WeCom name it' },
	{
		displayName: 'Position',
		name: 'index',
		type: 'number',
		typeOptions: { minValue: -1 },
		default: -1,
		description: 'Where the sheet goes among the tabs, counting from 0; -1 puts it last',
	},
]);

/** smartsheet/add_sheet: a new, empty sheet. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const docid = readDocId(this, itemIndex);
	const title = String(this.getNodeParameter('title', itemIndex, '')).trim();
	const index = Number(this.getNodeParameter('index', itemIndex, -1));
	const properties: IDataObject = {};
	if (title) properties.title = title;
	if (index >= 0) properties.index = Math.floor(index);
	const answer = await wedoc(this, 'smartsheet/add_sheet', { docid, ...(Object.keys(properties).length ? { properties } : {}) }, itemIndex);
	return [{ json: { docid, ...((answer.properties ?? {}) as IDataObject) } }];
}
