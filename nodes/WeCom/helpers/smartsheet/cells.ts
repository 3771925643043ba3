/**
 * Smart sheet (智能表格) cells both ways, as pure functions: plain values from n8n items → WeCom's cell format per
 * field type (for add/update_records), and WeCom's cell objects → plain values (for get_records).
 * A value that does not fit its column throws a CellValueError naming the column, its type and what it accepts.
 */

export interface SelectOption {
	id: string;
	text: string;
	style?: number;
}

/** A field as get_fields answers it (property_<type> objects beside the three keys). */
export interface SheetField {
	field_id: string;
	field_title: string;
	field_type: string;
	property_select?: { options?: SelectOption[] };
	property_single_select?: { options?: SelectOption[] };
	property_user?: { is_multiple?: boolean };
	[property: string]: unknown;
}

export class CellValueError extends Error {
	constructor(
		readonly field: string,
		message: string,
	) {
		super(message);
		this.name = 'CellValueError';
	}
}

/**
 * Types WeCom computes itself or has no write format for (shown read-only in the mapper): add_records (page 99907)
 * refuses created/modified time and user, and its cell table has no formula, auto number, reference, lookup or group
 * chat value. Files (attachment) are in that table, so they are written.
 */
export const READ_ONLY_FIELD_TYPES: ReadonlySet<string> = new Set([
	'FIELD_TYPE_CREATED_USER',
	'FIELD_TYPE_MODIFIED_USER',
	'FIELD_TYPE_CREATED_TIME',
	'FIELD_TYPE_MODIFIED_TIME',
	'FIELD_TYPE_FORMULA',
	'FIELD_TYPE_AUTONUMBER',
	'FIELD_TYPE_REFERENCE',
	'FIELD_TYPE_LOOKUP',
	'FIELD_TYPE_WWGROUP',
]);

export const isWritable = (field: SheetField): boolean => !READ_ONLY_FIELD_TYPES.has(field.field_type);

/** "FIELD_TYPE_SINGLE_SELECT" → "single select". */
export function typeLabel(fieldType: string): string {
	return fieldType.replace(/^FIELD_TYPE_/, '').toLowerCase().replace(/_/g, ' ');
}

export interface ToCellOptions {
	/** Send unknown select option texts as new options (WeCom creates them) instead of failing. */
	createMissingOptions?: boolean;
}

export function optionsOf(field: SheetField): SelectOption[] {
	return (field.property_select?.options ?? field.property_single_select?.options ?? []) as SelectOption[];
}

const isEmpty = (value: unknown): boolean => value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

/** Whether a plain value means "leave this cell empty / do not write it". */
export function isEmptyValue(value: unknown): boolean {
	return isEmpty(value) || (Array.isArray(value) && value.length === 0);
}

function fail(field: SheetField, value: unknown, expected: string): never {
	const shown = typeof value === 'string' ? `"${value.length > 60 ? `${value.slice(0, 57)}...` : value}"` : safeJson(value);
	throw new CellValueError(field.field_title, `Column "${field.field_title}" (${typeLabel(field.field_type)}) cannot take ${shown}: expected ${expected}`);
}

function safeJson(value: unknown): string {
	try {
		const text = JSON.stringify(value);
		if (text === undefined) return String(value);
		return text.length > 60 ? `${text.slice(0, 57)}...` : text;
	} catch {
		return String(value);
	}
}

/** A list from an array, or a text split on | , ; or new lines. */
export function listOf(value: unknown): unknown[] {
	if (Array.isArray(value)) return value;
	if (typeof value === 'string') {
		return value
			.split(/[|,;\n]/)
			.map((part) => part.trim())
			.filter((part) => part !== '');
	}
	return [value];
}

export function toNumber(field: SheetField, value: unknown): number {
	const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value.trim().replace(/,/g, '')) : NaN;
	if (!Number.isFinite(number)) fail(field, value, 'a number');
	return number;
}

const TRUE = new Set(['true', '1', 'yes', 'y', 'on', 'checked', '是', '√', '✓']);
const FALSE = new Set(['false', '0', 'no', 'n', 'off', 'unchecked', '否', '']);

export function toBoolean(field: SheetField, value: unknown): boolean {
	if (typeof value === 'boolean') return value;
	if (value === 1 || value === 0) return value === 1;
	if (typeof value === 'string') {
		const text = value.trim().toLowerCase();
		if (TRUE.has(text)) return true;
		if (FALSE.has(text)) return false;
	}
	fail(field, value, 'true or false (also 1/0, yes/no)');
}

/** Epoch numbers below 10^11 are seconds (until the year 5138), larger ones milliseconds. */
function epochMs(number: number): number {
	return Math.abs(number) < 1e11 ? number * 1000 : number;
}

/** Milliseconds from an ISO string, a Luxon DateTime, a Date, or epoch seconds/milliseconds. */
export function toMillis(field: SheetField, value: unknown): number {
	let ms = NaN;
	if (typeof value === 'number') ms = epochMs(value);
	else if (value instanceof Date) ms = value.getTime();
	else if (typeof value === 'object' && value !== null && typeof (value as { toMillis?: unknown }).toMillis === 'function') {
		ms = Number((value as { toMillis: () => number }).toMillis());
	} else if (typeof value === 'string') {
		const text = value.trim();
		if (/^-?\d+(\.\d+)?$/.test(text)) ms = epochMs(Number(text));
		else if (/^\d{4}-\d{2}-\d{2}/.test(text) || /[a-z]{3}/i.test(text)) ms = Date.parse(text);
	}
	if (!Number.isFinite(ms)) fail(field, value, 'a date: an ISO 8601 string (2024-05-01T09:30:00+08:00), a Luxon DateTime, or epoch seconds/milliseconds');
	return Math.round(ms);
}

function toText(value: unknown): string {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	if (value instanceof Date) return value.toISOString();
	return JSON.stringify(value);
}

function toUrl(field: SheetField, value: unknown): { type: 'url'; text: string; link: string } {
	let link: unknown = value;
	let text: unknown;
	if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
		const entry = value as Record<string, unknown>;
		link = entry.link ?? entry.url ?? entry.href;
		text = entry.text ?? entry.title;
	}
	if (typeof link !== 'string' || !/^https?:\/\/[^\s]+$/i.test(link.trim())) fail(field, value, 'an http(s) URL, or {link, text}');
	const href = link.trim();
	return { type: 'url', text: typeof text === 'string' && text ? text : href, link: href };
}

function toUsers(field: SheetField, value: unknown): Array<{ user_id: string }> {
	const users = listOf(value).map((entry) => {
		const id = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>).user_id ?? (entry as Record<string, unknown>).userid : entry;
		if (typeof id !== 'string' || !/^[\w.@-]{1,64}$/.test(id.trim())) fail(field, value, 'user IDs (账号), e.g. "zhangsan" or "zhangsan|lisi"');
		return { user_id: id.trim() };
	});
	if (field.property_user?.is_multiple === false && users.length > 1) fail(field, value, 'one user (the column allows only one)');
	return users;
}

function toOptions(field: SheetField, value: unknown, options: ToCellOptions): Array<{ id: string } | { text: string }> {
	const known = optionsOf(field);
	const picks = listOf(value).map((entry) => {
		const text = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>).text : entry;
		const id = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>).id : undefined;
		if (typeof id === 'string' && known.some((option) => option.id === id)) return { id };
		if (typeof text !== 'string' && typeof text !== 'number') fail(field, value, 'option texts');
		const label = String(text).trim();
		const option = known.find((candidate) => candidate.text === label) ?? known.find((candidate) => candidate.text.toLowerCase() === label.toLowerCase());
		if (option) return { id: option.id };
		if (options.createMissingOptions) return { text: label };
		const list = known.map((candidate) => `"${candidate.text}"`).join(', ');
		throw new CellValueError(
			field.field_title,
			`Column "${field.field_title}" (${typeLabel(field.field_type)}) has no option "${label}"; its options are ${list || '(none)'}. Turn on "Create Missing Options" to add it.`,
		);
	});
	if (field.field_type === 'FIELD_TYPE_SINGLE_SELECT' && picks.length > 1) fail(field, value, 'one option (single select)');
	return picks;
}

function toLocation(field: SheetField, value: unknown): Array<Record<string, unknown>> {
	let entry: Record<string, unknown> | undefined;
	if (typeof value === 'object' && value !== null && !Array.isArray(value)) entry = value as Record<string, unknown>;
	else if (Array.isArray(value) && value.length === 1 && typeof value[0] === 'object') entry = value[0] as Record<string, unknown>;
	const lat = Number(entry?.latitude ?? entry?.lat);
	const lng = Number(entry?.longitude ?? entry?.lng ?? entry?.lon);
	const title = entry?.title ?? entry?.name ?? entry?.address;
	if (!entry || !(Math.abs(lat) <= 90) || !(Math.abs(lng) <= 180) || typeof title !== 'string' || !title) {
		fail(field, value, '{latitude (-90..90), longitude (-180..180), title}');
	}
	return [{ source_type: 1, id: typeof entry.id === 'string' ? entry.id : '', latitude: String(lat), longitude: String(lng), title }];
}

function toImages(field: SheetField, value: unknown): Array<Record<string, unknown>> {
	return listOf(value).map((entry) => {
		const url = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>).image_url ?? (entry as Record<string, unknown>).url : entry;
		if (typeof url !== 'string' || !/^https?:\/\/\S+$/i.test(url.trim())) fail(field, value, 'image URLs (uploaded to the document), or {image_url}');
		const title = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>).title : undefined;
		return { image_url: url.trim(), ...(typeof title === 'string' ? { title } : {}) };
	});
}

function lastSegment(url: string): string {
	const segment = url.replace(/[?#].*$/, '').replace(/^https?:\/\/[^/]*/i, '').split('/').filter(Boolean).pop() ?? url;
	try {
		return decodeURIComponent(segment);
	} catch {
		return segment;
	}
}

const ATTACHMENT_KEYS = ['file_id', 'size', 'file_ext', 'file_type', 'doc_type'] as const;

/**
 * Files already in WeCom (微盘 files by their share link, documents by their URL): a URL, {file_url (or url), name,
 * file_id, …} or a list of them. The name defaults to the URL's last path segment.
 */
function toAttachments(field: SheetField, value: unknown): Array<Record<string, unknown>> {
	return listOf(value).map((entry) => {
		const file = typeof entry === 'object' && entry !== null && !Array.isArray(entry) ? (entry as Record<string, unknown>) : { file_url: entry };
		const url = file.file_url ?? file.url;
		if (typeof url !== 'string' || !/^https?:\/\/\S+$/i.test(url.trim())) fail(field, value, 'files by URL (a 微盘 share link or a document URL), or {file_url, name}');
		const href = url.trim();
		const name = typeof file.name === 'string' && file.name ? file.name : lastSegment(href);
		const cell: Record<string, unknown> = { name, file_url: href };
		for (const key of ATTACHMENT_KEYS) if (file[key] !== undefined && file[key] !== null) cell[key] = file[key];
		return cell;
	});
}

/**
 * The WeCom cell for a plain value, or undefined when the value is empty (the cell is left out, so an update does
 * not touch it).
 */
export function toCell(field: SheetField, value: unknown, options: ToCellOptions = {}): unknown {
	if (!isWritable(field)) throw new CellValueError(field.field_title, `Column "${field.field_title}" (${typeLabel(field.field_type)}) is filled in by WeCom and cannot be written`);
	if (isEmptyValue(value) && field.field_type !== 'FIELD_TYPE_CHECKBOX') return undefined;
	switch (field.field_type) {
		case 'FIELD_TYPE_TEXT':
			if (typeof value === 'object' && value !== null && !Array.isArray(value) && ('link' in value || 'url' in value)) return [toUrl(field, value)];
			return [{ type: 'text', text: toText(value) }];
		case 'FIELD_TYPE_NUMBER':
		case 'FIELD_TYPE_CURRENCY':
		case 'FIELD_TYPE_PERCENTAGE':
		case 'FIELD_TYPE_PROGRESS':
			return toNumber(field, value);
		case 'FIELD_TYPE_CHECKBOX':
			if (value === undefined || value === null) return undefined;
			return toBoolean(field, value);
		case 'FIELD_TYPE_DATE_TIME':
			return String(toMillis(field, value));
		case 'FIELD_TYPE_USER':
			return toUsers(field, value);
		case 'FIELD_TYPE_URL':
			return [toUrl(field, value)];
		case 'FIELD_TYPE_SELECT':
		case 'FIELD_TYPE_SINGLE_SELECT':
			return toOptions(field, value, options);
		case 'FIELD_TYPE_PHONE_NUMBER': {
			const text = typeof value === 'number' ? String(value) : value;
			if (typeof text !== 'string' || !/^\+?[0-9][0-9 ()-]{2,30}$/.test(text.trim())) fail(field, value, 'a phone number, e.g. "+86 138 0013 8000"');
			return text.trim();
		}
		case 'FIELD_TYPE_EMAIL':
			if (typeof value !== 'string' || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.trim())) fail(field, value, 'an email address');
			return value.trim();
		case 'FIELD_TYPE_BARCODE':
			return toText(value);
		case 'FIELD_TYPE_LOCATION':
			return toLocation(field, value);
		case 'FIELD_TYPE_IMAGE':
			return toImages(field, value);
		case 'FIELD_TYPE_ATTACHMENT':
			return toAttachments(field, value);
		default:
			throw new CellValueError(field.field_title, `Column "${field.field_title}" has a field type the node does not know (${field.field_type}); use Raw Cells`);
	}
}

/** The cells of one record: plain values by column title → WeCom cells by title (empty values left out). */
export function toCells(fields: Map<string, SheetField>, row: Record<string, unknown>, options: ToCellOptions = {}): Record<string, unknown> {
	const cells: Record<string, unknown> = {};
	for (const [title, value] of Object.entries(row)) {
		const field = fields.get(title);
		if (!field) {
			const known = [...fields.keys()].map((name) => `"${name}"`).join(', ');
			throw new CellValueError(title, `The sheet has no column "${title}"; its columns are ${known}`);
		}
		const cell = toCell(field, value, options);
		if (cell !== undefined) cells[title] = cell;
	}
	return cells;
}

type Plain = string | number | boolean | null | Plain[] | { [key: string]: Plain };

const textOf = (cell: unknown): string =>
	Array.isArray(cell)
		? cell.map((segment) => (typeof segment === 'object' && segment !== null ? String((segment as Record<string, unknown>).text ?? '') : String(segment))).join('')
		: String(cell);

const isoOf = (cell: unknown): Plain => {
	const ms = Number(cell);
	return Number.isFinite(ms) ? new Date(ms).toISOString() : (cell as Plain);
};

const usersOf = (cell: unknown): string[] => (Array.isArray(cell) ? cell.map((user) => String((user as Record<string, unknown>).user_id ?? '')) : []);

/** A WeCom cell as a plain value (the reverse of toCell). Unknown formats come back unchanged. */
export function fromCell(field: SheetField | undefined, cell: unknown): Plain {
	if (cell === undefined || cell === null) return null;
	const type = field?.field_type;
	switch (type) {
		case 'FIELD_TYPE_TEXT':
		case 'FIELD_TYPE_FORMULA':
			return Array.isArray(cell) ? textOf(cell) : (cell as Plain);
		case 'FIELD_TYPE_NUMBER':
		case 'FIELD_TYPE_CURRENCY':
		case 'FIELD_TYPE_PERCENTAGE':
		case 'FIELD_TYPE_PROGRESS':
			return typeof cell === 'number' ? cell : Number(cell);
		case 'FIELD_TYPE_CHECKBOX':
			return cell === true || cell === 'true';
		case 'FIELD_TYPE_DATE_TIME':
		case 'FIELD_TYPE_CREATED_TIME':
		case 'FIELD_TYPE_MODIFIED_TIME':
			return isoOf(cell);
		case 'FIELD_TYPE_USER':
			return usersOf(cell);
		case 'FIELD_TYPE_CREATED_USER':
		case 'FIELD_TYPE_MODIFIED_USER':
			return usersOf(cell)[0] ?? null;
		case 'FIELD_TYPE_URL':
			return Array.isArray(cell) && cell.length ? String((cell[0] as Record<string, unknown>).link ?? '') : (cell as Plain);
		case 'FIELD_TYPE_SELECT':
		case 'FIELD_TYPE_SINGLE_SELECT': {
			const known = field ? optionsOf(field) : [];
			const texts = Array.isArray(cell)
				? cell.map((option) => {
						const entry = option as Record<string, unknown>;
						return String(entry.text ?? known.find((candidate) => candidate.id === entry.id)?.text ?? entry.id ?? '');
					})
				: [];
			return type === 'FIELD_TYPE_SINGLE_SELECT' ? (texts[0] ?? null) : texts;
		}
		case 'FIELD_TYPE_LOCATION': {
			const place = (Array.isArray(cell) ? cell[0] : cell) as Record<string, unknown> | undefined;
			if (!place) return null;
			return { title: String(place.title ?? ''), latitude: Number(place.latitude), longitude: Number(place.longitude) };
		}
		case 'FIELD_TYPE_IMAGE':
			return Array.isArray(cell) ? cell.map((image) => String((image as Record<string, unknown>).image_url ?? '')) : (cell as Plain);
		case 'FIELD_TYPE_ATTACHMENT':
			return Array.isArray(cell)
				? cell.map((file) => {
						const entry = file as Record<string, unknown>;
						return { name: String(entry.name ?? ''), url: String(entry.file_url ?? ''), size: Number(entry.size ?? 0), ext: String(entry.file_ext ?? '') };
					})
				: (cell as Plain);
		case 'FIELD_TYPE_AUTONUMBER':
			return Array.isArray(cell) && cell.length ? String((cell[0] as Record<string, unknown>).text ?? (cell[0] as Record<string, unknown>).seq ?? '') : (cell as Plain);
		case 'FIELD_TYPE_REFERENCE':
			return Array.isArray(cell) ? cell.map((entry) => String(entry)) : (cell as Plain);
		default:
			return cell as Plain;
	}
}

/** All cells of a record as plain values, by column title. */
export function fromCells(fields: Map<string, SheetField>, values: Record<string, unknown>): Record<string, Plain> {
	const plain: Record<string, Plain> = {};
	for (const [key, cell] of Object.entries(values ?? {})) plain[key] = fromCell(fields.get(key), cell);
	return plain;
}

/** A plain value as a comparable key for Append or Update matching ("" for empty). */
export function matchKey(value: unknown): string {
	if (value === undefined || value === null) return '';
	if (Array.isArray(value)) return value.map((entry) => matchKey(entry)).join('|');
	if (typeof value === 'object') return JSON.stringify(value);
	return String(value).trim();
}
