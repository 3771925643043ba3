/**
 * The numbers WeCom uses for approvals (审批), with their Chinese and English names, shared by the WeCom node
 * (getapprovaldetail) and the WeCom Trigger (sys_approval_change). Pages 91983 and 91815.
 */

export interface NamedCode {
	code: number;
	zh: string;
	en: string;
}

/** Application status (审批申请状态, sp_status / SpStatus). */
export const APPROVAL_STATUSES: readonly NamedCode[] = [
	{ code: 1, zh: '审批中', en: 'In progress' },
	{ code: 2, zh: '已通过', en: 'Approved' },
	{ code: 3, zh: '已驳回', en: 'Rejected' },
	{ code: 4, zh: '已撤销', en: 'Revoked' },
	{ code: 6, zh: '通过后撤销', en: 'Revoked after approval' },
	{ code: 7, zh: '已删除', en: 'Deleted' },
	{ code: 10, zh: '已支付', en: 'Paid' },
];

/** Status of an approval node or of one approver in it (sp_record sp_status, SpRecord SpStatus, sp_yj). */
export const NODE_STATUSES: readonly NamedCode[] = [
	{ code: 1, zh: '审批中', en: 'Pending' },
	{ code: 2, zh: '已同意', en: 'Agreed' },
	{ code: 3, zh: '已驳回', en: 'Rejected' },
	{ code: 4, zh: '已转审', en: 'Forwarded' },
	{ code: 11, zh: '已退回', en: 'Returned' },
	{ code: 12, zh: '已加签', en: 'Approver added' },
	{ code: 13, zh: '已同意并加签', en: 'Agreed and approver added' },
	{ code: 14, zh: '已办理', en: 'Handled' },
	{ code: 15, zh: '已转交', en: 'Transferred' },
];

/** What happened (StatuChangeEvent of sys_approval_change). */
export const CHANGE_EVENTS: readonly NamedCode[] = [
	{ code: 1, zh: '提单', en: 'Submitted' },
	{ code: 2, zh: '同意', en: 'Agreed' },
	{ code: 3, zh: '驳回', en: 'Rejected' },
	{ code: 4, zh: '转审', en: 'Forwarded' },
	{ code: 5, zh: '催办', en: 'Reminded' },
	{ code: 6, zh: '撤销', en: 'Revoked' },
	{ code: 8, zh: '通过后撤销', en: 'Revoked after approval' },
	{ code: 10, zh: '添加备注', en: 'Commented' },
	{ code: 11, zh: '回退给指定审批人', en: 'Returned' },
	{ code: 12, zh: '添加审批人', en: 'Approver added' },
	{ code: 13, zh: '加签并同意', en: 'Approver added and agreed' },
	{ code: 14, zh: '已办理', en: 'Handled' },
	{ code: 15, zh: '已转交', en: 'Transferred' },
];

/** "已通过 (Approved)", "unknown (9)" for a code WeCom adds later, null when there is no code. */
export function codeName(table: readonly NamedCode[], code: unknown): string | null {
	if (code === undefined || code === null || code === '') return null;
	const entry = table.find((candidate) => candidate.code === Number(code));
	return entry ? `${entry.zh} (${entry.en})` : `unknown (${String(code)})`;
}

/** Approver relation of a node (apv_rel / ApvRel): 1 会签 all, 2 或签 any, 3 依次 in order. */
export function approverRelationName(code: unknown): string {
	switch (Number(code)) {
		case 1:
			return '会签 (all must agree)';
		case 2:
			return '或签 (any one)';
		case 3:
			return '依次 (one after another)';
		default:
			return `unknown (${String(code)})`;
	}
}
