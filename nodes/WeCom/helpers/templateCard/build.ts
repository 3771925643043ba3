/**
 * Reads the template card builder's parameters (guided or raw JSON) into WeCom's template_card object, adds a
 * generated task_id where the card needs one, and validates the result before any request is made.
 */
import { randomBytes } from 'node:crypto';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError, jsonParse } from 'n8n-workflow';

import { DEFAULT_CARD_PREFIX, cardParameterNames } from './properties';
import { isCardType, needsTaskId, paramName, partsFor, type FieldSpec, type PartSpec } from './spec';
import { conditionHolds, validateTemplateCard } from './validate';

export interface BuildCardOptions {
	prefix?: string;
	allowedCardTypes?: string[];
	/** A card for message/update_template_card: no task_id is generated, submit button optional. */
	forUpdate?: boolean;
	/** JSON keys of parts the UI left out (same list as given to templateCardProperties). */
	excludeParts?: string[];
}

export interface BuiltCard {
	card: IDataObject;
	/** The card's task_id (given or generated), for the output. */
	taskId?: string;
}

/** A task_id WeCom accepts (letters, digits, _-@; well under 128 bytes) and that does not repeat. */
export function generateTaskId(): string {
	return `n8n_${Date.now().toString(36)}_${randomBytes(8).toString('hex')}`;
}

function isBlank(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** Converts the values n8n holds for `fields` (keyed by `nameOf`) into WeCom's keys and types. */
function convertFields(
	raw: IDataObject,
	fields: FieldSpec[],
	nameOf: (field: FieldSpec) => string,
	fillDefaults: boolean,
	forUpdate: boolean,
): IDataObject {
	const result: IDataObject = {};
	for (const field of fields) {
		if (field.updateOnly && !forUpdate) continue;
		if (!conditionHolds(field, result, fields)) continue;
		const value = raw[nameOf(field)];
		switch (field.kind) {
			case 'string': {
				const text = value === undefined || value === null ? (fillDefaults ? field.default : undefined) : String(value).trim();
				if (text) result[field.key] = text;
				break;
			}
			case 'choice':
			case 'number': {
				if (isBlank(value)) {
					if (fillDefaults && field.kind === 'choice') result[field.key] = field.default;
					break;
				}
				// Expressions may give "1"; anything not numeric is kept so validation can name it.
				const number = Number(value);
				result[field.key] = Number.isFinite(number) ? number : (value as string);
				break;
			}
			case 'boolean':
				if (value === undefined || value === null) {
					if (fillDefaults) result[field.key] = field.default;
				} else {
					result[field.key] = value === true || value === 'true';
				}
				break;
			case 'list': {
				const entries = (value as IDataObject | undefined)?.items;
				if (Array.isArray(entries) && entries.length > 0) {
					result[field.key] = (entries as IDataObject[]).map((entry) =>
						convertFields(entry ?? {}, field.fields, (nested) => paramName(nested.key), true, forUpdate),
					);
				}
				break;
			}
			case 'object':
				if (value && typeof value === 'object') {
					const nested = convertFields(value as IDataObject, field.fields, (entry) => paramName(entry.key), false, forUpdate);
					if (hasContent(nested, field.fields)) result[field.key] = nested;
				}
				break;
		}
	}
	return result;
}

/** Whether an object part says anything beyond its defaults (an untouched part is left out of the card). */
function hasContent(value: IDataObject, fields: FieldSpec[]): boolean {
	return fields.some((field) => {
		const entry = value[field.key];
		if (entry === undefined) return false;
		if (Array.isArray(entry)) return entry.length > 0;
		return field.kind === 'list' || field.kind === 'object' ? true : entry !== field.default;
	});
}

function readPart(ctx: IExecuteFunctions, itemIndex: number, prefix: string, part: PartSpec, forUpdate: boolean): unknown {
	const names = cardParameterNames(prefix);
	const { spec } = part;
	switch (part.form) {
		case 'value': {
			const value = ctx.getNodeParameter(names.part(part), itemIndex, '') as unknown;
			const text = value === undefined || value === null ? '' : String(value).trim();
			return text || undefined;
		}
		case 'list': {
			const value = ctx.getNodeParameter(names.part(part), itemIndex, {}) as IDataObject;
			return convertFields({ [spec.key]: value }, [spec], () => spec.key, false, forUpdate)[spec.key];
		}
		case 'collection': {
			if (spec.kind !== 'object') return undefined;
			const value = ctx.getNodeParameter(names.part(part), itemIndex, {}) as IDataObject;
			const converted = convertFields(value ?? {}, spec.fields, (field) => paramName(field.key), false, forUpdate);
			return hasContent(converted, spec.fields) ? converted : undefined;
		}
		case 'fields': {
			if (spec.kind !== 'object') return undefined;
			const raw: IDataObject = {};
			for (const field of spec.fields) {
				if (field.updateOnly && !forUpdate) continue;
				const name = names.field(part, field);
				raw[name] = ctx.getNodeParameter(name, itemIndex, null) as IDataObject[string];
			}
			const converted = convertFields(raw, spec.fields, (field) => names.field(part, field), true, forUpdate);
			return hasContent(converted, spec.fields) ? converted : undefined;
		}
	}
}

function readGuidedCard(ctx: IExecuteFunctions, itemIndex: number, prefix: string, options: BuildCardOptions): IDataObject {
	const cardType = ctx.getNodeParameter(cardParameterNames(prefix).type, itemIndex) as string;
	const card: IDataObject = { card_type: cardType };
	if (!isCardType(cardType)) return card;
	const excluded = new Set(options.excludeParts ?? []);
	for (const part of partsFor(cardType, options.forUpdate === true)) {
		if (excluded.has(part.spec.key)) continue;
		const value = readPart(ctx, itemIndex, prefix, part, options.forUpdate === true);
		if (value !== undefined) card[part.spec.key] = value as IDataObject[string];
	}
	return card;
}

function readJsonCard(ctx: IExecuteFunctions, itemIndex: number, prefix: string): IDataObject {
	const raw = ctx.getNodeParameter(cardParameterNames(prefix).json, itemIndex, '{}') as unknown;
	let value: unknown = raw;
	if (typeof raw === 'string') {
		try {
			value = jsonParse(raw);
		} catch (error) {
			throw new NodeOperationError(ctx.getNode(), `Card JSON is not valid JSON: ${(error as Error).message}`, {
				itemIndex,
				description: 'Paste the template_card object, e.g. {"card_type": "text_notice", "main_title": {"title": "…"}, …}.',
			});
		}
	}
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		throw new NodeOperationError(ctx.getNode(), 'Card JSON must be a JSON object (the template_card)', { itemIndex });
	}
	let card = JSON.parse(JSON.stringify(value)) as IDataObject;
	// A whole message body pasted from WeCom's docs: take its template_card.
	if (card.card_type === undefined && card.template_card && typeof card.template_card === 'object') {
		card = card.template_card as IDataObject;
	}
	return card;
}

/**
 * Builds the template_card for item `itemIndex` from the builder with `prefix`, generates a task_id when the card
 * needs one and has none (not for updates), and throws a NodeOperationError listing every problem before any request.
 */
export async function buildTemplateCard(ctx: IExecuteFunctions, itemIndex: number, options: BuildCardOptions = {}): Promise<BuiltCard> {
	const prefix = options.prefix ?? DEFAULT_CARD_PREFIX;
	const definition = ctx.getNodeParameter(cardParameterNames(prefix).definition, itemIndex, 'guided') as string;
	const card = definition === 'json' ? readJsonCard(ctx, itemIndex, prefix) : readGuidedCard(ctx, itemIndex, prefix, options);

	if (!options.forUpdate && needsTaskId(card) && isBlank(card.task_id)) card.task_id = generateTaskId();

	const problems = validateTemplateCard(card, { forUpdate: options.forUpdate, allowedCardTypes: options.allowedCardTypes });
	if (problems.length > 0) {
		const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
		throw new NodeOperationError(ctx.getNode(), `The template card is not valid: ${problems[0]}${more}`, {
			itemIndex,
			description: `${problems.join('\n')}\n\nPaths are WeCom's template_card fields; see WeCom's docs for message/send (template_card).`,
		});
	}
	return { card, ...(typeof card.task_id === 'string' ? { taskId: card.task_id } : {}) };
}
