import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { readableApproval } from '../../helpers/approval/readable';
import { updateDisplayOptions } from '../../helpers/displayOptions';
import { weComApiRequest } from '../../transport';
import { spNoOf } from './spNo';

const fields: INodeProperties[] = [
	{
		displayName: 'Approval Number',
		name: 'spNo',
		type: 'string',
		default: '',
		required: true,
		placeholder: '202612020001',
		description: 'The approval number (审批编号, sp_no) from Submit, Get Many or the trigger (SpNo)',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['approval'], operation: ['get'] } }, fields);

/** One approval's detail (oa/getapprovaldetail), readable: status name, applicant, title → value, records, comments. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const spNo = spNoOf(this, itemIndex);
	const answer = await weComApiRequest.call(this, { method: 'POST', endpoint: 'oa/getapprovaldetail', body: { sp_no: spNo }, itemIndex });
	return [{ json: readableApproval((answer.info ?? {}) as IDataObject) }];
}
