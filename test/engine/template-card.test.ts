/**
 * Template cards (模板卡片) through n8n's real engine against the WeCom sandbox: the guided builder for each of the
 * five card types (the exact template_card WeCom received), generated task IDs, raw JSON, limits rejected before
 * any request, and Update Template Card by button text and by whole card with the response_code of a send.
 */
import { runWorkflow } from '../harness';
import { AGENT_ID, useWeComTestBed } from './kit';

const TASK_ID = /^[0-9A-Za-z_\-@]{1,128}$/;
const SEND = '/cgi-bin/message/send';
const UPDATE = '/cgi-bin/message/update_template_card';

type Parameters = Record<string, unknown>;

describe('WeCom node: template cards (模板卡片)', () => {
	const bed = useWeComTestBed('message');

	/** Input → one WeCom node per parameter set, chained (a later node can map the earlier node's output). */
	async function runChain(steps: Parameters[], items: unknown[] = [{ json: {} }]) {
		const names = steps.map((_, index) => `WeCom${index + 1}`);
		const connections: Record<string, { main: Array<Array<{ node: string; type: 'main'; index: number }>> }> = {};
		['Input', ...names].slice(0, -1).forEach((from, index) => {
			connections[from] = { main: [[{ node: names[index], type: 'main', index: 0 }]] };
		});
		return await runWorkflow({
			workflow: {
				nodes: [
					{ id: 'input', name: 'Input', type: 'test.input', typeVersion: 1, position: [0, 0], parameters: { items } },
					...steps.map((parameters, index) => bed.node(names[index], parameters, 200 * (index + 1))),
				],
				connections,
			},
			credentials: bed.credentials,
		});
	}

	const sendParameters = (card: Parameters): Parameters => ({ operation: 'send', toUser: 'zhangsan', msgtype: 'template_card', ...card });

	async function sendCard(card: Parameters) {
		const result = await runChain([sendParameters(card)]);
		expect(result.error).toBeUndefined();
		const output = result.output('WeCom1');
		expect(output).toHaveLength(1);
		const bodies = bed.sandbox.requestsTo(SEND).map((request) => request.json as Record<string, unknown>);
		expect(bodies).toHaveLength(1);
		expect(bodies[0]).toMatchObject({ touser: 'zhangsan', msgtype: 'template_card', agentid: AGENT_ID });
		return { json: output[0].json, card: bodies[0].template_card as Record<string, unknown> };
	}

	async function expectRejected(card: Parameters, message: RegExp) {
		const result = await runChain([sendParameters(card)]);
		expect(result.error?.message).toMatch(message);
		expect(bed.sandbox.requestsTo(SEND)).toHaveLength(0);
	}

	const buttons = (count: number) => ({
		items: Array.from({ length: count }, (_, index) => ({ text: `Button ${index}`, style: 1, key: `key_${index}` })),
	});

	const approvalCard: Parameters = {
		cardType: 'button_interaction',
		cardMainTitle: 'Leave request 请假申请',
		cardButtons: {
			items: [
				{ text: '同意 Approve', style: 1, key: 'approve' },
				{ text: '驳回 Reject', style: 3, key: 'reject' },
			],
		},
	};

	describe('guided builder: the exact template_card per card type', () => {
		it('text notice (文本通知型) with every text-notice part', async () => {
			const { json, card } = await sendCard({
				cardType: 'text_notice',
				cardSource: { iconUrl: 'https://example.com/icon.png', desc: '监控 Monitor', descColor: 2 },
				cardMainTitle: 'Disk almost full',
				cardMainDesc: 'prod-db-1',
				cardQuoteArea: { type: 1, url: 'https://example.com/runbook', title: 'Runbook', quoteText: 'Free space first' },
				cardEmphasisContent: { title: '95%', desc: 'used' },
				cardSubTitle: 'Since 09:00',
				cardHorizontalContent: {
					items: [
						{ type: 0, keyname: 'Host', value: 'db-1' },
						{ type: 1, keyname: 'Graph', value: 'Open', url: 'https://example.com/graph' },
						{ type: 2, keyname: 'Log', value: 'db.log', mediaId: 'MEDIA_1' },
						{ type: 3, keyname: 'Owner', value: 'Zhang San', userid: 'zhangsan' },
					],
				},
				cardJumpList: { items: [{ title: 'Dashboard', type: 1, url: 'https://example.com/dash' }] },
				cardClickType: 1,
				cardClickUrl: 'https://example.com/alert/1',
			});
			expect(card).toEqual({
				card_type: 'text_notice',
				source: { icon_url: 'https://example.com/icon.png', desc: '监控 Monitor', desc_color: 2 },
				main_title: { title: 'Disk almost full', desc: 'prod-db-1' },
				quote_area: { type: 1, url: 'https://example.com/runbook', title: 'Runbook', quote_text: 'Free space first' },
				emphasis_content: { title: '95%', desc: 'used' },
				sub_title_text: 'Since 09:00',
				horizontal_content_list: [
					{ type: 0, keyname: 'Host', value: 'db-1' },
					{ type: 1, keyname: 'Graph', value: 'Open', url: 'https://example.com/graph' },
					{ type: 2, keyname: 'Log', value: 'db.log', media_id: 'MEDIA_1' },
					{ type: 3, keyname: 'Owner', value: 'Zhang San', userid: 'zhangsan' },
				],
				jump_list: [{ title: 'Dashboard', type: 1, url: 'https://example.com/dash' }],
				card_action: { type: 1, url: 'https://example.com/alert/1' },
			});
			// A notice card without an action menu needs no task_id and gets no response_code.
			expect(json.task_id).toBeUndefined();
			expect(json.response_code).toBeUndefined();
			expect(json.msgid).toEqual(expect.any(String));
		});

		it('news notice (图文展示型) with an action menu gets a generated task_id and a response_code', async () => {
			const { json, card } = await sendCard({
				cardType: 'news_notice',
				cardMainTitle: 'Weekly report',
				cardActionMenu: { desc: 'Subscription', actionList: { items: [{ text: 'Mute', key: 'mute' }] } },
				cardCardImage: { url: 'https://example.com/chart.png', aspectRatio: 2 },
				cardImageTextArea: { type: 1, url: 'https://example.com/r', title: 'Details', desc: 'All numbers', imageUrl: 'https://example.com/t.png' },
				cardVerticalContent: { items: [{ title: 'Revenue', desc: '+5%' }, { title: 'Costs' }] },
				cardClickType: 2,
				cardClickAppid: 'wx123456',
				cardClickPagepath: '/pages/report',
			});
			expect(json.task_id).toMatch(TASK_ID);
			expect(card).toEqual({
				card_type: 'news_notice',
				main_title: { title: 'Weekly report' },
				action_menu: { desc: 'Subscription', action_list: [{ text: 'Mute', key: 'mute' }] },
				card_image: { url: 'https://example.com/chart.png', aspect_ratio: 2 },
				image_text_area: { type: 1, url: 'https://example.com/r', title: 'Details', desc: 'All numbers', image_url: 'https://example.com/t.png' },
				vertical_content_list: [{ title: 'Revenue', desc: '+5%' }, { title: 'Costs' }],
				card_action: { type: 2, appid: 'wx123456', pagepath: '/pages/report' },
				task_id: json.task_id,
			});
			expect(json.response_code).toEqual(expect.any(String));
		});

		it('button interaction (按钮交互型): buttons, drop-down, generated task_id in the output', async () => {
			const { json, card } = await sendCard({
				...approvalCard,
				cardSubTitle: 'Zhang San, 2 days',
				cardButtons: {
					items: [
						{ text: '同意 Approve', style: 1, key: 'approve' },
						{ text: '驳回 Reject', style: 3, key: 'reject' },
						{ type: 1, text: 'Details', url: 'https://example.com/leave/7' },
					],
				},
				cardButtonSelection: {
					questionKey: 'deputy',
					title: 'Deputy',
					optionList: { items: [{ id: 'lisi', text: 'Li Si' }, { id: 'wangwu', text: 'Wang Wu' }] },
					selectedId: 'wangwu',
				},
			});
			expect(json.task_id).toMatch(TASK_ID);
			expect(json.response_code).toEqual(expect.any(String));
			expect(json.msgtype).toBe('template_card');
			expect(card).toEqual({
				card_type: 'button_interaction',
				main_title: { title: 'Leave request 请假申请' },
				sub_title_text: 'Zhang San, 2 days',
				button_selection: {
					question_key: 'deputy',
					title: 'Deputy',
					option_list: [
						{ id: 'lisi', text: 'Li Si' },
						{ id: 'wangwu', text: 'Wang Wu' },
					],
					selected_id: 'wangwu',
				},
				button_list: [
					{ type: 0, text: '同意 Approve', style: 1, key: 'approve' },
					{ type: 0, text: '驳回 Reject', style: 3, key: 'reject' },
					{ type: 1, text: 'Details', style: 1, url: 'https://example.com/leave/7' },
				],
				task_id: json.task_id,
			});
		});

		it('generated task IDs differ between items, so every card of a batch is accepted', async () => {
			const result = await runChain([sendParameters(approvalCard)], [{ json: {} }, { json: {} }, { json: {} }]);
			expect(result.error).toBeUndefined();
			const ids = result.output('WeCom1').map((item) => item.json.task_id);
			expect(new Set(ids).size).toBe(3);
			expect(bed.sandbox.requestsTo(SEND).map((request) => (request.json as { template_card: { task_id: string } }).template_card.task_id)).toEqual(ids);
		});

		it('vote interaction (投票选择型) with a given task_id and the default submit text', async () => {
			const { json, card } = await sendCard({
				cardType: 'vote_interaction',
				cardMainTitle: 'Team lunch',
				cardCheckboxQuestionKey: 'lunch',
				cardCheckboxMode: 1,
				cardCheckboxOptionList: { items: [{ id: 'noodles', text: '面条', isChecked: true }, { id: 'rice', text: '米饭' }] },
				cardSubmitKey: 'submit_lunch',
				cardTaskId: 'lunch_2024-05@team',
			});
			expect(json.task_id).toBe('lunch_2024-05@team');
			expect(card).toEqual({
				card_type: 'vote_interaction',
				main_title: { title: 'Team lunch' },
				checkbox: {
					question_key: 'lunch',
					mode: 1,
					option_list: [
						{ id: 'noodles', text: '面条', is_checked: true },
						{ id: 'rice', text: '米饭', is_checked: false },
					],
				},
				submit_button: { text: '提交', key: 'submit_lunch' },
				task_id: 'lunch_2024-05@team',
			});
		});

		it('multiple interaction (多项选择型) with drop-down questions', async () => {
			const { json, card } = await sendCard({
				cardType: 'multiple_interaction',
				cardSource: { desc: 'HR' },
				cardMainTitle: 'Onboarding',
				cardSelectList: {
					items: [
						{ questionKey: 'laptop', title: 'Laptop', selectedId: 'mac', optionList: { items: [{ id: 'mac', text: 'Mac' }, { id: 'pc', text: 'PC' }] } },
						{ questionKey: 'size', title: 'T-shirt', optionList: { items: [{ id: 'm', text: 'M' }] } },
					],
				},
				cardSubmitText: 'Send',
				cardSubmitKey: 'onboarding',
			});
			expect(card).toEqual({
				card_type: 'multiple_interaction',
				source: { desc: 'HR' },
				main_title: { title: 'Onboarding' },
				select_list: [
					{
						question_key: 'laptop',
						title: 'Laptop',
						selected_id: 'mac',
						option_list: [
							{ id: 'mac', text: 'Mac' },
							{ id: 'pc', text: 'PC' },
						],
					},
					{ question_key: 'size', title: 'T-shirt', option_list: [{ id: 'm', text: 'M' }] },
				],
				submit_button: { text: 'Send', key: 'onboarding' },
				task_id: json.task_id,
			});
			expect(json.task_id).toMatch(TASK_ID);
		});
	});

	describe('raw JSON', () => {
		it('sends the pasted card as is, adding a task_id when it has none', async () => {
			const raw = {
				card_type: 'button_interaction',
				main_title: { title: 'Deploy v2?' },
				button_list: [{ text: 'Go', style: 4, key: 'go' }],
				horizontal_content_list: [{ keyname: 'Env', value: 'prod' }],
			};
			const { json, card } = await sendCard({ cardDefinition: 'json', cardJson: JSON.stringify(raw) });
			expect(json.task_id).toMatch(TASK_ID);
			expect(card).toEqual({ ...raw, task_id: json.task_id });
		});

		it('accepts a whole message body copied from the docs and keeps its task_id', async () => {
			const raw = { template_card: { card_type: 'text_notice', sub_title_text: 'Only text', card_action: { type: 1, url: 'https://example.com' } } };
			const { json, card } = await sendCard({ cardDefinition: 'json', cardJson: JSON.stringify(raw) });
			expect(card).toEqual(raw.template_card);
			expect(json.task_id).toBeUndefined();
		});

		it('rejects invalid JSON and cards breaking the rules before any request', async () => {
			await expectRejected({ cardDefinition: 'json', cardJson: '{"card_type": ' }, /Card JSON is not valid JSON/);
			const sevenButtons = { card_type: 'button_interaction', main_title: { title: 'x' }, button_list: buttons(7).items };
			await expectRejected({ cardDefinition: 'json', cardJson: JSON.stringify(sevenButtons) }, /button_list\[6\]: at most 6 buttons/);
		});
	});

	describe('limits rejected before any request', () => {
		it.each([
			['7 buttons', { ...approvalCard, cardButtons: buttons(7) }, /The template card is not valid: button_list\[6\]: at most 6 buttons/],
			[
				'21 checkbox options',
				{
					cardType: 'vote_interaction',
					cardMainTitle: 'Vote',
					cardCheckboxQuestionKey: 'q',
					cardCheckboxOptionList: { items: Array.from({ length: 21 }, (_, index) => ({ id: `o${index}`, text: `${index}` })) },
					cardSubmitKey: 's',
				},
				/checkbox\.option_list\[20\]: at most 20 options/,
			],
			['a task_id with spaces', { ...approvalCard, cardTaskId: 'task 1' }, /task_id: only letters, digits and _-@ are allowed/],
			['a task_id over 128 bytes', { ...approvalCard, cardTaskId: 'a'.repeat(129) }, /task_id: 129 bytes; WeCom allows at most 128 bytes/],
			// Expressions that resolve to nothing pass n8n's own required-field check; the builder catches them.
			['a button key resolving to nothing', { ...approvalCard, cardButtons: { items: [{ text: 'No key', key: '={{ $json.missing }}' }] } }, /button_list\[0\]\.key: required when type is 0/],
			['duplicate button keys', { ...approvalCard, cardButtons: { items: [{ text: 'A', key: 'k' }, { text: 'B', key: 'k' }] } }, /button_list\[1\]\.key: "k" is already used/],
			['a notice card without click action', { cardType: 'text_notice', cardMainTitle: 'x', cardClickUrl: '={{ $json.url }}' }, /card_action: required for text_notice cards/],
			['a vote card without question', { cardType: 'vote_interaction', cardMainTitle: 'x', cardCheckboxQuestionKey: '={{ "" }}', cardSubmitKey: 's' }, /checkbox: required for vote_interaction cards/],
			['a news card without image', { cardType: 'news_notice', cardMainTitle: 'x', cardClickUrl: 'https://e.com' }, /needs card_image or image_text_area/],
			['4 drop-down questions', {
				cardType: 'multiple_interaction',
				cardMainTitle: 'x',
				cardSubmitKey: 's',
				cardSelectList: { items: [1, 2, 3, 4].map((n) => ({ questionKey: `q${n}`, optionList: { items: [{ id: 'a', text: 'a' }] } })) },
			}, /select_list\[3\]: at most 3 questions/],
		])('%s', async (_name, card, message) => {
			await expectRejected(card as Parameters, message);
		});

		it('leaves a required guided field typed empty to n8n, which stops before the node runs', async () => {
			await expect(runChain([sendParameters({ ...approvalCard, cardButtons: { items: [{ text: 'No key' }] } })])).rejects.toThrow(
				/Parameter "Key" is required/,
			);
			expect(bed.sandbox.requestsTo(SEND)).toHaveLength(0);
		});

		it('lists every problem in the error description', async () => {
			const result = await runChain([sendParameters({ ...approvalCard, cardButtons: buttons(7), cardTaskId: 'bad id' })]);
			expect(result.error?.message).toMatch(/\(and 1 more\)/);
			expect((result.error as { description?: string }).description).toMatch(/button_list\[6\]: at most 6 buttons\ntask_id: only letters/);
		});
	});

	describe('Update Template Card (更新模版卡片消息)', () => {
		const codeFromSend = '={{ $json.response_code }}';

		it('replaces the buttons with a text, using the response_code of the send before it', async () => {
			const result = await runChain([
				sendParameters(approvalCard),
				{ operation: 'updateTemplateCard', responseCode: codeFromSend, updateMode: 'replaceButton', replaceName: '已处理 Approved' },
			]);
			expect(result.error).toBeUndefined();
			const sent = result.output('WeCom1')[0].json;
			expect(bed.sandbox.requestsTo(UPDATE).map((request) => request.json)).toEqual([
				{ atall: 1, agentid: AGENT_ID, response_code: sent.response_code, button: { replace_name: '已处理 Approved' } },
			]);
			expect(result.output('WeCom2').map((item) => item.json)).toEqual([
				{ mode: 'replaceButton', response_code: sent.response_code, replace_name: '已处理 Approved', errcode: 0, errmsg: 'ok', invaliduser: [] },
			]);
		});

		it('replaces the whole card with a guided card for specific users and departments', async () => {
			const result = await runChain([
				sendParameters({
					cardType: 'vote_interaction',
					cardMainTitle: 'Team lunch',
					cardCheckboxQuestionKey: 'lunch',
					cardCheckboxOptionList: { items: [{ id: 'noodles', text: '面条' }] },
					cardSubmitKey: 'submit',
				}),
				{
					operation: 'updateTemplateCard',
					responseCode: codeFromSend,
					updateMode: 'replaceCard',
					newCardType: 'vote_interaction',
					newCardMainTitle: 'Team lunch (closed)',
					newCardCheckboxQuestionKey: 'lunch',
					newCardCheckboxOptionList: { items: [{ id: 'noodles', text: '面条', isChecked: true }] },
					newCardCheckboxDisable: true,
					newCardReplaceText: '已投票 Voted',
					updateFor: 'specific',
					updateUserIds: 'zhangsan, ghost_user',
					updateDepartmentIds: ['2'],
					options: { enableIdTrans: true },
				},
			]);
			expect(result.error).toBeUndefined();
			const code = result.output('WeCom1')[0].json.response_code;
			const newCard = {
				card_type: 'vote_interaction',
				main_title: { title: 'Team lunch (closed)' },
				checkbox: { question_key: 'lunch', mode: 0, option_list: [{ id: 'noodles', text: '面条', is_checked: true }], disable: true },
				replace_text: '已投票 Voted',
			};
			expect(bed.sandbox.requestsTo(UPDATE).map((request) => request.json)).toEqual([
				{ userids: ['zhangsan', 'ghost_user'], partyids: [2], agentid: AGENT_ID, response_code: code, enable_id_trans: 1, template_card: newCard },
			]);
			const output = result.output('WeCom2')[0].json;
			expect(output).toMatchObject({ mode: 'replaceCard', response_code: code, card_type: 'vote_interaction', template_card: newCard, errcode: 0 });
			expect(output.invaliduser).toEqual(['ghost_user']);
		});

		it('replaces the whole card with raw JSON of another type', async () => {
			const replacement = { card_type: 'text_notice', main_title: { title: 'Done' }, card_action: { type: 1, url: 'https://example.com/done' } };
			const result = await runChain([
				sendParameters(approvalCard),
				{ operation: 'updateTemplateCard', responseCode: codeFromSend, updateMode: 'replaceCard', newCardDefinition: 'json', newCardJson: JSON.stringify(replacement) },
			]);
			expect(result.error).toBeUndefined();
			expect((bed.sandbox.requestsTo(UPDATE)[0].json as { template_card: unknown }).template_card).toEqual(replacement);
		});

		it('explains in plain English that a response_code works only once', async () => {
			const first = await runChain([sendParameters(approvalCard)]);
			const code = first.output('WeCom1')[0].json.response_code as string;
			const update = { operation: 'updateTemplateCard', responseCode: code, updateMode: 'replaceButton', replaceName: 'Done' };
			expect((await runChain([update])).error).toBeUndefined();
			const again = await runChain([update]);
			expect(again.error?.message).toMatch(/already used/);
			expect((again.error as { description?: string }).description).toMatch(/response_code updates a card once/);
			expect(bed.sandbox.requestsTo(UPDATE)).toHaveLength(2);
		});

		it('explains an unknown response_code', async () => {
			const result = await runChain([{ operation: 'updateTemplateCard', responseCode: 'not-a-code', updateMode: 'replaceButton', replaceName: 'Done' }]);
			expect((result.error as { description?: string }).description).toMatch(/response_code is unknown, older than 72 hours/);
		});

		it.each([
			['a response code resolving to nothing', { responseCode: '={{ $json.response_code }}', replaceName: 'x' }, /Response Code is required/],
			['an empty button text', { responseCode: 'code', replaceName: '  ' }, /Button Text is required/],
			['no targets', { responseCode: 'code', replaceName: 'x', updateFor: 'specific' }, /No one to update the card for/],
			['1001 users', { responseCode: 'code', replaceName: 'x', updateFor: 'specific', updateUserIds: Array.from({ length: 1001 }, (_, i) => `u${i}`).join('|') }, /User IDs has 1001 entries; WeCom accepts at most 1000/],
			['101 departments', { responseCode: 'code', replaceName: 'x', updateFor: 'specific', updateDepartmentIds: `={{ ${JSON.stringify(Array.from({ length: 101 }, (_, i) => i + 1))} }}` }, /Departments has 101 entries; WeCom accepts at most 100/],
			['a non-numeric tag', { responseCode: 'code', replaceName: 'x', updateFor: 'specific', updateTagIds: ['ops'] }, /Tags: "ops" is not a numeric ID/],
			['an invalid new card', { responseCode: 'code', updateMode: 'replaceCard', newCardType: 'button_interaction', newCardMainTitle: 'x', newCardButtons: buttons(7) }, /button_list\[6\]: at most 6 buttons/],
		])('rejects %s before any request', async (_name, parameters, message) => {
			const result = await runChain([{ operation: 'updateTemplateCard', updateMode: 'replaceButton', ...parameters }]);
			expect(result.error?.message).toMatch(message);
			expect(bed.sandbox.requestsTo(UPDATE)).toHaveLength(0);
		});
	});
});
