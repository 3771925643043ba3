/**
 * The template card builder's UI, generated from the card spec. Parameter names are `${prefix}${Part}` (collections
 * and lists) or `${prefix}${Part}${Field}` (fields placed directly on the node), so the same builder can appear
 * several times in one node (send, update, robot) without two parameters sharing a name.
 */
import type { IDisplayOptions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { updateDisplayOptions } from '../displayOptions';
import { CARD_TYPES, CARD_PARTS, paramName, pascal, type CardType, type FieldSpec, type PartSpec } from './spec';

export interface TemplateCardUiOptions {
	/** Card types offered (default: all five). */
	allowedCardTypes?: string[];
	/** Prefix of every parameter name (default 'card'). */
	prefix?: string;
	/** The builder of message/update_template_card: no task ID, adds replace text and "disable" switches. */
	forUpdate?: boolean;
	/** JSON keys of parts to leave out (e.g. ['action_menu', 'task_id'] where they do not apply). */
	excludeParts?: string[];
}

export const DEFAULT_CARD_PREFIX = 'card';

/** Parameter names of the builder for `prefix`; the body builder reads the same names. */
export const cardParameterNames = (prefix: string) => ({
	definition: `${prefix}Definition`,
	type: `${prefix}Type`,
	json: `${prefix}Json`,
	/** A part shown as one parameter (value, collection, list). */
	part: (part: PartSpec) => `${prefix}${part.name}`,
	/** A field of a part whose fields sit directly on the node. */
	field: (part: PartSpec, field: FieldSpec) => `${prefix}${part.name}${pascal(field.key)}`,
});

function describeField(field: FieldSpec): string | undefined {
	if (field.kind === 'list') {
		const range = field.min ? `${field.min} to ${field.max}` : `At most ${field.max}`;
		return field.description ?? `${range} ${field.itemsLabel}`;
	}
	return field.description;
}

/** One field as an n8n property. `siblingName` maps a condition's field key to the parameter it reads. */
function fieldProperty(
	field: FieldSpec,
	name: string,
	siblingName: (key: string) => string,
	forUpdate: boolean,
	inCollection: boolean,
): INodeProperties {
	const base = {
		displayName: field.displayName,
		name,
		...(describeField(field) ? { description: describeField(field) } : {}),
		...(field.placeholder ? { placeholder: field.placeholder } : {}),
		...(field.required && !inCollection && field.kind !== 'list' ? { required: true } : {}),
		...(field.when ? { displayOptions: { show: { [siblingName(field.when.field)]: field.when.values } } } : {}),
	};
	switch (field.kind) {
		case 'string':
			return { ...base, type: 'string', default: field.default ?? '' };
		case 'choice':
			return {
				...base,
				type: 'options',
				options: field.choices.map(
					(choice): INodePropertyOptions => ({ name: choice.name, value: choice.value, ...(choice.description ? { description: choice.description } : {}) }),
				),
				default: field.default,
			};
		case 'boolean':
			return { ...base, type: 'boolean', default: field.default };
		case 'number':
			return { ...base, type: 'number', default: field.default, typeOptions: { minValue: field.min, maxValue: field.maxExclusive ? field.max - 0.01 : field.max, numberPrecision: 2 } };
		case 'list':
			return {
				...base,
				type: 'fixedCollection',
				typeOptions: { multipleValues: true, sortable: true },
				placeholder: `Add ${field.itemName}`,
				default: {},
				options: [
					{
						displayName: field.itemName,
						name: 'items',
						values: nestedProperties(field.fields, forUpdate, false),
					},
				],
			};
		case 'object':
			return { ...base, type: 'collection', placeholder: 'Add Field', default: {}, options: nestedProperties(field.fields, forUpdate, true) };
	}
}

function nestedProperties(fields: FieldSpec[], forUpdate: boolean, inCollection: boolean): INodeProperties[] {
	return fields
		.filter((field) => forUpdate || !field.updateOnly)
		.map((field) => fieldProperty(field, paramName(field.key), paramName, forUpdate, inCollection));
}

function partProperties(part: PartSpec, prefix: string, forUpdate: boolean): INodeProperties[] {
	const names = cardParameterNames(prefix);
	const { spec } = part;
	switch (part.form) {
		case 'value':
		case 'list':
			return [fieldProperty(spec, names.part(part), paramName, forUpdate, false)];
		case 'collection':
			return [
				{
					...fieldProperty(spec, names.part(part), paramName, forUpdate, false),
					...(spec.description ? { description: spec.description } : {}),
				},
			];
		case 'fields': {
			if (spec.kind !== 'object') return [];
			const fieldName = (key: string) => {
				const sibling = spec.fields.find((candidate) => candidate.key === key);
				return sibling ? names.field(part, sibling) : key;
			};
			// Fields of an optional part are required only through a condition (e.g. the URL once "Open URL" is chosen).
			const partRequired = part.required === 'always' || (part.required === 'send' && !forUpdate);
			return spec.fields
				.filter((field) => forUpdate || !field.updateOnly)
				.map((field) => (partRequired || field.when ? field : { ...field, required: false }))
				.map((field) => fieldProperty(field, names.field(part, field), fieldName, forUpdate, false));
		}
	}
}

/** An example card of the first allowed type, as the raw JSON default. */
function exampleCard(cardType: string): string {
	const examples: Record<string, object> = {
		text_notice: {
			card_type: 'text_notice',
			main_title: { title: 'Title', desc: 'Description' },
			card_action: { type: 1, url: 'https://work.weixin.qq.com' },
		},
		news_notice: {
			card_type: 'news_notice',
			main_title: { title: 'Title' },
			card_image: { url: 'https://example.com/picture.png', aspect_ratio: 1.3 },
			card_action: { type: 1, url: 'https://work.weixin.qq.com' },
		},
		button_interaction: {
			card_type: 'button_interaction',
			main_title: { title: 'Approve the request?' },
			button_list: [
				{ text: '同意 Approve', style: 1, key: 'approve' },
				{ text: '驳回 Reject', style: 3, key: 'reject' },
			],
		},
		vote_interaction: {
			card_type: 'vote_interaction',
			main_title: { title: 'Lunch?' },
			checkbox: { question_key: 'lunch', mode: 0, option_list: [{ id: 'yes', text: 'Yes', is_checked: false }] },
			submit_button: { text: '提交', key: 'submit' },
		},
		multiple_interaction: {
			card_type: 'multiple_interaction',
			main_title: { title: 'Choose' },
			select_list: [{ question_key: 'q1', title: 'Option', option_list: [{ id: 'a', text: 'A' }] }],
			submit_button: { text: '提交', key: 'submit' },
		},
	};
	return JSON.stringify(examples[cardType] ?? examples.text_notice, null, 2);
}

/** The template card builder: a Guided / Raw JSON switch, the card type and each type's parts. */
export function templateCardProperties(displayOptions: IDisplayOptions, options: TemplateCardUiOptions = {}): INodeProperties[] {
	const prefix = options.prefix ?? DEFAULT_CARD_PREFIX;
	const forUpdate = options.forUpdate === true;
	const names = cardParameterNames(prefix);
	const allowed = CARD_TYPES.filter((type) => !options.allowedCardTypes || options.allowedCardTypes.includes(type.value));
	const allowedValues = allowed.map((type) => type.value);
	const excluded = new Set(options.excludeParts ?? []);
	const guided = { [names.definition]: ['guided'] };
	const defaultType: string = allowedValues[0] ?? 'text_notice';

	const properties: INodeProperties[] = [
		{
			displayName: 'Card Definition',
			name: names.definition,
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Guided', value: 'guided', description: 'Fill in the parts of the card field by field' },
				{ name: 'Raw JSON', value: 'json', description: 'Paste the template_card object (checked before sending)' },
			],
			default: 'guided',
		},
		{
			displayName: 'Card JSON',
			name: names.json,
			type: 'json',
			default: exampleCard(defaultType),
			required: true,
			description:
				'The template_card object as in WeCom\'s docs (card_type, main_title, …). It is checked before sending; a task_id is generated when the card needs one and has none.',
			displayOptions: { show: { [names.definition]: ['json'] } },
		},
		{
			displayName: 'Card Type',
			name: names.type,
			type: 'options',
			noDataExpression: true,
			options: allowed.map(({ name, value, description }) => ({ name, value, description })),
			default: defaultType,
			displayOptions: { show: guided },
		},
	];

	for (const part of CARD_PARTS) {
		if (excluded.has(part.spec.key)) continue;
		if ((forUpdate && part.sendOnly) || (!forUpdate && part.updateOnly)) continue;
		const cardTypes = part.cardTypes.filter((type: CardType) => allowedValues.includes(type));
		if (cardTypes.length === 0) continue;
		properties.push(...updateDisplayOptions({ show: { ...guided, [names.type]: cardTypes } }, partProperties(part, prefix, forUpdate)));
	}
	return updateDisplayOptions(displayOptions, properties);
}
