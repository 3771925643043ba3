/**
 * Checks a template_card object against WeCom's documented rules before any request, for guided and raw JSON
 * cards alike. Pure: returns the problems, each starting with the JSON path (e.g. "button_list[6]: at most 6 buttons").
 * Suggested character counts ("建议不超过") are advice in WeCom's docs and are not enforced here.
 */
import type { IDataObject } from 'n8n-workflow';

import {
	CARD_TYPES,
	TASK_ID_MAX_BYTES,
	TASK_ID_PATTERN,
	isCardType,
	needsTaskId,
	partsFor,
	type FieldSpec,
	type ListFieldSpec,
	type ObjectFieldSpec,
} from './spec';

export interface ValidateCardOptions {
	/** Cards for message/update_template_card: no task_id needed, submit button optional. */
	forUpdate?: boolean;
	/** Card types this place accepts (e.g. group robots: text_notice and news_notice). */
	allowedCardTypes?: string[];
}

function utf8Bytes(value: string): number {
	return Buffer.byteLength(value, 'utf8');
}

function isPlainObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isEmpty(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

function describe(value: unknown): string {
	if (Array.isArray(value)) return 'a list';
	if (value === null) return 'null';
	return typeof value === 'string' ? `"${value}"` : typeof value === 'object' ? 'an object' : String(value);
}

/** Whether a conditional field applies, given its siblings (a missing choice counts as its default). */
export function conditionHolds(field: FieldSpec, siblings: IDataObject, fields: FieldSpec[]): boolean {
	if (!field.when) return true;
	const { field: name, values } = field.when;
	const choice = fields.find((candidate) => candidate.key === name);
	const raw = siblings[name];
	const value = raw === undefined && choice && choice.kind === 'choice' ? choice.default : raw;
	return typeof value === 'number' && values.includes(value);
}

function conditionText(field: FieldSpec): string {
	return field.when ? ` when ${field.when.field} is ${field.when.values.join(' or ')}` : '';
}

function validateValue(value: unknown, spec: FieldSpec, path: string, problems: string[]): void {
	switch (spec.kind) {
		case 'string':
			if (typeof value !== 'string') {
				problems.push(`${path}: must be text, not ${describe(value)}`);
				return;
			}
			if (spec.maxBytes !== undefined && utf8Bytes(value) > spec.maxBytes) {
				problems.push(`${path}: ${utf8Bytes(value)} bytes; WeCom allows at most ${spec.maxBytes} bytes (UTF-8)`);
			}
			return;
		case 'choice':
			if (typeof value !== 'number' || !spec.choices.some((choice) => choice.value === value)) {
				const allowed = spec.choices.map((choice) => `${choice.value} (${choice.name})`).join(', ');
				problems.push(`${path}: must be one of ${allowed}, not ${describe(value)}`);
			}
			return;
		case 'boolean':
			if (typeof value !== 'boolean') problems.push(`${path}: must be true or false, not ${describe(value)}`);
			return;
		case 'number':
			if (typeof value !== 'number' || !Number.isFinite(value)) {
				problems.push(`${path}: must be a number, not ${describe(value)}`);
			} else if (value < spec.min || value > spec.max || (spec.maxExclusive && value === spec.max)) {
				const range = spec.maxExclusive ? `at least ${spec.min} and below ${spec.max}` : `between ${spec.min} and ${spec.max}`;
				problems.push(`${path}: must be ${range}, not ${value}`);
			}
			return;
		case 'object':
			validateObject(value, spec, path, problems);
			return;
		case 'list':
			validateList(value, spec, path, problems);
			return;
	}
}

function validateFields(value: IDataObject, fields: FieldSpec[], path: string, problems: string[]): void {
	for (const field of fields) {
		if (!conditionHolds(field, value, fields)) continue;
		const fieldPath = `${path}.${field.key}`;
		const fieldValue = value[field.key];
		if (isEmpty(fieldValue) || (field.kind === 'list' && Array.isArray(fieldValue) && fieldValue.length === 0 && field.required)) {
			if (field.required) problems.push(`${fieldPath}: required${conditionText(field)}`);
			continue;
		}
		validateValue(fieldValue, field, fieldPath, problems);
	}
}

function validateObject(value: unknown, spec: ObjectFieldSpec, path: string, problems: string[]): void {
	if (!isPlainObject(value)) {
		problems.push(`${path}: must be an object, not ${describe(value)}`);
		return;
	}
	validateFields(value, spec.fields, path, problems);
}

function validateList(value: unknown, spec: ListFieldSpec, path: string, problems: string[]): void {
	if (!Array.isArray(value)) {
		problems.push(`${path}: must be a list, not ${describe(value)}`);
		return;
	}
	if (value.length > spec.max) problems.push(`${path}[${spec.max}]: at most ${spec.max} ${spec.itemsLabel}`);
	if (spec.min !== undefined && value.length < spec.min) problems.push(`${path}: at least ${spec.min} ${spec.min === 1 ? spec.itemName.toLowerCase() : spec.itemsLabel}`);
	const seen = new Map<string, number>();
	value.forEach((entry, index) => {
		const entryPath = `${path}[${index}]`;
		if (!isPlainObject(entry)) {
			problems.push(`${entryPath}: must be an object, not ${describe(entry)}`);
			return;
		}
		validateFields(entry, spec.fields, entryPath, problems);
		if (spec.uniqueBy && typeof entry[spec.uniqueBy] === 'string' && entry[spec.uniqueBy] !== '') {
			const unique = entry[spec.uniqueBy] as string;
			const first = seen.get(unique);
			if (first !== undefined) {
				problems.push(`${entryPath}.${spec.uniqueBy}: "${unique}" is already used by ${path}[${first}]; must be unique`);
			} else {
				seen.set(unique, index);
			}
		}
	});
}

/** Problems with `card` (an empty list means WeCom should accept it). */
export function validateTemplateCard(card: IDataObject, options: ValidateCardOptions = {}): string[] {
	const problems: string[] = [];
	if (!isPlainObject(card)) return ['template_card: must be an object'];
	const cardType = card.card_type;
	if (!isCardType(cardType)) {
		const known = CARD_TYPES.map((type) => type.value).join(', ');
		return [isEmpty(cardType) ? `card_type: required (one of ${known})` : `card_type: ${describe(cardType)} is not a card type; use one of ${known}`];
	}
	if (options.allowedCardTypes && !options.allowedCardTypes.includes(cardType)) {
		return [`card_type: "${cardType}" cannot be sent here; use ${options.allowedCardTypes.join(' or ')}`];
	}
	const forUpdate = options.forUpdate === true;
	const checked = new Set<string>();
	for (const part of partsFor(cardType, forUpdate)) {
		const { key } = part.spec;
		if (checked.has(key)) continue;
		checked.add(key);
		const value = card[key];
		const required = part.required === 'always' || (part.required === 'send' && !forUpdate);
		if (isEmpty(value)) {
			if (required) problems.push(`${key}: required for ${cardType} cards`);
			continue;
		}
		validateValue(value, part.spec, key, problems);
	}

	const mainTitle = isPlainObject(card.main_title) ? card.main_title : {};
	if (cardType === 'text_notice' && isEmpty(mainTitle.title) && isEmpty(card.sub_title_text)) {
		problems.push('main_title.title: a text_notice card needs a main title or sub_title_text');
	}
	if (cardType === 'news_notice' && isEmpty(card.card_image) && isEmpty(card.image_text_area)) {
		problems.push('card_image: a news_notice card needs card_image or image_text_area');
	}
	if (!forUpdate && needsTaskId(card) && isEmpty(card.task_id)) {
		const why = (cardType as string).endsWith('_notice') ? 'cards with an action_menu' : `${cardType} cards`;
		problems.push(`task_id: required for ${why}`);
	}
	if (!isEmpty(card.task_id)) {
		// In sends the spec already checked type and length; updates carry no task_id part.
		const specChecked = checked.has('task_id');
		if (typeof card.task_id !== 'string') {
			if (!specChecked) problems.push(`task_id: must be text, not ${describe(card.task_id)}`);
		} else {
			if (!TASK_ID_PATTERN.test(card.task_id)) problems.push('task_id: only letters, digits and _-@ are allowed');
			if (!specChecked && utf8Bytes(card.task_id) > TASK_ID_MAX_BYTES) {
				problems.push(`task_id: ${utf8Bytes(card.task_id)} bytes; WeCom allows at most ${TASK_ID_MAX_BYTES} bytes (UTF-8)`);
			}
		}
	}
	return problems;
}
