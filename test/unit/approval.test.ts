/**
 * Pure pieces of approvals: the sandbox's callback XML parsed by the trigger into clean JSON, the trigger's
 * filters, retry identity of a batch, date reading, and the conversion of values to WeCom's formats.
 */
import { parseXml } from '../../nodes/shared/xml';
import { approvalOf, matchesApprovalFilters } from '../../nodes/WeComTrigger/approval';
import { dedupeKey, normalizeCallback } from '../../nodes/WeComTrigger/events';
import { controlValue } from '../../nodes/WeCom/helpers/approval/convert';
import { readDateSeconds, startOfDaySeconds } from '../../nodes/WeCom/helpers/approval/dates';
import { parseTemplate } from '../../nodes/WeCom/helpers/approval/template';
import { readableControls } from '../../nodes/WeCom/helpers/approval/readable';
import { timeWindows } from '../../nodes/WeCom/actions/approval/getMany.operation';
import { approvalChangeXml, ApprovalStore, type ApprovalInstance } from '../sandbox/approval';
import { APPROVAL_TEMPLATES, templateDetail } from '../sandbox/approvalTemplates';
import { ContactsState } from '../sandbox/contacts';

const instance = (spNo: string, status = 2): ApprovalInstance => ({
	spNo,
	spName: '报销申请',
	templateId: 'T1',
	creator: 'zhangsan',
	party: '2',
	applyTime: 1764550000,
	status,
	nodes: [{ type: 1, apvRel: 2, status, approvers: [{ userid: 'lisi', status, speech: 'ok', sptime: 1764550100 }] }],
	notifiers: ['zhaoliu'],
	contents: [],
	summary: [],
	comments: [],
	corpId: 'ww1',
	agentId: 1000002,
});
const fieldsOf = (xml: string) => normalizeCallback(parseXml(xml));

describe('sys_approval_change in the trigger', () => {
	it('one approver, one second, five approvals: five identities; the same callback again: the same identity', () => {
		const keys = ['1', '2', '3', '4', '5'].map((n) => dedupeKey(fieldsOf(approvalChangeXml(instance(`20261202000${n}`), 2, 1764550200))));
		expect(new Set(keys).size).toBe(5);
		expect(dedupeKey(fieldsOf(approvalChangeXml(instance('202612020001'), 2, 1764550200)))).toBe(keys[0]);
		// Same approval, another change in the same second (approved, then revoked): distinct too.
		expect(dedupeKey(fieldsOf(approvalChangeXml(instance('202612020001', 6), 8, 1764550200)))).not.toBe(keys[0]);
	});

	it('filters: an empty filter lets everything through; set filters only pass matching approvals', () => {
		const approval = approvalOf(fieldsOf(approvalChangeXml(instance('202612020001'), 2, 1)));
		expect(approval).toMatchObject({ spNo: '202612020001', spStatus: 2, statuChangeEvent: 2, applicant: { userid: 'zhangsan', party: '2' } });
		const none = { templateIds: [], statuses: [], changeEvents: [] };
		expect(matchesApprovalFilters(undefined, none)).toBe(true);
		expect(matchesApprovalFilters(undefined, { ...none, statuses: [2] })).toBe(false);
		expect(matchesApprovalFilters(approval, { templateIds: ['T1'], statuses: [2], changeEvents: [2] })).toBe(true);
		expect(matchesApprovalFilters(approval, { ...none, templateIds: ['T2'] })).toBe(false);
		expect(matchesApprovalFilters(approval, { ...none, changeEvents: [3] })).toBe(false);
		expect(approvalOf({ MsgType: 'event', Event: 'change_contact' })).toBeUndefined();
	});
});

describe('Get Many time windows', () => {
	it('covers the range in windows of at most 31 days, each with endtime > starttime (page 91816)', () => {
		const day = 86400;
		expect(timeWindows(0, 62 * day)).toEqual([
			[0, 31 * day],
			[31 * day, 62 * day],
		]);
		expect(timeWindows(0, 62 * day + 1)).toEqual([
			[0, 31 * day],
			[31 * day, 62 * day],
			[62 * day, 62 * day + 1],
		]);
		expect(timeWindows(100, 100)).toEqual([[100, 101]]);
	});
});

describe('dates', () => {
	it('reads dates with and without offsets, Unix seconds and milliseconds', () => {
		expect(readDateSeconds('2026-12-01', 'Asia/Shanghai')).toBe(Date.UTC(2026, 10, 30, 16) / 1000);
		expect(readDateSeconds('2026/12/01 09:30', 'Asia/Shanghai')).toBe(Date.UTC(2026, 11, 1, 1, 30) / 1000);
		expect(readDateSeconds('2026-12-01T09:30:00Z', 'Asia/Shanghai')).toBe(Date.UTC(2026, 11, 1, 9, 30) / 1000);
		expect(readDateSeconds('2026-07-01 12:00', 'Europe/Berlin')).toBe(Date.UTC(2026, 6, 1, 10) / 1000);
		expect(readDateSeconds(1764550000, 'UTC')).toBe(1764550000);
		expect(readDateSeconds('1764550000123', 'UTC')).toBe(1764550000);
		expect(readDateSeconds('2026-13-01', 'UTC')).toBeUndefined();
		expect(readDateSeconds('soon', 'UTC')).toBeUndefined();
		expect(startOfDaySeconds(Date.UTC(2026, 11, 1, 1) / 1000, 'Asia/Shanghai')).toBe(Date.UTC(2026, 10, 30, 16) / 1000);
	});
});

describe('conversion and reading back', () => {
	const template = parseTemplate(APPROVAL_TEMPLATES[0].templateId, templateDetail(APPROVAL_TEMPLATES[0]) as never);
	const control = (id: string) => template.controls.find((entry) => entry.id === id)!;
	const options = { timeZone: 'Asia/Shanghai', nowSeconds: 1764550000 };

	it('converts, the sandbox accepts, and getapprovaldetail reads back as title → value', () => {
		const store = new ApprovalStore(() => 1764550000000, new ContactsState('x'));
		const values: Array<[string, unknown]> = [
			['Text-1700000000001', 'Taxi'],
			['Money-1700000000004', 35.5],
			['Date-1700000000005', '2026-12-01'],
			['Selector-1700000000007', 'Hotel'],
			['Selector-1700000000008', ['客户', '培训']],
			['Contact-1700000000009', 'lisi|wangwu'],
			['Location-1700000000013', '31.23, 121.47, Office, Shanghai'],
		];
		const contents = values.map(([id, value]) => ({ control: control(id).type, id, value: controlValue(control(id), value, options) }));
		const created = store.apply(
			{ creator_userid: 'zhangsan', template_id: template.templateId, use_template_approver: 1, apply_data: { contents }, summary_list: [{ summary_info: [{ text: 'x', lang: 'zh_CN' }] }] },
			() => true,
			{ corpId: 'ww1', agentId: 1 },
		);
		expect(readableControls(created.contents)).toEqual({
			报销事由: 'Taxi',
			报销金额: 35.5,
			发生日期: '2026-11-30T16:00:00.000Z',
			费用类型: '住宿',
			标签: ['客户', '培训'],
			同行人: ['lisi', 'wangwu'],
			地点: { latitude: '31.23', longitude: '121.47', title: 'Office', address: 'Shanghai', time: 1764550000 },
		});
	});
});
