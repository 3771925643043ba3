/**
 * The WeCom sandbox over real HTTP on 127.0.0.1: token semantics on a simulated clock, WeCom's validation and
 * error codes, media round trips, robot limits, callback encryption checked with @wecom/crypto, and the HTTP controls.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { decrypt, encrypt, getSignature } from '@wecom/crypto';
import axios from 'axios';

import { SANDBOX_DEFAULTS, SandboxClient, startSandbox, type WeComSandbox } from '../sandbox';

const JPG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0tiny-jpeg-body')]);
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('\0\0\0\rIHDRtiny-png')]);
const AMR = Buffer.from('#!AMR\n\x3c\x48\xf5\x1f\x96\x66\x79\xe1', 'latin1');
const PDF = Buffer.from('%PDF-1.4 a tiny report');
const HOUR = 3600 * 1000;

const http = axios.create({ validateStatus: () => true });
type Answer = Record<string, unknown> & { errcode: number; errmsg: string };

function multipart(data: Buffer, filename: string, contentType: string, field = 'media') {
	const boundary = '----sandboxTestBoundary7MA4YWxk';
	const body = Buffer.concat([
		Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"; filelength=${data.length}\r\nContent-Type: ${contentType}\r\n\r\n`),
		data,
		Buffer.from(`\r\n--${boundary}--\r\n`),
	]);
	return { body, headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` } };
}

/** A stand-in for the trigger: records callback requests and answers with `reply`. */
async function startReceiver(reply: (method: string, url: URL, body: string) => string = () => '') {
	const received: Array<{ method: string; url: URL; body: string }> = [];
	const server: Server = createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			const url = new URL(request.url ?? '/', 'http://127.0.0.1');
			const body = Buffer.concat(chunks).toString('utf8');
			received.push({ method: request.method ?? '', url, body });
			response.end(reply(request.method ?? '', url, body));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook/wecom`;
	return { url, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

function field(xml: string, tag: string): string | undefined {
	return new RegExp(`<${tag}>(?:<!\\[CDATA\\[([\\s\\S]*?)\\]\\]>|([^<]*))</${tag}>`).exec(xml)?.slice(1).find((value) => value !== undefined);
}

describe('WeCom sandbox', () => {
	let clock = Date.UTC(2025, 0, 6, 2, 0, 0);
	let sandbox: WeComSandbox;

	beforeAll(async () => {
		sandbox = await startSandbox({
			now: () => clock,
			apps: [{ corpId: SANDBOX_DEFAULTS.corpId, corpSecret: 'second-app-secret', agentId: 1000003 }],
		});
	});
	afterAll(async () => {
		await sandbox.close();
	});
	beforeEach(() => {
		sandbox.reset();
	});

	const api = (path: string) => `${sandbox.url}/cgi-bin/${path}`;
	async function token(secret: string = SANDBOX_DEFAULTS.corpSecret): Promise<string> {
		const { data } = await http.get<Answer>(api('gettoken'), { params: { corpid: SANDBOX_DEFAULTS.corpId, corpsecret: secret } });
		expect(data.errcode).toBe(0);
		return String(data.access_token);
	}
	async function post(path: string, body: unknown, accessToken?: string): Promise<Answer> {
		const access_token = accessToken ?? (await token());
		return (await http.post<Answer>(api(path), body, { params: { access_token } })).data;
	}
	const send = (body: Record<string, unknown>, accessToken?: string) =>
		post('message/send', { agentid: SANDBOX_DEFAULTS.agentId, touser: 'zhangsan', ...body }, accessToken);
	async function upload(type: string, data: Buffer, filename: string, contentType: string): Promise<Answer> {
		const form = multipart(data, filename, contentType);
		return (await http.post<Answer>(api('media/upload'), form.body, { params: { access_token: await token(), type }, headers: form.headers })).data;
	}

	describe('access tokens', () => {
		it('answers WeCom errors for missing, unknown corp and wrong secret', async () => {
			const get = async (params: Record<string, string>) => (await http.get<Answer>(api('gettoken'), { params })).data;
			expect((await get({ corpsecret: 'x' })).errcode).toBe(41002);
			expect((await get({ corpid: 'wwunknown', corpsecret: 'x' })).errcode).toBe(40013);
			const wrong = await get({ corpid: SANDBOX_DEFAULTS.corpId, corpsecret: 'wrong' });
			expect(wrong.errcode).toBe(40001);
			expect(wrong.errmsg).toMatch(/hint: \[.+\].*more info at/);
			sandbox.injectError('gettoken', -1);
			expect((await get({ corpid: SANDBOX_DEFAULTS.corpId, corpsecret: SANDBOX_DEFAULTS.corpSecret })).errcode).toBe(-1);
			expect(sandbox.gettokenCount()).toBe(4);
		});

		it('returns the same token with the remaining lifetime, a new one after expiry, one per app', async () => {
			const first = (await http.get<Answer>(api('gettoken'), { params: { corpid: SANDBOX_DEFAULTS.corpId, corpsecret: SANDBOX_DEFAULTS.corpSecret } })).data;
			expect(first).toMatchObject({ errcode: 0, errmsg: 'ok', expires_in: 7200 });
			expect(String(first.access_token).length).toBeGreaterThanOrEqual(64);

			clock += 1000 * 1000 + 400;
			const again = (await http.get<Answer>(api('gettoken'), { params: { corpid: SANDBOX_DEFAULTS.corpId, corpsecret: SANDBOX_DEFAULTS.corpSecret } })).data;
			expect(again.access_token).toBe(first.access_token);
			expect(again.expires_in).toBe(6200); // 6199.6 s left, rounded up

			expect(await token('second-app-secret')).not.toBe(first.access_token);

			clock += 6200 * 1000;
			expect((await send({ msgtype: 'text', text: { content: 'hi' } }, String(first.access_token))).errcode).toBe(42001);
			const fresh = await token();
			expect(fresh).not.toBe(first.access_token);
			expect((await send({ msgtype: 'text', text: { content: 'hi' } }, fresh)).errcode).toBe(0);
			expect(sandbox.gettokenCount()).toBe(4);
		});

		it('expireTokens → 42001, invalidateTokens → 40014, and gettoken then issues a new token', async () => {
			const before = await token();
			sandbox.expireTokens();
			expect((await post('tag/list', {}, before)).errcode).toBe(42001);
			const renewed = await token();
			expect(renewed).not.toBe(before);
			sandbox.invalidateTokens();
			const revoked = await post('tag/list', {}, renewed);
			expect(revoked.errcode).toBe(40014);
			expect(revoked.errmsg).toContain('invalid credential, access_token is invalid or not latest');
			expect(await token()).not.toBe(renewed);
			expect((await http.get<Answer>(api('tag/list'))).data.errcode).toBe(41001);
		});
	});

	describe('message/send', () => {
		it('cuts text beyond 2048 UTF-8 bytes without splitting a character, but refuses markdown over 2048 bytes', async () => {
			const answer = await send({ msgtype: 'text', text: { content: '字'.repeat(700) } });
			expect(answer.errcode).toBe(0);
			const stored = sandbox.messages()[0].body as { text: { content: string } };
			expect(stored.text.content).toBe('字'.repeat(682)); // 682 × 3 = 2046 bytes; a 683rd would be 2049

			expect((await send({ msgtype: 'markdown', markdown: { content: 'é'.repeat(1024) } })).errcode).toBe(0);
			const tooLong = await send({ msgtype: 'markdown', markdown: { content: `${'é'.repeat(1024)}!` } });
			expect(tooLong.errcode).toBe(45002);
			expect(tooLong.errmsg).toContain('2049 bytes');
			expect((await send({ msgtype: 'text', text: { content: '' } })).errcode).toBe(44004);
		});

		it('counts textcard title characters, news article bytes and article numbers', async () => {
			const card = (title: string) => ({ msgtype: 'textcard', textcard: { title, description: '说明', url: 'https://example.com' } });
			expect((await send(card('标'.repeat(128)))).errcode).toBe(0);
			expect((await send(card('标'.repeat(129)))).errcode).toBe(45002);
			expect((await send({ msgtype: 'textcard', textcard: { title: 't', url: 'https://example.com' } })).errcode).toBe(41033);
			const article = { title: 'T', url: 'https://example.com' };
			expect((await send({ msgtype: 'news', news: { articles: Array(9).fill(article) } })).errcode).toBe(45008);
			expect((await send({ msgtype: 'news', news: { articles: [{ ...article, title: '题'.repeat(43) }] } })).errcode).toBe(45002);
			expect((await send({ msgtype: 'news', safe: 1, news: { articles: [article] } })).errcode).toBe(40074);
			expect((await send({ msgtype: 'sticker', sticker: {} })).errcode).toBe(40008);
		});

		it('enforces recipient limits with WeCom codes', async () => {
			const text = { msgtype: 'text', text: { content: 'hi' } };
			const users = Array.from({ length: 1001 }, (_, index) => `user${index}`).join('|');
			expect((await send({ ...text, touser: users })).errcode).toBe(40032);
			expect((await send({ ...text, touser: users.split('|').slice(0, 1000).join('|') })).errcode).toBe(0);
			const parties = Array.from({ length: 101 }, (_, index) => index + 1).join('|');
			expect((await send({ ...text, touser: undefined, toparty: parties })).errcode).toBe(82002);
			expect((await send({ ...text, touser: undefined, totag: parties })).errcode).toBe(82003);
			expect((await send({ ...text, touser: '' })).errcode).toBe(82001);
		});

		it('delivers to the valid recipients, lists the invalid ones, and answers 81013 when none is valid', async () => {
			const partial = await send({ msgtype: 'text', text: { content: 'hi' }, touser: 'ZhangSan|NoBody|ghost', toparty: '2|99', totag: '5|6' });
			expect(partial).toMatchObject({ errcode: 0, invaliduser: 'nobody|ghost', invalidparty: '99', invalidtag: '6' });
			expect(typeof partial.msgid).toBe('string');
			expect(partial.response_code).toBeUndefined();

			const none = await send({ msgtype: 'text', text: { content: 'hi' }, touser: 'ghost', toparty: '99' });
			expect(none).toMatchObject({ errcode: 81013, invaliduser: 'ghost', invalidparty: '99' });
			expect((await send({ msgtype: 'text', text: { content: 'hi' }, touser: '@all', toparty: '99' })).errcode).toBe(0);
			expect(sandbox.messages()).toHaveLength(2);
		});

		it('checks agentid against the token and media_ids against the media store', async () => {
			expect((await send({ msgtype: 'text', text: { content: 'hi' }, agentid: 1000003 })).errcode).toBe(301002);
			expect((await send({ msgtype: 'text', text: { content: 'hi' }, agentid: 42 })).errcode).toBe(40056);
			expect((await send({ msgtype: 'text', text: { content: 'hi' }, agentid: undefined })).errcode).toBe(40056);
			expect((await send({ msgtype: 'image', image: { media_id: 'no-such-media' } })).errcode).toBe(40007);
			const file = await upload('file', PDF, 'report.pdf', 'application/pdf');
			expect((await send({ msgtype: 'image', image: { media_id: file.media_id } })).errcode).toBe(40007);
			expect((await send({ msgtype: 'file', file: { media_id: file.media_id } })).errcode).toBe(0);
		});

		it('validates template cards, issues response codes only for callback cards, and keeps task IDs unique', async () => {
			const buttons = (count: number) => Array.from({ length: count }, (_, index) => ({ text: `B${index}`, key: `k${index}` }));
			const card = (extra: Record<string, unknown>) => ({
				msgtype: 'template_card',
				template_card: { card_type: 'button_interaction', main_title: { title: '审批' }, task_id: 'task-1', button_list: buttons(2), ...extra },
			});
			expect((await send(card({ task_id: undefined }))).errcode).toBe(40058);
			expect((await send(card({ button_list: buttons(7) }))).errcode).toBe(40058);
			expect((await send(card({ task_id: 'bad id!' }))).errcode).toBe(40058);
			const sent = await send(card({}));
			expect(sent.errcode).toBe(0);
			expect(typeof sent.response_code).toBe('string');
			const duplicate = await send(card({}));
			expect(duplicate.errcode).toBe(40058);
			expect(duplicate.errmsg).toContain('task_id "task-1" was already used');

			const notice = { card_type: 'text_notice', main_title: { title: '通知' }, card_action: { type: 1, url: 'https://example.com' } };
			const plain = await send({ msgtype: 'template_card', template_card: notice });
			expect(plain.errcode).toBe(0);
			expect(plain.response_code).toBeUndefined();
			const withMenu = await send({
				msgtype: 'template_card',
				template_card: { ...notice, task_id: 'menu-1', action_menu: { desc: '更多', action_list: [{ text: '不再提醒', key: 'mute' }] } },
			});
			expect(typeof withMenu.response_code).toBe('string');
			expect((await send({ msgtype: 'template_card', template_card: { ...notice, card_action: undefined } })).errcode).toBe(40058);
			expect(sandbox.messages().map((message) => message.taskId)).toEqual(['task-1', undefined, 'menu-1']);
		});
	});

	describe('update_template_card and recall', () => {
		const voteCard = {
			msgtype: 'template_card',
			template_card: {
				card_type: 'vote_interaction',
				main_title: { title: '投票' },
				task_id: 'vote-1',
				checkbox: { question_key: 'q1', option_list: [{ id: 'a', text: 'A', is_checked: false }], mode: 0 },
				submit_button: { text: '提交', key: 'submit' },
			},
		};

		it('accepts each response_code once, within 72 hours', async () => {
			const sent = await send(voteCard);
			const update = (code: unknown) =>
				post('message/update_template_card', { userids: ['zhangsan', 'Ghost'], agentid: SANDBOX_DEFAULTS.agentId, response_code: code, button: { replace_name: '已投票' } });
			expect(await update(sent.response_code)).toMatchObject({ errcode: 0, invaliduser: ['ghost'] });
			expect((await update(sent.response_code)).errcode).toBe(42022);
			expect((await update('made-up')).errcode).toBe(40058);

			sandbox.reset();
			const later = await send(voteCard);
			clock += 72 * HOUR + 1000;
			const expired = await update(later.response_code);
			expect(expired.errcode).toBe(40058);
			expect(expired.errmsg).toContain('expired');
		});

		it('updates legacy task cards by clicked_key and clicks them as taskcard_click', async () => {
			const taskcard = {
				msgtype: 'interactive_taskcard',
				interactive_taskcard: { title: '报销', task_id: 'claim-7', btn: [{ key: 'yes', name: '批准' }, { key: 'no', name: '拒绝', color: 'red' }] },
			};
			expect((await send({ ...taskcard, interactive_taskcard: { ...taskcard.interactive_taskcard, btn: [] } })).errcode).toBe(40058);
			expect((await send(taskcard)).errcode).toBe(0);
			const update = (body: Record<string, unknown>) =>
				post('message/update_taskcard', { userids: ['zhangsan'], agentid: SANDBOX_DEFAULTS.agentId, task_id: 'claim-7', clicked_key: 'yes', ...body });
			expect(await update({})).toMatchObject({ errcode: 0, invaliduser: [] });
			expect((await update({ clicked_key: 'maybe' })).errcode).toBe(42017);
			expect((await update({ task_id: 'claim-8' })).errcode).toBe(42016);
			const receiver = await startReceiver();
			try {
				const click = await sandbox.clickCard({ url: receiver.url, taskId: 'claim-7', userId: 'zhangsan', eventKey: 'no' });
				expect(field(click.xml, 'Event')).toBe('taskcard_click');
				expect(field(click.xml, 'EventKey')).toBe('no');
			} finally {
				await receiver.close();
			}
		});

		it('recalls only messages younger than 24 hours', async () => {
			const first = await send({ msgtype: 'text', text: { content: 'oops' } });
			expect((await post('message/recall', { msgid: first.msgid })).errcode).toBe(0);
			expect((await post('message/recall', { msgid: first.msgid })).errcode).toBe(40058);
			const second = await send({ msgtype: 'text', text: { content: 'old' } });
			clock += 24 * HOUR + 1000;
			expect((await post('message/recall', { msgid: second.msgid })).errmsg).toContain('24 hours');
		});
	});

	describe('media', () => {
		it('round-trips a multipart upload through media/get with the file name and type', async () => {
			const uploaded = await upload('voice', AMR, '语音 memo.amr', 'audio/amr');
			expect(uploaded).toMatchObject({ errcode: 0, type: 'voice' });
			expect(uploaded.created_at).toBe(String(Math.floor(clock / 1000)));
			const [recorded] = sandbox.requestsTo('media/upload');
			expect(recorded.files).toEqual([
				{ field: 'media', filename: '语音 memo.amr', contentType: 'audio/amr', size: AMR.length, sha256: createHash('sha256').update(AMR).digest('hex') },
			]);
			expect(sandbox.media(String(uploaded.media_id))?.data.equals(AMR)).toBe(true);

			const download = await http.get<Buffer>(api('media/get'), {
				params: { access_token: await token(), media_id: uploaded.media_id },
				responseType: 'arraybuffer',
			});
			expect(Buffer.from(download.data).equals(AMR)).toBe(true);
			expect(download.headers['content-type']).toBe('audio/amr');
			expect(download.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('语音 memo.amr')}`);

			const missing = await http.get<Answer>(api('media/get'), { params: { access_token: await token(), media_id: 'nope' } });
			expect(missing.data.errcode).toBe(40007);
			clock += 3 * 24 * HOUR + 1000;
			const expired = await http.get<Answer>(api('media/get'), { params: { access_token: await token(), media_id: uploaded.media_id } });
			expect(expired.data.errcode).toBe(40007);
		});

		it('checks type, size and format like WeCom', async () => {
			expect((await upload('image', PDF, 'a.pdf', 'application/pdf')).errcode).toBe(40004);
			expect((await upload('voice', PNG, 'a.png', 'image/png')).errcode).toBe(301017);
			expect((await upload('video', JPG, 'a.jpg', 'image/jpeg')).errcode).toBe(40004);
			expect((await upload('file', Buffer.from('tiny!'), 'a.txt', 'text/plain')).errcode).toBe(40006);
			expect((await upload('image', Buffer.concat([JPG, Buffer.alloc(10 * 1024 * 1024)]), 'big.jpg', 'image/jpeg')).errcode).toBe(40009);
			expect((await upload('sticker', PNG, 'a.png', 'image/png')).errcode).toBe(40005);
			const form = multipart(PNG, 'a.png', 'image/png', 'file');
			const wrongPart = await http.post<Answer>(api('media/upload'), form.body, { params: { access_token: await token(), type: 'image' }, headers: form.headers });
			expect(wrongPart.data.errcode).toBe(44001);
		});

		it('serves uploadimg images from a permanent URL', async () => {
			const form = multipart(PNG, 'banner.png', 'image/png');
			const { data } = await http.post<Answer>(api('media/uploadimg'), form.body, { params: { access_token: await token() }, headers: form.headers });
			expect(String(data.url)).toMatch(new RegExp(`^${sandbox.url}/media-cdn/.+\\.png$`));
			const image = await http.get<Buffer>(String(data.url), { responseType: 'arraybuffer' });
			expect(Buffer.from(image.data).equals(PNG)).toBe(true);
		});
	});

	describe('app chats and directory', () => {
		it('creates, reads, updates and sends to a chat; unknown chats are 86003', async () => {
			const created = await post('appchat/create', { name: '值班群', userlist: ['zhangsan', 'LiSi'], chatid: 'oncall1' });
			expect(created).toMatchObject({ errcode: 0, chatid: 'oncall1' });
			expect((await post('appchat/create', { userlist: ['zhangsan'] })).errcode).toBe(86006);
			expect((await post('appchat/create', { userlist: ['zhangsan', 'ghost'] })).errcode).toBe(86216);
			expect((await post('appchat/update', { chatid: 'oncall1', add_user_list: ['wangwu'] })).errcode).toBe(0);
			const got = await http.get<Answer>(api('appchat/get'), { params: { access_token: await token(), chatid: 'oncall1' } });
			expect(got.data.chat_info).toMatchObject({ chatid: 'oncall1', name: '值班群', userlist: ['zhangsan', 'lisi', 'wangwu'] });
			expect((await post('appchat/send', { chatid: 'oncall1', msgtype: 'text', text: { content: 'hi' } })).errcode).toBe(0);
			expect((await post('appchat/send', { chatid: 'nochat', msgtype: 'text', text: { content: 'hi' } })).errcode).toBe(86003);
			expect((await post('appchat/send', { chatid: 'oncall1', msgtype: 'template_card', template_card: {} })).errcode).toBe(40008);
			expect((await post('appchat/send', { chatid: 'oncall1', msgtype: 'text', text: { content: 'hi' } }, await token('second-app-secret'))).errcode).toBe(86008);
		});

		it('lists departments, users and tags', async () => {
			const access_token = await token();
			const departments = (await http.get<Answer>(api('department/list'), { params: { access_token, id: 2 } })).data;
			expect((departments.department as Array<{ id: number; parentid: number }>)[0]).toMatchObject({ id: 2, parentid: 1 });
			const users = (await http.get<Answer>(api('user/simplelist'), { params: { access_token, department_id: 2 } })).data;
			expect((users.userlist as Array<{ userid: string }>).map((user) => user.userid)).toEqual(['zhangsan', 'wangwu']);
			expect((await http.get<Answer>(api('user/simplelist'), { params: { access_token, department_id: 77 } })).data.errcode).toBe(60123);
			expect(((await http.get<Answer>(api('tag/list'), { params: { access_token } })).data.taglist as unknown[]).length).toBe(5);
		});

		it('answers 47001 for malformed JSON and 404 for unknown APIs', async () => {
			const bad = await http.post<Answer>(api('message/send'), '{"touser":', { params: { access_token: await token() }, headers: { 'Content-Type': 'application/json' } });
			expect(bad.data.errcode).toBe(47001);
			const unknown = await http.get<Answer>(api('no/such/api'));
			expect(unknown.status).toBe(404);
		});
	});

	describe('group robot', () => {
		const robot = (body: unknown, key: string = SANDBOX_DEFAULTS.robotKey) => http.post<Answer>(api('webhook/send'), body, { params: { key } });

		it('rejects unknown keys (93000) and checks image md5, type and size', async () => {
			expect((await robot({ msgtype: 'text', text: { content: 'hi' } }, 'bad-key')).data.errcode).toBe(93000);
			const md5 = createHash('md5').update(PNG).digest('hex');
			expect((await robot({ msgtype: 'image', image: { base64: PNG.toString('base64'), md5 } })).data.errcode).toBe(0);
			expect((await robot({ msgtype: 'image', image: { base64: PNG.toString('base64'), md5: md5.replace(/^./, '0') } })).data.errcode).toBe(40058);
			expect((await robot({ msgtype: 'image', image: { base64: PDF.toString('base64'), md5: createHash('md5').update(PDF).digest('hex') } })).data.errcode).toBe(40004);
			expect((await robot({ msgtype: 'template_card', template_card: { card_type: 'button_interaction' } })).data.errcode).toBe(40058);
			expect((await robot({ msgtype: 'file', file: { media_id: 'not-uploaded' } })).data.errcode).toBe(40007);
		});

		it('accepts 20 messages a minute per key on the sandbox clock, then 45009', async () => {
			for (let count = 0; count < 20; count++) expect((await robot({ msgtype: 'text', text: { content: `m${count}` } })).data.errcode).toBe(0);
			expect((await robot({ msgtype: 'text', text: { content: 'too many' } })).data.errcode).toBe(45009);
			clock += 60 * 1000;
			expect((await robot({ msgtype: 'text', text: { content: 'next minute' } })).data.errcode).toBe(0);
		});

		it('uploads robot media usable only by that robot', async () => {
			const form = multipart(PDF, '日报.pdf', 'application/pdf');
			const { data } = await http.post<Answer>(api('webhook/upload_media'), form.body, { params: { key: SANDBOX_DEFAULTS.robotKey, type: 'file' }, headers: form.headers });
			expect(data).toMatchObject({ errcode: 0, type: 'file' });
			expect((await robot({ msgtype: 'file', file: { media_id: data.media_id } })).data.errcode).toBe(0);
			expect((await robot({ msgtype: 'voice', voice: { media_id: data.media_id } })).data.errcode).toBe(40007);
		});
	});

	describe('callbacks', () => {
		it('clickCard posts an encrypted, signed template_card_event whose code updates the card once', async () => {
			const receiver = await startReceiver();
			try {
				const sent = await send({
					msgtype: 'template_card',
					template_card: {
						card_type: 'button_interaction',
						main_title: { title: '请假审批' },
						task_id: 'leave-42',
						button_list: [{ text: '同意', key: 'approve' }, { text: '驳回', key: 'reject', style: 2 }],
					},
				});
				const click = await sandbox.clickCard({ url: receiver.url, taskId: 'leave-42', userId: 'lisi', eventKey: 'approve' });
				expect(click.status).toBe(200);
				expect(click.responseCode).not.toBe(sent.response_code);

				const [request] = receiver.received;
				expect(request.method).toBe('POST');
				const encrypted = field(request.body, 'Encrypt') ?? '';
				expect(field(request.body, 'ToUserName')).toBe(SANDBOX_DEFAULTS.corpId);
				expect(field(request.body, 'AgentID')).toBe(String(SANDBOX_DEFAULTS.agentId));
				const q = Object.fromEntries(request.url.searchParams);
				expect(getSignature(SANDBOX_DEFAULTS.callbackToken, q.timestamp, q.nonce, encrypted)).toBe(q.msg_signature);
				const { message, id } = decrypt(SANDBOX_DEFAULTS.encodingAESKey, encrypted);
				expect(id).toBe(SANDBOX_DEFAULTS.corpId);
				expect(message).toBe(click.xml);
				expect(field(message, 'Event')).toBe('template_card_event');
				expect(field(message, 'FromUserName')).toBe('lisi');
				expect(field(message, 'EventKey')).toBe('approve');
				expect(field(message, 'TaskId')).toBe('leave-42');
				expect(field(message, 'CardType')).toBe('button_interaction');
				expect(field(message, 'ResponseCode')).toBe(click.responseCode);
				expect(field(message, 'CreateTime')).toBe(String(Math.floor(clock / 1000)));

				const update = (code: string) =>
					post('message/update_template_card', { userids: ['lisi'], agentid: SANDBOX_DEFAULTS.agentId, response_code: code, button: { replace_name: '已同意' } });
				expect((await update(click.responseCode)).errcode).toBe(0);
				expect((await update(click.responseCode)).errcode).toBe(42022);
				await expect(sandbox.clickCard({ url: receiver.url, taskId: 'leave-42', userId: 'lisi', eventKey: 'nope' })).rejects.toThrow(/no clickable key/);
			} finally {
				await receiver.close();
			}
		});

		it('verifies a callback URL with an encrypted echostr and decrypts passive replies', async () => {
			const receiver = await startReceiver((method, url) => {
				if (method !== 'GET') return '';
				return decrypt(SANDBOX_DEFAULTS.encodingAESKey, url.searchParams.get('echostr') ?? '').message;
			});
			try {
				const check = await sandbox.verifyCallbackUrl(receiver.url);
				expect(check.ok).toBe(true);
				expect(check.body).toBe(check.expected);
			} finally {
				await receiver.close();
			}

			const inner = '<xml><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[收到]]></Content></xml>';
			const encrypted = encrypt(SANDBOX_DEFAULTS.encodingAESKey, inner, SANDBOX_DEFAULTS.corpId);
			const signature = getSignature(SANDBOX_DEFAULTS.callbackToken, '1700000000', '42', encrypted);
			const reply = (sig: string) =>
				`<xml><Encrypt><![CDATA[${encrypted}]]></Encrypt><MsgSignature><![CDATA[${sig}]]></MsgSignature><TimeStamp>1700000000</TimeStamp><Nonce><![CDATA[42]]></Nonce></xml>`;
			expect(sandbox.decryptReply(reply(signature))).toEqual({ message: inner, signatureValid: true });
			expect(sandbox.decryptReply(reply('0'.repeat(40))).signatureValid).toBe(false);
		});

		it('encryptCallback output decrypts with @wecom/crypto and carries the outer envelope', () => {
			const { query, body } = sandbox.encryptCallback('<xml><MsgType><![CDATA[event]]></MsgType></xml>', { timestamp: '1700000001', nonce: 'n1' });
			expect(body).toMatch(/^<xml><ToUserName><!\[CDATA\[wwsandbox00000001\]\]><\/ToUserName><AgentID><!\[CDATA\[1000002\]\]><\/AgentID><Encrypt>/);
			const encrypted = field(body, 'Encrypt') ?? '';
			expect(query).toEqual({ msg_signature: getSignature(SANDBOX_DEFAULTS.callbackToken, '1700000001', 'n1', encrypted), timestamp: '1700000001', nonce: 'n1' });
			expect(decrypt(SANDBOX_DEFAULTS.encodingAESKey, encrypted).message).toBe('<xml><MsgType><![CDATA[event]]></MsgType></xml>');
		});
	});

	it('keeps no bodies when recordBodies is off', async () => {
		const quiet = await startSandbox({ recordBodies: false });
		try {
			const { data } = await http.post<Answer>(`${quiet.url}/cgi-bin/webhook/send`, { msgtype: 'text', text: { content: 'hi' } }, { params: { key: SANDBOX_DEFAULTS.robotKey } });
			expect(data.errcode).toBe(0);
			expect(quiet.requests).toHaveLength(1);
			expect(quiet.requests[0].json).toBeUndefined();
			expect(quiet.requests[0].answer?.errcode).toBe(0);
		} finally {
			await quiet.close();
		}
	});

	describe('fault injection and HTTP controls', () => {
		it('injects errcodes, HTTP statuses and dropped connections, then behaves normally again', async () => {
			const client = new SandboxClient(sandbox.url);
			const access_token = await token();
			await client.injectError('message/send', -1, 2);
			expect((await send({ msgtype: 'text', text: { content: 'a' } }, access_token)).errcode).toBe(-1);
			expect((await send({ msgtype: 'text', text: { content: 'a' } }, access_token)).errcode).toBe(-1);
			expect((await send({ msgtype: 'text', text: { content: 'a' } }, access_token)).errcode).toBe(0);

			await client.injectHttpStatus('/cgi-bin/message/send', 502);
			const bad = await http.post(api('message/send'), {}, { params: { access_token } });
			expect(bad.status).toBe(502);
			expect(String(bad.data)).toContain('<html>');

			await client.dropConnection('message/send');
			await expect(axios.post(api('message/send'), {}, { params: { access_token } })).rejects.toMatchObject({ code: 'ECONNRESET' });

			const state = await client.state();
			expect(state).toMatchObject({ gettokenCount: 1, requestCount: 6 });
			expect(state.messages).toHaveLength(1);
			expect((await client.requestsTo('message/send')).map((entry) => entry.status)).toEqual([200, 200, 200, 502, 0]);

			await client.reset();
			expect(sandbox.requests).toHaveLength(0);
			expect((await client.state()).messages).toEqual([]);
		});

		it('applies rate limits and token controls over HTTP, and clicks cards through /__sandbox/click', async () => {
			const client = new SandboxClient(sandbox.url);
			const access_token = await token();
			await client.setRateLimit('tag/list', 1, 60_000);
			expect((await http.get<Answer>(api('tag/list'), { params: { access_token } })).data.errcode).toBe(0);
			expect((await http.get<Answer>(api('tag/list'), { params: { access_token } })).data.errcode).toBe(45009);
			await client.invalidateTokens();
			expect((await send({ msgtype: 'text', text: { content: 'a' } }, access_token)).errcode).toBe(40014);

			const receiver = await startReceiver(() => 'success');
			try {
				await send({
					msgtype: 'template_card',
					template_card: {
						card_type: 'multiple_interaction',
						main_title: { title: '选择' },
						task_id: 'multi-1',
						select_list: [{ question_key: 'q1', option_list: [{ id: 'o1', text: 'One' }, { id: 'o2', text: 'Two' }] }],
						submit_button: { text: '提交', key: 'go' },
					},
				});
				const click = await client.clickCard({ url: receiver.url, taskId: 'multi-1', userId: 'zhangsan', eventKey: 'go', selectedItems: [{ questionKey: 'q1', optionIds: ['o2'] }] });
				expect(click).toMatchObject({ status: 200, body: 'success' });
				expect(click.xml).toContain('<SelectedItems><SelectedItem><QuestionKey><![CDATA[q1]]></QuestionKey><OptionIds><OptionId><![CDATA[o2]]></OptionId></OptionIds></SelectedItem></SelectedItems>');
				await expect(client.clickCard({ url: receiver.url, taskId: 'unknown', userId: 'zhangsan', eventKey: 'go' })).rejects.toThrow(/task_id "unknown"/);
			} finally {
				await receiver.close();
			}
		});
	});
});
