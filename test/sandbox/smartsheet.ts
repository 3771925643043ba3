/**
 * Smart sheets (智能表格) in the sandbox: documents with sheets (子表), views, typed fields (字段, with select options)
 * and records (记录), plus WeCom's rules: which app may call a document, per-call limits, cell formats per field type,
 * filters and sorting, offset paging. Routes in routes/wedoc.ts; state lives here and is emptied by reset().
 *
 * WeCom's pages for these endpoints list no error codes of their own (see README: verify). The sandbox answers with
 * WeCom's global codes: 48002 (the app is not in 文档 → 可调用接口的应用, or the document is not the app's),
 * 40058 (an unknown docid / sheet_id / field / record, a cell of the wrong format, a limit exceeded).
 */
import { isKnownUser } from './directory';
import { fail } from './errors';
import { isRecord, randomId } from './util';

/** Records per add/update/delete call (WeCom advises at most 500; the sandbox refuses more). */
export const RECORDS_PER_CALL = 500;
/** Records (and views, fields) per read. */
export const READ_LIMIT = 1000;
export const MAX_ROWS = 100_000;
export const MAX_CELLS = 15_000_000;
export const MAX_FIELDS = 150;
export const MAX_VIEWS = 200;

export const READ_ONLY_TYPES = new Set([
	'FIELD_TYPE_CREATED_USER',
	'FIELD_TYPE_MODIFIED_USER',
	'FIELD_TYPE_CREATED_TIME',
	'FIELD_TYPE_MODIFIED_TIME',
	'FIELD_TYPE_FORMULA',
	'FIELD_TYPE_AUTONUMBER',
	'FIELD_TYPE_REFERENCE',
	'FIELD_TYPE_LOOKUP',
]);

export const FIELD_TYPES = new Set([
	'FIELD_TYPE_TEXT',
	'FIELD_TYPE_NUMBER',
	'FIELD_TYPE_CHECKBOX',
	'FIELD_TYPE_DATE_TIME',
	'FIELD_TYPE_IMAGE',
	'FIELD_TYPE_ATTACHMENT',
	'FIELD_TYPE_USER',
	'FIELD_TYPE_URL',
	'FIELD_TYPE_SELECT',
	'FIELD_TYPE_SINGLE_SELECT',
	'FIELD_TYPE_PROGRESS',
	'FIELD_TYPE_PHONE_NUMBER',
	'FIELD_TYPE_EMAIL',
	'FIELD_TYPE_LOCATION',
	'FIELD_TYPE_CURRENCY',
	'FIELD_TYPE_WWGROUP',
	'FIELD_TYPE_PERCENTAGE',
	'FIELD_TYPE_BARCODE',
	...READ_ONLY_TYPES,
]);

export interface SmartOption {
	id: string;
	text: string;
	style: number;
}

export interface SmartField {
	field_id: string;
	field_title: string;
	field_type: string;
	/** property_<type> objects as WeCom names them, e.g. property_select: { options: [...] }. */
	properties: Record<string, Record<string, unknown>>;
}

export interface SmartRecord {
	record_id: string;
	/** Cells by field ID. */
	values: Map<string, unknown>;
	create_time: number;
	update_time: number;
	creator: string;
	updater: string;
	seq: number;
}

export interface SmartView {
	view_id: string;
	view_title: string;
	view_type: string;
	property?: Record<string, unknown>;
}

export interface SmartSheetTab {
	sheet_id: string;
	title: string;
	index: number;
	fields: SmartField[];
	views: SmartView[];
	records: SmartRecord[];
	byId: Map<string, SmartRecord>;
}

export interface SmartDoc {
	docid: string;
	doc_name: string;
	doc_type: number;
	url: string;
	corpId: string;
	/** The app that created it through the API (undefined: created by a person in WeCom). */
	creatorAgentId?: number;
	/** Apps that may call it besides its creator (a person shared it with the app). */
	sharedWith: Set<number>;
	spaceid?: string;
	fatherid?: string;
	admin_users: string[];
	sheets: SmartSheetTab[];
	create_time: number;
	modify_time: number;
}

export interface WebhookTarget {
	docid: string;
	sheet_id: string;
}

/** A field as seeded through the control API or sent to add_fields. */
export interface FieldSpec {
	field_title: string;
	field_type: string;
	[property: string]: unknown;
}

export class SmartsheetStore {
	docs = new Map<string, SmartDoc>();
	webhooks = new Map<string, WebhookTarget>();
	/** Agent IDs in 协作 → 文档 → API → 可调用接口的应用; undefined = every app of the corp. */
	docApiApps: Set<number> | undefined;
	private seq = 0;

	constructor(readonly now: () => number) {}

	clear(): void {
		this.docs.clear();
		this.webhooks.clear();
		this.docApiApps = undefined;
		this.seq = 0;
	}

	createDoc(spec: { doc_name: string; doc_type: number; corpId: string; creatorAgentId?: number; spaceid?: string; fatherid?: string; admin_users?: string[] }): SmartDoc {
		const docid = `dc${randomId(30)}`;
		const path = spec.doc_type === 10 ? 'smartsheet' : spec.doc_type === 4 ? 'sheet' : 'doc';
		const doc: SmartDoc = {
			docid,
			doc_name: spec.doc_name,
			doc_type: spec.doc_type,
			url: `https://doc.weixin.qq.com/${path}/s3_${randomId(12)}`,
			corpId: spec.corpId,
			creatorAgentId: spec.creatorAgentId,
			sharedWith: new Set(),
			spaceid: spec.spaceid,
			fatherid: spec.fatherid,
			admin_users: spec.admin_users ?? [],
			sheets: [],
			create_time: Math.floor(this.now() / 1000),
			modify_time: Math.floor(this.now() / 1000),
		};
		this.docs.set(docid, doc);
		return doc;
	}

	addSheet(doc: SmartDoc, title?: string, index?: number): SmartSheetTab {
		const taken = new Set(doc.sheets.map((sheet) => sheet.title));
		let name = title ?? '';
		if (!name) for (let n = doc.sheets.length + 1; !name || taken.has(name); n++) name = `子表${n}`;
		if (taken.has(name)) fail(40058, `a sheet titled "${name}" already exists`);
		const sheet: SmartSheetTab = {
			sheet_id: randomId(5).replace(/[-_]/g, 'x').slice(0, 6),
			title: name,
			index: index ?? doc.sheets.length,
			fields: [],
			views: [{ view_id: `vw${randomId(4)}`, view_title: '表格视图', view_type: 'VIEW_TYPE_GRID' }],
			records: [],
			byId: new Map(),
		};
		doc.sheets.splice(Math.min(sheet.index, doc.sheets.length), 0, sheet);
		doc.sheets.forEach((entry, position) => (entry.index = position));
		return sheet;
	}

	addField(sheet: SmartSheetTab, spec: FieldSpec): SmartField {
		if (sheet.fields.length >= MAX_FIELDS) fail(40058, `a sheet holds at most ${MAX_FIELDS} fields`);
		const title = typeof spec.field_title === 'string' ? spec.field_title.trim() : '';
		if (!title) fail(40058, 'field_title is required');
		if (sheet.fields.some((field) => field.field_title === title)) fail(40058, `a field titled "${title}" already exists`);
		if (!FIELD_TYPES.has(spec.field_type)) fail(40058, `field_type "${String(spec.field_type)}" is not a WeCom field type`);
		const field: SmartField = { field_id: `f${randomId(4).replace(/[-_]/g, 'x')}`, field_title: title, field_type: spec.field_type, properties: {} };
		setProperties(field, spec);
		sheet.fields.push(field);
		return field;
	}

	/** Seeds a document made by a person (not by the app), optionally shared with apps. */
	seed(spec: { corpId: string; doc_name?: string; creatorAgentId?: number; sharedWith?: number[]; sheets?: Array<{ title?: string; fields?: FieldSpec[] }> }): SmartDoc {
		const doc = this.createDoc({ doc_name: spec.doc_name ?? '智能表格', doc_type: 10, corpId: spec.corpId, creatorAgentId: spec.creatorAgentId });
		for (const agentId of spec.sharedWith ?? []) doc.sharedWith.add(agentId);
		for (const sheetSpec of spec.sheets ?? [{}]) {
			const sheet = this.addSheet(doc, sheetSpec.title);
			for (const field of sheetSpec.fields ?? [{ field_title: '文本', field_type: 'FIELD_TYPE_TEXT' }]) this.addField(sheet, field);
		}
		return doc;
	}

	createWebhook(docid: string, sheetId: string): string {
		const doc = this.docs.get(docid);
		if (!doc?.sheets.some((sheet) => sheet.sheet_id === sheetId)) throw new Error(`No sheet ${sheetId} in document ${docid}`);
		const key = randomId(24);
		this.webhooks.set(key, { docid, sheet_id: sheetId });
		return key;
	}

	/**
	 * 48002 when the app is not in the 文档 API list, or the document is neither the app's nor shared with it.
	 * WeCom's 文档 overview (page 97392) says an app reads and edits only documents it created; `sharedWith` is a test
	 * convenience, not a WeCom feature.
	 */
	docFor(corpId: string, agentId: number, docid: unknown): SmartDoc {
		if (this.docApiApps && !this.docApiApps.has(agentId)) {
			fail(48002, `app ${agentId} is not in 文档 → 可调用接口的应用`);
		}
		if (typeof docid !== 'string' || !docid) fail(40058, 'docid is required');
		const doc = this.docs.get(docid);
		if (!doc || doc.corpId !== corpId) fail(40058, `docid "${docid}" does not exist`);
		if (doc.creatorAgentId !== agentId && !doc.sharedWith.has(agentId)) {
			fail(48002, `app ${agentId} may not call document ${docid}: it was not created by this app`);
		}
		return doc;
	}

	newRecord(sheet: SmartSheetTab, values: Map<string, unknown>, who: string): SmartRecord {
		const at = this.now();
		const record: SmartRecord = { record_id: `r${randomId(5).replace(/[-_]/g, 'x')}`, values, create_time: at, update_time: at, creator: who, updater: who, seq: ++this.seq };
		sheet.records.push(record);
		sheet.byId.set(record.record_id, record);
		return record;
	}
}

function setProperties(field: SmartField, spec: Record<string, unknown>): void {
	for (const [key, value] of Object.entries(spec)) {
		if (!key.startsWith('property_')) continue;
		if (!isRecord(value)) fail(40058, `${key} must be an object`);
		const property = { ...value };
		if (key === 'property_select' || key === 'property_single_select') {
			const options = Array.isArray(property.options) ? property.options : [];
			property.options = options.map((option: unknown, index: number) => {
				if (!isRecord(option) || typeof option.text !== 'string' || !option.text) fail(40058, `${key}.options[${index}] needs a text`);
				return { id: typeof option.id === 'string' && option.id ? option.id : `op${randomId(4)}`, text: option.text, style: typeof option.style === 'number' ? option.style : (index % 27) + 1 };
			});
		}
		field.properties[key] = property;
	}
}

export function updateFieldProperties(field: SmartField, spec: Record<string, unknown>): void {
	setProperties(field, spec);
}

export function optionsOf(field: SmartField): SmartOption[] {
	const property = field.properties.property_select ?? field.properties.property_single_select;
	return (property?.options as SmartOption[] | undefined) ?? [];
}

/** The field a cell key names: by title (default) or by ID (CELL_VALUE_KEY_TYPE_FIELD_ID). */
export function fieldByKey(sheet: SmartSheetTab, key: string, byId: boolean): SmartField {
	const field = sheet.fields.find((entry) => (byId ? entry.field_id === key : entry.field_title === key));
	if (!field) fail(40058, `field ${byId ? 'id' : 'title'} "${key}" does not exist in sheet ${sheet.sheet_id}`);
	return field;
}

const isDigits = (value: unknown): value is string => typeof value === 'string' && /^\d{1,16}$/.test(value);

function bad(field: SmartField, expected: string): never {
	fail(40058, `the value for field "${field.field_title}" (${field.field_type}) must be ${expected}`);
}

function arrayOf(field: SmartField, value: unknown, expected: string): Record<string, unknown>[] {
	if (!Array.isArray(value) || value.some((entry) => !isRecord(entry))) bad(field, expected);
	return value as Record<string, unknown>[];
}

/**
 * Validates one cell as WeCom's add/update_records would, returning the value to store (select options by text are
 * matched, or created as WeCom does). Throws 40058 with the field and the expected format.
 */
export function validateCell(field: SmartField, value: unknown): unknown {
	if (READ_ONLY_TYPES.has(field.field_type)) fail(40058, `field "${field.field_title}" (${field.field_type}) cannot be written`);
	switch (field.field_type) {
		case 'FIELD_TYPE_TEXT': {
			const segments = arrayOf(field, value, 'an array of {type:"text",text} or {type:"url",text,link}');
			for (const segment of segments) {
				if (segment.type === 'text' && typeof segment.text === 'string') continue;
				if (segment.type === 'url' && typeof segment.text === 'string' && typeof segment.link === 'string') continue;
				bad(field, 'an array of {type:"text",text} or {type:"url",text,link}');
			}
			return segments;
		}
		case 'FIELD_TYPE_NUMBER':
		case 'FIELD_TYPE_CURRENCY':
		case 'FIELD_TYPE_PERCENTAGE':
		case 'FIELD_TYPE_PROGRESS':
			if (typeof value !== 'number' || !Number.isFinite(value)) bad(field, 'a number');
			return value;
		case 'FIELD_TYPE_CHECKBOX':
			if (typeof value !== 'boolean') bad(field, 'true or false');
			return value;
		case 'FIELD_TYPE_DATE_TIME':
			if (!isDigits(value)) bad(field, 'a string of Unix milliseconds, e.g. "1700000000000"');
			return value;
		case 'FIELD_TYPE_USER': {
			const users = arrayOf(field, value, 'an array of {user_id}');
			for (const user of users) {
				if (typeof user.user_id !== 'string' || !isKnownUser(user.user_id)) fail(40058, `field "${field.field_title}": unknown user_id "${String(user.user_id)}"`);
			}
			const multiple = field.properties.property_user?.is_multiple !== false;
			if (!multiple && users.length > 1) bad(field, 'one user (the field does not allow several)');
			return users.map((user) => ({ user_id: user.user_id }));
		}
		case 'FIELD_TYPE_URL': {
			const links = arrayOf(field, value, 'an array of one {type:"url",text,link}');
			const link = links[0];
			if (links.length !== 1 || link.type !== 'url' || typeof link.link !== 'string' || !/^https?:\/\/\S+$/.test(link.link)) {
				bad(field, 'an array of one {type:"url",text,link} with an http(s) link');
			}
			return [{ type: 'url', text: typeof link.text === 'string' && link.text ? link.text : link.link, link: link.link }];
		}
		case 'FIELD_TYPE_SELECT':
		case 'FIELD_TYPE_SINGLE_SELECT': {
			const picks = arrayOf(field, value, 'an array of {id} or {text}');
			if (field.field_type === 'FIELD_TYPE_SINGLE_SELECT' && picks.length > 1) bad(field, 'one option (single select)');
			const key = field.field_type === 'FIELD_TYPE_SELECT' ? 'property_select' : 'property_single_select';
			const property = (field.properties[key] ??= { options: [] });
			const options = (property.options ??= []) as SmartOption[];
			return picks.map((pick) => {
				if (typeof pick.id === 'string') {
					const option = options.find((entry) => entry.id === pick.id);
					if (!option) fail(40058, `field "${field.field_title}": option id "${pick.id}" does not exist`);
					return { id: option.id, text: option.text, style: option.style };
				}
				if (typeof pick.text === 'string' && pick.text) {
					let option = options.find((entry) => entry.text === pick.text);
					if (!option) {
						option = { id: `op${randomId(4)}`, text: pick.text, style: typeof pick.style === 'number' ? pick.style : (options.length % 27) + 1 };
						options.push(option);
					}
					return { id: option.id, text: option.text, style: option.style };
				}
				bad(field, 'an array of {id} or {text}');
			});
		}
		case 'FIELD_TYPE_PHONE_NUMBER':
			if (typeof value !== 'string' || !/^\+?[0-9][0-9 ()-]{2,30}$/.test(value)) bad(field, 'a phone number string');
			return value;
		case 'FIELD_TYPE_EMAIL':
			if (typeof value !== 'string' || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) bad(field, 'an email address string');
			return value;
		case 'FIELD_TYPE_BARCODE':
			if (typeof value !== 'string') bad(field, 'a string');
			return value;
		case 'FIELD_TYPE_LOCATION': {
			const places = arrayOf(field, value, 'an array of one {source_type:1,id,latitude,longitude,title}');
			const place = places[0];
			const lat = Number(place?.latitude);
			const lng = Number(place?.longitude);
			if (places.length !== 1 || place.source_type !== 1 || typeof place.title !== 'string' || !(Math.abs(lat) <= 90) || !(Math.abs(lng) <= 180)) {
				bad(field, 'an array of one {source_type:1,id,latitude,longitude,title} with latitude -90..90 and longitude -180..180');
			}
			return [{ source_type: 1, id: typeof place.id === 'string' ? place.id : '', latitude: String(place.latitude), longitude: String(place.longitude), title: place.title }];
		}
		case 'FIELD_TYPE_IMAGE': {
			const images = arrayOf(field, value, 'an array of {image_url}');
			if (images.some((image) => typeof image.image_url !== 'string' || !/^https?:\/\//.test(image.image_url))) bad(field, 'an array of {image_url} with http(s) URLs');
			return images.map((image) => ({ id: randomId(6), title: typeof image.title === 'string' ? image.title : '', image_url: image.image_url, width: image.width ?? 0, height: image.height ?? 0 }));
		}
		case 'FIELD_TYPE_ATTACHMENT': {
			// CellAttachmentValue (page 99907): a file already in WeCom, by its 微盘 share link or document URL.
			const files = arrayOf(field, value, 'an array of {name, file_url}');
			if (files.some((file) => typeof file.name !== 'string' || typeof file.file_url !== 'string' || !/^https?:\/\//.test(file.file_url))) {
				bad(field, 'an array of {name, file_url} with http(s) URLs');
			}
			return files.map((file) => ({ doc_type: 2, size: 0, file_ext: '', file_type: 'Wedrive', ...file }));
		}
		case 'FIELD_TYPE_WWGROUP':
			return arrayOf(field, value, 'an array of objects');
		default:
			fail(40058, `field "${field.field_title}" (${field.field_type}) cannot be written`);
	}
}

/** A record's cells as get_records answers them: system fields filled in, empty cells left out. */
export function readValues(sheet: SmartSheetTab, record: SmartRecord, byId: boolean, only?: Set<string>): Record<string, unknown> {
	const values: Record<string, unknown> = {};
	for (const field of sheet.fields) {
		if (only && !only.has(field.field_id)) continue;
		const cell = cellOf(field, record);
		if (cell === undefined) continue;
		values[byId ? field.field_id : field.field_title] = cell;
	}
	return values;
}

export function cellOf(field: SmartField, record: SmartRecord): unknown {
	switch (field.field_type) {
		case 'FIELD_TYPE_CREATED_TIME':
			return String(record.create_time);
		case 'FIELD_TYPE_MODIFIED_TIME':
			return String(record.update_time);
		case 'FIELD_TYPE_CREATED_USER':
			return [{ user_id: record.creator }];
		case 'FIELD_TYPE_MODIFIED_USER':
			return [{ user_id: record.updater }];
		case 'FIELD_TYPE_AUTONUMBER':
			return [{ seq: String(record.seq), text: String(record.seq) }];
		case 'FIELD_TYPE_USER': {
			const users = record.values.get(field.field_id) as Array<{ user_id: string }> | undefined;
			return users?.map((user) => ({ user_id: user.user_id, id_type: 1 }));
		}
		default:
			return record.values.get(field.field_id);
	}
}

/** The comparable plain value of a cell (for filters and sorting). */
function plain(field: SmartField, cell: unknown): string | number | boolean | string[] | undefined {
	if (cell === undefined || cell === null) return undefined;
	if (typeof cell === 'number' || typeof cell === 'boolean') return cell;
	if (typeof cell === 'string') return /TIME/.test(field.field_type) ? Number(cell) : cell;
	if (Array.isArray(cell)) {
		if (field.field_type === 'FIELD_TYPE_TEXT' || field.field_type === 'FIELD_TYPE_URL') return cell.map((part: { text?: string }) => part.text ?? '').join('');
		if (field.field_type === 'FIELD_TYPE_SELECT' || field.field_type === 'FIELD_TYPE_SINGLE_SELECT') return cell.map((option: { id: string }) => option.id);
		if (/USER/.test(field.field_type)) return cell.map((user: { user_id: string }) => user.user_id);
		return cell.map((entry) => JSON.stringify(entry));
	}
	return JSON.stringify(cell);
}

const DAY = 86_400_000;

function dayRange(type: string, value: unknown[], now: number): [number, number] {
	const today = Math.floor(now / DAY) * DAY;
	switch (type) {
		case 'DATE_TIME_TYPE_DETAIL_DATE': {
			const ms = Number(value[0]);
			if (!Number.isFinite(ms)) fail(40058, 'date_time_value.value must hold a millisecond timestamp for DATE_TIME_TYPE_DETAIL_DATE');
			const start = Math.floor(ms / DAY) * DAY;
			return [start, start + DAY];
		}
		case 'DATE_TIME_TYPE_TODAY':
			return [today, today + DAY];
		case 'DATE_TIME_TYPE_TOMORROW':
			return [today + DAY, today + 2 * DAY];
		case 'DATE_TIME_TYPE_YESTERDAY':
			return [today - DAY, today];
		case 'DATE_TIME_TYPE_THE_PAST_7_DAYS':
			return [today - 6 * DAY, today + DAY];
		case 'DATE_TIME_TYPE_THE_NEXT_7_DAYS':
			return [today, today + 7 * DAY];
		default:
			fail(40058, `date_time_value.type "${type}" is not supported`);
	}
}

export interface Condition {
	field: SmartField;
	operator: string;
	test: (cell: unknown) => boolean;
}

const OPERATORS = new Set([
	'OPERATOR_IS',
	'OPERATOR_IS_NOT',
	'OPERATOR_CONTAINS',
	'OPERATOR_DOES_NOT_CONTAIN',
	'OPERATOR_IS_GREATER',
	'OPERATOR_IS_GREATER_OR_EQUAL',
	'OPERATOR_IS_LESS',
	'OPERATOR_IS_LESS_OR_EQUAL',
	'OPERATOR_IS_EMPTY',
	'OPERATOR_IS_NOT_EMPTY',
]);

/** Compiles filter_spec into a predicate; 40058 for anything WeCom would not accept. */
export function compileFilter(sheet: SmartSheetTab, spec: unknown, now: number): (record: SmartRecord) => boolean {
	if (!isRecord(spec)) fail(40058, 'filter_spec must be an object');
	const conjunction = spec.conjunction ?? 'CONJUNCTION_AND';
	if (conjunction !== 'CONJUNCTION_AND' && conjunction !== 'CONJUNCTION_OR') fail(40058, 'filter_spec.conjunction must be CONJUNCTION_AND or CONJUNCTION_OR');
	if (!Array.isArray(spec.conditions) || spec.conditions.length === 0) fail(40058, 'filter_spec.conditions must be a non-empty array');
	const tests = spec.conditions.map((raw: unknown, index: number) => {
		const path = `filter_spec.conditions[${index}]`;
		if (!isRecord(raw)) fail(40058, `${path} must be an object`);
		const field = sheet.fields.find((entry) => entry.field_id === raw.field_id);
		if (!field) fail(40058, `${path}.field_id "${String(raw.field_id)}" does not exist`);
		if (raw.field_type !== undefined && raw.field_type !== field.field_type) fail(40058, `${path}.field_type does not match field ${field.field_id} (${field.field_type})`);
		const operator = String(raw.operator);
		if (!OPERATORS.has(operator)) fail(40058, `${path}.operator "${operator}" is not a WeCom operator`);
		return (record: SmartRecord) => testCondition(field, operator, raw, plain(field, cellOf(field, record)), now, path);
	});
	return (record) => (conjunction === 'CONJUNCTION_AND' ? tests.every((test) => test(record)) : tests.some((test) => test(record)));
}

function testCondition(field: SmartField, operator: string, raw: Record<string, unknown>, actual: ReturnType<typeof plain>, now: number, path: string): boolean {
	const empty = actual === undefined || actual === '' || (Array.isArray(actual) && actual.length === 0);
	if (operator === 'OPERATOR_IS_EMPTY') return empty;
	if (operator === 'OPERATOR_IS_NOT_EMPTY') return !empty;
	const negate = operator === 'OPERATOR_IS_NOT' || operator === 'OPERATOR_DOES_NOT_CONTAIN';
	const result = (value: boolean) => (negate ? !value : value);
	if (isRecord(raw.string_value) || isRecord(raw.user_value)) {
		const wanted = ((raw.string_value ?? raw.user_value) as Record<string, unknown>).value;
		if (!Array.isArray(wanted) || wanted.some((entry) => typeof entry !== 'string')) fail(40058, `${path}: value must be an array of strings`);
		const values = Array.isArray(actual) ? actual : actual === undefined ? [] : [String(actual)];
		if (operator === 'OPERATOR_CONTAINS' || operator === 'OPERATOR_DOES_NOT_CONTAIN') {
			return result(wanted.some((entry) => values.some((value) => value.includes(entry))));
		}
		if (operator === 'OPERATOR_IS' || operator === 'OPERATOR_IS_NOT') return result(wanted.some((entry) => values.includes(entry)));
		fail(40058, `${path}: ${operator} does not apply to ${field.field_type}`);
	}
	if (isRecord(raw.number_value)) {
		const wanted = Number(raw.number_value.value);
		if (!Number.isFinite(wanted)) fail(40058, `${path}: number_value.value must be a number`);
		if (typeof actual !== 'number') return negate;
		return compare(operator, actual, wanted, path);
	}
	if (isRecord(raw.bool_value)) {
		if (typeof raw.bool_value.value !== 'boolean') fail(40058, `${path}: bool_value.value must be a boolean`);
		const value = actual === true;
		return result(value === raw.bool_value.value);
	}
	if (isRecord(raw.date_time_value)) {
		const wanted = raw.date_time_value.value;
		const [start, end] = dayRange(String(raw.date_time_value.type ?? 'DATE_TIME_TYPE_DETAIL_DATE'), Array.isArray(wanted) ? wanted : [], now);
		if (typeof actual !== 'number') return negate;
		switch (operator) {
			case 'OPERATOR_IS':
			case 'OPERATOR_IS_NOT':
				return result(actual >= start && actual < end);
			case 'OPERATOR_IS_GREATER':
				return actual >= end;
			case 'OPERATOR_IS_GREATER_OR_EQUAL':
				return actual >= start;
			case 'OPERATOR_IS_LESS':
				return actual < start;
			case 'OPERATOR_IS_LESS_OR_EQUAL':
				return actual < end;
			default:
				fail(40058, `${path}: ${operator} does not apply to dates`);
		}
	}
	fail(40058, `${path} needs string_value, number_value, bool_value, user_value or date_time_value`);
}

function compare(operator: string, actual: number, wanted: number, path: string): boolean {
	switch (operator) {
		case 'OPERATOR_IS':
			return actual === wanted;
		case 'OPERATOR_IS_NOT':
			return actual !== wanted;
		case 'OPERATOR_IS_GREATER':
			return actual > wanted;
		case 'OPERATOR_IS_GREATER_OR_EQUAL':
			return actual >= wanted;
		case 'OPERATOR_IS_LESS':
			return actual < wanted;
		case 'OPERATOR_IS_LESS_OR_EQUAL':
			return actual <= wanted;
		default:
			fail(40058, `${path}: ${operator} does not apply to numbers`);
	}
}

/** sort: [{field_title, desc}] → comparator on plain values (empty cells last). */
export function compileSort(sheet: SmartSheetTab, sort: unknown): (a: SmartRecord, b: SmartRecord) => number {
	if (!Array.isArray(sort)) fail(40058, 'sort must be an array');
	const keys = sort.map((entry: unknown, index: number) => {
		if (!isRecord(entry) || typeof entry.field_title !== 'string') fail(40058, `sort[${index}].field_title is required`);
		const field = sheet.fields.find((candidate) => candidate.field_title === entry.field_title);
		if (!field) fail(40058, `sort[${index}].field_title "${entry.field_title}" does not exist`);
		return { field, desc: entry.desc === true };
	});
	return (a, b) => {
		for (const { field, desc } of keys) {
			const left = plain(field, cellOf(field, a));
			const right = plain(field, cellOf(field, b));
			if (left === undefined && right === undefined) continue;
			if (left === undefined) return 1;
			if (right === undefined) return -1;
			const order = typeof left === 'number' && typeof right === 'number' ? left - right : String(left).localeCompare(String(right));
			if (order !== 0) return desc ? -order : order;
		}
		return 0;
	};
}
