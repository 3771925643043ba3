import { templateDetail } from '../approvalTemplates';
import { fail } from '../errors';
import { isRecord } from '../util';
import { appOf, jsonBody, ok, type Route } from './context';

/** Approval APIs (pages 91982, 91853, 91816, 91983): all POST with a JSON body. */

export const MAX_APPROVAL_WINDOW_SECONDS = 31 * 24 * 3600;
export const MAX_APPROVAL_PAGE = 100;
const FILTER_KEYS = ['template_id', 'creator', 'department', 'sp_status', 'record_type'];

const gettemplatedetail: Route = {
	needsToken: true,
	handle(ctx) {
		const body = jsonBody(ctx);
		return ok(templateDetail(ctx.store.approvals.template(body.template_id)));
	},
};

const applyevent: Route = {
	needsToken: true,
	handle(ctx) {
		const app = appOf(ctx);
		const body = jsonBody(ctx);
		const instance = ctx.store.approvals.apply(body, (mediaId) => ctx.store.findMedia(mediaId, { corpId: app.corpId }) !== undefined, app);
		return ok({ sp_no: instance.spNo });
	},
};

const seconds = (value: unknown, name: string): number => {
	const text = typeof value === 'number' ? String(value) : value;
	if (typeof text !== 'string' || !/^\d+$/.test(text)) fail(301025, `${name} must be Unix seconds`);
	return Number(text);
};

/** Cursors are opaque to callers: the offset into this query's result, bound to the query. */
function cursorOf(offset: number, query: string): string {
	return Buffer.from(JSON.stringify({ o: offset, q: query })).toString('base64url');
}

function offsetOf(cursor: unknown, query: string): number {
	if (cursor === undefined || cursor === '' || cursor === null) return 0;
	try {
		const parsed = JSON.parse(Buffer.from(String(cursor), 'base64url').toString('utf8')) as { o?: unknown; q?: unknown };
		if (typeof parsed.o === 'number' && parsed.q === query) return parsed.o;
	} catch {
		// fall through
	}
	return fail(301025, 'new_cursor is not a cursor of this query');
}

const getapprovalinfo: Route = {
	needsToken: true,
	handle(ctx) {
		const body = jsonBody(ctx);
		const start = seconds(body.starttime, 'starttime');
		const end = seconds(body.endtime, 'endtime');
		if (end <= start) fail(301025, 'endtime must be greater than starttime');
		if (end - start > MAX_APPROVAL_WINDOW_SECONDS) fail(301112, 'the time span is limited to 31 days; narrow the range');
		const size = body.size === undefined ? MAX_APPROVAL_PAGE : Number(body.size);
		if (!Number.isInteger(size) || size < 1 || size > MAX_APPROVAL_PAGE) fail(301025, `size must be 1..${MAX_APPROVAL_PAGE}`);
		const filters = body.filters === undefined ? [] : body.filters;
		if (!Array.isArray(filters)) fail(301025, 'filters must be an array');
		const byKey = new Map<string, string[]>();
		(filters as unknown[]).forEach((filter, index) => {
			if (!isRecord(filter) || typeof filter.key !== 'string' || !FILTER_KEYS.includes(filter.key)) {
				fail(301025, `filters[${index}].key must be one of ${FILTER_KEYS.join(', ')}`);
			}
			if (typeof filter.value !== 'string' || filter.value === '') fail(301025, `filters[${index}].value must be a non-empty string`);
			byKey.set(filter.key, [...(byKey.get(filter.key) ?? []), filter.value]);
		});
		for (const key of ['template_id', 'creator', 'sp_status', 'record_type']) {
			if ((byKey.get(key)?.length ?? 0) > 1) fail(301025, `filter ${key} may be given once (only department repeats)`);
		}
		const app = appOf(ctx);
		const matches = [...ctx.store.approvals.instances.values()].filter((instance) => {
			if (instance.corpId !== app.corpId) return false;
			if (instance.applyTime < start || instance.applyTime > end) return false;
			const is = (key: string, actual: string) => !byKey.has(key) || byKey.get(key)!.includes(actual);
			if (!is('template_id', instance.templateId) || !is('creator', instance.creator) || !is('sp_status', String(instance.status))) return false;
			const departments = byKey.get('department');
			if (departments && !departments.some((id) => ctx.store.approvals.member(instance.creator)?.department.includes(Number(id)))) return false;
			return true;
		});
		const query = JSON.stringify([start, end, [...byKey.entries()]]);
		const offset = offsetOf(body.new_cursor ?? body.cursor, query);
		const page = matches.slice(offset, offset + size).map((instance) => instance.spNo);
		const next = offset + size < matches.length ? { new_next_cursor: cursorOf(offset + size, query) } : {};
		return ok({ sp_no_list: page, ...next });
	},
};

const getapprovaldetail: Route = {
	needsToken: true,
	handle(ctx) {
		const body = jsonBody(ctx);
		const instance = ctx.store.approvals.get(body.sp_no);
		if (instance.corpId !== appOf(ctx).corpId) fail(301025, `sp_no ${instance.spNo} not found`);
		return ok({ info: ctx.store.approvals.detail(instance) });
	},
};

export const approvalRoutes: Record<string, Route> = {
	'/cgi-bin/oa/gettemplatedetail': gettemplatedetail,
	'/cgi-bin/oa/applyevent': applyevent,
	'/cgi-bin/oa/getapprovalinfo': getapprovalinfo,
	'/cgi-bin/oa/getapprovaldetail': getapprovaldetail,
};
