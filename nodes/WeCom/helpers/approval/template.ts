/**
 * An approval template (审批模板) as `oa/gettemplatedetail` answers it, turned into clean JSON: one entry per control
 * with its id, type, title, required mark and options. Pure.
 */
import type { IDataObject } from 'n8n-workflow';

export interface SelectorOption {
	key: string;
	/** First text (usually zh_CN). */
	text: string;
	/** Every text WeCom gives, all languages. */
	texts: string[];
}

export interface ApprovalControl {
	id: string;
	/** WeCom's control type: Text, Textarea, Number, Money, Date, DateRange, Selector, Contact, File, Table, … */
	type: string;
	title: string;
	titles: Array<{ text: string; lang: string }>;
	required: boolean;
	placeholder?: string;
	/** Selector: single or multi; Contact: single or multi. */
	selectorType?: 'single' | 'multi';
	options?: SelectorOption[];
	/** Contact: user or department. */
	contactMode?: 'user' | 'department';
	/** Date: day or hour; DateRange: halfday or hour. */
	dateType?: string;
	/** Table: the columns of every row. */
	children?: ApprovalControl[];
	/** Vacation: the leave types. */
	vacationTypes?: Array<{ id: string; name: string }>;
}

export interface ApprovalTemplate {
	templateId: string;
	name: string;
	names: Array<{ text: string; lang: string }>;
	controls: ApprovalControl[];
}

/** Controls that carry no value in an application (text shown to the applicant, computed totals). */
export const VALUELESS_CONTROLS = new Set(['Tips', 'Formula']);

type Texts = Array<{ text: string; lang: string }>;

function texts(value: unknown): Texts {
	if (!Array.isArray(value)) return [];
	return value
		.filter((entry): entry is IDataObject => typeof entry === 'object' && entry !== null)
		.map((entry) => ({ text: String(entry.text ?? ''), lang: String(entry.lang ?? '') }));
}

const first = (list: Texts): string => list.find((entry) => entry.text !== '')?.text ?? '';

function record(value: unknown): IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as IDataObject) : {};
}

export function parseControl(raw: unknown): ApprovalControl {
	const entry = record(raw);
	const property = record(entry.property);
	const config = record(entry.config);
	const titles = texts(property.title);
	const control: ApprovalControl = {
		id: String(property.id ?? ''),
		type: String(property.control ?? ''),
		title: first(titles) || String(property.id ?? ''),
		titles,
		required: Number(property.require) === 1,
	};
	const placeholder = first(texts(property.placeholder));
	if (placeholder) control.placeholder = placeholder;
	const selector = record(config.selector);
	if (control.type === 'Selector') {
		control.selectorType = selector.type === 'multi' ? 'multi' : 'single';
		control.options = (Array.isArray(selector.options) ? selector.options : []).map((option) => {
			const optionTexts = texts(record(option).value);
			return { key: String(record(option).key ?? ''), text: first(optionTexts), texts: optionTexts.map((text) => text.text).filter(Boolean) };
		});
	}
	if (control.type === 'Contact') {
		const contact = record(config.contact);
		control.selectorType = contact.type === 'single' ? 'single' : 'multi';
		control.contactMode = contact.mode === 'department' ? 'department' : 'user';
	}
	if (control.type === 'Date') control.dateType = String(record(config.date).type ?? 'day') === 'hour' ? 'hour' : 'day';
	// Page 91982 lists no DateRange config, but templates made with create_template (97437) carry date_range.type
	// (halfday: by day, hour): used when present, else the values decide.
	const rangeType = record(config.date_range).type;
	if (control.type === 'DateRange' && (rangeType === 'hour' || rangeType === 'halfday')) control.dateType = rangeType;
	if (control.type === 'Table') {
		const children = record(config.table).children;
		control.children = (Array.isArray(children) ? children : []).map(parseControl);
	}
	if (control.type === 'Vacation') {
		const items = record(config.vacation_list).item;
		control.vacationTypes = (Array.isArray(items) ? items : []).map((item) => ({ id: String(record(item).id ?? ''), name: first(texts(record(item).name)) }));
	}
	return control;
}

export function parseTemplate(templateId: string, answer: IDataObject): ApprovalTemplate {
	const names = texts(answer.template_names);
	const controls = record(answer.template_content).controls;
	return { templateId, name: first(names), names, controls: (Array.isArray(controls) ? controls : []).map(parseControl) };
}

/** The clean JSON of Get Template. */
export function templateJson(template: ApprovalTemplate): IDataObject {
	const control = (entry: ApprovalControl): IDataObject => {
		const json: IDataObject = { id: entry.id, type: entry.type, title: entry.title, required: entry.required };
		if (entry.titles.length > 1) json.titles = entry.titles;
		if (entry.placeholder) json.placeholder = entry.placeholder;
		if (entry.selectorType) json.selectorType = entry.selectorType;
		if (entry.options) json.options = entry.options.map((option) => ({ key: option.key, text: option.text, texts: option.texts }));
		if (entry.contactMode) json.contactMode = entry.contactMode;
		if (entry.dateType) json.dateType = entry.dateType;
		if (entry.children) json.children = entry.children.map(control);
		if (entry.vacationTypes) json.vacationTypes = entry.vacationTypes;
		return json;
	};
	return { template_id: template.templateId, name: template.name, names: template.names, controls: template.controls.map(control) };
}
