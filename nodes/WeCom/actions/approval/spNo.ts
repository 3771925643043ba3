import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** The approval number of this item: digits, as WeCom writes them (e.g. 202612020001). */
export function spNoOf(ctx: IExecuteFunctions, itemIndex: number): string {
	const spNo = String(ctx.getNodeParameter('spNo', itemIndex, '') ?? '').trim();
	if (!/^\d{6,}$/.test(spNo)) {
		throw new NodeOperationError(ctx.getNode(), spNo ? `"${spNo}" is not an approval number` : 'Approval Number is empty', {
			itemIndex,
			description: 'An approval number (审批编号) is a string of digits like 202612020001: map {{ $json.sp_no }} or the trigger\'s {{ $json.approval.spNo }}.',
		});
	}
	return spNo;
}
