import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { updateDisplayOptions } from '../../helpers/displayOptions';
import { idList, operationError, SMARTSHEET_DOC_TYPE, wedoc } from '../../helpers/smartsheet/api';

const properties: INodeProperties[] = [
	{
		displayName: 'Document Name',
		name: 'docName',
		type: 'string',
		default: '',
		required: true,
		placeholder: '订单跟踪',
		description: 'Up to 255 characters',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Admin User IDs',
				name: 'adminUsers',
				type: 'string',
				default: '',
				placeholder: 'zhangsan|lisi',
				description: 'Members who become administrators (文档管理员) of the document, separated by | or commas',
			},
			{
				displayName: 'Folder ID',
				name: 'folderId',
				type: 'string',
				default: '',
				description: 'The folder (fatherid) inside the space; needs Space ID. Empty: the space\'s root.',
			},
			{
				displayName: 'Space ID',
				name: 'spaceId',
				type: 'string',
				default: '',
				description: 'Create the document in this WeDrive space (微盘空间, spaceid) instead of the app\'s own documents',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['smartsheetDoc'], operation: ['create'] } }, properties);

/** wedoc/create_doc with doc_type 10; answers the docid, the link and the new document's sheets. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const docName = String(this.getNodeParameter('docName', itemIndex, '')).trim();
	if (!docName) throw operationError(this, 'Document Name is empty', itemIndex);
	if (Array.from(docName).length > 255) throw operationError(this, `Document Name has ${Array.from(docName).length} characters; WeCom allows at most 255`, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const body: IDataObject = { doc_type: SMARTSHEET_DOC_TYPE, doc_name: docName };
	const spaceId = String(options.spaceId ?? '').trim();
	const folderId = String(options.folderId ?? '').trim();
	if (folderId && !spaceId) throw operationError(this, 'Folder ID needs a Space ID', itemIndex, 'A folder (fatherid) belongs to a space (spaceid): fill in both.');
	if (spaceId) body.spaceid = spaceId;
	if (folderId) body.fatherid = folderId;
	const admins = idList(options.adminUsers);
	if (admins.length) body.admin_users = admins;
	const answer = await wedoc(this, 'create_doc', body, itemIndex);
	const docid = String(answer.docid);
	const sheets = await wedoc(this, 'smartsheet/get_sheet', { docid }, itemIndex);
	return [{ json: { docid, url: answer.url, doc_name: docName, doc_type: SMARTSHEET_DOC_TYPE, sheets: (sheets.sheet_list ?? []) as IDataObject[] } }];
}
