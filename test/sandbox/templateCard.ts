import { fail } from './errors';
import {
	arrayField,
	countBetween,
	httpUrl,
	intIn,
	maxBytes,
	objectField,
	optionalObject,
	optionalString,
	recordsIn,
	requiredString,
	unique,
} from './fields';

export const CARD_TYPES = ['text_notice', 'news_notice', 'button_interaction', 'vote_interaction', 'multiple_interaction'] as const;
export const INTERACTIVE_CARD_TYPES = ['button_interaction', 'vote_interaction', 'multiple_interaction'];
const TASK_ID = /^[A-Za-z0-9_\-@]+$/;
const KEY_BYTES = 1024;

export interface CardSummary {
	cardType: string;
	taskId?: string;
	/** Keys a click can carry (buttons, submit button). */
	keys: string[];
	menuKeys: string[];
	/** button/vote/multiple, or any card with an action_menu: these get a response_code. */
	callbackCard: boolean;
}

/**
 * Checks a template_card against the rules of message/send (path 90236) and update_template_card (94888).
 * Lengths WeCom only *suggests* (e.g. main_title ≤ 36 characters) are not enforced; hard limits are.
 * mode 'update': submit_button and task_id become optional. mode 'robot': only text_notice/news_notice,
 * and news_notice needs card_image (group robot doc).
 */
export function validateTemplateCard(card: Record<string, unknown>, mode: 'send' | 'update' | 'robot'): CardSummary {
	const cardType = requiredString(card, 'card_type', 'template_card.card_type');
	if (!(CARD_TYPES as readonly string[]).includes(cardType)) fail(40058, `template_card.card_type "${cardType}" is not a card type`);
	if (mode === 'robot' && !['text_notice', 'news_notice'].includes(cardType)) {
		fail(40058, `group robots only send text_notice and news_notice cards, not ${cardType}`);
	}
	const interactive = INTERACTIVE_CARD_TYPES.includes(cardType);
	const keys: string[] = [];
	const menuKeys: string[] = [];

	const taskId = optionalString(card, 'task_id', 'template_card.task_id');
	if (taskId !== undefined) {
		if (!TASK_ID.test(taskId)) fail(40058, 'template_card.task_id may only contain letters, digits and _-@');
		maxBytes(taskId, 128, 'template_card.task_id', 40058);
	}

	const source = optionalObject(card, 'source', 'template_card.source');
	if (source) {
		intIn(source, 'desc_color', 'template_card.source.desc_color', [0, 1, 2, 3]);
		httpUrl(optionalString(source, 'icon_url', 'template_card.source.icon_url'), 'template_card.source.icon_url');
	}

	const actionMenu = optionalObject(card, 'action_menu', 'template_card.action_menu');
	if (actionMenu) {
		if (mode === 'robot') fail(40058, 'group robot cards have no action_menu');
		const actions = recordsIn(arrayField(actionMenu, 'action_list', 'template_card.action_menu.action_list', true), 'action_list');
		countBetween(actions, 1, 3, 'template_card.action_menu.action_list');
		for (const [index, action] of actions.entries()) {
			requiredString(action, 'text', `template_card.action_menu.action_list[${index}].text`);
			const key = requiredString(action, 'key', `template_card.action_menu.action_list[${index}].key`);
			maxBytes(key, KEY_BYTES, `template_card.action_menu.action_list[${index}].key`, 40058);
			menuKeys.push(key);
		}
		unique(menuKeys, 'template_card.action_menu key');
		if (taskId === undefined && mode !== 'update') fail(40058, 'template_card.task_id is required with action_menu');
	}

	const mainTitle = optionalObject(card, 'main_title', 'template_card.main_title');
	const mainTitleText = mainTitle ? optionalString(mainTitle, 'title', 'template_card.main_title.title') : undefined;
	if (mainTitle) optionalString(mainTitle, 'desc', 'template_card.main_title.desc');
	const subTitle = optionalString(card, 'sub_title_text', 'template_card.sub_title_text');
	if (cardType === 'text_notice') {
		if (!mainTitleText && !subTitle) fail(40058, 'text_notice needs main_title.title or sub_title_text');
	} else if (!mainTitleText) {
		fail(40058, `${cardType} needs main_title.title`);
	}

	const cardAction = optionalObject(card, 'card_action', 'template_card.card_action');
	if (cardType === 'text_notice' || cardType === 'news_notice') {
		if (!cardAction) fail(40058, `${cardType} needs card_action`);
	}
	if (cardAction) {
		const allowed = cardType === 'text_notice' || cardType === 'news_notice' ? [1, 2] : [0, 1, 2];
		const type = intIn(cardAction, 'type', 'template_card.card_action.type', allowed);
		if (type === undefined && allowed[0] === 1) fail(40058, 'template_card.card_action.type is required (1 URL, 2 mini program)');
		linkTarget(cardAction, type, 'template_card.card_action');
	}

	const quote = optionalObject(card, 'quote_area', 'template_card.quote_area');
	if (quote) linkTarget(quote, intIn(quote, 'type', 'template_card.quote_area.type', [0, 1, 2]), 'template_card.quote_area');

	optionalObject(card, 'emphasis_content', 'template_card.emphasis_content');

	const horizontal = recordsIn(arrayField(card, 'horizontal_content_list', 'template_card.horizontal_content_list', false), 'horizontal_content_list');
	countBetween(horizontal, 0, 6, 'template_card.horizontal_content_list');
	for (const [index, entry] of horizontal.entries()) {
		const path = `template_card.horizontal_content_list[${index}]`;
		requiredString(entry, 'keyname', `${path}.keyname`);
		const type = intIn(entry, 'type', `${path}.type`, [0, 1, 2, 3]);
		if (type === 1) httpUrl(requiredString(entry, 'url', `${path}.url`), `${path}.url`);
		if (type === 2) requiredString(entry, 'media_id', `${path}.media_id`, 40007);
		if (type === 3) requiredString(entry, 'userid', `${path}.userid`);
	}

	const jumps = recordsIn(arrayField(card, 'jump_list', 'template_card.jump_list', false), 'jump_list');
	countBetween(jumps, 0, 3, 'template_card.jump_list');
	for (const [index, jump] of jumps.entries()) {
		const path = `template_card.jump_list[${index}]`;
		requiredString(jump, 'title', `${path}.title`);
		linkTarget(jump, intIn(jump, 'type', `${path}.type`, [0, 1, 2]), path);
	}

	const vertical = recordsIn(arrayField(card, 'vertical_content_list', 'template_card.vertical_content_list', false), 'vertical_content_list');
	countBetween(vertical, 0, 4, 'template_card.vertical_content_list');
	for (const [index, entry] of vertical.entries()) requiredString(entry, 'title', `template_card.vertical_content_list[${index}].title`);

	if (cardType === 'news_notice') {
		const image = optionalObject(card, 'card_image', 'template_card.card_image');
		const imageText = optionalObject(card, 'image_text_area', 'template_card.image_text_area');
		if (mode === 'robot' && !image) fail(40058, 'a group robot news_notice needs card_image');
		if (!image && !imageText) fail(40058, 'news_notice needs card_image or image_text_area');
		if (image) {
			httpUrl(requiredString(image, 'url', 'template_card.card_image.url'), 'template_card.card_image.url');
			const ratio = image.aspect_ratio;
			if (ratio !== undefined && (typeof ratio !== 'number' || ratio < 1.3 || ratio >= 2.25)) {
				fail(40058, 'template_card.card_image.aspect_ratio must be at least 1.3 and below 2.25');
			}
		}
		if (imageText) {
			httpUrl(requiredString(imageText, 'image_url', 'template_card.image_text_area.image_url'), 'template_card.image_text_area.image_url');
			linkTarget(imageText, intIn(imageText, 'type', 'template_card.image_text_area.type', [0, 1, 2]), 'template_card.image_text_area');
		}
	}

	if (interactive && taskId === undefined && mode !== 'update') fail(40058, `${cardType} needs task_id`);

	if (cardType === 'button_interaction') {
		const buttons = recordsIn(arrayField(card, 'button_list', 'template_card.button_list', true), 'button_list');
		countBetween(buttons, 1, 6, 'template_card.button_list');
		const buttonKeys: string[] = [];
		for (const [index, button] of buttons.entries()) {
			const path = `template_card.button_list[${index}]`;
			requiredString(button, 'text', `${path}.text`);
			intIn(button, 'style', `${path}.style`, [1, 2, 3, 4]);
			const type = intIn(button, 'type', `${path}.type`, [0, 1]);
			if (type === 1) {
				httpUrl(requiredString(button, 'url', `${path}.url`), `${path}.url`);
			} else {
				const key = requiredString(button, 'key', `${path}.key`);
				maxBytes(key, KEY_BYTES, `${path}.key`, 40058);
				buttonKeys.push(key);
			}
		}
		unique(buttonKeys, 'template_card.button_list key');
		keys.push(...buttonKeys);
		const selection = optionalObject(card, 'button_selection', 'template_card.button_selection');
		if (selection) selectionList(selection, 'template_card.button_selection', 10);
	}

	if (cardType === 'vote_interaction') {
		const checkbox = objectField(card, 'checkbox', 'template_card.checkbox', 40058);
		selectionList(checkbox, 'template_card.checkbox', 20);
		intIn(checkbox, 'mode', 'template_card.checkbox.mode', [0, 1]);
		if (mode !== 'update') {
			for (const [index, option] of recordsIn(arrayField(checkbox, 'option_list', '', true), 'option_list').entries()) {
				if (typeof option.is_checked !== 'boolean') fail(40058, `template_card.checkbox.option_list[${index}].is_checked must be true or false`);
			}
		}
	}

	if (cardType === 'multiple_interaction') {
		const selects = recordsIn(arrayField(card, 'select_list', 'template_card.select_list', true), 'select_list');
		countBetween(selects, 1, 3, 'template_card.select_list');
		const questionKeys = selects.map((select, index) => selectionList(select, `template_card.select_list[${index}]`, 10));
		unique(questionKeys, 'template_card.select_list question_key');
	}

	if (cardType === 'vote_interaction' || cardType === 'multiple_interaction') {
		const submit = optionalObject(card, 'submit_button', 'template_card.submit_button');
		if (!submit && mode !== 'update') fail(40058, `${cardType} needs submit_button`);
		if (submit) {
			const key = requiredString(submit, 'key', 'template_card.submit_button.key');
			maxBytes(key, KEY_BYTES, 'template_card.submit_button.key', 40058);
			keys.push(key);
		}
	}

	return { cardType, taskId, keys, menuKeys, callbackCard: interactive || actionMenu !== undefined };
}

/** type 1 needs url, type 2 needs appid (mini program). */
function linkTarget(target: Record<string, unknown>, type: number | undefined, path: string): void {
	if (type === 1) httpUrl(requiredString(target, 'url', `${path}.url`), `${path}.url`);
	if (type === 2) requiredString(target, 'appid', `${path}.appid`);
}

/** question_key plus option_list of {id, text}; returns the question key. */
function selectionList(selection: Record<string, unknown>, path: string, maxOptions: number): string {
	const questionKey = requiredString(selection, 'question_key', `${path}.question_key`);
	maxBytes(questionKey, KEY_BYTES, `${path}.question_key`, 40058);
	const options = recordsIn(arrayField(selection, 'option_list', `${path}.option_list`, true), `${path}.option_list`);
	countBetween(options, 1, maxOptions, `${path}.option_list`);
	const ids = options.map((option, index) => {
		const id = requiredString(option, 'id', `${path}.option_list[${index}].id`);
		maxBytes(id, 128, `${path}.option_list[${index}].id`, 40058);
		requiredString(option, 'text', `${path}.option_list[${index}].text`);
		return id;
	});
	unique(ids, `${path}.option_list id`);
	return questionKey;
}
