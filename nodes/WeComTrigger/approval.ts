/**
 * sys_approval_change (审批申请状态变化, page 91815) → clean JSON, and the trigger's approval filters. Pure.
 * The parsed ApprovalInfo keeps WeCom's names; `approval` beside it is what workflows usually want.
 */
import type { IDataObject, INodePropertyOptions } from 'n8n-workflow';

import { APPROVAL_STATUSES, CHANGE_EVENTS, NODE_STATUSES, approverRelationName, codeName } from '../shared/approvalStatus';

export const APPROVAL_EVENT = 'sys_approval_change';

const record = (value: unknown): IDataObject => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as IDataObject) : {});
/** One element or many: always a list. */
const list = (value: unknown): IDataObject[] => (value === undefined || value === '' ? [] : Array.isArray(value) ? value : [value]).map(record);
const text = (value: unknown): string => (value === undefined || value === null ? '' : String(value));
const num = (value: unknown): number | null => (value === undefined || value === '' ? null : Number(value));
const userId = (value: unknown): string => text(record(value).UserId);

/** The clean approval of a sys_approval_change callback, or undefined for other callbacks. */
export function approvalOf(fields: IDataObject): IDataObject | undefined {
	if (fields.MsgType !== 'event' || fields.Event !== APPROVAL_EVENT) return undefined;
	const info = record(fields.ApprovalInfo);
	const applicant = record(info.Applyer);
	const processNodes = list(record(info.ProcessList).NodeList);
	return {
		// SpNoStr is the exact number; SpNo may be a legacy numeric field.
		spNo: text(info.SpNoStr) || text(info.SpNo),
		spName: text(info.SpName),
		spStatus: num(info.SpStatus),
		spStatusName: codeName(APPROVAL_STATUSES, info.SpStatus),
		templateId: text(info.TemplateId),
		applyTime: num(info.ApplyTime),
		applicant: { userid: userId(applicant), party: text(applicant.Party) },
		statuChangeEvent: num(info.StatuChangeEvent),
		statuChangeEventName: codeName(CHANGE_EVENTS, info.StatuChangeEvent),
		records: list(info.SpRecord).map((node) => ({
			status: num(node.SpStatus),
			statusName: codeName(NODE_STATUSES, node.SpStatus),
			// ApproverAttr: 1 或签, 2 会签.
			approverRelation: Number(node.ApproverAttr) === 2 ? approverRelationName(1) : approverRelationName(2),
			approvers: list(node.Details).map((detail) => ({
				userid: userId(detail.Approver),
				status: num(detail.SpStatus),
				statusName: codeName(NODE_STATUSES, detail.SpStatus),
				speech: text(detail.Speech),
				time: num(detail.SpTime),
			})),
		})),
		nodes: processNodes.map((node) => ({
			type: num(node.NodeType),
			status: num(node.SpStatus),
			statusName: codeName(NODE_STATUSES, node.SpStatus),
			relation: approverRelationName(node.ApvRel),
			users: list(node.SubNodeList).map((sub) => ({
				userid: userId(sub.UserInfo),
				status: num(sub.SpYj),
				statusName: codeName(NODE_STATUSES, sub.SpYj),
				speech: text(sub.Speech),
				time: num(sub.Sptime),
			})),
		})),
		notifiers: list(info.Notifyer).map((entry) => text(entry.UserId)),
		comments: list(info.Comments).map((comment) => ({
			userid: userId(comment.CommentUserInfo),
			time: num(comment.CommentTime),
			content: text(comment.CommentContent),
			id: text(comment.CommentId),
		})),
	};
}

export interface ApprovalFilters {
	templateIds: string[];
	statuses: number[];
	changeEvents: number[];
}

export function hasApprovalFilters(filters: ApprovalFilters): boolean {
	return filters.templateIds.length > 0 || filters.statuses.length > 0 || filters.changeEvents.length > 0;
}

/** With approval filters set, only approval callbacks matching all of them pass (an empty list means "any"). */
export function matchesApprovalFilters(approval: IDataObject | undefined, filters: ApprovalFilters): boolean {
	if (!hasApprovalFilters(filters)) return true;
	if (!approval) return false;
	if (filters.templateIds.length > 0 && !filters.templateIds.includes(String(approval.templateId))) return false;
	if (filters.statuses.length > 0 && !filters.statuses.includes(Number(approval.spStatus))) return false;
	if (filters.changeEvents.length > 0 && !filters.changeEvents.includes(Number(approval.statuChangeEvent))) return false;
	return true;
}

export const APPROVAL_STATUS_OPTIONS: INodePropertyOptions[] = APPROVAL_STATUSES.map((status) => ({ name: `${status.en} (${status.zh})`, value: status.code }));
export const CHANGE_EVENT_OPTIONS: INodePropertyOptions[] = CHANGE_EVENTS.map((event) => ({ name: `${event.en} (${event.zh})`, value: event.code }));
