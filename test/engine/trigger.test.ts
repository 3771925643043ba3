/**
 * WeCom Trigger through n8n's real webhook path (harness webhook server → n8n-core WebhookContext → WorkflowExecute),
 * with callbacks the sandbox encrypts and signs with the official @wecom/crypto package.
 */
import type { IDataObject } from 'n8n-workflow';

import { parseXml } from '../../nodes/shared/xml';
import { CALLBACK_KINDS } from '../../nodes/WeComTrigger/events';
import { startSandbox, type WeComSandbox } from '../sandbox';
import {
	AES_KEY,
	CORP_ID,
	innerXml,
	keepAlive,
	officialCallback,
	queryString,
	send,
	sign,
	startTrigger,
	TOKEN,
	TRIGGER,
	type TriggerSetup,
} from './triggerKit';

const USER = 'zhangsan';
let sandbox: WeComSandbox;
let createTime = 1_700_000_000;
let msgId = 7_000_000_000_000_000;

beforeAll(async () => {
	sandbox = await startSandbox({ callback: { token: TOKEN, encodingAESKey: AES_KEY, receiveId: CORP_ID } });
});
afterAll(async () => {
	await sandbox.close();
	keepAlive.destroy();
});

const open: TriggerSetup[] = [];
async function trigger(parameters: IDataObject = {}, credentialData?: IDataObject): Promise<TriggerSetup> {
	const setup = await startTrigger(parameters, credentialData);
	open.push(setup);
	return setup;
}
afterEach(async () => {
	await Promise.all(open.splice(0).map(async (setup) => await setup.server.close()));
});

function base(msgType: string): Record<string, string | number> {
	return { ToUserName: CORP_ID, FromUserName: USER, CreateTime: ++createTime, MsgType: msgType };
}

/** Posts, then waits for the execution it must start, and returns the trigger's single output item. */
async function postAndRun(setup: TriggerSetup, xml: string): Promise<IDataObject> {
	const before = setup.server.executions.length;
	const answer = await sandbox.postCallback(setup.url, xml);
	expect(answer.status).toBe(200);
	const runs = await setup.server.waitForExecutions(before + 1);
	const items = runs[before].output(TRIGGER);
	expect(items).toHaveLength(1);
	return items[0].json;
}

/** After requests that must start nothing: a valid callback now makes exactly `expected` executions in all. */
async function expectExecutionsAfterSentinel(setup: TriggerSetup, expected: number): Promise<void> {
	const xml = innerXml({ ...base('text'), Content: 'sentinel', MsgId: String(++msgId), AgentID: 1000002 });
	const answer = await sandbox.postCallback(setup.url, xml);
	expect(answer.status).toBe(200);
	await setup.server.waitForExecutions(expected);
	expect(setup.server.executions).toHaveLength(expected);
	expect(setup.server.errors).toEqual([]);
}

describe('URL verification (GET)', () => {
	it('answers the decrypted echostr exactly: no quotes, no newline', async () => {
		const setup = await trigger();
		const result = await sandbox.verifyCallbackUrl(setup.url);
		expect(result.status).toBe(200);
		expect(result.body).toBe(result.expected);
		expect(result.ok).toBe(true);
		expect(result.body).not.toMatch(/["\n\r]/);
		expect(setup.server.executions).toHaveLength(0);
	});

	it('answers 401 to a wrong signature, 400 to missing parameters, and starts nothing', async () => {
		const setup = await trigger();
		const echostr = officialCallback('1234567890123456789').encrypted;
		const timestamp = '1700000000';
		const nonce = '42';
		const good = sign(timestamp, nonce, echostr);
		const wrong = await send('GET', setup.url, queryString({ msg_signature: good.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')), timestamp, nonce, echostr }));
		expect(wrong.status).toBe(401);
		expect(wrong.body).not.toContain('1234567890123456789');
		const missing = await send('GET', setup.url, queryString({ msg_signature: good, timestamp, nonce }));
		expect(missing.status).toBe(400);
		const right = await send('GET', setup.url, queryString({ msg_signature: good, timestamp, nonce, echostr }));
		expect(right).toMatchObject({ status: 200, body: '1234567890123456789' });
		await expectExecutionsAfterSentinel(setup, 1);
	});
});

describe('messages and events become the documented JSON', () => {
	const messages: Array<{ kind: string; fields: Record<string, string | number> }> = [
		{ kind: 'text', fields: { Content: '你好 <world> & ]]> friends' } },
		{ kind: 'image', fields: { PicUrl: 'https://example.com/p.jpg', MediaId: 'media-img-1' } },
		{ kind: 'voice', fields: { MediaId: 'media-voice-1', Format: 'amr' } },
		{ kind: 'video', fields: { MediaId: 'media-video-1', ThumbMediaId: 'thumb-1' } },
		{ kind: 'location', fields: { Location_X: 23.134521, Location_Y: 113.358803, Scale: 20, Label: '广州市' } },
		{ kind: 'link', fields: { Title: 'T', Description: 'D', Url: 'https://example.com', PicUrl: 'https://example.com/p.png' } },
	];

	it.each(messages)('message $kind', async ({ kind, fields }) => {
		const setup = await trigger();
		const id = String(++msgId);
		const all = { ...base(kind), ...fields, MsgId: id, AgentID: 1000002 };
		// CDATA cannot carry ']]>' literally: WeCom splits it across two sections.
		const xml = innerXml(all).replace('& ]]> friends', '& ]]]]><![CDATA[> friends');
		const json = await postAndRun(setup, xml);
		const expected = Object.fromEntries(Object.entries(all).map(([key, value]) => [key, String(value)]));
		expect(json).toEqual({ ...expected, callbackKind: `message.${kind}` });
		if (['image', 'voice', 'video'].includes(kind)) expect(json.MediaId).toEqual(fields.MediaId);
		expect(json.AgentID).toBe('1000002');
	});

	/** Extra XML and the JSON it must become, per event; events not listed carry only the common fields. */
	const eventSamples: Record<string, { xml: string; json: IDataObject }> = {
		LOCATION: {
			xml: '<Latitude>23.104</Latitude><Longitude>113.320</Longitude><Precision>65.000</Precision>',
			json: { Latitude: '23.104', Longitude: '113.320', Precision: '65.000' },
		},
		batch_job_result: {
			xml: '<BatchJob><JobId><![CDATA[job-1]]></JobId><JobType><![CDATA[sync_user]]></JobType><ErrCode>0</ErrCode><ErrMsg><![CDATA[ok]]></ErrMsg></BatchJob>',
			json: { BatchJob: { JobId: 'job-1', JobType: 'sync_user', ErrCode: '0', ErrMsg: 'ok' } },
		},
		change_contact: {
			xml: '<ChangeType>create_party</ChangeType><Id>2</Id><Name><![CDATA[研发部]]></Name><ParentId>1</ParentId><Order>1</Order>',
			json: {
				ChangeType: 'create_party',
				Id: '2',
				Name: '研发部',
				ParentId: '1',
				Order: '1',
				contactChange: { changeType: 'create_party', id: 2, name: '研发部', parentId: 1, order: 1 },
			},
		},
		click: { xml: '<EventKey><![CDATA[menu-1]]></EventKey>', json: { EventKey: 'menu-1' } },
		view: { xml: '<EventKey><![CDATA[https://example.com]]></EventKey>', json: { EventKey: 'https://example.com' } },
		view_miniprogram: { xml: '<EventKey><![CDATA[pages/index]]></EventKey>', json: { EventKey: 'pages/index' } },
		scancode_push: {
			xml: '<EventKey><![CDATA[6]]></EventKey><ScanCodeInfo><ScanType><![CDATA[qrcode]]></ScanType><ScanResult><![CDATA[1]]></ScanResult></ScanCodeInfo>',
			json: { EventKey: '6', ScanCodeInfo: { ScanType: 'qrcode', ScanResult: '1' } },
		},
		scancode_waitmsg: {
			xml: '<EventKey><![CDATA[6]]></EventKey><ScanCodeInfo><ScanType><![CDATA[qrcode]]></ScanType><ScanResult><![CDATA[2]]></ScanResult></ScanCodeInfo>',
			json: { EventKey: '6', ScanCodeInfo: { ScanType: 'qrcode', ScanResult: '2' } },
		},
		pic_sysphoto: {
			xml: '<EventKey><![CDATA[6]]></EventKey><SendPicsInfo><Count>1</Count><PicList><item><PicMd5Sum><![CDATA[md5-a]]></PicMd5Sum></item></PicList></SendPicsInfo>',
			json: { EventKey: '6', SendPicsInfo: { Count: '1', PicList: [{ PicMd5Sum: 'md5-a' }] } },
		},
		pic_photo_or_album: {
			xml: '<EventKey><![CDATA[6]]></EventKey><SendPicsInfo><Count>2</Count><PicList><item><PicMd5Sum><![CDATA[a]]></PicMd5Sum></item><item><PicMd5Sum><![CDATA[b]]></PicMd5Sum></item></PicList></SendPicsInfo>',
			json: { EventKey: '6', SendPicsInfo: { Count: '2', PicList: [{ PicMd5Sum: 'a' }, { PicMd5Sum: 'b' }] } },
		},
		pic_weixin: {
			xml: '<EventKey><![CDATA[6]]></EventKey><SendPicsInfo><Count>0</Count><PicList></PicList></SendPicsInfo>',
			json: { EventKey: '6', SendPicsInfo: { Count: '0', PicList: [] } },
		},
		location_select: {
			xml: '<EventKey><![CDATA[6]]></EventKey><SendLocationInfo><Location_X><![CDATA[23]]></Location_X><Location_Y><![CDATA[113]]></Location_Y><Scale><![CDATA[15]]></Scale><Label><![CDATA[广州]]></Label><Poiname><![CDATA[]]></Poiname></SendLocationInfo>',
			json: { EventKey: '6', SendLocationInfo: { Location_X: '23', Location_Y: '113', Scale: '15', Label: '广州', Poiname: '' } },
		},
		open_approval_change: {
			xml:
				'<ApprovalInfo><ThirdNo><![CDATA[201806010001]]></ThirdNo><OpenSpStatus>1</OpenSpStatus><ApprovalNodes><ApprovalNode><NodeStatus>1</NodeStatus>' +
				'<Items><Item><ItemName><![CDATA[xiaohong]]></ItemName><ItemStatus>1</ItemStatus></Item></Items></ApprovalNode></ApprovalNodes>' +
				'<NotifyNodes><NotifyNode><ItemName><![CDATA[xiaogang]]></ItemName></NotifyNode></NotifyNodes><approverstep>0</approverstep></ApprovalInfo>',
			json: {
				ApprovalInfo: {
					ThirdNo: '201806010001',
					OpenSpStatus: '1',
					ApprovalNodes: [{ NodeStatus: '1', Items: [{ ItemName: 'xiaohong', ItemStatus: '1' }] }],
					NotifyNodes: [{ ItemName: 'xiaogang' }],
					approverstep: '0',
				},
			},
		},
		sys_approval_change: {
			xml:
				'<ApprovalInfo><SpNo>202311220001</SpNo><SpStatus>2</SpStatus><SpRecord><SpStatus>2</SpStatus><Details><Approver><UserId><![CDATA[lisi]]></UserId></Approver>' +
				'<Speech><![CDATA[ok]]></Speech></Details></SpRecord><Notifyer><UserId><![CDATA[wangwu]]></UserId></Notifyer></ApprovalInfo>',
			json: {
				ApprovalInfo: {
					SpNo: '202311220001',
					SpStatus: '2',
					SpRecord: [{ SpStatus: '2', Details: [{ Approver: { UserId: 'lisi' }, Speech: 'ok' }] }],
					Notifyer: [{ UserId: 'wangwu' }],
				},
				approval: expect.objectContaining({
					spNo: '202311220001',
					spStatus: 2,
					spStatusName: '已通过 (Approved)',
					records: [expect.objectContaining({ status: 2, approvers: [expect.objectContaining({ userid: 'lisi', speech: 'ok', status: null })] })],
					notifiers: ['wangwu'],
				}),
			},
		},
		template_card_event: {
			xml:
				'<EventKey><![CDATA[approve]]></EventKey><TaskId><![CDATA[task-1]]></TaskId><CardType><![CDATA[vote_interaction]]></CardType>' +
				'<ResponseCode><![CDATA[rc-1]]></ResponseCode><SelectedItems><SelectedItem><QuestionKey><![CDATA[q1]]></QuestionKey>' +
				'<OptionIds><OptionId><![CDATA[o1]]></OptionId><OptionId><![CDATA[o2]]></OptionId></OptionIds></SelectedItem></SelectedItems>',
			json: {
				EventKey: 'approve',
				TaskId: 'task-1',
				CardType: 'vote_interaction',
				ResponseCode: 'rc-1',
				SelectedItems: [{ QuestionKey: 'q1', OptionIds: ['o1', 'o2'] }],
			},
		},
		template_card_menu_event: {
			xml: '<EventKey><![CDATA[A]]></EventKey><TaskId><![CDATA[task-2]]></TaskId><CardType><![CDATA[text_notice]]></CardType><ResponseCode><![CDATA[rc-2]]></ResponseCode>',
			json: { EventKey: 'A', TaskId: 'task-2', CardType: 'text_notice', ResponseCode: 'rc-2' },
		},
		taskcard_click: {
			xml: '<EventKey><![CDATA[key111]]></EventKey><TaskId><![CDATA[taskid111]]></TaskId>',
			json: { EventKey: 'key111', TaskId: 'taskid111' },
		},
		inactive_alert: { xml: '<EffectTime>1764518400</EffectTime>', json: { EffectTime: '1764518400' } },
		low_active_alert: { xml: '<EffectTime>1764518400</EffectTime>', json: { EffectTime: '1764518400' } },
	};
	const events = CALLBACK_KINDS.filter((kind) => kind.value.startsWith('event.')).map((kind) => kind.value.slice('event.'.length));

	it('covers every event the node lists', () => {
		expect(events.length).toBeGreaterThanOrEqual(27);
		for (const name of Object.keys(eventSamples)) expect(events).toContain(name);
	});

	it('parses every listed event on one trigger, each into its documented JSON', async () => {
		const setup = await trigger();
		for (const event of events) {
			const sample = eventSamples[event] ?? { xml: '', json: {} };
			const common = { ...base('event'), Event: event, AgentID: 1000002 };
			const json = await postAndRun(setup, innerXml(common, sample.xml));
			const expected = { ...Object.fromEntries(Object.entries(common).map(([k, v]) => [k, String(v)])), ...sample.json, callbackKind: `event.${event}` };
			expect({ event, json }).toEqual({ event, json: expected });
		}
		expect(setup.server.executions).toHaveLength(events.length);
	});

	it('keeps AgentID from the envelope when the message has none, and adds rawXml on request', async () => {
		const setup = await trigger({ options: { includeRawXml: true } });
		const xml = innerXml({ ...base('event'), Event: 'enter_agent' });
		const json = await postAndRun(setup, xml);
		expect(json.AgentID).toBe('1000002');
		expect(json.rawXml).toBe(xml);
	});
});

describe('filters', () => {
	const click = (eventKey: string, taskId: string) =>
		innerXml({ ...base('event'), Event: 'template_card_event', EventKey: eventKey, TaskId: taskId, CardType: 'button_interaction', ResponseCode: `rc-${++msgId}`, AgentID: 1 });
	const text = () => innerXml({ ...base('text'), Content: 'hi', MsgId: String(++msgId), AgentID: 1 });

	it('by type (multi-select): unmatched types get an empty 200 and start nothing', async () => {
		const setup = await trigger({ events: ['message.image', 'event.template_card_event'] });
		const ignored = await sandbox.postCallback(setup.url, text());
		expect(ignored).toMatchObject({ status: 200, body: '' });
		const ignoredEvent = await sandbox.postCallback(setup.url, innerXml({ ...base('event'), Event: 'subscribe' }));
		expect(ignoredEvent).toMatchObject({ status: 200, body: '' });
		const json = await postAndRun(setup, click('approve', 't-1'));
		expect(json.callbackKind).toBe('event.template_card_event');
		await postAndRun(setup, innerXml({ ...base('image'), PicUrl: 'u', MediaId: 'm', MsgId: String(++msgId) }));
		expect(setup.server.executions).toHaveLength(2);
	});

	it('by EventKey and TaskId', async () => {
		const setup = await trigger({ options: { eventKeys: 'approve, reject', taskIds: 't-1' } });
		for (const xml of [click('other', 't-1'), click('approve', 't-2'), text()]) {
			expect(await sandbox.postCallback(setup.url, xml)).toMatchObject({ status: 200, body: '' });
		}
		expect((await postAndRun(setup, click('reject', 't-1'))).EventKey).toBe('reject');
		expect(setup.server.executions).toHaveLength(1);
	});

	it('"Other" catches types the node does not list', async () => {
		const setup = await trigger({ events: ['other'] });
		expect(await sandbox.postCallback(setup.url, text())).toMatchObject({ status: 200, body: '' });
		const json = await postAndRun(setup, innerXml({ ...base('event'), Event: 'some_future_event' }));
		expect(json.callbackKind).toBe('other');
	});
});

describe('passive replies decrypt back to the documented XML', () => {
	const textMessage = () => innerXml({ ...base('text'), Content: 'hi', MsgId: String(++msgId), AgentID: 1 });
	const cardClick = () =>
		innerXml({ ...base('event'), Event: 'template_card_event', EventKey: 'approve', TaskId: 'task-9', CardType: 'button_interaction', ResponseCode: `rc-${++msgId}`, AgentID: 1 });

	async function reply(parameters: IDataObject, xml: string): Promise<IDataObject> {
		const setup = await trigger({ responseMode: 'passive', ...parameters });
		const answer = await sandbox.postCallback(setup.url, xml);
		expect(answer.status).toBe(200);
		const envelope = parseXml(answer.body);
		expect(Object.keys(envelope).sort()).toEqual(['Encrypt', 'MsgSignature', 'Nonce', 'TimeStamp']);
		const opened = sandbox.decryptReply(answer.body);
		expect(opened.signatureValid).toBe(true);
		const inner = parseXml(opened.message) as IDataObject;
		expect(inner).toMatchObject({ ToUserName: USER, FromUserName: CORP_ID });
		expect(inner.CreateTime).toMatch(/^\d{10}$/);
		delete inner.ToUserName;
		delete inner.FromUserName;
		delete inner.CreateTime;
		await setup.server.waitForExecutions(1);
		return inner;
	}

	it('text', async () => {
		expect(await reply({ replyType: 'text', replyContent: '收到 <ok> & thanks' }, textMessage())).toEqual({ MsgType: 'text', Content: '收到 <ok> & thanks' });
	});

	it('image and voice', async () => {
		expect(await reply({ replyType: 'image', replyMediaId: 'img-1' }, textMessage())).toEqual({ MsgType: 'image', Image: { MediaId: 'img-1' } });
		expect(await reply({ replyType: 'voice', replyMediaId: 'voice-1' }, textMessage())).toEqual({ MsgType: 'voice', Voice: { MediaId: 'voice-1' } });
	});

	it('video', async () => {
		expect(await reply({ replyType: 'video', replyMediaId: 'v-1', replyTitle: 'T', replyDescription: 'D' }, textMessage())).toEqual({
			MsgType: 'video',
			Video: { MediaId: 'v-1', Title: 'T', Description: 'D' },
		});
	});

	it('news with several articles', async () => {
		const articles = [
			{ title: 'A', description: 'a', url: 'https://a', picUrl: 'https://a.png' },
			{ title: 'B', description: 'b', url: 'https://b', picUrl: 'https://b.png' },
		];
		expect(await reply({ replyType: 'news', replyArticles: { article: articles } }, textMessage())).toEqual({
			MsgType: 'news',
			ArticleCount: '2',
			Articles: {
				item: [
					{ Title: 'A', Description: 'a', PicUrl: 'https://a.png', Url: 'https://a' },
					{ Title: 'B', Description: 'b', PicUrl: 'https://b.png', Url: 'https://b' },
				],
			},
		});
	});

	it('update_button: Button/ReplaceName and no ResponseCode', async () => {
		const inner = await reply({ replyType: 'updateButton', replyReplaceName: '已批准' }, cardClick());
		expect(inner).toEqual({ MsgType: 'update_button', Button: { ReplaceName: '已批准' } });
	});

	it('update_template_card: CamelCase elements with repeated ButtonList', async () => {
		const card = {
			card_type: 'button_interaction',
			main_title: { title: 'Approved', desc: 'by {{ $json.FromUserName }}' },
			horizontal_content_list: [{ keyname: 'Who', value: 'zhangsan' }],
			button_list: [
				{ text: 'Done', style: 1, key: 'done' },
				{ text: 'Undo', style: 2, key: 'undo' },
			],
			replace_text: 'Approved',
		};
		const inner = await reply({ replyType: 'updateCard', replyCard: JSON.stringify(card) }, cardClick());
		expect(inner).toEqual({
			MsgType: 'update_template_card',
			TemplateCard: {
				CardType: 'button_interaction',
				MainTitle: { Title: 'Approved', Desc: 'by {{ $json.FromUserName }}' },
				HorizontalContentList: { KeyName: 'Who', Value: 'zhangsan' },
				ButtonList: [
					{ Text: 'Done', Style: '1', Key: 'done' },
					{ Text: 'Undo', Style: '2', Key: 'undo' },
				],
				ReplaceText: 'Approved',
			},
		});
	});

	it('card replies to callbacks that are not card clicks answer empty, and a broken card JSON still acknowledges', async () => {
		const setup = await trigger({ responseMode: 'passive', replyType: 'updateButton', replyReplaceName: 'x' });
		expect(await sandbox.postCallback(setup.url, textMessage())).toMatchObject({ status: 200, body: '' });
		const broken = await trigger({ responseMode: 'passive', replyType: 'updateCard', replyCard: '{ not json' });
		expect(await sandbox.postCallback(broken.url, cardClick())).toMatchObject({ status: 200, body: '' });
		await setup.server.waitForExecutions(1);
		await broken.server.waitForExecutions(1);
	});
});

describe('retries', () => {
	it('the same callback posted again starts the workflow once; a new MsgId starts it again', async () => {
		const setup = await trigger();
		const xml = innerXml({ ...base('text'), Content: 'once', MsgId: String(++msgId), AgentID: 1 });
		const first = sandbox.encryptCallback(xml);
		const query = queryString(first.query);
		for (let attempt = 0; attempt < 3; attempt++) {
			expect(await send('POST', setup.url, query, first.body)).toMatchObject({ status: 200, body: '' });
		}
		// A retry encrypted afresh (new nonce and ciphertext) is still the same message.
		expect((await sandbox.postCallback(setup.url, xml)).status).toBe(200);
		await setup.server.waitForExecutions(1);
		await postAndRun(setup, innerXml({ ...base('text'), Content: 'twice', MsgId: String(++msgId), AgentID: 1 }));
		await expectExecutionsAfterSentinel(setup, 3);
		expect(setup.server.executions.map((run) => run.output(TRIGGER)[0].json.Content)).toEqual(['once', 'twice', 'sentinel']);
		// What n8n persists with the workflow (so retries to a restarted or other instance are caught too).
		expect(JSON.stringify(setup.server.staticData())).toContain(`"msg:${msgId - 1}"`);
	});

	it('events are de-duplicated by content, and "Ignore Retries" off lets retries through', async () => {
		const dedupe = await trigger();
		const event = innerXml({ ...base('event'), Event: 'click', EventKey: 'k' });
		await sandbox.postCallback(dedupe.url, event);
		await sandbox.postCallback(dedupe.url, event);
		await expectExecutionsAfterSentinel(dedupe, 2);

		const all = await trigger({ options: { deduplicate: false } });
		await sandbox.postCallback(all.url, event);
		await sandbox.postCallback(all.url, event);
		await all.server.waitForExecutions(2);
	});

	it('a retry still gets the passive reply, without a second execution', async () => {
		const setup = await trigger({ responseMode: 'passive', replyType: 'text', replyContent: 'ok' });
		const encrypted = sandbox.encryptCallback(innerXml({ ...base('text'), Content: 'x', MsgId: String(++msgId) }));
		const answers = [];
		for (let attempt = 0; attempt < 2; attempt++) answers.push(await send('POST', setup.url, queryString(encrypted.query), encrypted.body));
		for (const answer of answers) expect(sandbox.decryptReply(answer.body).message).toContain('<Content><![CDATA[ok]]></Content>');
		await expectExecutionsAfterSentinel(setup, 2);
	});
});

describe('bad requests: their 4xx and no execution', () => {
	const valid = () => officialCallback(innerXml({ ...base('text'), Content: 'x', MsgId: String(++msgId) }));

	it('every rejection, then a valid callback is the only execution', async () => {
		const setup = await trigger();
		const post = async (query: Record<string, string> | string, body: string | Buffer, contentType?: string) =>
			await send('POST', setup.url, typeof query === 'string' ? query : queryString(query), body, contentType);

		// Missing query parameters, one at a time and all.
		for (const name of ['msg_signature', 'timestamp', 'nonce']) {
			const callback = valid();
			const query = { ...callback.query };
			delete query[name as keyof typeof query];
			const answer = await post(query, callback.body);
			expect({ name, status: answer.status, body: answer.body }).toEqual({ name, status: 400, body: `missing ${name}` });
		}
		expect((await post('', valid().body)).status).toBe(400);

		// Wrong signature.
		{
			const callback = valid();
			const answer = await post({ ...callback.query, msg_signature: '0'.repeat(40) }, callback.body);
			expect(answer).toMatchObject({ status: 401, body: 'signature mismatch' });
			const wrongToken = officialCallback(innerXml({ ...base('text'), MsgId: String(++msgId) }), { token: 'someOtherToken' });
			expect((await post(wrongToken.query, wrongToken.body)).status).toBe(401);
		}

		// Tampered ciphertext: unsigned → 401; re-signed (an attacker with the Token but not the key) → 400.
		{
			const callback = valid();
			const chars = callback.encrypted.split('');
			const at = 40;
			chars[at] = chars[at] === 'A' ? 'B' : 'A';
			const tampered = chars.join('');
			const body = callback.body.replace(callback.encrypted, tampered);
			expect((await post(callback.query, body)).status).toBe(401);
			const resigned = { ...callback.query, msg_signature: sign(callback.query.timestamp, callback.query.nonce, tampered) };
			expect(await post(resigned, body)).toMatchObject({ status: 400, body: 'cannot decrypt' });
			const otherKey = officialCallback(innerXml(base('text')), { encodingAESKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG' });
			expect((await post(otherKey.query, otherKey.body)).status).toBe(400);
		}

		// Wrong receive ID.
		{
			const other = officialCallback(innerXml({ ...base('text'), MsgId: String(++msgId) }), { receiveId: 'wwsomeoneelse0001' });
			expect(await post(other.query, other.body)).toMatchObject({ status: 403, body: 'receive ID mismatch' });
		}

		// Oversize body.
		{
			const callback = valid();
			const padding = ' '.repeat(1024 * 1024);
			expect(await post(callback.query, callback.body.replace('</xml>', `${padding}</xml>`))).toMatchObject({ status: 413, body: 'body too large' });
		}

		// Malformed XML, non-XML bodies, an envelope without Encrypt, an empty body.
		{
			const callback = valid();
			expect(await post(callback.query, callback.body.replace('</xml>', ''))).toMatchObject({ status: 400, body: 'malformed XML body' });
			expect((await post(callback.query, '{"Encrypt":"abc"}', 'application/json')).status).toBe(400);
			expect((await post(callback.query, 'Encrypt=abc', 'application/x-www-form-urlencoded')).status).toBe(400);
			expect((await post(callback.query, '<!DOCTYPE xml [<!ENTITY x "y">]><xml><Encrypt>&x;</Encrypt></xml>')).status).toBe(400);
			expect(await post(callback.query, '<xml><ToUserName>c</ToUserName></xml>')).toMatchObject({ status: 400, body: 'missing Encrypt' });
			expect((await post(callback.query, '')).status).toBe(400);
		}

		// A validly encrypted payload that is not XML.
		{
			const notXml = officialCallback('just text, not XML');
			expect(await post(notXml.query, notXml.body)).toMatchObject({ status: 400, body: 'malformed message' });
		}

		// Duplicated query parameters.
		{
			const callback = valid();
			const query = `${queryString(callback.query)}&msg_signature=${callback.query.msg_signature}`;
			expect(await post(query, callback.body)).toMatchObject({ status: 400, body: 'duplicate msg_signature' });
			const twiceTimestamp = `${queryString(callback.query)}&timestamp=1`;
			expect((await post(twiceTimestamp, callback.body)).status).toBe(400);
		}

		await expectExecutionsAfterSentinel(setup, 1);
	});

	it('a credential without Receive ID accepts any receive ID; an invalid credential answers 500 and starts nothing', async () => {
		const open = await trigger({}, { token: TOKEN, encodingAESKey: AES_KEY, receiveId: '' });
		const other = officialCallback(innerXml({ ...base('text'), Content: 'any corp', MsgId: String(++msgId) }), { receiveId: 'wwsomeoneelse0001' });
		expect((await send('POST', open.url, queryString(other.query), other.body)).status).toBe(200);
		expect((await open.server.waitForExecutions(1))[0].output(TRIGGER)[0].json.Content).toBe('any corp');

		const broken = await trigger({}, { token: TOKEN, encodingAESKey: 'too-short', receiveId: CORP_ID });
		const answer = await sandbox.postCallback(broken.url, innerXml({ ...base('text'), MsgId: String(++msgId) }));
		expect(answer).toMatchObject({ status: 500, body: 'callback credential missing or invalid' });
		expect(answer.body).not.toContain(AES_KEY);
		expect(broken.server.executions).toHaveLength(0);
		expect(broken.server.errors).toEqual([]);
	});
});
