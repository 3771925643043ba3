/**
 * validateTemplateCard: WeCom's template card rules (message/send, message/update_template_card), path by path.
 * Plus the UI generated from the same spec: unique parameter names per builder and prefix.
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import {
	CARD_TYPES,
	generateTaskId,
	needsTaskId,
	templateCardProperties,
	validateTemplateCard,
	TASK_ID_PATTERN,
} from '../../nodes/WeCom/helpers/templateCard';

const textNotice = (): IDataObject => ({
	card_type: 'text_notice',
	main_title: { title: 'Server alert', desc: 'prod-1' },
	card_action: { type: 1, url: 'https://example.com' },
});

const buttonCard = (buttons = 2): IDataObject => ({
	card_type: 'button_interaction',
	main_title: { title: 'Approve?' },
	task_id: 'task_1',
	button_list: Array.from({ length: buttons }, (_, index) => ({ text: `B${index}`, style: 1, key: `key${index}` })),
});

const voteCard = (options = 2): IDataObject => ({
	card_type: 'vote_interaction',
	main_title: { title: 'Lunch?' },
	task_id: 'vote-1',
	checkbox: {
		question_key: 'q',
		mode: 1,
		option_list: Array.from({ length: options }, (_, index) => ({ id: `o${index}`, text: `Option ${index}`, is_checked: false })),
	},
	submit_button: { text: '提交', key: 'submit' },
});

const multipleCard = (): IDataObject => ({
	card_type: 'multiple_interaction',
	main_title: { title: 'Pick' },
	task_id: 'm@1',
	select_list: [
		{ question_key: 'a', option_list: [{ id: '1', text: 'One' }] },
		{ question_key: 'b', selected_id: '2', option_list: [{ id: '2', text: 'Two' }] },
	],
	submit_button: { text: 'Go', key: 'go' },
});

const newsCard = (): IDataObject => ({
	card_type: 'news_notice',
	main_title: { title: 'News' },
	card_image: { url: 'https://example.com/a.png', aspect_ratio: 2 },
	vertical_content_list: [{ title: 'v1' }],
	card_action: { type: 2, appid: 'wx123', pagepath: '/index' },
});

describe('validateTemplateCard', () => {
	it('accepts a valid card of each of the five types', () => {
		for (const card of [textNotice(), newsCard(), buttonCard(), voteCard(), multipleCard()]) {
			expect(validateTemplateCard(card)).toEqual([]);
		}
	});

	it('rejects a missing or unknown card_type', () => {
		expect(validateTemplateCard({})[0]).toMatch(/^card_type: required/);
		expect(validateTemplateCard({ card_type: 'text_card' })[0]).toMatch(/^card_type: "text_card" is not a card type/);
	});

	it('limits buttons to 6 and names the first extra one', () => {
		expect(validateTemplateCard(buttonCard(6))).toEqual([]);
		expect(validateTemplateCard(buttonCard(7))).toEqual(['button_list[6]: at most 6 buttons']);
		expect(validateTemplateCard(buttonCard(0))).toEqual(['button_list: at least 1 button']);
	});

	it('needs a key on callback buttons and a URL on URL buttons; keys are unique', () => {
		const card = buttonCard(1);
		card.button_list = [{ text: 'A' }, { type: 1, text: 'Docs' }, { text: 'B', key: 'k' }, { text: 'C', key: 'k' }];
		expect(validateTemplateCard(card)).toEqual([
			'button_list[0].key: required when type is 0',
			'button_list[1].url: required when type is 1',
			'button_list[3].key: "k" is already used by button_list[2]; must be unique',
		]);
	});

	it('checks button style and type values', () => {
		const card = buttonCard(1);
		card.button_list = [{ text: 'A', key: 'a', style: 5 }];
		expect(validateTemplateCard(card)[0]).toMatch(/^button_list\[0\]\.style: must be one of 1 \(Style 1/);
	});

	it('limits checkbox options to 1–20 and needs is_checked as a boolean', () => {
		expect(validateTemplateCard(voteCard(20))).toEqual([]);
		expect(validateTemplateCard(voteCard(21))).toEqual(['checkbox.option_list[20]: at most 20 options']);
		expect(validateTemplateCard(voteCard(0))).toEqual(['checkbox.option_list: required']);
		const card = voteCard(1);
		((card.checkbox as IDataObject).option_list as IDataObject[])[0].is_checked = 'yes';
		expect(validateTemplateCard(card)).toEqual(['checkbox.option_list[0].is_checked: must be true or false, not "yes"']);
	});

	it('needs the vote parts: checkbox and submit button (submit button optional in updates)', () => {
		const card = voteCard();
		delete card.checkbox;
		delete card.submit_button;
		expect(validateTemplateCard(card)).toEqual(['checkbox: required for vote_interaction cards', 'submit_button: required for vote_interaction cards']);
		expect(validateTemplateCard(card, { forUpdate: true })).toEqual(['checkbox: required for vote_interaction cards']);
	});

	it('limits select lists to 3 with 1–10 options and unique question keys', () => {
		const card = multipleCard();
		const select = card.select_list as IDataObject[];
		select.push({ question_key: 'a', option_list: Array.from({ length: 11 }, (_, index) => ({ id: `${index}`, text: 't' })) });
		select.push({ question_key: 'd', option_list: [{ id: 'x', text: 'x' }] });
		expect(validateTemplateCard(card)).toEqual([
			'select_list[3]: at most 3 questions',
			'select_list[2].option_list[10]: at most 10 options',
			'select_list[2].question_key: "a" is already used by select_list[0]; must be unique',
		]);
	});

	it('checks task_id characters and length, and needs it for interactive cards but not in updates', () => {
		expect(validateTemplateCard({ ...buttonCard(), task_id: 'bad id!' })).toEqual(['task_id: only letters, digits and _-@ are allowed']);
		expect(validateTemplateCard({ ...buttonCard(), task_id: 'a'.repeat(129) })).toEqual([
			'task_id: 129 bytes; WeCom allows at most 128 bytes (UTF-8)',
		]);
		expect(validateTemplateCard({ ...buttonCard(), task_id: 'a'.repeat(128) })).toEqual([]);
		const noTask = buttonCard();
		delete noTask.task_id;
		expect(validateTemplateCard(noTask)).toEqual(['task_id: required for button_interaction cards']);
		expect(validateTemplateCard(noTask, { forUpdate: true })).toEqual([]);
	});

	it('needs a task_id on notice cards only when they have an action menu; the menu has 1–3 entries', () => {
		const card = { ...textNotice(), action_menu: { desc: 'More', action_list: [{ text: 'Mute', key: 'mute' }] } };
		expect(validateTemplateCard(card)).toEqual(['task_id: required for cards with an action_menu']);
		const four = {
			...textNotice(),
			task_id: 't1',
			action_menu: { action_list: [1, 2, 3, 4].map((n) => ({ text: `${n}`, key: `k${n}` })) },
		};
		expect(validateTemplateCard(four)).toEqual(['action_menu.action_list[3]: at most 3 menu entries']);
		expect(validateTemplateCard({ ...textNotice(), task_id: 't1', action_menu: { desc: 'x' } })).toEqual(['action_menu.action_list: required']);
	});

	it('needs card_action on notice cards (type 1 or 2 with its target), not on button cards', () => {
		const card = textNotice();
		delete card.card_action;
		expect(validateTemplateCard(card)).toEqual(['card_action: required for text_notice cards']);
		expect(validateTemplateCard({ ...textNotice(), card_action: { type: 0 } })[0]).toMatch(/^card_action\.type: must be one of 1 \(Open URL\), 2/);
		expect(validateTemplateCard({ ...textNotice(), card_action: { type: 2 } })).toEqual(['card_action.appid: required when type is 2']);
		expect(validateTemplateCard({ ...buttonCard(), card_action: { type: 0 } })).toEqual([]);
	});

	it('needs a title or sub-title on text notices, a title elsewhere', () => {
		const card = textNotice();
		delete card.main_title;
		expect(validateTemplateCard(card)).toEqual(['main_title.title: a text_notice card needs a main title or sub_title_text']);
		expect(validateTemplateCard({ ...card, sub_title_text: 'Only a sub-title' })).toEqual([]);
		const vote = voteCard();
		vote.main_title = { desc: 'no title' };
		expect(validateTemplateCard(vote)).toEqual(['main_title.title: required']);
	});

	it('needs card_image or image_text_area on news notices; aspect ratio 1.3–2.25; at most 4 vertical entries', () => {
		const card = newsCard();
		delete card.card_image;
		expect(validateTemplateCard(card)).toEqual(['card_image: a news_notice card needs card_image or image_text_area']);
		expect(validateTemplateCard({ ...card, image_text_area: { type: 1, image_url: 'https://e/x.png' } })).toEqual([
			'image_text_area.url: required when type is 1',
		]);
		expect(validateTemplateCard({ ...newsCard(), card_image: { url: 'https://e/x.png', aspect_ratio: 2.25 } })).toEqual([
			'card_image.aspect_ratio: must be at least 1.3 and below 2.25, not 2.25',
		]);
		expect(validateTemplateCard({ ...newsCard(), card_image: { url: 'https://e/x.png', aspect_ratio: 1.2 } })).toEqual([
			'card_image.aspect_ratio: must be at least 1.3 and below 2.25, not 1.2',
		]);
		expect(validateTemplateCard({ ...newsCard(), card_image: { url: 'https://e/x.png', aspect_ratio: 1.3 } })).toEqual([]);
		const five = { ...newsCard(), vertical_content_list: [1, 2, 3, 4, 5].map((n) => ({ title: `${n}` })) };
		expect(validateTemplateCard(five)).toEqual(['vertical_content_list[4]: at most 4 entries']);
	});

	it('checks horizontal rows (≤ 6, target per type) and jump links (≤ 3)', () => {
		const card = {
			...textNotice(),
			horizontal_content_list: [
				{ keyname: 'A', value: 'x' },
				{ type: 1, keyname: 'B' },
				{ type: 2, keyname: 'C' },
				{ type: 3, keyname: 'D' },
				{ value: 'no key' },
				{ type: 3, keyname: 'F', userid: 'zhangsan' },
				{ keyname: 'G' },
			],
			jump_list: [{ type: 1, title: 'a', url: 'u' }, { type: 2, title: 'b' }, { title: 'c', url: 'u' }, { title: 'd', url: 'u' }],
		};
		expect(validateTemplateCard(card)).toEqual([
			'horizontal_content_list[6]: at most 6 rows',
			'horizontal_content_list[1].url: required when type is 1',
			'horizontal_content_list[2].media_id: required when type is 2',
			'horizontal_content_list[3].userid: required when type is 3',
			'horizontal_content_list[4].keyname: required',
			'jump_list[3]: at most 3 links',
			'jump_list[1].appid: required when type is 2',
		]);
	});

	it('counts key and option id limits in UTF-8 bytes', () => {
		const card = voteCard(1);
		const checkbox = card.checkbox as IDataObject;
		checkbox.question_key = '键'.repeat(342); // 1026 bytes
		(checkbox.option_list as IDataObject[])[0].id = '选'.repeat(43); // 129 bytes
		expect(validateTemplateCard(card)).toEqual([
			'checkbox.question_key: 1026 bytes; WeCom allows at most 1024 bytes (UTF-8)',
			'checkbox.option_list[0].id: 129 bytes; WeCom allows at most 128 bytes (UTF-8)',
		]);
	});

	it('reports wrong shapes instead of crashing', () => {
		expect(validateTemplateCard({ ...buttonCard(), button_list: { text: 'x' } })).toEqual(['button_list: must be a list, not an object']);
		expect(validateTemplateCard({ ...textNotice(), source: 'me' })).toEqual(['source: must be an object, not "me"']);
		expect(validateTemplateCard({ ...buttonCard(), button_list: ['x'] })).toEqual(['button_list[0]: must be an object, not "x"']);
		expect(validateTemplateCard({ ...textNotice(), main_title: { title: 5 } })).toEqual(['main_title.title: must be text, not 5']);
	});

	it('restricts card types where asked (group robots)', () => {
		expect(validateTemplateCard(buttonCard(), { allowedCardTypes: ['text_notice', 'news_notice'] })).toEqual([
			'card_type: "button_interaction" cannot be sent here; use text_notice or news_notice',
		]);
	});
});

describe('task ids', () => {
	it('generates valid, distinct task ids', () => {
		const ids = new Set(Array.from({ length: 200 }, () => generateTaskId()));
		expect(ids.size).toBe(200);
		for (const id of ids) {
			expect(id).toMatch(TASK_ID_PATTERN);
			expect(Buffer.byteLength(id)).toBeLessThanOrEqual(128);
		}
	});

	it('knows which cards need one', () => {
		expect(needsTaskId({ card_type: 'vote_interaction' })).toBe(true);
		expect(needsTaskId({ card_type: 'news_notice' })).toBe(false);
		expect(needsTaskId({ card_type: 'news_notice', action_menu: {} })).toBe(true);
	});
});

describe('templateCardProperties', () => {
	const show = { resource: ['message'], operation: ['send'] };

	/** Parameters sharing a name must never be visible together: their card types must not overlap. */
	function assertUniqueVisibleNames(properties: INodeProperties[]) {
		const byName = new Map<string, INodeProperties[]>();
		for (const property of properties) byName.set(property.name, [...(byName.get(property.name) ?? []), property]);
		for (const [name, group] of byName) {
			if (group.length === 1) continue;
			const seen = new Set<string>();
			for (const property of group) {
				const types = (Object.entries(property.displayOptions?.show ?? {}).find(([key]) => key.endsWith('Type'))?.[1] ?? []) as string[];
				for (const type of types) {
					expect(`${name}:${type}:${seen.has(type)}`).toBe(`${name}:${type}:false`);
					seen.add(type);
				}
			}
		}
	}

	it('namespaces every parameter with the prefix and keeps the given display options', () => {
		const properties = templateCardProperties({ show }, { prefix: 'newCard', forUpdate: true });
		for (const property of properties) {
			expect(property.name.startsWith('newCard')).toBe(true);
			expect(property.displayOptions?.show?.operation).toEqual(['send']);
		}
		assertUniqueVisibleNames(properties);
		const names = properties.map((property) => property.name);
		expect(names).toContain('newCardReplaceText');
		expect(names).not.toContain('newCardTaskId');
	});

	it('offers only the allowed card types and their parts', () => {
		const properties = templateCardProperties({ show }, { prefix: 'robotCard', allowedCardTypes: ['text_notice', 'news_notice'] });
		const type = properties.find((property) => property.name === 'robotCardType');
		expect(type?.options?.map((option) => (option as { value: string }).value)).toEqual(['text_notice', 'news_notice']);
		const names = properties.map((property) => property.name);
		expect(names).not.toContain('robotCardButtons');
		expect(names).toContain('robotCardTaskId');
		assertUniqueVisibleNames(properties);
	});

	it('lists all five card types with their Chinese names', () => {
		expect(CARD_TYPES.map((type) => type.value)).toEqual([
			'text_notice',
			'news_notice',
			'button_interaction',
			'vote_interaction',
			'multiple_interaction',
		]);
		expect(CARD_TYPES.find((type) => type.value === 'button_interaction')?.name).toBe('Button Interaction (按钮交互型)');
	});
});
