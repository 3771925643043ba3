/**
 * Values people map in n8n → the `value` objects `oa/applyevent` expects per control type (page 91853). Pure: every
 * function either returns WeCom's shape or throws an ApprovalValueError that names the control, what was given and
 * what would work.
 */
import type { IDataObject } from 'n8n-workflow';
import { UserError } from 'n8n-workflow';

import { readDateSeconds, startOfDaySeconds } from './dates';
import { VALUELESS_CONTROLS, type ApprovalControl, type ApprovalTemplate } from './template';

export class ApprovalValueError extends UserError {}

export interface ConvertOptions {
	/** IANA zone for dates written without an offset (the workflow's time zone). */
	timeZone: string;
	/** Unix seconds "now" (Location time). */
	nowSeconds: number;
	/** File controls: the media_ids uploaded for the control (the operation uploads the binary first). */
	fileIds?: Record<string, string[]>;
}

export interface ApplyContent {
	control: string;
	id: string;
	value: IDataObject;
	title?: Array<{ text: string; lang: string }>;
}

const label = (control: ApprovalControl) => `"${control.title}" (${control.type} ${control.id})`;

function fail(control: ApprovalControl, problem: string, hint: string): never {
	throw new ApprovalValueError(`${label(control)}: ${problem}`, { description: hint });
}

/** undefined, null, '' and [] mean "not filled". */
export function isEmptyValue(value: unknown): boolean {
	if (value === undefined || value === null) return true;
	if (typeof value === 'string') return value.trim() === '';
	if (Array.isArray(value)) return value.length === 0;
	return false;
}

/** A list from an array, a JSON array string, or text separated by commas, |, 、, ；or new lines. */
export function readList(value: unknown): string[] {
	if (isEmptyValue(value)) return [];
	if (Array.isArray(value)) return value.flatMap((entry) => readList(entry));
	if (typeof value === 'object' && value !== null) {
		const entry = value as IDataObject;
		const id = entry.userid ?? entry.id ?? entry.key ?? entry.sp_no ?? entry.value;
		return id === undefined ? [] : readList(id);
	}
	const text = String(value).trim();
	if (text.startsWith('[')) {
		try {
			const parsed: unknown = JSON.parse(text);
			if (Array.isArray(parsed)) return readList(parsed);
		} catch {
			// plain text after all
		}
	}
	return text
		.split(/[,，|、;；\n]/)
		.map((entry) => entry.trim())
		.filter((entry) => entry !== '');
}

function readObject(control: ApprovalControl, value: unknown, example: string): IDataObject {
	let parsed: unknown = value;
	if (typeof value === 'string') {
		try {
			parsed = JSON.parse(value);
		} catch {
			fail(control, `"${value}" is not JSON`, `Give an object like ${example}.`);
		}
	}
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) fail(control, 'needs an object', `Give an object like ${example}.`);
	return parsed as IDataObject;
}

function textOf(value: unknown): string {
	return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

function numberText(control: ApprovalControl, value: unknown, money: boolean): string {
	let text = typeof value === 'number' ? String(value) : String(value).trim();
	if (money) text = text.replace(/^(?:¥|￥|CNY|RMB)\s*/i, '').replace(/,/g, '');
	if (typeof value === 'number' && !Number.isFinite(value)) text = 'NaN';
	if (!/^-?\d+(\.\d+)?$/.test(text)) {
		fail(control, `"${textOf(value)}" is not a ${money ? 'money amount' : 'number'}`, money ? 'Use digits with at most 2 decimals, e.g. 128.50.' : 'Use digits, e.g. 7 or 3.5.');
	}
	if (money) {
		const [whole, fraction = ''] = text.split('.');
		if (fraction.replace(/0+$/, '').length > 2) fail(control, `"${text}" has more than 2 decimals`, 'WeCom keeps amounts to the cent (2 decimals).');
		return fraction.length > 2 ? `${whole}.${fraction.slice(0, 2)}` : text;
	}
	return text;
}

function dateSeconds(control: ApprovalControl, value: unknown, options: ConvertOptions, what = 'date'): number {
	const seconds = readDateSeconds(value, options.timeZone);
	if (seconds === undefined) {
		fail(
			control,
			`cannot read the ${what} "${textOf(value)}"`,
			`Use e.g. 2026-12-01, 2026-12-01 09:30, 2026-12-01T09:30:00+08:00 or Unix seconds. Dates without an offset are read in ${options.timeZone}.`,
		);
	}
	return seconds;
}

/** Matches a selector option by key, or by any of its texts (case and surrounding spaces ignored). */
function optionKey(control: ApprovalControl, wanted: string): string {
	const options = control.options ?? [];
	const normal = wanted.trim().toLowerCase();
	const option =
		options.find((candidate) => candidate.key === wanted.trim()) ??
		options.find((candidate) => candidate.texts.some((text) => text.trim().toLowerCase() === normal));
	if (!option) {
		fail(control, `"${wanted}" is not one of its options`, `Options: ${options.map((candidate) => `${candidate.text} (${candidate.key})`).join(', ') || 'none'}.`);
	}
	return option.key;
}

function rangeParts(control: ApprovalControl, value: unknown): [unknown, unknown] {
	if (Array.isArray(value) && value.length === 2) return [value[0], value[1]];
	if (typeof value === 'object' && value !== null) {
		const entry = value as IDataObject;
		return [entry.begin ?? entry.start ?? entry.from, entry.end ?? entry.to];
	}
	const text = String(value);
	if (text.trim().startsWith('{') || text.trim().startsWith('[')) {
		try {
			return rangeParts(control, JSON.parse(text));
		} catch {
			// not JSON; try the separators
		}
	}
	const parts = text.split(/\s*(?:~|～| to |\/(?=\d{4}-)|\s至\s|至)\s*/);
	if (parts.length !== 2) {
		fail(control, `cannot read the date range "${text}"`, 'Write "2026-12-01 09:00 ~ 2026-12-03 18:00", an array [begin, end] or {"begin": …, "end": …}.');
	}
	return [parts[0], parts[1]];
}

/** Seconds since 00:00 of the day in `timeZone`. */
function secondOfDay(seconds: number, timeZone: string): number {
	return seconds - startOfDaySeconds(seconds, timeZone);
}

/** WeCom's halfday ranges start and end at 00:00 or 12:00 (page 91853, 附11). */
const onHalfDay = (seconds: number, timeZone: string): boolean => secondOfDay(seconds, timeZone) % 43200 === 0;

/**
 * date_range of DateRange and Vacation. `unit` is the template's (halfday: by day / half day, hour: by the hour);
 * without one, times on 00:00 or 12:00 mean halfday and any other time means hour.
 */
function dateRange(control: ApprovalControl, value: unknown, options: ConvertOptions, unit?: string): IDataObject {
	const [rawBegin, rawEnd] = rangeParts(control, value);
	if (isEmptyValue(rawBegin) || isEmptyValue(rawEnd)) fail(control, 'needs a begin and an end', 'Write "2026-12-01 09:00 ~ 2026-12-03 18:00".');
	const begin = dateSeconds(control, rawBegin, options, 'begin');
	const end = dateSeconds(control, rawEnd, options, 'end');
	if (end <= begin) fail(control, 'ends before it begins', 'The end must come after the begin.');
	const halfDays = onHalfDay(begin, options.timeZone) && onHalfDay(end, options.timeZone);
	const type = unit === 'hour' || unit === 'halfday' ? unit : halfDays ? 'halfday' : 'hour';
	if (type === 'halfday' && !halfDays) {
		fail(
			control,
			'is counted in half days: begin and end must be 00:00 (morning) or 12:00 (afternoon)',
			`Write dates like "2026-12-01 ~ 2026-12-03" or "2026-12-01 12:00 ~ 2026-12-02 12:00" (read in ${options.timeZone}).`,
		);
	}
	return { type, new_begin: begin, new_end: end, new_duration: end - begin };
}

function contacts(control: ApprovalControl, value: unknown): IDataObject {
	const ids = readList(value);
	if (control.selectorType === 'single' && ids.length > 1) fail(control, `takes one ${control.contactMode ?? 'user'}, got ${ids.length}`, 'Give one ID.');
	if (control.contactMode === 'department') {
		const bad = ids.find((id) => !/^\d+$/.test(id));
		if (bad !== undefined) fail(control, `"${bad}" is not a department ID`, 'Department IDs are numbers, e.g. 2.');
		return { departments: ids.map((id) => ({ openapi_id: id })) };
	}
	return { members: ids.map((userid) => ({ userid })) };
}

function location(control: ApprovalControl, value: unknown, options: ConvertOptions): IDataObject {
	const example = '{"latitude": "30.547239", "longitude": "104.063291", "title": "Office", "address": "…"}';
	let entry: IDataObject;
	if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*,\s*-?\d+(\.\d+)?/.test(value)) {
		const [latitude, longitude, title = '', ...address] = value.split(',').map((part) => part.trim());
		entry = { latitude, longitude, title, address: address.join(', ') };
	} else {
		entry = readObject(control, value, example);
	}
	const latitude = String(entry.latitude ?? entry.lat ?? '').trim();
	const longitude = String(entry.longitude ?? entry.lng ?? entry.lon ?? '').trim();
	if (!/^-?\d+(\.\d+)?$/.test(latitude) || Math.abs(Number(latitude)) > 90) fail(control, `latitude "${latitude}" is not a latitude`, `Give ${example}.`);
	if (!/^-?\d+(\.\d+)?$/.test(longitude) || Math.abs(Number(longitude)) > 180) fail(control, `longitude "${longitude}" is not a longitude`, `Give ${example}.`);
	const time = entry.time === undefined ? options.nowSeconds : dateSeconds(control, entry.time, options, 'time');
	// time is a number in page 91853's example (latitude and longitude are strings there).
	return { location: { latitude, longitude, title: String(entry.title ?? ''), address: String(entry.address ?? ''), time } };
}

function vacation(control: ApprovalControl, value: unknown, options: ConvertOptions): IDataObject {
	const entry = readObject(control, value, '{"type": "年假", "begin": "2026-12-01", "end": "2026-12-03", "unit": "halfday"}');
	if (entry.vacation !== undefined) return entry;
	const types = control.vacationTypes ?? [];
	const wanted = String(entry.type ?? entry.leaveType ?? '').trim();
	const type = types.find((candidate) => candidate.id === wanted || candidate.name === wanted);
	if (!type) fail(control, `"${wanted}" is not a leave type of the template`, `Leave types: ${types.map((candidate) => `${candidate.name} (${candidate.id})`).join(', ') || 'none'}.`);
	// The template does not say the leave's unit (page 91982 附6): "unit" (halfday / hour) or the times decide.
	const range = dateRange(control, entry, options, entry.unit === undefined ? undefined : String(entry.unit));
	return {
		vacation: {
			selector: { type: 'single', options: [{ key: type.id, value: [{ text: type.name, lang: 'zh_CN' }] }], exp_type: 0 },
			attendance: { date_range: range, type: 1 },
		},
	};
}

/** Table rows: an array of objects keyed by column title or id (or a JSON string of one). */
function table(control: ApprovalControl, value: unknown, options: ConvertOptions): IDataObject {
	let rows: unknown = value;
	if (typeof value === 'string') {
		try {
			rows = JSON.parse(value);
		} catch {
			fail(control, 'needs rows as a JSON array of objects', 'Map an array like [{"Item": "Taxi", "Amount": 35}].');
		}
	}
	if (!Array.isArray(rows)) rows = [rows];
	const children = control.children ?? [];
	const list = rows as unknown[];
	if (list.length === 0) fail(control, 'needs at least one row', 'Map an array like [{"Item": "Taxi", "Amount": 35}].');
	return {
		children: list.map((row, index) => {
			if (typeof row !== 'object' || row === null || Array.isArray(row)) {
				fail(control, `row ${index + 1} is not an object`, `Columns: ${children.map((child) => child.title).join(', ')}.`);
			}
			const cells = row as IDataObject;
			const known = new Set(children.flatMap((child) => [child.id, child.title, ...child.titles.map((title) => title.text)]));
			const unknown = Object.keys(cells).filter((key) => !known.has(key));
			if (unknown.length > 0) fail(control, `row ${index + 1} has unknown columns ${unknown.join(', ')}`, `Columns: ${children.map((child) => child.title).join(', ')}.`);
			return {
				list: children.map((child) => {
					const key = [child.id, child.title, ...child.titles.map((title) => title.text)].find((candidate) => cells[candidate] !== undefined);
					const raw = key === undefined ? undefined : cells[key];
					const cell = { ...child, title: `${control.title} › row ${index + 1} › ${child.title}` };
					if (isEmptyValue(raw)) {
						if (child.required) fail(cell, 'is required', 'Every row needs a value in this column.');
						if (child.type !== 'Text' && child.type !== 'Textarea') fail(cell, 'is empty', 'WeCom needs every column of a row; give a value.');
						return { control: child.type, id: child.id, title: child.titles, value: { text: '' } };
					}
					return { control: child.type, id: child.id, title: child.titles, value: controlValue(cell, raw, options) };
				}),
			};
		}),
	};
}

/** One control's value in WeCom's shape. `value` is not empty (see isEmptyValue). */
export function controlValue(control: ApprovalControl, value: unknown, options: ConvertOptions): IDataObject {
	switch (control.type) {
		case 'Text':
		case 'Textarea':
			return { text: textOf(value) };
		case 'Number':
			return { new_number: numberText(control, value, false) };
		case 'Money':
			return { new_money: numberText(control, value, true) };
		case 'Date': {
			let seconds = dateSeconds(control, value, options);
			if (control.dateType !== 'hour') seconds = startOfDaySeconds(seconds, options.timeZone);
			return { date: { type: control.dateType ?? 'day', s_timestamp: String(seconds) } };
		}
		case 'DateRange':
			return { date_range: dateRange(control, value, options, control.dateType) };
		case 'Selector': {
			const wanted = readList(value);
			if (control.selectorType !== 'multi' && wanted.length > 1) fail(control, `takes one option, got ${wanted.length}: ${wanted.join(', ')}`, 'This is a single-choice selector.');
			return { selector: { type: control.selectorType ?? 'single', options: wanted.map((entry) => ({ key: optionKey(control, entry) })) } };
		}
		case 'Contact':
			return contacts(control, value);
		case 'File': {
			const ids = options.fileIds?.[control.id] ?? readList(value);
			return { files: ids.map((fileId) => ({ file_id: fileId })) };
		}
		case 'Table':
			return table(control, value, options);
		case 'Location':
			return location(control, value, options);
		case 'RelatedApproval':
			return { related_approval: readList(value).map((spNo) => ({ sp_no: spNo })) };
		case 'Vacation':
			return vacation(control, value, options);
		default:
			// Attendance, BankAccount and types WeCom adds later: WeCom's own value object, as given.
			return readObject(control, value, 'the value object of page 91853');
	}
}

/**
 * apply_data.contents for mapped values keyed by control id (or title). Unknown keys and missing required controls
 * are errors; empty optional controls are left out.
 */
export function buildContents(template: ApprovalTemplate, values: IDataObject, options: ConvertOptions): ApplyContent[] {
	const byKey = new Map<string, ApprovalControl>();
	for (const control of template.controls) {
		for (const key of [control.id, control.title, ...control.titles.map((title) => title.text)]) if (!byKey.has(key)) byKey.set(key, control);
	}
	const given = new Map<string, unknown>();
	for (const [key, value] of Object.entries(values)) {
		const control = byKey.get(key);
		if (!control) {
			throw new ApprovalValueError(`"${key}" is not a control of template "${template.name}"`, {
				description: `Controls: ${template.controls.map((entry) => `${entry.title} (${entry.id})`).join(', ')}. Refresh the mapping after the template changed.`,
			});
		}
		if (!isEmptyValue(value) || !given.has(control.id)) given.set(control.id, value);
	}
	const contents: ApplyContent[] = [];
	for (const control of template.controls) {
		if (VALUELESS_CONTROLS.has(control.type)) continue;
		const value = given.get(control.id);
		const fileIds = options.fileIds?.[control.id];
		if (isEmptyValue(value) && !(fileIds && fileIds.length > 0)) {
			if (control.required) throw new ApprovalValueError(`${label(control)} is required`, { description: 'The template marks this control as required (必填); map a value.' });
			continue;
		}
		contents.push({ control: control.type, id: control.id, value: controlValue(control, value, options) });
	}
	return contents;
}
