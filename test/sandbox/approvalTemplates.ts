/**
 * The sandbox's approval templates (审批模板), as `oa/gettemplatedetail` describes them (page 91982): an expense
 * claim with one control of nearly every type, and a leave request with a Vacation control. Template IDs are opaque
 * strings like WeCom's.
 */

export interface TemplateControl {
	control: string;
	id: string;
	title: string;
	titleEn: string;
	require: boolean;
	placeholder?: string;
	config?: Record<string, unknown>;
}

export interface TemplateProcessNode {
	/** 1 approver (审批人), 2 cc (抄送人), 3 handler (办理人). */
	type: 1 | 2 | 3;
	/** 1 会签 (all), 2 或签 (any), 3 依次 (in order); approver and handler nodes only. */
	apvRel?: 1 | 2 | 3;
	userids: string[];
}

export interface ApprovalTemplate {
	templateId: string;
	name: string;
	nameEn: string;
	controls: TemplateControl[];
	/** The flow set in the admin console, used with use_template_approver = 1. */
	process: TemplateProcessNode[];
}

export const EXPENSE_TEMPLATE_ID = '3WLJF6naF5jhnXvwisuPmE85wVMYcy2DLtLaZwLV';
export const LEAVE_TEMPLATE_ID = 'C4NxJWFSBcpLmYNKXhpjBnQ5yMzhuWiHXEqj5SHf';
/** The control types the other two lack: Date with time, DateRange without config, Attendance, BankAccount, Formula. */
export const TRIP_TEMPLATE_ID = 'Bt7QmWcXr2LpV9sHn4KdJfY6aZu3GeTo8NiMxRb5';

const selector = (type: 'single' | 'multi', options: Array<[string, string, string]>) => ({
	selector: {
		type,
		options: options.map(([key, zh, en]) => ({ key, value: [{ text: zh, lang: 'zh_CN' }, { text: en, lang: 'en' }] })),
	},
});

const expenseItemControls: TemplateControl[] = [
	{ control: 'Text', id: 'Text-1700000012001', title: '费用项目', titleEn: 'Item', require: true },
	{ control: 'Money', id: 'Money-1700000012002', title: '金额', titleEn: 'Amount', require: true },
];

export const APPROVAL_TEMPLATES: ApprovalTemplate[] = [
	{
		templateId: EXPENSE_TEMPLATE_ID,
		name: '报销申请',
		nameEn: 'Expense claim',
		controls: [
			{ control: 'Text', id: 'Text-1700000000001', title: '报销事由', titleEn: 'Reason', require: true, placeholder: '请输入' },
			{ control: 'Textarea', id: 'Textarea-1700000000002', title: '详细说明', titleEn: 'Details', require: false },
			{ control: 'Number', id: 'Number-1700000000003', title: '票据张数', titleEn: 'Receipt count', require: false },
			{ control: 'Money', id: 'Money-1700000000004', title: '报销金额', titleEn: 'Amount', require: true },
			{ control: 'Date', id: 'Date-1700000000005', title: '发生日期', titleEn: 'Date', require: true, config: { date: { type: 'day' } } },
			{ control: 'DateRange', id: 'DateRange-1700000000006', title: '出差时间', titleEn: 'Trip', require: false, config: { date_range: { type: 'hour' } } },
			{
				control: 'Selector',
				id: 'Selector-1700000000007',
				title: '费用类型',
				titleEn: 'Expense type',
				require: true,
				config: selector('single', [
					['option-1700000000071', '交通', 'Transport'],
					['option-1700000000072', '住宿', 'Hotel'],
					['option-1700000000073', '餐饮', 'Meals'],
				]),
			},
			{
				control: 'Selector',
				id: 'Selector-1700000000008',
				title: '标签',
				titleEn: 'Tags',
				require: false,
				config: selector('multi', [
					['option-1700000000081', '客户', 'Customer'],
					['option-1700000000082', '项目', 'Project'],
					['option-1700000000083', '培训', 'Training'],
				]),
			},
			{ control: 'Contact', id: 'Contact-1700000000009', title: '同行人', titleEn: 'Companions', require: false, config: { contact: { type: 'multi', mode: 'user' } } },
			{
				control: 'Contact',
				id: 'Contact-1700000000010',
				title: '费用承担部门',
				titleEn: 'Cost department',
				require: false,
				config: { contact: { type: 'single', mode: 'department' } },
			},
			{ control: 'File', id: 'File-1700000000011', title: '附件', titleEn: 'Receipts', require: false },
			{
				control: 'Table',
				id: 'Table-1700000000012',
				title: '费用明细',
				titleEn: 'Items',
				require: false,
				config: { table: { children: expenseItemControls.map(toTemplateJson) } },
			},
			{ control: 'Location', id: 'Location-1700000000013', title: '地点', titleEn: 'Location', require: false },
			{ control: 'RelatedApproval', id: 'RelatedApproval-1700000000014', title: '关联审批单', titleEn: 'Related approvals', require: false },
			{ control: 'Tips', id: 'Tips-1700000000015', title: '说明', titleEn: 'Note', require: false, config: { tips: { tips_content: [] } } },
		],
		process: [
			{ type: 1, apvRel: 2, userids: ['lisi'] },
			{ type: 2, userids: ['zhaoliu'] },
		],
	},
	{
		templateId: LEAVE_TEMPLATE_ID,
		name: '请假',
		nameEn: 'Leave',
		controls: [
			{
				control: 'Vacation',
				id: 'vacation-1700000100001',
				title: '请假类型',
				titleEn: 'Leave type',
				require: true,
				config: {
					vacation_list: {
						item: [
							{ id: 1, name: [{ text: '年假', lang: 'zh_CN' }] },
							{ id: 2, name: [{ text: '事假', lang: 'zh_CN' }] },
							{ id: 3, name: [{ text: '病假', lang: 'zh_CN' }] },
						],
					},
				},
			},
			{ control: 'Textarea', id: 'Textarea-1700000100002', title: '请假事由', titleEn: 'Reason', require: true },
		],
		process: [{ type: 1, apvRel: 1, userids: ['lisi', 'wangwu'] }],
	},
	{
		templateId: TRIP_TEMPLATE_ID,
		name: '出差',
		nameEn: 'Business trip',
		controls: [
			{ control: 'Date', id: 'Date-1700000200001', title: '出发时间', titleEn: 'Departure', require: true, config: { date: { type: 'hour' } } },
			// Page 91982 lists no config for DateRange (templates made in the console): the unit is not in the template.
			{ control: 'DateRange', id: 'DateRange-1700000200002', title: '行程', titleEn: 'Trip', require: true },
			{ control: 'Attendance', id: 'Attendance-1700000200003', title: '出差时间', titleEn: 'Trip time', require: false, config: { attendance: { date_range: { type: 'halfday' }, type: 3 } } },
			{ control: 'BankAccount', id: 'BankAccount-1700000200004', title: '收款账户', titleEn: 'Bank account', require: false },
			{ control: 'Formula', id: 'Formula-1700000200005', title: '合计', titleEn: 'Total', require: false },
			{ control: 'Number', id: 'Number-1700000200006', title: '人数', titleEn: 'Travellers', require: false },
		],
		process: [{ type: 1, apvRel: 2, userids: ['lisi'] }],
	},
];

/** Sub-controls of a Table control. */
export const TABLE_CHILDREN: Record<string, TemplateControl[]> = { 'Table-1700000000012': expenseItemControls };

function toTemplateJson(control: TemplateControl): Record<string, unknown> {
	return {
		property: {
			control: control.control,
			id: control.id,
			title: [
				{ text: control.title, lang: 'zh_CN' },
				{ text: control.titleEn, lang: 'en' },
			],
			placeholder: [{ text: control.placeholder ?? '', lang: 'zh_CN' }],
			require: control.require ? 1 : 0,
			un_print: 0,
		},
		...(control.config ? { config: control.config } : {}),
	};
}

/** The gettemplatedetail answer for a template. */
export function templateDetail(template: ApprovalTemplate): Record<string, unknown> {
	return {
		template_names: [
			{ text: template.name, lang: 'zh_CN' },
			{ text: template.nameEn, lang: 'en' },
		],
		template_content: { controls: template.controls.map(toTemplateJson) },
	};
}

export function titleJson(control: TemplateControl): Array<{ text: string; lang: string }> {
	return [
		{ text: control.title, lang: 'zh_CN' },
		{ text: control.titleEn, lang: 'en' },
	];
}
