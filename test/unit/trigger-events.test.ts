import * as official from '@wecom/crypto';
import { resolveWebhookDescriptionField } from 'n8n-workflow';

import { parseXml } from '../../nodes/shared/xml';
import { callbackSecrets, openCallbackRequest, secretsFrom } from '../../nodes/WeComTrigger/callbackRequest';
import {
	CALLBACK_KIND_OPTIONS,
	callbackKind,
	dedupeKey,
	matchesFilters,
	normalizeCallback,
} from '../../nodes/WeComTrigger/events';
import { buildReplyXml, cardToXmlFields } from '../../nodes/WeComTrigger/reply';
import { seenBefore, DEDUPE_WINDOW_MS } from '../../nodes/WeComTrigger/dedupe';
import { WeComTrigger } from '../../nodes/WeComTrigger/WeComTrigger.node';

const normalize = (xml: string) => normalizeCallback(parseXml(xml));

describe('normalizeCallback', () => {
	it('turns SelectedItems into [{ QuestionKey, OptionIds: string[] }] for one or many entries', () => {
		const many = normalize(
			'<xml><MsgType>event</MsgType><Event>template_card_event</Event><SelectedItems>' +
				'<SelectedItem><QuestionKey>q1</QuestionKey><OptionIds><OptionId>a</OptionId><OptionId>b</OptionId></OptionIds></SelectedItem>' +
				'<SelectedItem><QuestionKey>q2</QuestionKey><OptionIds><OptionId>c</OptionId></OptionIds></SelectedItem>' +
				'</SelectedItems></xml>',
		);
		expect(many.SelectedItems).toEqual([
			{ QuestionKey: 'q1', OptionIds: ['a', 'b'] },
			{ QuestionKey: 'q2', OptionIds: ['c'] },
		]);
		const one = normalize(
			'<xml><SelectedItems><SelectedItem><QuestionKey>q</QuestionKey><OptionIds><OptionId>x</OptionId></OptionIds></SelectedItem></SelectedItems></xml>',
		);
		expect(one.SelectedItems).toEqual([{ QuestionKey: 'q', OptionIds: ['x'] }]);
		expect(normalize('<xml><SelectedItems></SelectedItems></xml>').SelectedItems).toEqual([]);
	});

	it('makes picture lists, approval nodes and approval records arrays', () => {
		const pics = normalize('<xml><SendPicsInfo><Count>1</Count><PicList><item><PicMd5Sum>m</PicMd5Sum></item></PicList></SendPicsInfo></xml>');
		expect(pics.SendPicsInfo).toEqual({ Count: '1', PicList: [{ PicMd5Sum: 'm' }] });
		const open = normalize(
			'<xml><ApprovalInfo><ApprovalNodes><ApprovalNode><NodeStatus>1</NodeStatus><Items><Item><ItemName>h</ItemName></Item></Items></ApprovalNode></ApprovalNodes>' +
				'<NotifyNodes><NotifyNode><ItemName>g</ItemName></NotifyNode></NotifyNodes></ApprovalInfo></xml>',
		);
		expect(open.ApprovalInfo).toEqual({
			ApprovalNodes: [{ NodeStatus: '1', Items: [{ ItemName: 'h' }] }],
			NotifyNodes: [{ ItemName: 'g' }],
		});
		const sys = normalize(
			'<xml><ApprovalInfo><SpNo>1</SpNo><SpRecord><SpStatus>1</SpStatus><Details><Speech>ok</Speech></Details></SpRecord><Notifyer><UserId>u</UserId></Notifyer></ApprovalInfo></xml>',
		);
		expect(sys.ApprovalInfo).toEqual({ SpNo: '1', SpRecord: [{ SpStatus: '1', Details: [{ Speech: 'ok' }] }], Notifyer: [{ UserId: 'u' }] });
	});

	it('adds AgentID for legacy events that spell AgentId', () => {
		const fields = normalize('<xml><MsgType>event</MsgType><Event>taskcard_click</Event><AgentId>7</AgentId></xml>');
		expect(fields.AgentID).toBe('7');
		expect(fields.AgentId).toBe('7');
	});
});

describe('callbackKind and filters', () => {
	it('names listed kinds and calls the rest "other"', () => {
		expect(callbackKind({ MsgType: 'text' })).toBe('message.text');
		expect(callbackKind({ MsgType: 'event', Event: 'LOCATION' })).toBe('event.LOCATION');
		expect(callbackKind({ MsgType: 'event', Event: 'something_new' })).toBe('other');
		expect(callbackKind({ MsgType: 'miniprogram' })).toBe('other');
		const values = CALLBACK_KIND_OPTIONS.map((option) => option.value);
		expect(new Set(values).size).toBe(values.length);
		expect(values).toEqual(expect.arrayContaining(['event.template_card_event', 'event.view_miniprogram', 'other']));
	});

	it('combines type, EventKey and TaskId filters (empty = all)', () => {
		const click = { MsgType: 'event', Event: 'template_card_event', EventKey: 'approve', TaskId: 't1' };
		const none = { kinds: [], eventKeys: [], taskIds: [] };
		expect(matchesFilters(click, none)).toBe(true);
		expect(matchesFilters(click, { ...none, kinds: ['message.text', 'event.template_card_event'] })).toBe(true);
		expect(matchesFilters(click, { ...none, kinds: ['message.text'] })).toBe(false);
		expect(matchesFilters(click, { ...none, eventKeys: ['reject'] })).toBe(false);
		expect(matchesFilters(click, { ...none, eventKeys: ['reject', 'approve'], taskIds: ['t1'] })).toBe(true);
		expect(matchesFilters(click, { ...none, taskIds: ['t2'] })).toBe(false);
		expect(matchesFilters({ MsgType: 'text' }, { ...none, taskIds: ['t1'] })).toBe(false);
	});
});

describe('dedupeKey and seenBefore', () => {
	it('keys messages by MsgId and events by sender, time and content', () => {
		expect(dedupeKey({ MsgId: '42', CreateTime: '1' })).toBe(dedupeKey({ MsgId: '42', CreateTime: '2' }));
		const a = { FromUserName: 'sys', CreateTime: '100', MsgType: 'event', Event: 'change_contact', ChangeType: 'delete_party', Id: '2' };
		expect(dedupeKey(a)).toBe(dedupeKey({ ...a }));
		expect(dedupeKey(a)).not.toBe(dedupeKey({ ...a, Id: '3' }));
		expect(dedupeKey({ ...a, Nested: { b: '1', a: '2' } })).toBe(dedupeKey({ ...a, Nested: { a: '2', b: '1' } }));
	});

	it('remembers keys across calls through static data, and forgets them after the window', () => {
		const staticData = {};
		const scope = `unit-${Math.random()}`;
		expect(seenBefore(scope, 'k', staticData, 1_000)).toBe(false);
		expect(seenBefore(scope, 'k', staticData, 2_000)).toBe(true);
		// Another process (fresh in-memory map) still sees it through the stored static data.
		expect(seenBefore(`${scope}-other`, 'k', staticData, 3_000)).toBe(true);
		expect(seenBefore(scope, 'k', staticData, 3_000 + DEDUPE_WINDOW_MS + 1)).toBe(false);
	});
});

describe('passive reply XML', () => {
	const click = { ToUserName: 'corp', FromUserName: 'zhangsan', MsgType: 'event', Event: 'template_card_event' };

	it('writes update_button with Button/ReplaceName and no ResponseCode', () => {
		const xml = buildReplyXml({ ...click, ResponseCode: 'rc' }, { type: 'updateButton', replaceName: '已处理' }, 1_700_000_000_000) as string;
		expect(parseXml(xml)).toEqual({
			ToUserName: 'zhangsan',
			FromUserName: 'corp',
			CreateTime: '1700000000',
			MsgType: 'update_button',
			Button: { ReplaceName: '已处理' },
		});
		expect(xml).not.toContain('ResponseCode');
	});

	it('builds no card reply for callbacks that are not card clicks', () => {
		expect(buildReplyXml({ MsgType: 'text' }, { type: 'updateButton', replaceName: 'x' })).toBeUndefined();
		expect(buildReplyXml({ MsgType: 'text' }, { type: 'updateCard', card: { card_type: 'text_notice' } })).toBeUndefined();
	});

	it('converts a snake_case card to the CamelCase XML of doc 90241, lists as repeated elements', () => {
		const card = {
			card_type: 'button_interaction',
			source: { icon_url: 'i', desc: 'd', desc_color: 2 },
			main_title: { title: 'T', desc: 'D' },
			sub_title_text: 's',
			horizontal_content_list: [
				{ keyname: 'k1', value: 'v1' },
				{ keyname: 'k2', value: 'v2', type: 3, userid: 'u' },
			],
			jump_list: [{ type: 2, title: 'j', appid: 'app', pagepath: 'p' }],
			card_action: { type: 2, appid: 'app', pagepath: 'p' },
			quote_area: { type: 2, appid: 'qa', pagepath: 'qp', title: 'q', quote_text: 'qt' },
			button_selection: {
				question_key: 'qk',
				title: 'bt',
				selected_id: 'o1',
				disable: false,
				option_list: [
					{ id: 'o1', text: 'one' },
					{ id: 'o2', text: 'two' },
				],
			},
			button_list: [
				{ text: 'Approve', style: 1, key: 'approve' },
				{ text: 'Reject', style: 2, key: 'reject' },
			],
			replace_text: '已提交',
			action_menu: { desc: 'm', action_list: [{ text: 'A', key: 'a' }, { text: 'B', key: 'b' }] },
		};
		const xml = buildReplyXml(click, { type: 'updateCard', card }, 0) as string;
		expect(xml).toContain(
			'<ButtonList><Text><![CDATA[Approve]]></Text><Style>1</Style><Key><![CDATA[approve]]></Key></ButtonList>' +
				'<ButtonList><Text><![CDATA[Reject]]></Text><Style>2</Style><Key><![CDATA[reject]]></Key></ButtonList>',
		);
		const parsed = parseXml(xml);
		expect(parsed.MsgType).toBe('update_template_card');
		expect(parsed.TemplateCard).toEqual({
			CardType: 'button_interaction',
			Source: { IconUrl: 'i', Desc: 'd', DescColor: '2' },
			MainTitle: { Title: 'T', Desc: 'D' },
			SubTitleText: 's',
			HorizontalContentList: [
				{ KeyName: 'k1', Value: 'v1' },
				{ KeyName: 'k2', Value: 'v2', Type: '3', UserId: 'u' },
			],
			JumpList: { Type: '2', Title: 'j', AppId: 'app', PagePath: 'p' },
			CardAction: { Type: '2', AppId: 'app', PagePath: 'p' },
			QuoteArea: { Type: '2', Appid: 'qa', PagePath: 'qp', Title: 'q', QuoteText: 'qt' },
			ButtonSelection: {
				QuestionKey: 'qk',
				Title: 'bt',
				SelectedId: 'o1',
				Disable: 'false',
				OptionList: [
					{ Id: 'o1', Text: 'one' },
					{ Id: 'o2', Text: 'two' },
				],
			},
			ButtonList: [
				{ Text: 'Approve', Style: '1', Key: 'approve' },
				{ Text: 'Reject', Style: '2', Key: 'reject' },
			],
			ReplaceText: '已提交',
			ActionMenu: { Desc: 'm', ActionList: [{ Text: 'A', Key: 'a' }, { Text: 'B', Key: 'b' }] },
		});
	});

	it('spells vote cards CheckBox/OptionList/IsChecked and SubmitButton', () => {
		const fields = cardToXmlFields({
			card_type: 'vote_interaction',
			checkbox: { question_key: 'q', mode: 1, option_list: [{ id: 'a', text: 'A', is_checked: true }] },
			submit_button: { text: '提交', key: 'submit' },
			select_list: [{ question_key: 's', option_list: [{ id: 'x', text: 'X' }] }],
		});
		expect(fields).toEqual({
			CardType: 'vote_interaction',
			CheckBox: { QuestionKey: 'q', Mode: 1, OptionList: [{ Id: 'a', Text: 'A', IsChecked: true }] },
			SubmitButton: { Text: '提交', Key: 'submit' },
			SelectList: [{ QuestionKey: 's', OptionList: [{ Id: 'x', Text: 'X' }] }],
		});
	});
});

describe('openCallbackRequest without raw bytes', () => {
	const key = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';
	const secrets = secretsFrom({ token: 'tok', encodingAESKey: key, receiveId: 'wwcorp' });
	const inner = '<xml><MsgType>text</MsgType><Content>hi</Content><MsgId>1</MsgId></xml>';
	const encrypted = official.encrypt(key, inner, 'wwcorp');
	const query = { msg_signature: official.getSignature('tok', '1', '2', encrypted), timestamp: '1', nonce: '2' };

	it('falls back to the Encrypt value n8n parsed (xml2js lower-cases tags)', () => {
		const result = openCallbackRequest({ query, body: { xml: { encrypt: encrypted, tousername: 'wwcorp' } } }, secrets, false);
		expect(result).toMatchObject({ ok: true, callback: { message: inner, receiveId: 'wwcorp', parsed: { Content: 'hi' } } });
	});

	it('rejects what it cannot read, with a status, never by throwing', () => {
		const status = (request: Parameters<typeof openCallbackRequest>[0]) => {
			const result = openCallbackRequest(request, secrets, false);
			return result.ok ? 200 : result.rejection.status;
		};
		expect(status({ query, body: {} })).toBe(400);
		expect(status({ query, body: { xml: { encrypt: ['x]]>y'] } } })).toBe(400);
		expect(status({ query: { ...query, nonce: ['2', '2'] }, rawBody: Buffer.from('<xml/>') })).toBe(400);
		expect(status({ query: { ...query, nonce: { a: '1' } }, rawBody: Buffer.from('<xml/>') })).toBe(400);
		expect(status({ query: undefined, rawBody: undefined })).toBe(400);
		expect(status({ query, rawBody: Buffer.alloc(1024 * 1024 + 1, 32) })).toBe(413);
		expect(status({ query, rawBody: `<xml><Encrypt>${encrypted}</Encrypt></xml>` })).toBe(200);
	});
});

describe('callback fields named like Object.prototype members', () => {
	it('keeps <constructor> and <__proto__> as plain fields and never changes a prototype', () => {
		const fields = normalize(
			'<xml><MsgType><![CDATA[event]]></MsgType><constructor>c</constructor><toString>t</toString><__proto__><Polluted>yes</Polluted></__proto__></xml>',
		);
		expect(fields.constructor).toBe('c');
		expect(fields.toString).toBe('t');
		expect(Object.getPrototypeOf(fields)).toBe(Object.prototype);
		expect(Object.prototype.hasOwnProperty.call(fields, '__proto__')).toBe(true);
		expect(Object.getOwnPropertyDescriptor(fields, '__proto__')?.value).toEqual({ Polluted: 'yes' });
		expect((fields as { Polluted?: unknown }).Polluted).toBeUndefined();
		expect(({} as { Polluted?: unknown }).Polluted).toBeUndefined();
		expect(JSON.parse(JSON.stringify(fields)).MsgType).toBe('event');
	});
});

describe('secretsFrom keeps the decoded secrets per credential', () => {
	const keyA = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';
	const keyB = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';

	it('answers the same values for the same credential and follows every edited field', () => {
		const first = secretsFrom({ token: 'tok', encodingAESKey: keyA, receiveId: 'wwcorp' });
		expect(secretsFrom({ token: 'tok', encodingAESKey: keyA, receiveId: 'wwcorp' })).toBe(first);
		expect(first.key).toEqual(Buffer.from(`${keyA}=`, 'base64'));

		const otherKey = secretsFrom({ token: 'tok', encodingAESKey: keyB, receiveId: 'wwcorp' });
		expect(otherKey.key).toEqual(Buffer.from(`${keyB}=`, 'base64'));
		expect(secretsFrom({ token: 'tok2', encodingAESKey: keyA, receiveId: 'wwcorp' }).token).toBe('tok2');
		expect(secretsFrom({ token: 'tok', encodingAESKey: keyA, receiveId: 'wwother' }).receiveId).toBe('wwother');
		expect(secretsFrom({ token: 'tok', encodingAESKey: keyA, receiveId: '  ' }).receiveId).toBeUndefined();
	});

	it('checks a credential before keeping it: unusable ones answer their problem every time', () => {
		for (let round = 0; round < 2; round++) {
			expect(callbackSecrets({ token: 'tok', encodingAESKey: 'too-short', receiveId: 'wwcorp' })).toMatch(/43 characters/);
			expect(callbackSecrets({ token: 'has space', encodingAESKey: keyA, receiveId: 'wwcorp' })).toMatch(/letters or digits/);
		}
		expect(() => secretsFrom({ token: '', encodingAESKey: keyA })).toThrow(/Token is empty/);
	});

	it('stays correct past the number of credentials it keeps', () => {
		for (let round = 0; round < 3; round++) {
			for (let n = 0; n < 40; n++) {
				const secrets = secretsFrom({ token: `t${n}`, encodingAESKey: n % 2 ? keyA : keyB, receiveId: `corp${n}` });
				expect([secrets.token, secrets.receiveId, secrets.key.equals(Buffer.from(`${n % 2 ? keyA : keyB}=`, 'base64'))]).toEqual([`t${n}`, `corp${n}`, true]);
			}
		}
	});
});

describe('normalizeCallback works on the parse result it is given', () => {
	it('returns the same fields as a fresh parse normalized, whatever was parsed before', () => {
		const xml =
			'<xml><MsgType>event</MsgType><SelectedItems><SelectedItem><QuestionKey>q</QuestionKey><OptionIds><OptionId>a</OptionId></OptionIds></SelectedItem></SelectedItems><ApprovalInfo><SpRecord><Details><Approver><UserId>u</UserId></Approver></Details></SpRecord></ApprovalInfo></xml>';
		const once = normalize(xml);
		expect(normalize(xml)).toEqual(once);
		expect(once).toEqual({
			MsgType: 'event',
			SelectedItems: [{ QuestionKey: 'q', OptionIds: ['a'] }],
			ApprovalInfo: { SpRecord: [{ Details: [{ Approver: { UserId: 'u' } }] }] },
		});
		expect(Object.keys(once)).toEqual(['MsgType', 'SelectedItems', 'ApprovalInfo']);
	});
});

describe('webhook description', () => {
	it('declares the path with a native resolver that n8n uses for static parameters, and the same template', () => {
		const webhooks = new WeComTrigger().description.webhooks ?? [];
		expect(webhooks.map((webhook) => [webhook.name, webhook.httpMethod, webhook.path])).toEqual([
			['setup', 'GET', '={{$parameter["path"]}}'],
			['default', 'POST', '={{$parameter["path"]}}'],
		]);
		const node = { id: 'n', name: 'WeCom Trigger', type: 'n8n-nodes-wecom-kit.weComTrigger', typeVersion: 1, position: [0, 0] as [number, number] };
		for (const webhook of webhooks) {
			expect(resolveWebhookDescriptionField({ ...node, parameters: { path: 'wecom/callback', responseMode: 'empty' } }, webhook, 'path')).toEqual({ resolved: true, value: 'wecom/callback' });
			// A parameter holding an expression leaves the path to n8n's expression engine, as for n8n's own nodes.
			expect(resolveWebhookDescriptionField({ ...node, parameters: { path: 'p', replyContent: '={{ 1 }}' } }, webhook, 'path')).toEqual({ resolved: false });
		}
	});
});
