/**
 * Message (应用消息) through n8n's real engine against the WeCom sandbox: one test per msgtype asserting the exact
 * body WeCom received, binary → upload → send, limits enforced before the network, continueOnFail, partial
 * delivery, large user lists split into batches, recall and the legacy task card update.
 */
import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { WeCom } from '../../nodes/WeCom/WeCom.node';
import { AGENT_ID, SAMPLE_FILES, inputItem, useWeComTestBed, userIds } from './kit';

const { JPG, PNG, AMR, MP4, PDF } = SAMPLE_FILES;



describe('WeCom node: Message (应用消息)', () => {
	const bed = useWeComTestBed('message');
	const { run } = bed;

	const send = (parameters: Record<string, unknown>, items?: unknown[], options?: { continueOnFail?: boolean }) =>
		run({ operation: 'send', toUser: 'zhangsan|lisi', ...parameters }, items, options);
	const sent = () => bed.sandbox.requestsTo('/cgi-bin/message/send').map((request) => request.json);
	const uploads = () => bed.sandbox.requestsTo('/cgi-bin/media/upload');
	const noMessageRequests = () => {
		expect(sent()).toHaveLength(0);
		expect(uploads()).toHaveLength(0);
		expect(bed.sandbox.requestsTo('/cgi-bin/media/uploadimg')).toHaveLength(0);
	};

	async function sendOk(parameters: Record<string, unknown>, items?: unknown[]) {
		const result = await send(parameters, items);
		expect(result.error).toBeUndefined();
		const output = result.output('WeCom');
		expect(output).toHaveLength(1);
		return output[0].json;
	}

	describe('every msgtype: the exact body WeCom receives', () => {
		it('text', async () => {
			const json = await sendOk({ msgtype: 'text', textContent: '你好 <a href="https://example.com">link</a>\nline 2' });
			expect(sent()).toEqual([
				{
					touser: 'zhangsan|lisi',
					msgtype: 'text',
					agentid: AGENT_ID,
					text: { content: '你好 <a href="https://example.com">link</a>\nline 2' },
				},
			]);
			expect(json).toEqual({
				msgtype: 'text',
				msgid: expect.any(String),
				invaliduser: [],
				invalidparty: [],
				invalidtag: [],
				unlicenseduser: [],
			});
			expect(json.msgid).not.toBe('');
		});

		it.each([
			['image', JPG, 'photo.jpg', 'image/jpeg', {}],
			['image', PNG, 'chart.png', 'image/png', {}],
			['voice', AMR, 'memo.amr', 'audio/amr', {}],
			['video', MP4, 'clip.mp4', 'video/mp4', { videoTitle: '周报', videoDescription: 'Weekly video' }],
			['file', PDF, 'report.pdf', 'application/pdf', {}],
		])('%s from binary: upload, then send the new media_id', async (type, data, fileName, mimeType, extra) => {
			const json = await sendOk({ msgtype: type, mediaSource: 'binary', binaryPropertyName: 'attachment', ...extra }, [
				inputItem({}, { attachment: { data, fileName, mimeType } }),
			]);
			expect(uploads()).toHaveLength(1);
			expect(uploads()[0].query.type).toBe(type);
			const mediaId = String((json.uploaded as Array<Record<string, unknown>>)[0].media_id);
			expect(bed.sandbox.media(mediaId)?.data.equals(data)).toBe(true);
			const videoExtra = type === 'video' ? { title: '周报', description: 'Weekly video' } : {};
			expect(sent()).toEqual([{ touser: 'zhangsan|lisi', msgtype: type, agentid: AGENT_ID, [type]: { media_id: mediaId, ...videoExtra } }]);
			expect(json).toMatchObject({ msgtype: type, uploaded: [{ type, media_id: mediaId, filename: fileName }] });
			// The upload happened before the send.
			expect(uploads()[0].seq).toBeLessThan(bed.sandbox.requestsTo('/cgi-bin/message/send')[0].seq);
		});

		it('image by an existing media_id, without uploading again', async () => {
			const first = await sendOk({ msgtype: 'image', binaryPropertyName: 'data' }, [
				inputItem({}, { data: { data: JPG, fileName: 'a.jpg', mimeType: 'image/jpeg' } }),
			]);
			const mediaId = String((first.uploaded as Array<Record<string, unknown>>)[0].media_id);
			const json = await sendOk({ msgtype: 'image', mediaSource: 'mediaId', mediaId: '={{ $json.media }}' }, [inputItem({ media: mediaId })]);
			expect(uploads()).toHaveLength(1);
			expect(sent()[1]).toEqual({ touser: 'zhangsan|lisi', msgtype: 'image', agentid: AGENT_ID, image: { media_id: mediaId } });
			expect(json).not.toHaveProperty('uploaded');
		});

		it('textcard', async () => {
			await sendOk({
				msgtype: 'textcard',
				textcardTitle: '领奖通知',
				textcardDescription: '<div class="gray">2016年9月26日</div><div class="highlight">请于2016年10月10日前联系行政同事领取</div>',
				textcardUrl: 'https://example.com/prize',
				textcardButtonText: '更多',
			});
			expect(sent()).toEqual([
				{
					touser: 'zhangsan|lisi',
					msgtype: 'textcard',
					agentid: AGENT_ID,
					textcard: {
						title: '领奖通知',
						description: '<div class="gray">2016年9月26日</div><div class="highlight">请于2016年10月10日前联系行政同事领取</div>',
						url: 'https://example.com/prize',
						btntxt: '更多',
					},
				},
			]);
		});

		it('news with a link article and a mini program article', async () => {
			await sendOk({
				msgtype: 'news',
				newsArticles: {
					article: [
						{ title: '中秋节礼品领取', description: '今年中秋节公司有豪礼相送', url: 'https://example.com/gift', picurl: 'https://example.com/gift.png' },
						{ title: 'Mini', appid: 'wx0123456789abcdef', pagepath: 'pages/index' },
					],
				},
			});
			expect(sent()).toEqual([
				{
					touser: 'zhangsan|lisi',
					msgtype: 'news',
					agentid: AGENT_ID,
					news: {
						articles: [
							{ title: '中秋节礼品领取', description: '今年中秋节公司有豪礼相送', url: 'https://example.com/gift', picurl: 'https://example.com/gift.png' },
							{ title: 'Mini', appid: 'wx0123456789abcdef', pagepath: 'pages/index' },
						],
					},
				},
			]);
		});

		it('news with the picture uploaded from binary (media/uploadimg)', async () => {
			const json = await sendOk(
				{
					msgtype: 'news',
					newsArticles: {
						article: [
							{ title: 'One', url: 'https://example.com/1', picBinaryPropertyName: 'cover' },
							{ title: 'Two', url: 'https://example.com/2', picBinaryPropertyName: 'cover' },
						],
					},
				},
				[inputItem({}, { cover: { data: PNG, fileName: 'cover.png', mimeType: 'image/png' } })],
			);
			const uploadimg = bed.sandbox.requestsTo('/cgi-bin/media/uploadimg');
			expect(uploadimg).toHaveLength(1);
			const url = String(uploadimg[0].answer?.url);
			expect(sent()[0]).toEqual({
				touser: 'zhangsan|lisi',
				msgtype: 'news',
				agentid: AGENT_ID,
				news: {
					articles: [
						{ title: 'One', url: 'https://example.com/1', picurl: url },
						{ title: 'Two', url: 'https://example.com/2', picurl: url },
					],
				},
			});
			expect(json.uploaded).toEqual([{ type: 'permanentImage', url, filename: 'cover.png' }]);
		});

		it('mpnews with a thumbnail uploaded once for two articles, and safe = 2', async () => {
			const json = await sendOk(
				{
					msgtype: 'mpnews',
					mpnewsArticles: {
						article: [
							{ title: 'Title 1', thumbSource: 'binary', thumbBinaryPropertyName: 'thumb', author: 'Author', contentSourceUrl: 'https://example.com', content: '<p>Body</p>', digest: 'Digest' },
							{ title: 'Title 2', thumbSource: 'binary', thumbBinaryPropertyName: 'thumb', content: 'Second' },
						],
					},
					options: { safe: 2 },
				},
				[inputItem({}, { thumb: { data: JPG, fileName: 'thumb.jpg', mimeType: 'image/jpeg' } })],
			);
			expect(uploads()).toHaveLength(1);
			const thumb = String((json.uploaded as Array<Record<string, unknown>>)[0].media_id);
			expect(sent()).toEqual([
				{
					touser: 'zhangsan|lisi',
					msgtype: 'mpnews',
					agentid: AGENT_ID,
					mpnews: {
						articles: [
							{ title: 'Title 1', thumb_media_id: thumb, author: 'Author', content_source_url: 'https://example.com', content: '<p>Body</p>', digest: 'Digest' },
							{ title: 'Title 2', thumb_media_id: thumb, content: 'Second' },
						],
					},
					safe: 2,
				},
			]);
		});

		it('markdown', async () => {
			const content = '# 标题\n**bold** [link](https://example.com) <font color="warning">warn</font>';
			await sendOk({ msgtype: 'markdown', markdownContent: content });
			expect(sent()).toEqual([{ touser: 'zhangsan|lisi', msgtype: 'markdown', agentid: AGENT_ID, markdown: { content } }]);
		});

		it('miniprogram_notice', async () => {
			await sendOk({
				msgtype: 'miniprogram_notice',
				miniprogramAppid: 'wx0123456789abcdef',
				miniprogramPage: 'pages/index?userid=zhangsan',
				miniprogramTitle: '会议室预订成功通知',
				miniprogramDescription: '4月27日 16:16',
				miniprogramEmphasisFirstItem: true,
				miniprogramContentItems: { item: [{ key: '会议室', value: '402' }, { key: '会议地点', value: '广州TIT-402会议室' }] },
			});
			expect(sent()).toEqual([
				{
					touser: 'zhangsan|lisi',
					msgtype: 'miniprogram_notice',
					agentid: AGENT_ID,
					miniprogram_notice: {
						appid: 'wx0123456789abcdef',
						page: 'pages/index?userid=zhangsan',
						title: '会议室预订成功通知',
						description: '4月27日 16:16',
						emphasis_first_item: true,
						content_item: [
							{ key: '会议室', value: '402' },
							{ key: '会议地点', value: '广州TIT-402会议室' },
						],
					},
				},
			]);
		});

		it('interactive_taskcard with a generated task_id in the output', async () => {
			const json = await sendOk({
				msgtype: 'interactive_taskcard',
				taskcardTitle: '赵明登的礼物申请',
				taskcardDescription: '礼品：A31茶具套装',
				taskcardUrl: 'https://example.com/task',
				taskcardButtons: {
					button: [
						{ key: 'yes', name: '批准', replace_name: '已批准', color: 'red', is_bold: true },
						{ key: 'no', name: '驳回', replace_name: '已驳回' },
					],
				},
			});
			const taskId = String(json.task_id);
			expect(taskId).toMatch(/^task-[0-9A-Za-z_\-@]+$/);
			expect(sent()).toEqual([
				{
					touser: 'zhangsan|lisi',
					msgtype: 'interactive_taskcard',
					agentid: AGENT_ID,
					interactive_taskcard: {
						title: '赵明登的礼物申请',
						description: '礼品：A31茶具套装',
						url: 'https://example.com/task',
						task_id: taskId,
						btn: [
							{ key: 'yes', name: '批准', replace_name: '已批准', color: 'red', is_bold: true },
							{ key: 'no', name: '驳回', replace_name: '已驳回', color: 'blue', is_bold: false },
						],
					},
				},
			]);
		});

		it('interactive_taskcard without a description (optional in WeCom\'s docs) sends none', async () => {
			const json = await sendOk({
				msgtype: 'interactive_taskcard',
				taskcardTitle: 'Deploy 4711?',
				taskcardTaskId: 'deploy-4711',
				taskcardButtons: { button: [{ key: 'go', name: 'Go' }] },
			});
			expect(json.task_id).toBe('deploy-4711');
			expect(sent()).toEqual([
				{
					touser: 'zhangsan|lisi',
					msgtype: 'interactive_taskcard',
					agentid: AGENT_ID,
					interactive_taskcard: { title: 'Deploy 4711?', task_id: 'deploy-4711', btn: [{ key: 'go', name: 'Go', color: 'blue', is_bold: false }] },
				},
			]);
		});

		it('miniprogram_notice content items may leave key or value empty; items with both empty are left out', async () => {
			await sendOk({
				msgtype: 'miniprogram_notice',
				miniprogramAppid: 'wx0123456789abcdef',
				miniprogramTitle: '会议室预订成功通知',
				miniprogramContentItems: { item: [{ key: '', value: '402' }, { key: '', value: '' }, { key: '备注', value: '' }] },
			});
			expect((sent()[0] as { miniprogram_notice: { content_item: unknown } }).miniprogram_notice.content_item).toEqual([
				{ key: '', value: '402' },
				{ key: '备注', value: '' },
			]);
		});

		it('template_card through the card builder (raw card JSON): generated task_id and response_code in the output', async () => {
			const card = {
				card_type: 'button_interaction',
				main_title: { title: '请假审批' },
				button_list: [
					{ text: '批准', style: 1, key: 'approve' },
					{ text: '驳回', style: 2, key: 'reject' },
				],
			};
			const json = await sendOk({ msgtype: 'template_card', cardDefinition: 'json', cardJson: JSON.stringify(card) });
			const taskId = String(json.task_id);
			expect(taskId).toMatch(/^[0-9A-Za-z_\-@]+$/);
			expect(sent()).toEqual([
				{ touser: 'zhangsan|lisi', msgtype: 'template_card', agentid: AGENT_ID, template_card: { ...card, task_id: taskId } },
			]);
			expect(json).toMatchObject({ msgtype: 'template_card', msgid: expect.any(String), response_code: expect.any(String), task_id: taskId });
		});

		it('template_card to more than 1000 users cannot be split', async () => {
			const result = await send({
				toUser: userIds(1001).join('|'),
				msgtype: 'template_card',
				cardDefinition: 'json',
				cardJson: JSON.stringify({ card_type: 'text_notice', main_title: { title: 't' }, card_action: { type: 1, url: 'https://e.com' } }),
				options: { splitLargeUserLists: true },
			});
			expect(result.error?.message).toMatch(/cannot be split/);
			noMessageRequests();
		});

		it('raw JSON: a whole body, with the node adding recipients, agentid and options', async () => {
			const card = {
				card_type: 'text_notice',
				main_title: { title: 'Raw card' },
				card_action: { type: 1, url: 'https://example.com' },
			};
			const json = await sendOk({
				toUser: '',
				toParty: '={{ "2|3" }}',
				msgtype: 'raw',
				rawJson: JSON.stringify({ msgtype: 'template_card', template_card: card, touser: 'ignored' }),
				options: { enableIdTrans: true },
			});
			expect(sent()).toEqual([{ toparty: '2|3', msgtype: 'template_card', agentid: AGENT_ID, template_card: card, enable_id_trans: 1 }]);
			expect(json.msgtype).toBe('template_card');
		});

		it('raw JSON: only the msgtype object plus Raw Message Type', async () => {
			await sendOk({ msgtype: 'raw', rawMsgtype: 'text', rawJson: '{"content":"raw text"}' });
			expect(sent()).toEqual([{ touser: 'zhangsan|lisi', msgtype: 'text', agentid: AGENT_ID, text: { content: 'raw text' } }]);
		});
	});

	describe('recipients and options', () => {
		it('accepts arrays, commas and "|" from expressions, departments and tags, and sends @all alone', async () => {
			await sendOk({ toUser: '={{ ["zhangsan", "lisi"] }}', toParty: '={{ [2, 3] }}', toTag: '1,2', msgtype: 'text', textContent: 'x' });
			await sendOk({ toAll: true, msgtype: 'text', textContent: 'y' });
			expect(sent()).toEqual([
				{ touser: 'zhangsan|lisi', toparty: '2|3', totag: '1|2', msgtype: 'text', agentid: AGENT_ID, text: { content: 'x' } },
				{ touser: '@all', msgtype: 'text', agentid: AGENT_ID, text: { content: 'y' } },
			]);
		});

		it('sends the options: agent ID override, safe, ID translation and duplicate check', async () => {
			await sendOk({
				msgtype: 'text',
				textContent: 'secret',
				options: { agentId: AGENT_ID, safe: 1, enableIdTrans: true, enableDuplicateCheck: true, duplicateCheckInterval: 600 },
			});
			expect(sent()).toEqual([
				{
					touser: 'zhangsan|lisi',
					msgtype: 'text',
					agentid: AGENT_ID,
					text: { content: 'secret' },
					safe: 1,
					enable_id_trans: 1,
					enable_duplicate_check: 1,
					duplicate_check_interval: 600,
				},
			]);
		});

		it('truncates long text to 2048 bytes only when asked, and says so', async () => {
			const json = await sendOk({ msgtype: 'text', textContent: '中'.repeat(1000), options: { truncateLongText: true } });
			const content = String((sent()[0] as { text: { content: string } }).text.content);
			expect(Buffer.byteLength(content)).toBe(2046);
			expect(content).toBe('中'.repeat(682));
			expect(json.truncated).toBe(true);
		});
	});

	describe('limits enforced before any request', () => {
		it.each([
			['1001 users', { toUser: userIds(1001).join('|'), msgtype: 'text', textContent: 'x' }, /User IDs has 1001 entries; WeCom accepts at most 1000/],
			['101 departments', { toUser: '', toParty: `={{ ${JSON.stringify(Array.from({ length: 101 }, (_, i) => i + 1))} }}`, msgtype: 'text', textContent: 'x' }, /Departments has 101 entries; WeCom accepts at most 100/],
			['101 tags', { toUser: '', toTag: Array.from({ length: 101 }, (_, i) => String(i + 1)).join('|'), msgtype: 'text', textContent: 'x' }, /Tags has 101 entries; WeCom accepts at most 100/],
			['no recipients', { toUser: '', msgtype: 'text', textContent: 'x' }, /No recipients/],
			['text over 2048 bytes', { msgtype: 'text', textContent: '中'.repeat(683) }, /Content is 2049 bytes; WeCom allows at most 2048 bytes/],
			['markdown over 2048 bytes', { msgtype: 'markdown', markdownContent: 'a'.repeat(2049) }, /Content is 2049 bytes/],
			['textcard button text of 5 characters', { msgtype: 'textcard', textcardTitle: 't', textcardDescription: 'd', textcardUrl: 'https://e.com', textcardButtonText: '五个字按钮' }, /Button Text has 5 characters; WeCom allows at most 4/],
			['textcard title of 129 characters', { msgtype: 'textcard', textcardTitle: '字'.repeat(129), textcardDescription: 'd', textcardUrl: 'https://e.com' }, /Title has 129 characters; WeCom allows at most 128/],
			['nine news articles', { msgtype: 'news', newsArticles: { article: Array.from({ length: 9 }, (_, i) => ({ title: `t${i}`, url: 'https://e.com' })) } }, /Articles has 9 entries; WeCom accepts between 1 and 8/],
			['a news article without URL', { msgtype: 'news', newsArticles: { article: [{ title: 't' }] } }, /Article 1 needs a URL/],
			['news title over 128 bytes', { msgtype: 'news', newsArticles: { article: [{ title: '中'.repeat(43), url: 'https://e.com' }] } }, /Article 1 Title is 129 bytes/],
			['a miniprogram title of 3 characters', { msgtype: 'miniprogram_notice', miniprogramAppid: 'wx1', miniprogramTitle: '三个字' }, /Title has 3 characters; WeCom needs 4 to 12/],
			['11 miniprogram content items', { msgtype: 'miniprogram_notice', miniprogramAppid: 'wx1', miniprogramTitle: '会议通知标题', miniprogramContentItems: { item: Array.from({ length: 11 }, (_, i) => ({ key: `k${i}`, value: 'v' })) } }, /Content Items has 11 entries; WeCom accepts at most 10/],
			['a miniprogram notice to @all', { toAll: true, msgtype: 'miniprogram_notice', miniprogramAppid: 'wx1', miniprogramTitle: '会议通知标题' }, /cannot be sent to everyone/],
			['three task card buttons', { msgtype: 'interactive_taskcard', taskcardTitle: 't', taskcardDescription: 'd', taskcardButtons: { button: [{ key: 'a', name: 'A' }, { key: 'b', name: 'B' }, { key: 'c', name: 'C' }] } }, /Buttons has 3 entries; WeCom accepts between 1 and 2/],
			['an invalid task_id', { msgtype: 'interactive_taskcard', taskcardTitle: 't', taskcardDescription: 'd', taskcardTaskId: 'has space', taskcardButtons: { button: [{ key: 'a', name: 'A' }] } }, /Task ID "has space" is not valid/],
			['safe on news', { msgtype: 'news', newsArticles: { article: [{ title: 't', url: 'https://e.com' }] }, options: { safe: 1 } }, /News messages cannot be confidential/],
			['safe = 2 on text', { msgtype: 'text', textContent: 'x', options: { safe: 2 } }, /only for mpnews/],
			['a duplicate check interval over 4 hours', { msgtype: 'text', textContent: 'x', options: { enableDuplicateCheck: true, duplicateCheckInterval: 14401 } }, /Duplicate Check Interval is 14401/],
			['invalid raw JSON', { msgtype: 'raw', rawJson: '{oops' }, /Message JSON is not valid JSON/],
			['a video title over 128 bytes (before uploading the video)', { msgtype: 'video', videoTitle: 'x'.repeat(129) }, /Video Title is 129 bytes/],
		])('%s', async (_label, parameters, message) => {
			const result = await send(parameters, [inputItem({}, { data: { data: MP4, fileName: 'clip.mp4', mimeType: 'video/mp4' } })]);
			expect(result.error?.message).toMatch(message);
			noMessageRequests();
		});

		it.each([
			['a PDF as image', 'image', PDF, /not JPG or PNG/],
			['a PNG as voice', 'voice', PNG, /not AMR/],
			['a JPG as video', 'video', JPG, /not MP4/],
			['a 5-byte file', 'file', Buffer.from('tiny!'), /more than 5 bytes/],
		])('rejects %s before uploading', async (_label, type, data, message) => {
			const result = await send({ msgtype: type }, [inputItem({}, { data: { data, fileName: 'x.bin', mimeType: 'application/octet-stream' } })]);
			expect(result.error?.message).toMatch(message);
			noMessageRequests();
		});

		it('checks every mpnews thumbnail before uploading any', async () => {
			const result = await send(
				{
					msgtype: 'mpnews',
					mpnewsArticles: {
						article: [
							{ title: 'ok', thumbBinaryPropertyName: 'good', content: 'c' },
							{ title: 'bad', thumbBinaryPropertyName: 'bad', content: 'c' },
						],
					},
				},
				[inputItem({}, { good: { data: JPG, fileName: 'g.jpg', mimeType: 'image/jpeg' }, bad: { data: PDF, fileName: 'b.pdf', mimeType: 'application/pdf' } })],
			);
			expect(result.error?.message).toMatch(/"b.pdf" is not JPG or PNG/);
			noMessageRequests();
		});
	});

	describe('several items, failures and partial delivery', () => {
		it('continueOnFail: a bad item becomes an error item, the other is sent', async () => {
			const result = await send(
				{ msgtype: 'text', textContent: '={{ $json.text }}' },
				[inputItem({ text: 'fine' }), inputItem({ text: 'x'.repeat(3000) })],
				{ continueOnFail: true },
			);
			expect(result.error).toBeUndefined();
			const output = result.output('WeCom');
			expect(output).toHaveLength(2);
			expect(output[0].json).toMatchObject({ msgtype: 'text', msgid: expect.any(String) });
			expect(output[0].pairedItem).toEqual({ item: 0 });
			expect(String(output[1].json.error)).toMatch(/Content is 3000 bytes; WeCom allows at most 2048 bytes/);
			expect(output[1].pairedItem).toEqual({ item: 1 });
			expect(sent()).toHaveLength(1);
		});

		it('continueOnFail with a WeCom error (81013: every recipient invalid) keeps the errcode', async () => {
			const result = await send({ toUser: '={{ $json.to }}', msgtype: 'text', textContent: 'x' }, [inputItem({ to: 'zhangsan' }), inputItem({ to: 'ghost1|ghost2' })], {
				continueOnFail: true,
			});
			const output = result.output('WeCom');
			expect(output).toHaveLength(2);
			expect(output[0].json.msgid).toEqual(expect.any(String));
			expect(output[1].json).toMatchObject({ errcode: 81013 });
		});

		it('reports partial delivery as arrays in the output', async () => {
			const json = await sendOk({ toUser: 'zhangsan|Ghost', toParty: '={{ "2|99" }}', toTag: '1|42', msgtype: 'text', textContent: 'x' });
			expect(json).toMatchObject({ invaliduser: ['ghost'], invalidparty: ['99'], invalidtag: ['42'], unlicenseduser: [] });
			expect(json.msgid).toEqual(expect.any(String));
		});

		it('fails the item on partial delivery when asked, naming the invalid recipients', async () => {
			const result = await send({ toUser: 'zhangsan|ghost', msgtype: 'text', textContent: 'x', options: { failOnPartialDelivery: true } });
			expect(result.error?.message).toMatch(/Partial delivery: 1 invalid users \(ghost\)/);
			expect(sent()).toHaveLength(1);
		});
	});

	describe('large user lists', () => {
		it('splits a 10,000-user broadcast into exactly 10 requests and merges them into one item', async () => {
			const users = userIds(10000);
			const json = await sendOk({
				toUser: '={{ $json.users }}',
				toParty: '={{ "2" }}',
				msgtype: 'text',
				textContent: 'broadcast',
				options: { splitLargeUserLists: true },
			}, [inputItem({ users: [...users.slice(0, 9998), 'ghost1', 'ghost2'] })]);
			const bodies = sent() as Array<Record<string, unknown>>;
			expect(bodies).toHaveLength(10);
			expect(bodies[0].toparty).toBe('2');
			expect(bodies.slice(1).every((body) => body.toparty === undefined)).toBe(true);
			expect(bodies.every((body) => String(body.touser).split('|').length === 1000)).toBe(true);
			expect(bodies.flatMap((body) => String(body.touser).split('|'))).toEqual([...users.slice(0, 9998), 'ghost1', 'ghost2']);
			expect(json.requests).toBe(10);
			expect(json.msgids).toHaveLength(10);
			expect(json.msgid).toBe((json.msgids as string[])[0]);
			expect(json.invaliduser).toEqual(['ghost1', 'ghost2']);
		});

		it('reports a batch whose users are all invalid (81013) as partial delivery and goes on', async () => {
			const ghosts = Array.from({ length: 1000 }, (_, index) => `ghost${index}`);
			const json = await sendOk({ toUser: '={{ $json.users }}', msgtype: 'text', textContent: 'x', options: { splitLargeUserLists: true } }, [
				inputItem({ users: [...ghosts, ...userIds(5)] }),
			]);
			expect(bed.sandbox.requestsTo('/cgi-bin/message/send').map((request) => request.answer?.errcode)).toEqual([81013, 0]);
			expect(json).toMatchObject({ requests: 2, invaliduser: ghosts });
			expect(json.msgids).toHaveLength(1);
		});

		it('refuses to split a task card (its task_id must be unique per send)', async () => {
			const result = await send({
				toUser: userIds(1001).join('|'),
				msgtype: 'interactive_taskcard',
				taskcardTitle: 't',
				taskcardDescription: 'd',
				taskcardButtons: { button: [{ key: 'a', name: 'A' }] },
				options: { splitLargeUserLists: true },
			});
			expect(result.error?.message).toMatch(/cannot be split/);
			noMessageRequests();
		});
	});

	describe('dynamic options (loadOptions through n8n-core\'s LoadOptionsContext)', () => {
		async function loadOptions(method: 'getDepartments' | 'getTags' | 'getUsers'): Promise<INodePropertyOptions[]> {
			const context = bed.loadOptionsContext({ operation: 'send' }, 'parameters.toParty');
			const methods = new WeCom().methods.loadOptions as Record<string, (this: ILoadOptionsFunctions) => Promise<INodePropertyOptions[]>>;
			return await methods[method].call(context);
		}

		it('lists departments, tags and users of a department by name and ID', async () => {
			const departments = await loadOptions('getDepartments');
			expect(departments.length).toBeGreaterThan(1);
			expect(departments).toContainEqual(expect.objectContaining({ value: '2', name: expect.stringMatching(/\(2\)$/) }));
			const tags = await loadOptions('getTags');
			expect(tags).toContainEqual({ name: '值班 (2)', value: '2' });
			const users = await loadOptions('getUsers');
			expect(users).toContainEqual({ name: '张三 (zhangsan)', value: 'zhangsan' });
			expect(users).toContainEqual({ name: '赵六 (zhaoliu)', value: 'zhaoliu' });
			expect(bed.sandbox.requestsTo('/cgi-bin/user/simplelist').map((request) => request.query)).toMatchObject([{ department_id: '1', fetch_child: '1' }]);
		});

		it('explains a missing contact permission in the list instead of failing', async () => {
			bed.sandbox.injectError('/cgi-bin/department/list', 48002);
			const departments = await loadOptions('getDepartments');
			expect(departments).toHaveLength(1);
			expect(departments[0].value).toBe('');
			expect(departments[0].name).toMatch(/^Cannot list departments: .*48002/);
			expect(departments[0].description).toMatch(/Type the IDs with an expression/);
		});
	});

	describe('recall and task card update', () => {
		it('recalls a message by msgid', async () => {
			const json = await sendOk({ msgtype: 'text', textContent: 'oops' });
			const result = await run({ operation: 'recall', msgid: '={{ $json.msgid }}' }, [inputItem({ msgid: json.msgid })]);
			expect(result.error).toBeUndefined();
			expect(result.output('WeCom')[0].json).toEqual({ msgid: json.msgid, recalled: true });
			expect(bed.sandbox.requestsTo('/cgi-bin/message/recall').map((request) => request.json)).toEqual([{ msgid: json.msgid }]);
			expect(bed.sandbox.messages().find((message) => message.msgid === json.msgid)?.recalled).toBe(true);
		});

		it('marks a task card button as clicked (message/update_taskcard)', async () => {
			const card = await sendOk({
				msgtype: 'interactive_taskcard',
				taskcardTitle: 'Approve?',
				taskcardDescription: 'Leave request',
				taskcardTaskId: 'leave-42',
				taskcardButtons: { button: [{ key: 'approve', name: 'Approve', replace_name: 'Approved' }] },
			});
			expect(card.task_id).toBe('leave-42');
			const result = await run({ operation: 'updateTaskCard', userIds: 'zhangsan|lisi', taskId: '={{ $json.task_id }}', clickedKey: 'approve' }, [inputItem(card)]);
			expect(result.error).toBeUndefined();
			expect(bed.sandbox.requestsTo('/cgi-bin/message/update_taskcard').map((request) => request.json)).toEqual([
				{ userids: ['zhangsan', 'lisi'], agentid: AGENT_ID, task_id: 'leave-42', clicked_key: 'approve' },
			]);
			expect(result.output('WeCom')[0].json).toEqual({ task_id: 'leave-42', clicked_key: 'approve', invaliduser: [] });
		});

		it('sends replace_name with clicked_key when Replace Name is set, and checks its 18-byte limit first', async () => {
			await sendOk({
				msgtype: 'interactive_taskcard',
				taskcardTitle: 'Approve?',
				taskcardTaskId: 'leave-44',
				taskcardButtons: { button: [{ key: 'approve', name: 'Approve' }] },
			});
			const result = await run({ operation: 'updateTaskCard', userIds: 'zhangsan', taskId: 'leave-44', clickedKey: 'approve', options: { replaceName: '已批准' } });
			expect(result.error).toBeUndefined();
			expect(bed.sandbox.requestsTo('/cgi-bin/message/update_taskcard').map((request) => request.json)).toEqual([
				{ userids: ['zhangsan'], agentid: AGENT_ID, task_id: 'leave-44', clicked_key: 'approve', replace_name: '已批准' },
			]);
			expect(result.output('WeCom')[0].json).toEqual({ task_id: 'leave-44', clicked_key: 'approve', replace_name: '已批准', invaliduser: [] });

			const before = bed.sandbox.requestsTo('/cgi-bin/message/update_taskcard').length;
			const tooLong = await run({ operation: 'updateTaskCard', userIds: 'zhangsan', taskId: 'leave-44', clickedKey: 'approve', options: { replaceName: '已经批准了的申请' } });
			expect(JSON.stringify(tooLong.error)).toMatch(/Replace Name.*18 bytes/);
			expect(bed.sandbox.requestsTo('/cgi-bin/message/update_taskcard').length).toBe(before);
		});

		it('explains an unknown button key with WeCom\'s error', async () => {
			await sendOk({
				msgtype: 'interactive_taskcard',
				taskcardTitle: 'Approve?',
				taskcardDescription: 'Leave request',
				taskcardTaskId: 'leave-43',
				taskcardButtons: { button: [{ key: 'approve', name: 'Approve' }] },
			});
			const result = await run({ operation: 'updateTaskCard', userIds: 'zhangsan', taskId: 'leave-43', clickedKey: 'nope' });
			expect(result.error).toBeDefined();
			expect(JSON.stringify(result.error)).toMatch(/42017/);
		});
	});
});
