/**
 * `oa/getapprovaldetail` → readable JSON: the status with its name, the applicant, each filled control as
 * title → value, the approval records and the comments. Pure.
 */
import type { IDataObject } from 'n8n-workflow';

import { APPROVAL_STATUSES, NODE_STATUSES, approverRelationName, codeName } from '../../../shared/approvalStatus';

const record = (value: unknown): IDataObject => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as IDataObject) : {});
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const firstText = (value: unknown): string => String(record(list(value).find((entry) => record(entry).text))?.text ?? '');

/** Unix seconds → ISO 8601 (UTC); 0 or nothing → null. */
export function isoTime(seconds: unknown): string | null {
	const value = Number(seconds);
	return Number.isFinite(value) && value > 0 ? new Date(value * 1000).toISOString() : null;
}

/** One control's value as a person reads it. */
export function readableValue(control: string, value: unknown): unknown {
	const entry = record(value);
	switch (control) {
		case 'Text':
		case 'Textarea':
			return String(entry.text ?? '');
		case 'Number':
			return entry.new_number === undefined || entry.new_number === '' ? null : Number(entry.new_number);
		case 'Money':
			return entry.new_money === undefined || entry.new_money === '' ? null : Number(entry.new_money);
		case 'Date':
			return isoTime(record(entry.date).s_timestamp);
		case 'DateRange': {
			const range = record(entry.date_range);
			return { begin: isoTime(range.new_begin), end: isoTime(range.new_end), durationSeconds: Number(range.new_duration ?? 0) };
		}
		case 'Selector': {
			const selector = record(entry.selector);
			const texts = list(selector.options).map((option) => firstText(record(option).value) || String(record(option).key ?? ''));
			return selector.type === 'multi' ? texts : (texts[0] ?? null);
		}
		case 'Contact':
			if (Array.isArray(entry.departments)) return list(entry.departments).map((department) => String(record(department).openapi_id ?? ''));
			return list(entry.members).map((member) => String(record(member).userid ?? ''));
		case 'File':
			return list(entry.files).map((file) => String(record(file).file_id ?? ''));
		case 'Table':
			return list(entry.children).map((row) => readableControls(list(record(row).list)));
		case 'Location':
			return { ...record(entry.location) };
		case 'RelatedApproval':
			return list(entry.related_approval).map((related) => String(record(related).sp_no ?? ''));
		default:
			return value;
	}
}

/** title → value of a list of filled controls ({control, id, title, value}); a repeated title gets its id appended. */
export function readableControls(contents: unknown[]): IDataObject {
	const result: IDataObject = {};
	for (const raw of contents) {
		const content = record(raw);
		let title = firstText(content.title) || String(content.id ?? '');
		if (title in result) title = `${title} (${String(content.id ?? '')})`;
		result[title] = readableValue(String(content.control ?? ''), content.value) as IDataObject;
	}
	return result;
}

/** The Get operation's output for getapprovaldetail's `info`. */
export function readableApproval(info: IDataObject): IDataObject {
	const applicant = record(info.applyer);
	const contents = list(record(info.apply_data).contents);
	return {
		sp_no: String(info.sp_no ?? ''),
		sp_name: String(info.sp_name ?? ''),
		sp_status: Number(info.sp_status),
		sp_status_name: codeName(APPROVAL_STATUSES, info.sp_status),
		template_id: String(info.template_id ?? ''),
		apply_time: isoTime(info.apply_time),
		applicant: { userid: String(applicant.userid ?? ''), partyid: String(applicant.partyid ?? '') },
		controls: readableControls(contents),
		records: list(info.sp_record).map((raw) => {
			const node = record(raw);
			return {
				status: Number(node.sp_status),
				status_name: codeName(NODE_STATUSES, node.sp_status),
				// approverattr: 1 或签, 2 会签 (the detail's own numbering).
				approver_relation: Number(node.approverattr) === 2 ? approverRelationName(1) : approverRelationName(2),
				approvers: list(node.details).map((detailRaw) => {
					const detail = record(detailRaw);
					return {
						userid: String(record(detail.approver).userid ?? ''),
						status: Number(detail.sp_status),
						status_name: codeName(NODE_STATUSES, detail.sp_status),
						speech: String(detail.speech ?? ''),
						time: isoTime(detail.sptime),
					};
				}),
			};
		}),
		notifiers: list(info.notifyer).map((entry) => String(record(entry).userid ?? '')),
		comments: list(info.comments).map((raw) => {
			const comment = record(raw);
			return {
				userid: String(record(comment.commentUserInfo).userid ?? ''),
				time: isoTime(comment.commenttime),
				content: String(comment.commentcontent ?? ''),
				id: String(comment.commentid ?? ''),
			};
		}),
		contents: contents as IDataObject[],
	};
}
