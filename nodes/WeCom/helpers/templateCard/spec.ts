/**
 * The template card (模板卡片) of message/send and message/update_template_card (paths 90236, 94888), described once.
 * This spec drives the guided UI (properties.ts), the body builder (build.ts) and the validator (validate.ts),
 * so a field, a limit or a rule lives in one place.
 */

export type CardType = 'text_notice' | 'news_notice' | 'button_interaction' | 'vote_interaction' | 'multiple_interaction';

export interface CardTypeOption {
	name: string;
	value: CardType;
	description: string;
}

export const CARD_TYPES: CardTypeOption[] = [
	{
		name: 'Text Notice (文本通知型)',
		value: 'text_notice',
		description: 'Title, key figure, text and links; the whole card opens a URL or mini program',
	},
	{
		name: 'News Notice (图文展示型)',
		value: 'news_notice',
		description: 'A picture or image-and-text area with title and text; the whole card opens a URL or mini program',
	},
	{
		name: 'Button Interaction (按钮交互型)',
		value: 'button_interaction',
		description: 'Up to 6 buttons; a click reaches the WeCom Trigger (template_card_event) and the card can be updated',
	},
	{
		name: 'Vote Interaction (投票选择型)',
		value: 'vote_interaction',
		description: 'A single or multiple choice question with a submit button',
	},
	{
		name: 'Multiple Interaction (多项选择型)',
		value: 'multiple_interaction',
		description: 'Up to 3 drop-down questions with a submit button',
	},
];

export const CARD_TYPE_VALUES: CardType[] = CARD_TYPES.map((type) => type.value);

const NOTICE: CardType[] = ['text_notice', 'news_notice'];
/** Cards whose clicks call back: they need a task_id and return a response_code. */
export const INTERACTIVE_CARD_TYPES: CardType[] = ['button_interaction', 'vote_interaction', 'multiple_interaction'];

/** task_id: unique within the app, letters, digits and _-@, at most 128 bytes. */
export const TASK_ID_MAX_BYTES = 128;
export const TASK_ID_PATTERN = /^[0-9A-Za-z_\-@]+$/;
/** Keys that come back in callbacks (EventKey, QuestionKey): at most 1024 bytes; option ids at most 128 bytes. */
export const KEY_MAX_BYTES = 1024;
export const OPTION_ID_MAX_BYTES = 128;

/** Shown only (and read only) when a sibling choice has one of these values. */
export interface FieldCondition {
	field: string;
	values: number[];
}

interface FieldBase {
	/** The key in WeCom's JSON. */
	key: string;
	displayName: string;
	description?: string;
	placeholder?: string;
	required?: boolean;
	when?: FieldCondition;
	/** Only in message/update_template_card (e.g. checkbox.disable). */
	updateOnly?: boolean;
}

export interface StringFieldSpec extends FieldBase {
	kind: 'string';
	default?: string;
	maxBytes?: number;
}

export interface Choice {
	name: string;
	value: number;
	description?: string;
}

export interface ChoiceFieldSpec extends FieldBase {
	kind: 'choice';
	choices: Choice[];
	default: number;
}

export interface BooleanFieldSpec extends FieldBase {
	kind: 'boolean';
	default: boolean;
}

export interface NumberFieldSpec extends FieldBase {
	kind: 'number';
	default: number;
	min: number;
	max: number;
	/** The value must stay below `max` (WeCom: aspect ratio "小于2.25"). */
	maxExclusive?: boolean;
}

export interface ListFieldSpec extends FieldBase {
	kind: 'list';
	/** Singular label of one entry, for the UI ("Add Button"). */
	itemName: string;
	/** Plural label for messages ("at most 6 buttons"). */
	itemsLabel: string;
	min?: number;
	max: number;
	fields: FieldSpec[];
	/** A field whose values must differ between entries (keys and ids come back in callbacks). */
	uniqueBy?: string;
}

export interface ObjectFieldSpec extends FieldBase {
	kind: 'object';
	fields: FieldSpec[];
}

export type FieldSpec = StringFieldSpec | ChoiceFieldSpec | BooleanFieldSpec | NumberFieldSpec | ListFieldSpec | ObjectFieldSpec;

/**
 * How a part appears in the UI:
 * - value: one text field; fields: its fields sit directly on the node (required parts);
 * - collection: an "Add Field" collection (optional parts); list: a list of entries.
 */
export type PartForm = 'value' | 'fields' | 'collection' | 'list';

export interface PartSpec {
	/** Suffix of the parameter name(s), after the builder's prefix. */
	name: string;
	form: PartForm;
	cardTypes: CardType[];
	/** 'always', or 'send' when updates may leave the part out. */
	required?: 'always' | 'send';
	sendOnly?: boolean;
	updateOnly?: boolean;
	spec: StringFieldSpec | ObjectFieldSpec | ListFieldSpec;
}

function jumpFields(typeChoices: Choice[], typeDefault: number, typeDescription: string): FieldSpec[] {
	return [
		{ kind: 'choice', key: 'type', displayName: 'Click Action', choices: typeChoices, default: typeDefault, description: typeDescription },
		{ kind: 'string', key: 'url', displayName: 'URL', placeholder: 'https://example.com/approve?id=1', required: true, when: { field: 'type', values: [1] } },
		{
			kind: 'string',
			key: 'appid',
			displayName: 'Mini Program App ID',
			description: 'A mini program linked to this app (与当前应用关联的小程序)',
			required: true,
			when: { field: 'type', values: [2] },
		},
		{ kind: 'string', key: 'pagepath', displayName: 'Mini Program Page Path', placeholder: '/index.html', when: { field: 'type', values: [2] } },
	];
}

const NO_ACTION: Choice = { name: 'None', value: 0, description: 'Not clickable' };
const OPEN_URL: Choice = { name: 'Open URL', value: 1 };
const OPEN_MINI_PROGRAM: Choice = { name: 'Open Mini Program', value: 2 };

const mainTitleFields = (titleHint: string): FieldSpec[] => [
	{ kind: 'string', key: 'title', displayName: 'Main Title', description: titleHint },
	{ kind: 'string', key: 'desc', displayName: 'Main Title Description', description: 'Helper text under the title (WeCom suggests at most 44 characters; 30 on group robot cards)' },
];

const cardActionSpec = (required: boolean): ObjectFieldSpec => ({
	kind: 'object',
	key: 'card_action',
	displayName: 'Card Click Action',
	fields: jumpFields(
		required ? [OPEN_URL, OPEN_MINI_PROGRAM] : [NO_ACTION, OPEN_URL, OPEN_MINI_PROGRAM],
		required ? 1 : 0,
		required ? 'What a click on the card opens (card_action, required for notice cards)' : 'What a click on the card body opens (card_action)',
	),
});

const optionListSpec = (max: number, textHint: string, withChecked: boolean): ListFieldSpec => ({
	kind: 'list',
	key: 'option_list',
	displayName: 'Options',
	itemName: 'Option',
	itemsLabel: 'options',
	min: 1,
	max,
	uniqueBy: 'id',
	required: true,
	description: `1 to ${max} options`,
	fields: [
		{
			kind: 'string',
			key: 'id',
			displayName: 'Option ID',
			required: true,
			maxBytes: OPTION_ID_MAX_BYTES,
			description: `Comes back in the click event (OptionId); unique, at most ${OPTION_ID_MAX_BYTES} bytes`,
		},
		{ kind: 'string', key: 'text', displayName: 'Text', required: true, description: textHint },
		...(withChecked
			? [{ kind: 'boolean', key: 'is_checked', displayName: 'Checked by Default', default: false } as BooleanFieldSpec]
			: []),
	],
});

const keyField = (displayName: string, description: string, when?: FieldCondition): StringFieldSpec => ({
	kind: 'string',
	key: 'key',
	displayName,
	required: true,
	maxBytes: KEY_MAX_BYTES,
	description: `${description}; at most ${KEY_MAX_BYTES} bytes`,
	...(when ? { when } : {}),
});

export const CARD_PARTS: PartSpec[] = [
	{
		name: 'Source',
		form: 'collection',
		cardTypes: CARD_TYPE_VALUES,
		spec: {
			kind: 'object',
			key: 'source',
			displayName: 'Source (来源样式)',
			description: 'The small icon and text at the top of the card',
			fields: [
				{ kind: 'string', key: 'icon_url', displayName: 'Icon URL', description: 'Image URL; 72×72 pixels suggested' },
				{ kind: 'string', key: 'desc', displayName: 'Text', description: 'WeCom suggests at most 20 characters' },
				{
					kind: 'choice',
					key: 'desc_color',
					displayName: 'Text Color',
					default: 0,
					choices: [
						{ name: 'Grey', value: 0 },
						{ name: 'Black', value: 1 },
						{ name: 'Red', value: 2 },
						{ name: 'Green', value: 3 },
					],
				},
			],
		},
	},
	{
		name: 'Main',
		form: 'fields',
		cardTypes: ['text_notice'],
		spec: {
			kind: 'object',
			key: 'main_title',
			displayName: 'Main Title',
			fields: mainTitleFields('Fill this or the Sub-Title (text notice cards need one of them); WeCom suggests at most 36 characters (26 on group robot cards)'),
		},
	},
	{
		name: 'Main',
		form: 'fields',
		cardTypes: ['news_notice', 'button_interaction', 'vote_interaction', 'multiple_interaction'],
		required: 'always',
		spec: {
			kind: 'object',
			key: 'main_title',
			displayName: 'Main Title',
			fields: [
				{ ...(mainTitleFields('')[0] as StringFieldSpec), required: true, description: 'Required; WeCom suggests at most 36 characters (16 on vote cards, 26 on group robot cards)' },
				mainTitleFields('')[1],
			],
		},
	},
	{
		name: 'ActionMenu',
		form: 'collection',
		cardTypes: ['text_notice', 'news_notice', 'button_interaction'],
		spec: {
			kind: 'object',
			key: 'action_menu',
			displayName: 'Action Menu (右上角菜单)',
			description: 'The "…" menu at the top right; a choice reaches the WeCom Trigger as template_card_menu_event. Needs a task ID.',
			fields: [
				{ kind: 'string', key: 'desc', displayName: 'Menu Description' },
				{
					kind: 'list',
					key: 'action_list',
					displayName: 'Menu Entries',
					itemName: 'Menu Entry',
					itemsLabel: 'menu entries',
					min: 1,
					max: 3,
					uniqueBy: 'key',
					required: true,
					description: '1 to 3 entries',
					fields: [
						{ kind: 'string', key: 'text', displayName: 'Text', required: true },
						keyField('Key', 'Comes back as EventKey when chosen; unique'),
					],
				},
			],
		},
	},
	{
		name: 'QuoteArea',
		form: 'collection',
		cardTypes: ['text_notice', 'news_notice', 'button_interaction'],
		spec: {
			kind: 'object',
			key: 'quote_area',
			displayName: 'Quote Area (引用样式)',
			description: 'A quoted block with a title and text',
			fields: [
				...jumpFields([NO_ACTION, OPEN_URL, OPEN_MINI_PROGRAM], 0, 'What a click on the quote opens'),
				{ kind: 'string', key: 'title', displayName: 'Title' },
				{ kind: 'string', key: 'quote_text', displayName: 'Quote Text' },
			],
		},
	},
	{
		name: 'EmphasisContent',
		form: 'collection',
		cardTypes: ['text_notice'],
		spec: {
			kind: 'object',
			key: 'emphasis_content',
			displayName: 'Emphasis Content (关键数据)',
			description: 'A big key figure with a caption',
			fields: [
				{ kind: 'string', key: 'title', displayName: 'Figure', description: 'e.g. 100; WeCom suggests at most 14 characters' },
				{ kind: 'string', key: 'desc', displayName: 'Caption', description: 'WeCom suggests at most 22 characters' },
			],
		},
	},
	{
		name: 'SubTitle',
		form: 'value',
		cardTypes: ['text_notice', 'button_interaction'],
		spec: {
			kind: 'string',
			key: 'sub_title_text',
			displayName: 'Sub-Title Text (二级普通文本)',
			description: 'Plain text under the title; WeCom suggests at most 160 characters',
		},
	},
	{
		name: 'CardImage',
		form: 'collection',
		cardTypes: ['news_notice'],
		spec: {
			kind: 'object',
			key: 'card_image',
			displayName: 'Card Image (图片样式)',
			description: 'A news notice needs this or the Image Text Area',
			fields: [
				{ kind: 'string', key: 'url', displayName: 'Image URL', required: true, description: 'e.g. a URL from Media → Upload Permanent Image' },
				{
					kind: 'number',
					key: 'aspect_ratio',
					displayName: 'Aspect Ratio',
					default: 1.3,
					min: 1.3,
					max: 2.25,
					maxExclusive: true,
					description: 'Width / height: at least 1.3 and below 2.25 (WeCom uses 1.3 when left out)',
				},
			],
		},
	},
	{
		name: 'ImageTextArea',
		form: 'collection',
		cardTypes: ['news_notice'],
		spec: {
			kind: 'object',
			key: 'image_text_area',
			displayName: 'Image Text Area (左图右文)',
			description: 'Image on the left, text on the right; a news notice needs this or the Card Image',
			fields: [
				{ kind: 'string', key: 'image_url', displayName: 'Image URL', required: true },
				{ kind: 'string', key: 'title', displayName: 'Title' },
				{ kind: 'string', key: 'desc', displayName: 'Description' },
				...jumpFields([NO_ACTION, OPEN_URL, OPEN_MINI_PROGRAM], 0, 'What a click on the area opens'),
			],
		},
	},
	{
		name: 'VerticalContent',
		form: 'list',
		cardTypes: ['news_notice'],
		spec: {
			kind: 'list',
			key: 'vertical_content_list',
			displayName: 'Vertical Content (二级垂直内容)',
			itemName: 'Entry',
			itemsLabel: 'entries',
			max: 4,
			description: 'At most 4 title + text blocks',
			fields: [
				{ kind: 'string', key: 'title', displayName: 'Title', required: true, description: 'WeCom suggests at most 38 characters' },
				{ kind: 'string', key: 'desc', displayName: 'Text', description: 'WeCom suggests at most 160 characters' },
			],
		},
	},
	{
		name: 'HorizontalContent',
		form: 'list',
		cardTypes: ['text_notice', 'news_notice', 'button_interaction'],
		spec: {
			kind: 'list',
			key: 'horizontal_content_list',
			displayName: 'Horizontal Content (二级标题+文本)',
			itemName: 'Row',
			itemsLabel: 'rows',
			max: 6,
			description: 'At most 6 "label: value" rows; a row may link to a URL, a file or a member',
			fields: [
				{
					kind: 'choice',
					key: 'type',
					displayName: 'Row Type',
					default: 0,
					choices: [
						{ name: 'Text', value: 0 },
						{ name: 'Link (URL)', value: 1 },
						{ name: 'File Download (Media ID)', value: 2 },
						{ name: 'Member Profile (User ID)', value: 3 },
					],
				},
				{ kind: 'string', key: 'keyname', displayName: 'Label', required: true, description: 'WeCom suggests at most 5 characters' },
				{ kind: 'string', key: 'value', displayName: 'Value', description: 'For a file: its name with extension. WeCom suggests at most 30 characters.' },
				{ kind: 'string', key: 'url', displayName: 'URL', required: true, when: { field: 'type', values: [1] } },
				{ kind: 'string', key: 'media_id', displayName: 'Media ID', required: true, when: { field: 'type', values: [2] }, description: 'From Media → Upload' },
				{ kind: 'string', key: 'userid', displayName: 'User ID', required: true, when: { field: 'type', values: [3] } },
			],
		},
	},
	{
		name: 'JumpList',
		form: 'list',
		cardTypes: NOTICE,
		spec: {
			kind: 'list',
			key: 'jump_list',
			displayName: 'Jump Links (跳转指引)',
			itemName: 'Link',
			itemsLabel: 'links',
			max: 3,
			description: 'At most 3 links at the bottom of the card',
			fields: [
				{ kind: 'string', key: 'title', displayName: 'Title', required: true, description: 'WeCom suggests at most 18 characters' },
				...jumpFields([NO_ACTION, OPEN_URL, OPEN_MINI_PROGRAM], 1, 'What a click on the link opens'),
			],
		},
	},
	{ name: 'Click', form: 'fields', cardTypes: NOTICE, required: 'always', spec: cardActionSpec(true) },
	{ name: 'Click', form: 'fields', cardTypes: ['button_interaction'], spec: cardActionSpec(false) },
	{
		name: 'ButtonSelection',
		form: 'collection',
		cardTypes: ['button_interaction'],
		spec: {
			kind: 'object',
			key: 'button_selection',
			displayName: 'Drop-Down Above Buttons (按钮选择器)',
			description: 'An optional drop-down whose choice comes with the button click',
			fields: [
				{ ...keyField('Question Key', 'Comes back as QuestionKey in the click event'), key: 'question_key' },
				{ kind: 'string', key: 'title', displayName: 'Title' },
				optionListSpec(10, 'WeCom suggests at most 16 characters', false),
				{ kind: 'string', key: 'selected_id', displayName: 'Selected Option ID', description: 'Pre-selected option; the first one when empty' },
			],
		},
	},
	{
		name: 'Buttons',
		form: 'list',
		cardTypes: ['button_interaction'],
		required: 'always',
		spec: {
			kind: 'list',
			key: 'button_list',
			displayName: 'Buttons (按钮)',
			itemName: 'Button',
			itemsLabel: 'buttons',
			min: 1,
			max: 6,
			uniqueBy: 'key',
			required: true,
			description: '1 to 6 buttons. A click on a callback button reaches the WeCom Trigger with its key.',
			fields: [
				{
					kind: 'choice',
					key: 'type',
					displayName: 'Button Type',
					default: 0,
					choices: [
						{ name: 'Callback (Key)', value: 0, description: 'The click reaches the WeCom Trigger as EventKey' },
						{ name: 'Open URL', value: 1 },
					],
				},
				{ kind: 'string', key: 'text', displayName: 'Text', required: true, placeholder: '同意 Approve', description: 'WeCom suggests at most 10 characters' },
				{
					kind: 'choice',
					key: 'style',
					displayName: 'Style',
					default: 1,
					choices: [
						{ name: 'Style 1 (Blue)', value: 1 },
						{ name: 'Style 2 (Grey)', value: 2 },
						{ name: 'Style 3 (Red)', value: 3 },
						{ name: 'Style 4 (Green)', value: 4 },
					],
				},
				keyField('Key', 'Comes back as EventKey when clicked; unique', { field: 'type', values: [0] }),
				{ kind: 'string', key: 'url', displayName: 'URL', required: true, when: { field: 'type', values: [1] } },
			],
		},
	},
	{
		name: 'Checkbox',
		form: 'fields',
		cardTypes: ['vote_interaction'],
		required: 'always',
		spec: {
			kind: 'object',
			key: 'checkbox',
			displayName: 'Question',
			fields: [
				{ ...keyField('Question Key', 'Comes back as QuestionKey with the chosen option IDs'), key: 'question_key' },
				{
					kind: 'choice',
					key: 'mode',
					displayName: 'Choice Mode',
					default: 0,
					choices: [
						{ name: 'Single Choice', value: 0 },
						{ name: 'Multiple Choice', value: 1 },
					],
				},
				optionListSpec(20, 'WeCom suggests at most 17 characters', true),
				{ kind: 'boolean', key: 'disable', displayName: 'Disable Choosing', default: false, updateOnly: true },
			],
		},
	},
	{
		name: 'SelectList',
		form: 'list',
		cardTypes: ['multiple_interaction'],
		required: 'always',
		spec: {
			kind: 'list',
			key: 'select_list',
			displayName: 'Drop-Down Questions (下拉选择器)',
			itemName: 'Question',
			itemsLabel: 'questions',
			min: 1,
			max: 3,
			uniqueBy: 'question_key',
			required: true,
			description: '1 to 3 drop-down questions, each with 1 to 10 options',
			fields: [
				{ ...keyField('Question Key', 'Comes back as QuestionKey with the chosen option ID; unique'), key: 'question_key' },
				{ kind: 'string', key: 'title', displayName: 'Title' },
				{ kind: 'string', key: 'selected_id', displayName: 'Selected Option ID', description: 'Pre-selected option; the first one when empty' },
				optionListSpec(10, 'WeCom suggests at most 16 characters', false),
				{ kind: 'boolean', key: 'disable', displayName: 'Disable Choosing', default: false, updateOnly: true },
			],
		},
	},
	{
		name: 'Submit',
		form: 'fields',
		cardTypes: ['vote_interaction', 'multiple_interaction'],
		required: 'send',
		spec: {
			kind: 'object',
			key: 'submit_button',
			displayName: 'Submit Button',
			fields: [
				{ kind: 'string', key: 'text', displayName: 'Submit Button Text', default: '提交', required: true, description: 'WeCom suggests at most 10 characters' },
				keyField('Submit Button Key', 'Comes back as EventKey when the answer is submitted'),
			],
		},
	},
	{
		name: 'TaskId',
		form: 'value',
		cardTypes: CARD_TYPE_VALUES,
		sendOnly: true,
		spec: {
			kind: 'string',
			key: 'task_id',
			displayName: 'Task ID',
			maxBytes: TASK_ID_MAX_BYTES,
			description:
				'Identifies the card in click events (TaskId). Leave empty to let the node generate a unique one (output as task_id). Letters, digits and _-@, at most 128 bytes, never reused within the app. Needed by interactive cards and cards with an action menu.',
		},
	},
	{
		name: 'ReplaceText',
		form: 'value',
		cardTypes: INTERACTIVE_CARD_TYPES,
		updateOnly: true,
		spec: {
			kind: 'string',
			key: 'replace_text',
			displayName: 'Replace Text (替换文案)',
			description: 'When set, the buttons show as one grey, disabled button with this text, e.g. 已处理 Done',
		},
	},
];

/** The parts a card type has in send (or update) requests, in UI order. */
export function partsFor(cardType: CardType, forUpdate: boolean): PartSpec[] {
	return CARD_PARTS.filter(
		(part) => part.cardTypes.includes(cardType) && !(forUpdate && part.sendOnly) && !(!forUpdate && part.updateOnly),
	);
}

export function isCardType(value: unknown): value is CardType {
	return typeof value === 'string' && (CARD_TYPE_VALUES as string[]).includes(value);
}

/** Interactive cards always need a task_id; notice cards only with an action menu. */
export function needsTaskId(card: { card_type?: unknown; action_menu?: unknown }): boolean {
	return (INTERACTIVE_CARD_TYPES as unknown[]).includes(card.card_type) || (card.action_menu !== undefined && card.action_menu !== null);
}

/** snake_case JSON key → camelCase parameter name. */
export function paramName(key: string): string {
	return key.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/** snake_case JSON key → PascalCase suffix for flattened fields. */
export function pascal(key: string): string {
	const camel = paramName(key);
	return camel.charAt(0).toUpperCase() + camel.slice(1);
}
