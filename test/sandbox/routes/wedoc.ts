/**
 * Documents and smart sheets (wedoc/…, pages 97392, 97460, 99896–99909, 101240, 101241): create/get/delete documents,
 * sheets, views, fields and records, with WeCom's limits and the token-less webhook write. State: ../smartsheet.ts.
 */
import { fail } from '../errors';
import {
	compileFilter,
	compileSort,
	fieldByKey,
	MAX_CELLS,
	MAX_ROWS,
	MAX_VIEWS,
	READ_LIMIT,
	READ_ONLY_TYPES,
	RECORDS_PER_CALL,
	readValues,
	updateFieldProperties,
	validateCell,
	type SmartDoc,
	type SmartField,
	type SmartRecord,
	type SmartSheetTab,
	type SmartView,
} from '../smartsheet';
import { isKnownUser } from '../directory';
import { charCount, isRecord } from '../util';
import { appOf, jsonBody, ok, type Route, type RouteContext } from './context';

const DOC_TYPES = new Set([3, 4, 10, 11]);
const VIEW_TYPES = new Set(['VIEW_TYPE_GRID', 'VIEW_TYPE_KANBAN', 'VIEW_TYPE_GALLERY', 'VIEW_TYPE_GANTT', 'VIEW_TYPE_CALENDAR']);
const KEY_TYPES = new Set(['CELL_VALUE_KEY_TYPE_FIELD_TITLE', 'CELL_VALUE_KEY_TYPE_FIELD_ID']);

function post(handle: (ctx: RouteContext, body: Record<string, unknown>) => Record<string, unknown> | void): Route {
	return {
		needsToken: true,
		handle(ctx) {
			if (ctx.method !== 'POST') fail(40058, 'wedoc APIs are POST only');
			return ok(handle(ctx, jsonBody(ctx)) ?? {});
		},
	};
}

function docOf(ctx: RouteContext, body: Record<string, unknown>): SmartDoc {
	const app = appOf(ctx);
	return ctx.store.smartsheet.docFor(app.corpId, app.agentId, body.docid);
}

function sheetOf(doc: SmartDoc, sheetId: unknown): SmartSheetTab {
	if (typeof sheetId !== 'string' || !sheetId) fail(40058, 'sheet_id is required');
	const sheet = doc.sheets.find((entry) => entry.sheet_id === sheetId);
	if (!sheet) fail(40058, `sheet_id "${sheetId}" does not exist in document ${doc.docid}`);
	return sheet;
}

function docSheet(ctx: RouteContext, body: Record<string, unknown>): { doc: SmartDoc; sheet: SmartSheetTab } {
	const doc = docOf(ctx, body);
	return { doc, sheet: sheetOf(doc, body.sheet_id) };
}

function touch(ctx: RouteContext, doc: SmartDoc): void {
	doc.modify_time = Math.floor(ctx.at / 1000);
}

function keyById(body: Record<string, unknown>): boolean {
	const keyType = body.key_type ?? 'CELL_VALUE_KEY_TYPE_FIELD_TITLE';
	if (typeof keyType !== 'string' || !KEY_TYPES.has(keyType)) fail(40058, `key_type "${String(keyType)}" is not valid`);
	return keyType === 'CELL_VALUE_KEY_TYPE_FIELD_ID';
}

/** offset/limit as WeCom reads them: limit ≤ 1000, 0 or absent = up to 1000. */
function paging(body: Record<string, unknown>): { offset: number; limit: number } {
	const offset = body.offset ?? 0;
	const limit = body.limit ?? 0;
	if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0) fail(40058, 'offset must be a non-negative integer');
	if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0 || limit > READ_LIMIT) fail(40058, `limit must be an integer from 0 to ${READ_LIMIT}`);
	return { offset, limit: limit === 0 ? READ_LIMIT : limit };
}

function page<T>(list: T[], body: Record<string, unknown>): { total: number; has_more: boolean; next: number; items: T[] } {
	const { offset, limit } = paging(body);
	const items = list.slice(offset, offset + limit);
	const next = offset + items.length;
	return { total: list.length, has_more: next < list.length, next, items };
}

function fieldJson(field: SmartField): Record<string, unknown> {
	return { field_id: field.field_id, field_title: field.field_title, field_type: field.field_type, ...structuredClone(field.properties) };
}

function viewJson(view: SmartView): Record<string, unknown> {
	return { view_id: view.view_id, view_title: view.view_title, view_type: view.view_type, ...(view.property ? { property: view.property } : {}) };
}

function recordsList(body: Record<string, unknown>, key = 'records'): Record<string, unknown>[] {
	const list = body[key];
	if (!Array.isArray(list) || list.length === 0) fail(40058, `${key} must be a non-empty array`);
	if (list.length > RECORDS_PER_CALL) fail(40058, `${key} holds ${list.length} records; at most ${RECORDS_PER_CALL} per call`);
	if (list.some((entry) => !isRecord(entry))) fail(40058, `${key} must hold objects`);
	return list as Record<string, unknown>[];
}

/** Validates every cell of every record first: WeCom writes a call's records all or none. */
function cells(sheet: SmartSheetTab, values: unknown, byId: boolean, path: string): Map<string, unknown> {
	if (!isRecord(values)) fail(40058, `${path}.values must be an object`);
	const result = new Map<string, unknown>();
	for (const [key, value] of Object.entries(values)) {
		const field = fieldByKey(sheet, key, byId);
		result.set(field.field_id, validateCell(field, value));
	}
	return result;
}

function checkCapacity(sheet: SmartSheetTab, adding: number): void {
	if (sheet.records.length + adding > MAX_ROWS) fail(40058, `a sheet holds at most ${MAX_ROWS} records`);
	if ((sheet.records.length + adding) * Math.max(1, sheet.fields.length) > MAX_CELLS) fail(40058, `a sheet holds at most ${MAX_CELLS} cells`);
}

function recordJson(sheet: SmartSheetTab, record: SmartRecord, byId: boolean, only?: Set<string>): Record<string, unknown> {
	return {
		record_id: record.record_id,
		create_time: String(record.create_time),
		update_time: String(record.update_time),
		values: readValues(sheet, record, byId, only),
		creator_name: record.creator,
		updater_name: record.updater,
	};
}

function addRecords(ctx: RouteContext, sheet: SmartSheetTab, list: Record<string, unknown>[], byId: boolean, who: string): SmartRecord[] {
	const prepared = list.map((entry, index) => cells(sheet, entry.values, byId, `records[${index}]`));
	checkCapacity(sheet, prepared.length);
	return prepared.map((values) => ctx.store.smartsheet.newRecord(sheet, values, who));
}

function updateRecords(ctx: RouteContext, sheet: SmartSheetTab, list: Record<string, unknown>[], byId: boolean, who: string): SmartRecord[] {
	const prepared = list.map((entry, index) => {
		const id = entry.record_id;
		if (typeof id !== 'string' || !id) fail(40058, `records[${index}].record_id is required`);
		const record = sheet.byId.get(id);
		if (!record) fail(40058, `record_id "${id}" does not exist in sheet ${sheet.sheet_id}`);
		return { record, values: cells(sheet, entry.values, byId, `records[${index}]`) };
	});
	for (const { record, values } of prepared) {
		for (const [fieldId, value] of values) record.values.set(fieldId, value);
		record.update_time = ctx.at;
		record.updater = who;
	}
	return prepared.map(({ record }) => record);
}

const who = (ctx: RouteContext): string => `app${appOf(ctx).agentId}`;

export const wedocRoutes: Record<string, Route> = {
	'/cgi-bin/wedoc/create_doc': post((ctx, body) => {
		const app = appOf(ctx);
		const store = ctx.store.smartsheet;
		if (store.docApiApps && !store.docApiApps.has(app.agentId)) fail(48002, `app ${app.agentId} is not in 文档 → 可调用接口的应用`);
		const docType = body.doc_type;
		if (typeof docType !== 'number' || !DOC_TYPES.has(docType)) fail(40058, 'doc_type must be 3 (doc), 4 (sheet), 10 (smart sheet) or 11 (smart doc)');
		const name = body.doc_name;
		if (typeof name !== 'string' || !name.trim()) fail(40058, 'doc_name is required');
		if (charCount(name) > 255) fail(40058, 'doc_name is longer than 255 characters');
		if (body.fatherid !== undefined && body.spaceid === undefined) fail(40058, 'fatherid needs spaceid');
		const admins = body.admin_users ?? [];
		if (!Array.isArray(admins) || admins.some((user) => typeof user !== 'string' || !isKnownUser(user))) fail(40058, 'admin_users must list known user IDs');
		const doc = store.createDoc({
			doc_name: name,
			doc_type: docType,
			corpId: app.corpId,
			creatorAgentId: app.agentId,
			spaceid: typeof body.spaceid === 'string' ? body.spaceid : undefined,
			fatherid: typeof body.fatherid === 'string' ? body.fatherid : undefined,
			admin_users: admins as string[],
		});
		// A new smart sheet comes with one sheet holding one text field.
		if (docType === 10) store.addField(store.addSheet(doc), { field_title: '文本', field_type: 'FIELD_TYPE_TEXT' });
		return { url: doc.url, docid: doc.docid };
	}),
	'/cgi-bin/wedoc/get_doc_base_info': post((ctx, body) => {
		const doc = docOf(ctx, body);
		return { doc_base_info: { docid: doc.docid, doc_name: doc.doc_name, create_time: doc.create_time, modify_time: doc.modify_time, doc_type: doc.doc_type } };
	}),
	'/cgi-bin/wedoc/doc_share': post((ctx, body) => ({ share_url: docOf(ctx, body).url })),
	'/cgi-bin/wedoc/del_doc': post((ctx, body) => {
		const doc = docOf(ctx, body);
		if (doc.creatorAgentId !== appOf(ctx).agentId) fail(48002, 'only the app that created a document may delete it');
		ctx.store.smartsheet.docs.delete(doc.docid);
		for (const [key, target] of ctx.store.smartsheet.webhooks) if (target.docid === doc.docid) ctx.store.smartsheet.webhooks.delete(key);
	}),
	'/cgi-bin/wedoc/smartsheet/add_sheet': post((ctx, body) => {
		const doc = docOf(ctx, body);
		const properties = isRecord(body.properties) ? body.properties : {};
		const title = properties.title;
		if (title !== undefined && (typeof title !== 'string' || !title.trim())) fail(40058, 'properties.title must be a non-empty string');
		const index = properties.index;
		if (index !== undefined && (typeof index !== 'number' || !Number.isInteger(index) || index < 0)) fail(40058, 'properties.index must be a non-negative integer');
		const sheet = ctx.store.smartsheet.addSheet(doc, title as string | undefined, index as number | undefined);
		touch(ctx, doc);
		return { properties: { sheet_id: sheet.sheet_id, title: sheet.title, index: sheet.index } };
	}),
	'/cgi-bin/wedoc/smartsheet/get_sheet': post((ctx, body) => {
		const doc = docOf(ctx, body);
		const list = body.sheet_id === undefined ? doc.sheets : [sheetOf(doc, body.sheet_id)];
		return { sheet_list: list.map((sheet) => ({ sheet_id: sheet.sheet_id, title: sheet.title, is_visible: true, type: 'smartsheet' })) };
	}),
	'/cgi-bin/wedoc/smartsheet/update_sheet': post((ctx, body) => {
		const doc = docOf(ctx, body);
		const properties = isRecord(body.properties) ? body.properties : fail(40058, 'properties is required');
		const sheet = sheetOf(doc, properties.sheet_id);
		const title = properties.title;
		if (typeof title !== 'string' || !title.trim()) fail(40058, 'properties.title is required');
		if (doc.sheets.some((entry) => entry !== sheet && entry.title === title)) fail(40058, `a sheet titled "${title}" already exists`);
		sheet.title = title;
		touch(ctx, doc);
	}),
	'/cgi-bin/wedoc/smartsheet/delete_sheet': post((ctx, body) => {
		const doc = docOf(ctx, body);
		const sheet = sheetOf(doc, body.sheet_id);
		doc.sheets = doc.sheets.filter((entry) => entry !== sheet);
		doc.sheets.forEach((entry, position) => (entry.index = position));
		touch(ctx, doc);
	}),
	'/cgi-bin/wedoc/smartsheet/add_view': post((ctx, body) => {
		const { doc, sheet } = docSheet(ctx, body);
		if (sheet.views.length >= MAX_VIEWS) fail(40058, `a sheet holds at most ${MAX_VIEWS} views`);
		if (typeof body.view_title !== 'string' || !body.view_title) fail(40058, 'view_title is required');
		const type = body.view_type ?? 'VIEW_TYPE_GRID';
		if (typeof type !== 'string' || !VIEW_TYPES.has(type)) fail(40058, `view_type "${String(type)}" is not valid`);
		const view: SmartView = { view_id: `vw${Math.random().toString(36).slice(2, 8)}`, view_title: body.view_title, view_type: type };
		sheet.views.push(view);
		touch(ctx, doc);
		return { view: viewJson(view) };
	}),
	'/cgi-bin/wedoc/smartsheet/get_views': post((ctx, body) => {
		const { sheet } = docSheet(ctx, body);
		const ids = Array.isArray(body.view_ids) ? new Set(body.view_ids) : undefined;
		const result = page(sheet.views.filter((view) => !ids || ids.has(view.view_id)), body);
		return { total: result.total, has_more: result.has_more, next: result.next, views: result.items.map(viewJson) };
	}),
	'/cgi-bin/wedoc/smartsheet/add_fields': post((ctx, body) => {
		const { doc, sheet } = docSheet(ctx, body);
		const list = body.fields;
		if (!Array.isArray(list) || list.length === 0 || list.some((entry) => !isRecord(entry))) fail(40058, 'fields must be a non-empty array of objects');
		const added = (list as Array<Record<string, unknown>>).map((spec) => ctx.store.smartsheet.addField(sheet, spec as { field_title: string; field_type: string }));
		touch(ctx, doc);
		return { fields: added.map(fieldJson) };
	}),
	'/cgi-bin/wedoc/smartsheet/update_fields': post((ctx, body) => {
		const { doc, sheet } = docSheet(ctx, body);
		const list = body.fields;
		if (!Array.isArray(list) || list.length === 0 || list.some((entry) => !isRecord(entry))) fail(40058, 'fields must be a non-empty array of objects');
		const updated = (list as Array<Record<string, unknown>>).map((spec, index) => {
			const field = sheet.fields.find((entry) => entry.field_id === spec.field_id);
			if (!field) fail(40058, `fields[${index}].field_id "${String(spec.field_id)}" does not exist`);
			if (spec.field_type !== undefined && spec.field_type !== field.field_type) fail(40058, `fields[${index}]: field_type cannot be changed (${field.field_type})`);
			if (spec.field_title !== undefined) {
				if (typeof spec.field_title !== 'string' || !spec.field_title.trim()) fail(40058, `fields[${index}].field_title must be a non-empty string`);
				if (sheet.fields.some((entry) => entry !== field && entry.field_title === spec.field_title)) fail(40058, `a field titled "${spec.field_title}" already exists`);
			}
			return { field, spec };
		});
		for (const { field, spec } of updated) {
			if (typeof spec.field_title === 'string') field.field_title = spec.field_title;
			updateFieldProperties(field, spec);
		}
		touch(ctx, doc);
		return { fields: updated.map(({ field }) => fieldJson(field)) };
	}),
	'/cgi-bin/wedoc/smartsheet/delete_fields': post((ctx, body) => {
		const { doc, sheet } = docSheet(ctx, body);
		const ids = body.field_ids;
		if (!Array.isArray(ids) || ids.length === 0) fail(40058, 'field_ids must be a non-empty array');
		for (const id of ids) if (!sheet.fields.some((field) => field.field_id === id)) fail(40058, `field_id "${String(id)}" does not exist`);
		if (ids.length >= sheet.fields.length) fail(40058, 'a sheet keeps at least one field');
		sheet.fields = sheet.fields.filter((field) => !ids.includes(field.field_id));
		for (const record of sheet.records) for (const id of ids) record.values.delete(String(id));
		touch(ctx, doc);
	}),
	'/cgi-bin/wedoc/smartsheet/get_fields': post((ctx, body) => {
		const { sheet } = docSheet(ctx, body);
		let list = sheet.fields;
		if (Array.isArray(body.field_ids)) list = list.filter((field) => (body.field_ids as unknown[]).includes(field.field_id));
		if (Array.isArray(body.field_titles)) list = list.filter((field) => (body.field_titles as unknown[]).includes(field.field_title));
		const result = page(list, body);
		return { total: result.total, fields: result.items.map(fieldJson) };
	}),
	'/cgi-bin/wedoc/smartsheet/add_records': post((ctx, body) => {
		const { doc, sheet } = docSheet(ctx, body);
		const byId = keyById(body);
		const added = addRecords(ctx, sheet, recordsList(body), byId, who(ctx));
		touch(ctx, doc);
		return { records: added.map((record) => ({ record_id: record.record_id, values: readValues(sheet, record, byId) })) };
	}),
	'/cgi-bin/wedoc/smartsheet/update_records': post((ctx, body) => {
		const { doc, sheet } = docSheet(ctx, body);
		const byId = keyById(body);
		const updated = updateRecords(ctx, sheet, recordsList(body), byId, who(ctx));
		touch(ctx, doc);
		return { records: updated.map((record) => ({ record_id: record.record_id, values: readValues(sheet, record, byId) })) };
	}),
	'/cgi-bin/wedoc/smartsheet/delete_records': post((ctx, body) => {
		const { doc, sheet } = docSheet(ctx, body);
		const ids = body.record_ids;
		if (!Array.isArray(ids) || ids.length === 0) fail(40058, 'record_ids must be a non-empty array');
		if (ids.length > RECORDS_PER_CALL) fail(40058, `record_ids holds ${ids.length} IDs; at most ${RECORDS_PER_CALL} per call`);
		for (const id of ids) if (typeof id !== 'string' || !sheet.byId.has(id)) fail(40058, `record_id "${String(id)}" does not exist in sheet ${sheet.sheet_id}`);
		const gone = new Set(ids as string[]);
		sheet.records = sheet.records.filter((record) => !gone.has(record.record_id));
		for (const id of gone) sheet.byId.delete(id);
		touch(ctx, doc);
	}),
	'/cgi-bin/wedoc/smartsheet/get_records': post((ctx, body) => {
		const { sheet } = docSheet(ctx, body);
		const byId = keyById(body);
		if (body.filter_spec !== undefined && body.sort !== undefined) fail(40058, 'filter_spec and sort cannot be used together');
		if (body.field_titles !== undefined && body.field_ids !== undefined) fail(40058, 'give field_titles or field_ids, not both');
		let only: Set<string> | undefined;
		if (Array.isArray(body.field_titles)) only = new Set(body.field_titles.map((title) => fieldByKey(sheet, String(title), false).field_id));
		if (Array.isArray(body.field_ids)) only = new Set(body.field_ids.map((id) => fieldByKey(sheet, String(id), true).field_id));
		let list = sheet.records;
		if (body.view_id !== undefined && !sheet.views.some((view) => view.view_id === body.view_id)) fail(40058, `view_id "${String(body.view_id)}" does not exist`);
		if (Array.isArray(body.record_ids)) {
			list = body.record_ids.map((id) => sheet.byId.get(String(id)) ?? fail(40058, `record_id "${String(id)}" does not exist in sheet ${sheet.sheet_id}`));
		}
		if (body.filter_spec !== undefined) list = list.filter(compileFilter(sheet, body.filter_spec, ctx.at));
		if (body.sort !== undefined) list = [...list].sort(compileSort(sheet, body.sort));
		const result = page(list, body);
		return {
			total: result.total,
			has_more: result.has_more,
			next: result.next,
			ver: sheet.records.length,
			records: result.items.map((record) => recordJson(sheet, record, byId, only)),
		};
	}),
	/** The sheet's own webhook (接收外部数据): key in the URL, no token; cells keyed by field ID. */
	'/cgi-bin/wedoc/smartsheet/webhook': {
		needsToken: false,
		handle(ctx) {
			const store = ctx.store.smartsheet;
			const target = ctx.query.key ? store.webhooks.get(ctx.query.key) : undefined;
			if (!target) fail(93000, 'unknown smart sheet webhook key');
			const doc = store.docs.get(target.docid);
			const sheet = doc?.sheets.find((entry) => entry.sheet_id === target.sheet_id);
			if (!doc || !sheet) fail(93000, 'the webhook\'s sheet was deleted');
			const body = jsonBody(ctx);
			if (body.add_records === undefined && body.update_records === undefined) fail(40058, 'add_records or update_records is required');
			const answer: Record<string, unknown> = {};
			for (const key of ['add_records', 'update_records'] as const) {
				if (body[key] === undefined) continue;
				for (const entry of recordsList(body, key)) {
					if (!isRecord(entry.values)) continue;
					for (const fieldKey of Object.keys(entry.values)) {
						const field = fieldByKey(sheet, fieldKey, true);
						if (READ_ONLY_TYPES.has(field.field_type) || field.field_type === 'FIELD_TYPE_ATTACHMENT' || field.field_type === 'FIELD_TYPE_WWGROUP') {
							fail(40058, `field "${field.field_title}" (${field.field_type}) cannot be written through the webhook`);
						}
					}
				}
			}
			if (body.add_records !== undefined) {
				const added = addRecords(ctx, sheet, recordsList(body, 'add_records'), true, 'webhook');
				answer.add_records = added.map((record) => ({ record_id: record.record_id, values: readValues(sheet, record, true) }));
			}
			if (body.update_records !== undefined) {
				const updated = updateRecords(ctx, sheet, recordsList(body, 'update_records'), true, 'webhook');
				answer.update_records = updated.map((record) => ({ record_id: record.record_id, values: readValues(sheet, record, true) }));
			}
			touch(ctx, doc);
			return ok(answer);
		},
	},
};
