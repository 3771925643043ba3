/**
 * /__sandbox/smartsheet/* controls: seed documents a person made (optionally shared with apps), set the 文档 API app
 * list, create a sheet's webhook key, and inspect documents and records the way a test wants to see them.
 */
import { cellOf, type FieldSpec, type SmartDoc, type SmartsheetStore } from './smartsheet';

export interface SmartsheetSnapshot {
	docid: string;
	doc_name: string;
	url: string;
	creatorAgentId?: number;
	sharedWith: number[];
	admin_users: string[];
	spaceid?: string;
	fatherid?: string;
	sheets: Array<{
		sheet_id: string;
		title: string;
		fields: Array<{ field_id: string; field_title: string; field_type: string; [property: string]: unknown }>;
		views: Array<{ view_id: string; view_title: string; view_type: string }>;
		/** Records with cells keyed by field title, as WeCom stores them. */
		records: Array<{ record_id: string; values: Record<string, unknown> }>;
	}>;
}

export function snapshot(doc: SmartDoc): SmartsheetSnapshot {
	return {
		docid: doc.docid,
		doc_name: doc.doc_name,
		url: doc.url,
		creatorAgentId: doc.creatorAgentId,
		sharedWith: [...doc.sharedWith],
		admin_users: doc.admin_users,
		spaceid: doc.spaceid,
		fatherid: doc.fatherid,
		sheets: doc.sheets.map((sheet) => ({
			sheet_id: sheet.sheet_id,
			title: sheet.title,
			fields: sheet.fields.map((field) => ({ field_id: field.field_id, field_title: field.field_title, field_type: field.field_type, ...structuredClone(field.properties) })),
			views: sheet.views.map((view) => ({ ...view })),
			records: sheet.records.map((record) => {
				const values: Record<string, unknown> = {};
				for (const field of sheet.fields) {
					const cell = cellOf(field, record);
					if (cell !== undefined) values[field.field_title] = cell;
				}
				return { record_id: record.record_id, values };
			}),
		})),
	};
}

export interface SeedSpec {
	docName?: string;
	/** Agent IDs the document is shared with (a person added the app to the document). */
	sharedWith?: number[];
	/** Make the app with this agent ID the document's creator. */
	creatorAgentId?: number;
	sheets?: Array<{ title?: string; fields?: FieldSpec[]; records?: Array<Record<string, unknown>> }>;
}

export class SmartsheetControlError extends Error {}

/** Handles `smartsheet/<action>`; returns undefined for an action it does not know. */
export function handleSmartsheetControl(
	store: SmartsheetStore,
	corpId: string,
	action: string,
	query: Record<string, string>,
	body: Record<string, unknown>,
): { status: number; body: unknown } | undefined {
	const docOf = (): SmartDoc => {
		const docid = query.docid ?? body.docid;
		const doc = typeof docid === 'string' ? store.docs.get(docid) : undefined;
		if (!doc) throw new SmartsheetControlError(`No document ${String(docid)}`);
		return doc;
	};
	switch (action) {
		case 'seed': {
			const spec = body as SeedSpec;
			const doc = store.seed({
				corpId,
				doc_name: spec.docName,
				creatorAgentId: spec.creatorAgentId,
				sharedWith: spec.sharedWith,
				sheets: spec.sheets?.map((sheet) => ({ title: sheet.title, fields: sheet.fields })),
			});
			spec.sheets?.forEach((sheetSpec, index) => {
				const sheet = doc.sheets[index];
				for (const values of sheetSpec.records ?? []) {
					const cells = new Map<string, unknown>();
					for (const [title, value] of Object.entries(values)) {
						const field = sheet.fields.find((entry) => entry.field_title === title);
						if (!field) throw new SmartsheetControlError(`No field "${title}" in seeded sheet ${index}`);
						cells.set(field.field_id, value);
					}
					store.newRecord(sheet, cells, 'zhangsan');
				}
			});
			return { status: 200, body: snapshot(doc) };
		}
		case 'doc':
			return { status: 200, body: snapshot(docOf()) };
		case 'docs':
			return { status: 200, body: { docs: [...store.docs.values()].map(snapshot) } };
		case 'share': {
			const doc = docOf();
			const agentId = Number(body.agentId);
			if (body.shared === false) doc.sharedWith.delete(agentId);
			else doc.sharedWith.add(agentId);
			return { status: 200, body: { ok: true } };
		}
		case 'doc-api-apps': {
			const list = body.agentIds;
			store.docApiApps = Array.isArray(list) ? new Set(list.map(Number)) : undefined;
			return { status: 200, body: { ok: true } };
		}
		case 'webhook': {
			const doc = docOf();
			const sheetId = typeof body.sheetId === 'string' ? body.sheetId : doc.sheets[0]?.sheet_id;
			const key = store.createWebhook(doc.docid, String(sheetId));
			return { status: 200, body: { key, path: `/cgi-bin/wedoc/smartsheet/webhook?key=${key}` } };
		}
		default:
			return undefined;
	}
}
