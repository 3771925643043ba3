/**
 * Approval (审批) through n8n's real engine against the sandbox: Get Template, the resource mapper's fields, Submit
 * with every control type (binary attachments uploaded first) and every kind of bad value refused before the
 * network, the sandbox's own checks (WeCom's 3010xx errcodes), Get Many over 31-day windows with cursors, and Get.
 */
import type { ILoadOptionsFunctions, ResourceMapperFields } from 'n8n-workflow';

import { EXPENSE_TEMPLATE_ID, LEAVE_TEMPLATE_ID, TRIP_TEMPLATE_ID } from '../sandbox';
import { WeCom } from '../../nodes/WeCom/WeCom.node';
import { SAMPLE_FILES, inputItem, useWeComTestBed } from './kit';

const TZ = 'Asia/Shanghai';
const C = {
	reason: 'Text-1700000000001',
	details: 'Textarea-1700000000002',
	count: 'Number-1700000000003',
	amount: 'Money-1700000000004',
	date: 'Date-1700000000005',
	trip: 'DateRange-1700000000006',
	type: 'Selector-1700000000007',
	tags: 'Selector-1700000000008',
	companions: 'Contact-1700000000009',
	department: 'Contact-1700000000010',
	files: 'File-1700000000011',
	items: 'Table-1700000000012',
	location: 'Location-1700000000013',
	related: 'RelatedApproval-1700000000014',
};

const mapper = (value: Record<string, unknown>) => ({ mappingMode: 'defineBelow', value, matchingColumns: [], schema: [], attemptToConvertTypes: false, convertFieldsToString: false });
const minimal = { [C.reason]: 'Client visit', [C.amount]: 35, [C.date]: '2026-12-01', [C.type]: '交通' };
const leaveWith = (vacation: unknown) => ({
	templateId: { __rl: true, mode: 'id', value: LEAVE_TEMPLATE_ID },
	controls: mapper({ 'vacation-1700000100001': vacation, 'Textarea-1700000100002': 'x' }),
});
const tripWith = (values: Record<string, unknown>) => ({
	templateId: { __rl: true, mode: 'id', value: TRIP_TEMPLATE_ID },
	controls: mapper({ 'Date-1700000200001': '2026-12-01 09:30', 'DateRange-1700000200002': '2026-12-01 ~ 2026-12-02', ...values }),
});

describe('WeCom node: Approval (审批)', () => {
	const bed = useWeComTestBed('approval');
	const { run } = bed;

	const submitParams = (values: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
		operation: 'submit',
		templateId: { __rl: true, mode: 'id', value: EXPENSE_TEMPLATE_ID },
		controls: mapper(values),
		creatorUserId: 'zhangsan',
		submitOptions: { timeZone: TZ },
		...extra,
	});
	const applied = () => bed.sandbox.requestsTo('/cgi-bin/oa/applyevent').map((request) => request.json as Record<string, unknown>);

	async function ok(parameters: Record<string, unknown>, items?: unknown[]) {
		const result = await run(parameters, items);
		expect(result.error).toBeUndefined();
		return result.output('WeCom').map((item) => item.json);
	}

	async function submit(values: Record<string, unknown> = minimal, extra: Record<string, unknown> = {}, items?: unknown[]): Promise<string> {
		const [json] = await ok(submitParams(values, extra), items);
		return String(json.sp_no);
	}

	it('gets a template as clean JSON', async () => {
		const [json] = await ok({ operation: 'getTemplate', templateId: { __rl: true, mode: 'id', value: EXPENSE_TEMPLATE_ID } });
		expect(json.name).toBe('报销申请');
		const controls = json.controls as Array<Record<string, unknown>>;
		expect(controls.map((control) => control.type)).toEqual([
			'Text', 'Textarea', 'Number', 'Money', 'Date', 'DateRange', 'Selector', 'Selector', 'Contact', 'Contact', 'File', 'Table', 'Location', 'RelatedApproval', 'Tips',
		]);
		expect(controls[0]).toMatchObject({ id: C.reason, type: 'Text', title: '报销事由', required: true });
		expect(controls[6]).toMatchObject({ selectorType: 'single', options: [{ key: 'option-1700000000071', text: '交通', texts: ['交通', 'Transport'] }, {}, {}] });
		expect(controls[11]).toMatchObject({ children: [{ type: 'Text', title: '费用项目', required: true }, { type: 'Money', title: '金额' }] });
	});

	it('refuses an unknown template with WeCom 301026', async () => {
		const result = await run({ operation: 'getTemplate', templateId: { __rl: true, mode: 'id', value: 'NoSuchTemplate123' } });
		expect(result.error?.message).toMatch(/301026/);
	});

	it('the resource mapper lists the controls with n8n types, WeCom types and required marks', async () => {
		const context = bed.loadOptionsContext({ operation: 'submit', templateId: { __rl: true, mode: 'id', value: EXPENSE_TEMPLATE_ID } }, 'parameters.controls');
		const methods = new WeCom().methods.resourceMapping as Record<string, (this: ILoadOptionsFunctions) => Promise<ResourceMapperFields>>;
		const { fields } = await methods.getApprovalControls.call(context);
		const byId = Object.fromEntries(fields.map((field) => [field.id, field]));
		expect(fields).toHaveLength(14); // Tips takes no value
		expect(byId[C.reason]).toMatchObject({ displayName: '报销事由 (Text)', type: 'string', required: true, display: true });
		expect(byId[C.amount]).toMatchObject({ displayName: '报销金额 (Money)', type: 'number', required: true });
		expect(byId[C.date]).toMatchObject({ type: 'dateTime', required: true });
		expect(byId[C.type]).toMatchObject({ type: 'options', required: true, options: [{ name: '交通', value: 'option-1700000000071' }, { name: '住宿' }, { name: '餐饮' }] });
		expect(byId[C.tags]).toMatchObject({ displayName: '标签 (Selector, several of: 客户, 项目, 培训)', type: 'string', required: false });
		expect(byId[C.items]).toMatchObject({ displayName: '费用明细 (Table: rows of 费用项目, 金额)', type: 'array' });
		expect(byId[C.files]).toMatchObject({ displayName: '附件 (File: binary property names)' });
		expect(byId[C.location].type).toBe('object');
	});

	it('submits every control type in WeCom\'s formats, uploading the attachment first', async () => {
		const related = await submit();
		const spNo = await submit(
			{
				...minimal,
				[C.details]: 'Taxi to the customer',
				[C.count]: '2',
				[C.amount]: '¥1,280.5',
				[C.date]: '2026-12-01T15:00:00+08:00',
				[C.trip]: '2026-12-01 09:00 ~ 2026-12-02 18:00',
				[C.type]: 'Hotel',
				[C.tags]: '客户, option-1700000000083',
				[C.companions]: ['lisi', 'wangwu'],
				[C.department]: '2',
				[C.files]: 'receipt',
				[C.items]: [
					{ 费用项目: 'Taxi', 金额: 35 },
					{ Item: 'Hotel', Amount: '1245.50' },
				],
				[C.location]: { latitude: '31.2304', longitude: '121.4737', title: 'Office', address: 'Shanghai', time: 1764550800 },
				[C.related]: related,
			},
			{ summary: { line: [{ text: 'Expense ¥1280.50' }, { text: '上海出差' }] } },
			[inputItem({}, { receipt: { data: SAMPLE_FILES.PDF, fileName: 'receipt.pdf', mimeType: 'application/pdf' } })],
		);
		expect(spNo).toMatch(/^\d{12}$/);
		const upload = bed.sandbox.requestsTo('/cgi-bin/media/upload');
		expect(upload).toHaveLength(1);
		const mediaId = String((upload[0].answer as { media_id: string }).media_id);
		const body = applied()[1];
		expect(body).toMatchObject({ creator_userid: 'zhangsan', template_id: EXPENSE_TEMPLATE_ID, use_template_approver: 1 });
		expect(body.summary_list).toEqual([{ summary_info: [{ text: 'Expense ¥1280.50', lang: 'zh_CN' }] }, { summary_info: [{ text: '上海出差', lang: 'zh_CN' }] }]);
		const value = Object.fromEntries((body.apply_data as { contents: Array<{ id: string; value: unknown }> }).contents.map((content) => [content.id, content.value]));
		expect(value).toEqual({
			[C.reason]: { text: 'Client visit' },
			[C.details]: { text: 'Taxi to the customer' },
			[C.count]: { new_number: '2' },
			[C.amount]: { new_money: '1280.5' },
			// A day control: 00:00 of that day in Asia/Shanghai.
			[C.date]: { date: { type: 'day', s_timestamp: String(Date.UTC(2026, 10, 30, 16) / 1000) } },
			[C.trip]: { date_range: { type: 'hour', new_begin: Date.UTC(2026, 11, 1, 1) / 1000, new_end: Date.UTC(2026, 11, 2, 10) / 1000, new_duration: 33 * 3600 } },
			[C.type]: { selector: { type: 'single', options: [{ key: 'option-1700000000072' }] } },
			[C.tags]: { selector: { type: 'multi', options: [{ key: 'option-1700000000081' }, { key: 'option-1700000000083' }] } },
			[C.companions]: { members: [{ userid: 'lisi' }, { userid: 'wangwu' }] },
			[C.department]: { departments: [{ openapi_id: '2' }] },
			[C.files]: { files: [{ file_id: mediaId }] },
			[C.items]: {
				children: [
					{ list: [expect.objectContaining({ control: 'Text', id: 'Text-1700000012001', value: { text: 'Taxi' } }), expect.objectContaining({ control: 'Money', value: { new_money: '35' } })] },
					{ list: [expect.objectContaining({ value: { text: 'Hotel' } }), expect.objectContaining({ value: { new_money: '1245.50' } })] },
				],
			},
			[C.location]: { location: { latitude: '31.2304', longitude: '121.4737', title: 'Office', address: 'Shanghai', time: 1764550800 } },
			[C.related]: { related_approval: [{ sp_no: related }] },
		});
		expect(bed.sandbox.media(mediaId)?.filename).toBe('receipt.pdf');
	});

	it('auto-maps the input item\'s fields by control title', async () => {
		const spNo = await submit({}, { controls: { mappingMode: 'autoMapInputData', value: null } }, [
			inputItem({ 报销事由: 'Lunch', 报销金额: 80, 发生日期: '2026-12-02', 费用类型: '餐饮', unrelated: 'ignored' }),
		]);
		const detail = bed.sandbox.approvals().find((approval) => approval.spNo === spNo);
		expect(detail?.creator).toBe('zhangsan');
		expect(applied()[0].apply_data).toMatchObject({ contents: [{ id: C.reason, value: { text: 'Lunch' } }, { id: C.amount }, { id: C.date }, { id: C.type, value: { selector: { options: [{ key: 'option-1700000000073' }] } } }] });
	});

	it('sets approvers and cc in the node (process.node_list), and submits the leave template', async () => {
		await submit(minimal, {
			approverSource: 'custom',
			process: { node: [{ type: 1, relation: 1, userIds: 'lisi, wangwu' }, { type: 2, userIds: 'zhaoliu' }] },
		});
		expect(applied()[0]).toMatchObject({ use_template_approver: 0, process: { node_list: [{ type: 1, apv_rel: 1, userid: ['lisi', 'wangwu'] }, { type: 2, userid: ['zhaoliu'] }] } });
		const leave = await submit(
			{ 'vacation-1700000100001': { type: '年假', begin: '2026-12-07', end: '2026-12-09' }, 'Textarea-1700000100002': 'Family' },
			{ templateId: { __rl: true, mode: 'id', value: LEAVE_TEMPLATE_ID } },
		);
		expect(applied()[1].summary_list).toEqual([{ summary_info: [{ text: '请假', lang: 'zh_CN' }] }]);
		expect((applied()[1].apply_data as { contents: Array<{ value: unknown }> }).contents[0].value).toEqual({
			vacation: {
				selector: { type: 'single', options: [{ key: '1', value: [{ text: '年假', lang: 'zh_CN' }] }], exp_type: 0 },
				attendance: { date_range: { type: 'halfday', new_begin: Date.UTC(2026, 11, 6, 16) / 1000, new_end: Date.UTC(2026, 11, 8, 16) / 1000, new_duration: 2 * 86400 }, type: 1 },
			},
		});
		expect(leave).toMatch(/^\d+$/);
	});

	it('converts the other control types: Date with time, DateRange by half days or hours, Attendance and BankAccount as given, Formula left out', async () => {
		const trip = { templateId: { __rl: true, mode: 'id', value: TRIP_TEMPLATE_ID } };
		const attendance = { attendance: { date_range: { type: 'halfday', new_begin: 1764518400, new_end: 1764648000, new_duration: 129600 }, type: 3 } };
		const bank = { bank_account: { account_type: 2, account_name: '张三', account_number: '6222000000000000' } };
		await submit(
			{
				'Date-1700000200001': '2026-12-01 09:30',
				'DateRange-1700000200002': '2026-12-01 ~ 2026-12-03 12:00',
				'Attendance-1700000200003': JSON.stringify(attendance),
				'BankAccount-1700000200004': bank,
				'Number-1700000200006': 3,
			},
			trip,
		);
		await submit({ 'Date-1700000200001': 1764552600, 'DateRange-1700000200002': ['2026-12-01T09:00:00+08:00', '2026-12-01T17:30:00+08:00'] }, trip);
		const [first, second] = applied().map((body) => Object.fromEntries((body.apply_data as { contents: Array<{ id: string; value: unknown }> }).contents.map((c) => [c.id, c.value])));
		expect(first).toEqual({
			'Date-1700000200001': { date: { type: 'hour', s_timestamp: String(Date.UTC(2026, 11, 1, 1, 30) / 1000) } },
			// No unit in the template: times on 00:00 / 12:00 are half days (page 91853 附11).
			'DateRange-1700000200002': { date_range: { type: 'halfday', new_begin: Date.UTC(2026, 10, 30, 16) / 1000, new_end: Date.UTC(2026, 11, 3, 4) / 1000, new_duration: 2.5 * 86400 } },
			'Attendance-1700000200003': attendance,
			'BankAccount-1700000200004': bank,
			'Number-1700000200006': { new_number: '3' },
		});
		expect(second).toEqual({
			'Date-1700000200001': { date: { type: 'hour', s_timestamp: '1764552600' } },
			'DateRange-1700000200002': { date_range: { type: 'hour', new_begin: Date.UTC(2026, 11, 1, 1) / 1000, new_end: Date.UTC(2026, 11, 1, 9, 30) / 1000, new_duration: 8.5 * 3600 } },
		});
	});

	it('a leave by the hour, and the sandbox refuses half-day ranges off 00:00 / 12:00 as WeCom does', async () => {
		const leave = { templateId: { __rl: true, mode: 'id', value: LEAVE_TEMPLATE_ID } };
		await submit({ 'vacation-1700000100001': { type: '病假', begin: '2026-12-07 09:00', end: '2026-12-07 18:00' }, 'Textarea-1700000100002': 'Dentist' }, leave);
		expect((applied()[0].apply_data as { contents: Array<{ value: unknown }> }).contents[0].value).toMatchObject({
			vacation: { selector: { options: [{ key: '3' }] }, attendance: { date_range: { type: 'hour', new_duration: 9 * 3600 }, type: 1 } },
		});
		const raw = await run({
			operation: 'submit',
			...leave,
			inputMode: 'json',
			body: JSON.stringify({
				creator_userid: 'zhangsan',
				use_template_approver: 1,
				summary_list: [{ summary_info: [{ text: 'x', lang: 'zh_CN' }] }],
				apply_data: {
					contents: [
						{ control: 'Vacation', id: 'vacation-1700000100001', value: { vacation: { selector: { type: 'single', options: [{ key: '1' }] }, attendance: { date_range: { type: 'halfday', new_begin: Date.UTC(2026, 11, 7, 1) / 1000, new_end: Date.UTC(2026, 11, 8, 1) / 1000, new_duration: 86400 }, type: 1 } } } },
						{ control: 'Textarea', id: 'Textarea-1700000100002', value: { text: 'x' } },
					],
				},
			}),
		});
		expect(raw.error?.message).toMatch(/301025/);
	});

	it.each([
		['an unknown option text', { [C.type]: 'Taxi' }, /"费用类型" \(Selector Selector-1700000000007\): "Taxi" is not one of its options/],
		['two options in a single selector', { [C.type]: '交通, 住宿' }, /takes one option, got 2/],
		['a multi selector option that does not exist', { [C.tags]: '客户, 旅游' }, /"旅游" is not one of its options/],
		['a date that cannot be read', { [C.date]: 'next Tuesday' }, /cannot read the date "next Tuesday"/],
		['an impossible date', { [C.date]: '2026-02-30' }, /cannot read the date "2026-02-30"/],
		['a money amount with 3 decimals', { [C.amount]: '12.345' }, /"12.345" has more than 2 decimals/],
		['a money amount that is text', { [C.amount]: 'twelve' }, /"twelve" is not a money amount/],
		['a number that is text', { [C.count]: 'a few' }, /"a few" is not a number/],
		['a date range ending before it begins', { [C.trip]: '2026-12-02 ~ 2026-12-01' }, /ends before it begins/],
		['a date range without separator', { [C.trip]: '2026-12-02' }, /cannot read the date range/],
		['a missing required control', { [C.reason]: '' }, /"报销事由" \(Text Text-1700000000001\) is required/],
		['a key that is no control', { Foo: 'bar' }, /"Foo" is not a control of template "报销申请"/],
		['two users in a single department contact', { [C.department]: '2, 3' }, /takes one department, got 2/],
		['a department that is not an ID', { [C.department]: 'R&D' }, /"R&D" is not a department ID/],
		['a table column that does not exist', { [C.items]: [{ 费用项目: 'Taxi', 金额: 1, Tip: 2 }] }, /row 1 has unknown columns Tip/],
		['a table row without a required column', { [C.items]: [{ 金额: 1 }] }, /row 1 › 费用项目.* is required/],
		['a table that is not JSON', { [C.items]: 'Taxi 35' }, /needs rows as a JSON array of objects/],
		['a latitude out of range', { [C.location]: '95.1, 121.4, Office' }, /latitude "95.1" is not a latitude/],
		['a location that is not JSON', { [C.location]: 'the office' }, /"the office" is not JSON/],
		['a longitude out of range', { [C.location]: '31.2, 190, Office' }, /longitude "190" is not a longitude/],
		['a location without coordinates', { [C.location]: { title: 'Office' } }, /latitude "" is not a latitude/],
		['a location time that cannot be read', { [C.location]: { latitude: '31.2', longitude: '121.4', time: 'noon' } }, /cannot read the time "noon"/],
		['a date range whose begin cannot be read', { [C.trip]: 'soon ~ 2026-12-02' }, /cannot read the begin "soon"/],
		['a date range without an end', { [C.trip]: { begin: '2026-12-01' } }, /needs a begin and an end/],
		['a table without rows', { [C.items]: '[]' }, /needs at least one row/],
		['a table row that is not an object', { [C.items]: ['Taxi'] }, /row 1 is not an object/],
		['seven files', { [C.files]: 'a,b,c,d,e,f,g' }, /7 files given; WeCom takes at most 6/],
		['a binary property that does not exist', { [C.files]: 'scan' }, /scan/],
	])('refuses %s before applyevent', async (_label, values, message) => {
		const result = await run(submitParams({ ...minimal, ...values }));
		expect(result.error?.message).toMatch(message);
		expect(applied()).toHaveLength(0);
		expect(bed.sandbox.requestsTo('/cgi-bin/media/upload')).toHaveLength(0);
	});

	it.each([
		['a summary line over 20 characters', { summary: { line: [{ text: '一二三四五六七八九十一二三四五六七八九十一' }] } }, /has 21 characters; WeCom allows 20/],
		['a flow without approver', { approverSource: 'custom', process: { node: [{ type: 2, userIds: 'zhaoliu' }] } }, /needs at least one approver node/],
		['a flow node without users', { approverSource: 'custom', process: { node: [{ type: 1, relation: 2, userIds: '' }] } }, /node 1 has no user IDs/],
		['an unknown leave type', leaveWith({ type: '婚假', begin: '2026-12-07', end: '2026-12-08' }), /"婚假" is not a leave type/],
		['a leave that ends before it begins', leaveWith({ type: '年假', begin: '2026-12-08', end: '2026-12-07' }), /"请假类型".*ends before it begins/],
		['a half-day leave at 09:00', leaveWith({ type: '年假', begin: '2026-12-07 09:00', end: '2026-12-08 09:00', unit: 'halfday' }), /counted in half days: begin and end must be 00:00/],
		['a leave that is not JSON', leaveWith('annual leave next week'), /"annual leave next week" is not JSON/],
		['an Attendance value that is not JSON', tripWith({ 'Attendance-1700000200003': '3 days' }), /"出差时间" \(Attendance Attendance-1700000200003\): "3 days" is not JSON/],
		['a BankAccount value that is a list', tripWith({ 'BankAccount-1700000200004': ['6222'] }), /"收款账户".*needs an object/],
		['a date with time that cannot be read', tripWith({ 'Date-1700000200001': '25:00' }), /"出发时间".*cannot read the date "25:00"/],
	])('refuses %s before applyevent', async (_label, extra, message) => {
		const result = await run(submitParams(minimal, extra));
		expect(result.error?.message).toMatch(message);
		expect(applied()).toHaveLength(0);
	});

	it('the sandbox checks what the node cannot know: approvers in the directory, and raw JSON against the template', async () => {
		const unknownApprover = await run(submitParams(minimal, { approverSource: 'custom', process: { node: [{ type: 1, relation: 2, userIds: 'nobody' }] } }));
		expect(unknownApprover.error?.message).toMatch(/301055/);
		const raw = (body: Record<string, unknown>) =>
			run({ operation: 'submit', templateId: { __rl: true, mode: 'id', value: EXPENSE_TEMPLATE_ID }, inputMode: 'json', body: JSON.stringify(body) });
		const base = {
			creator_userid: 'zhangsan',
			use_template_approver: 1,
			summary_list: [{ summary_info: [{ text: 'x', lang: 'zh_CN' }] }],
			apply_data: {
				contents: [
					{ control: 'Text', id: C.reason, value: { text: 'x' } },
					{ control: 'Money', id: C.amount, value: { new_money: '1' } },
					{ control: 'Date', id: C.date, value: { date: { type: 'day', s_timestamp: '1764518400' } } },
					{ control: 'Selector', id: C.type, value: { selector: { type: 'single', options: [{ key: 'option-1700000000071' }] } } },
				],
			},
		};
		const [json] = (await raw(base)).output('WeCom');
		expect(json.json.sp_no).toMatch(/^\d+$/);
		const wrongType = await raw({ ...base, apply_data: { contents: [{ ...base.apply_data.contents[0], control: 'Textarea' }, ...base.apply_data.contents.slice(1)] } });
		expect(wrongType.error?.message).toMatch(/301025/);
		const missing = await raw({ ...base, apply_data: { contents: base.apply_data.contents.slice(1) } });
		expect(missing.error?.message).toMatch(/301025/);
		const file = await raw({ ...base, apply_data: { contents: [...base.apply_data.contents, { control: 'File', id: C.files, value: { files: [{ file_id: 'not-uploaded' }] } }] } });
		expect(file.error?.message).toMatch(/301025/);
		const summary = await raw({ ...base, summary_list: [1, 2, 3, 4].map(() => base.summary_list[0]) });
		expect(summary.error?.message).toMatch(/301025/);
		// Page 91853 documents only process.node_list for use_template_approver 0, not the old approver/notifyer fields.
		const legacy = await raw({ ...base, use_template_approver: 0, approver: [{ attr: 1, userid: ['lisi'] }], notifyer: ['zhaoliu'], notify_type: 1 });
		expect(legacy.error?.message).toMatch(/301025/);
		const related = await run(submitParams({ ...minimal, [C.related]: '209901010001' }));
		expect(related.error?.message).toMatch(/301025/);
	});

	it('gets one approval readable: status name, applicant, title → value, records, comments', async () => {
		const spNo = await submit({ ...minimal, [C.tags]: '客户' });
		await bed.sandbox.actOnApprovals({ spNo, userId: 'zhangsan', action: 'comment', speech: 'Receipt follows', url: false });
		await bed.sandbox.actOnApprovals({ spNo, userId: 'lisi', action: 'approve', speech: 'OK', url: false });
		const [json] = await ok({ operation: 'get', spNo });
		expect(json).toMatchObject({
			sp_no: spNo,
			sp_name: '报销申请',
			sp_status: 2,
			sp_status_name: '已通过 (Approved)',
			template_id: EXPENSE_TEMPLATE_ID,
			applicant: { userid: 'zhangsan' },
			controls: { 报销事由: 'Client visit', 报销金额: 35, 发生日期: '2026-11-30T16:00:00.000Z', 费用类型: '交通', 标签: ['客户'] },
			records: [{ status: 2, status_name: '已同意 (Agreed)', approvers: [{ userid: 'lisi', status: 2, speech: 'OK' }] }],
			notifiers: ['zhaoliu'],
			comments: [{ userid: 'zhangsan', content: 'Receipt follows' }],
		});
		const bad = await run({ operation: 'get', spNo: 'abc' });
		expect(bad.error?.message).toMatch(/"abc" is not an approval number/);
	});

	it('gets many approval numbers: windows of 31 days, filters, cursors, limit', async () => {
		const numbers: string[] = [];
		for (let index = 0; index < 5; index++) numbers.push(await submit());
		await submit(minimal, { creatorUserId: 'lisi' });
		const now = Math.floor(Date.now() / 1000);
		const range = { startTime: new Date((now - 70 * 86400) * 1000).toISOString(), endTime: new Date((now + 60) * 1000).toISOString() };
		const all = await ok({ operation: 'getMany', ...range, returnAll: true, filters: { creator: 'zhangsan', templateId: EXPENSE_TEMPLATE_ID } });
		expect(all.map((item) => item.sp_no)).toEqual(numbers);
		const calls = bed.sandbox.requestsTo('/cgi-bin/oa/getapprovalinfo').map((request) => request.json as Record<string, unknown>);
		expect(calls).toHaveLength(3);
		for (const call of calls) expect(Number(call.endtime) - Number(call.starttime)).toBeLessThanOrEqual(31 * 86400);
		expect(calls[0].filters).toEqual([{ key: 'template_id', value: EXPENSE_TEMPLATE_ID }, { key: 'creator', value: 'zhangsan' }]);

		bed.sandbox.requests.length = 0;
		const two = await ok({ operation: 'getMany', ...range, returnAll: false, limit: 2 });
		expect(two.map((item) => item.sp_no)).toEqual(numbers.slice(0, 2));
		const approved = await ok({ operation: 'getMany', ...range, returnAll: true, filters: { status: 2, departments: '3' } });
		expect(approved).toEqual([]);
	});

	it('follows new_next_cursor across pages of 100', async () => {
		await ok(submitParams(minimal), Array.from({ length: 103 }, () => inputItem()));
		expect(bed.sandbox.requestsTo('/cgi-bin/oa/gettemplatedetail')).toHaveLength(1);
		bed.sandbox.requests.length = 0;
		const now = Math.floor(Date.now() / 1000);
		const all = await ok({ operation: 'getMany', startTime: new Date((now - 3600) * 1000).toISOString(), endTime: new Date((now + 60) * 1000).toISOString(), returnAll: true });
		expect(all).toHaveLength(103);
		const calls = bed.sandbox.requestsTo('/cgi-bin/oa/getapprovalinfo');
		expect(calls.map((call) => (call.json as { size: number }).size)).toEqual([100, 100]);
		expect((calls[1].json as { new_cursor: string }).new_cursor).not.toBe('');
	});
});
