/**
 * Group robot (群机器人) through n8n's real engine against the WeCom sandbox: every message type with the exact body
 * the robot received, uploads, the invalid-key error, and the 20-a-minute rule (clear error, or the opt-in wait).
 */
import { createHash } from 'node:crypto';

import { SANDBOX_DEFAULTS } from '../sandbox';
import { setRobotRatePolicy } from '../../nodes/WeCom/helpers/robotRateLimit';
import { SAMPLE_FILES, inputItem, useWeComTestBed } from './kit';

const { JPG, PNG, AMR, PDF } = SAMPLE_FILES;


const SEND = '/cgi-bin/webhook/send';
const UPLOAD = '/cgi-bin/webhook/upload_media';

describe('WeCom node: Group Robot (群机器人)', () => {
	const bed = useWeComTestBed('robot', { credentialType: 'weComWebhookApi', beforeEach: () => setRobotRatePolicy('reset'), afterAll: () => setRobotRatePolicy('reset') });
	const { run } = bed;

	const sentBodies = () => bed.sandbox.requestsTo(SEND).map((request) => request.body as Record<string, unknown>);

	describe('Send', () => {
		it('sends text with mentions (user IDs incl. @all and mobiles)', async () => {
			const result = await run({
				operation: 'send',
				messageType: 'text',
				textContent: '服务器告警: CPU 95%',
				mentionedList: 'zhangsan| lisi,@all',
				mentionedMobileList: '13800001111',
			});
			expect(result.error).toBeUndefined();
			expect(sentBodies()).toEqual([
				{
					msgtype: 'text',
					text: { content: '服务器告警: CPU 95%', mentioned_list: ['zhangsan', 'lisi', '@all'], mentioned_mobile_list: ['13800001111'] },
				},
			]);
			expect(bed.sandbox.requestsTo(SEND)[0].query.key).toBe(SANDBOX_DEFAULTS.robotKey);
			expect(result.output('WeCom')[0].json).toMatchObject({ errcode: 0, msgtype: 'text' });
		});

		it('refuses text over 2048 bytes before any request', async () => {
			const result = await run({ operation: 'send', messageType: 'text', textContent: '字'.repeat(683) });
			expect(String(result.error?.message)).toContain('2049 bytes');
			expect(String(result.error?.message)).toContain('2048');
			expect(bed.sandbox.requests).toHaveLength(0);
		});

		it('sends markdown and markdown_v2, and refuses more than 4096 bytes', async () => {
			await run({ operation: 'send', messageType: 'markdown', markdownContent: '**告警** <font color="warning">CPU</font>' });
			await run({ operation: 'send', messageType: 'markdown_v2', markdownV2Content: '| a | b |\n|---|---|\n| 1 | 2 |' });
			expect(sentBodies()).toEqual([
				{ msgtype: 'markdown', markdown: { content: '**告警** <font color="warning">CPU</font>' } },
				{ msgtype: 'markdown_v2', markdown_v2: { content: '| a | b |\n|---|---|\n| 1 | 2 |' } },
			]);
			bed.sandbox.reset();
			const tooLong = await run({ operation: 'send', messageType: 'markdown_v2', markdownV2Content: 'x'.repeat(4097) });
			expect(String(tooLong.error?.message)).toContain('4096');
			expect(bed.sandbox.requests).toHaveLength(0);
		});

		it('sends an image from binary as base64 with the md5 of the raw bytes', async () => {
			const result = await run({ operation: 'send', messageType: 'image', imageBinaryPropertyName: 'picture' }, [
				inputItem({}, { picture: { data: PNG, fileName: 'chart.png', mimeType: 'image/png' } }),
			]);
			expect(result.error).toBeUndefined();
			expect(sentBodies()).toEqual([
				{ msgtype: 'image', image: { base64: PNG.toString('base64'), md5: createHash('md5').update(PNG).digest('hex') } },
			]);
		});

		it.each([
			['a PDF', PDF, 'not JPG or PNG'],
			['a JPG over 2 MB', Buffer.concat([JPG, Buffer.alloc(2 * 1024 * 1024)]), 'at most 2 MB'],
		])('refuses %s as robot image before any request', async (_label, data, message) => {
			const result = await run({ operation: 'send', messageType: 'image' }, [
				inputItem({}, { data: { data, fileName: 'picture.bin', mimeType: 'application/octet-stream' } }),
			]);
			expect(String(result.error?.message)).toContain(message);
			expect(bed.sandbox.requests).toHaveLength(0);
		});

		it('sends news with 1–8 articles and refuses 9', async () => {
			const article = { title: '周报', description: '本周进展', url: 'https://example.com/r', picurl: 'https://example.com/p.png' };
			const result = await run({
				operation: 'send',
				messageType: 'news',
				articles: { article: [article, { title: 'Second', url: 'https://example.com/2' }] },
			});
			expect(result.error).toBeUndefined();
			expect(sentBodies()).toEqual([{ msgtype: 'news', news: { articles: [article, { title: 'Second', url: 'https://example.com/2' }] } }]);

			bed.sandbox.reset();
			const nine = await run({
				operation: 'send',
				messageType: 'news',
				articles: { article: Array.from({ length: 9 }, (_, n) => ({ title: `t${n}`, url: 'https://example.com' })) },
			});
			expect(String(nine.error?.message)).toContain('between 1 and 8');
			expect(bed.sandbox.requests).toHaveLength(0);
		});

		it.each([
			['file', PDF, 'report.pdf', 'application/pdf'],
			['voice', AMR, 'memo.amr', 'audio/amr'],
		])('uploads a %s through the robot, then sends its media_id', async (type, data, fileName, mimeType) => {
			const result = await run({ operation: 'send', messageType: type, [`${type}Source`]: 'binary' }, [
				inputItem({}, { data: { data, fileName, mimeType } }),
			]);
			expect(result.error).toBeUndefined();
			const uploads = bed.sandbox.requestsTo(UPLOAD);
			expect(uploads).toHaveLength(1);
			expect(uploads[0].query).toMatchObject({ key: SANDBOX_DEFAULTS.robotKey, type });
			const [item] = result.output('WeCom');
			const mediaId = String(item.json.media_id);
			expect(mediaId).not.toBe('');
			expect(sentBodies()).toEqual([{ msgtype: type, [type]: { media_id: mediaId } }]);
			expect(item.json).toMatchObject({ errcode: 0, msgtype: type, filename: fileName });
		});

		it('sends a media_id from an earlier robot upload without uploading again', async () => {
			const upload = await run({ operation: 'uploadMedia', robotMediaType: 'voice' }, [
				inputItem({}, { data: { data: AMR, fileName: 'memo.amr', mimeType: 'audio/amr' } }),
			]);
			const mediaId = String(upload.output('WeCom')[0].json.media_id);
			const result = await run({ operation: 'send', messageType: 'voice', voiceSource: 'mediaId', voiceMediaId: mediaId });
			expect(result.error).toBeUndefined();
			// Only the Upload Media run uploaded.
			expect(bed.sandbox.requestsTo(UPLOAD)).toHaveLength(1);
			expect(sentBodies()).toEqual([{ msgtype: 'voice', voice: { media_id: mediaId } }]);
			expect(result.output('WeCom')[0].json).toMatchObject({ errcode: 0, msgtype: 'voice' });
			expect(result.output('WeCom')[0].json.media_id).toBeUndefined();
		});

		it('refuses a voice message that is not AMR before any request', async () => {
			const result = await run({ operation: 'send', messageType: 'voice' }, [
				inputItem({}, { data: { data: PDF, fileName: 'memo.mp3', mimeType: 'audio/mpeg' } }),
			]);
			expect(String(result.error?.message)).toContain('not AMR');
			expect(bed.sandbox.requests).toHaveLength(0);
		});

		it('sends a guided text_notice template card', async () => {
			const result = await run({
				operation: 'send',
				messageType: 'template_card',
				robotCardDefinition: 'guided',
				robotCardType: 'text_notice',
				robotCardMainTitle: '发布完成',
				robotCardMainDesc: 'v1.2.3',
				robotCardSubTitle: 'All checks passed',
				robotCardClickType: 1,
				robotCardClickUrl: 'https://example.com/release',
			});
			expect(result.error).toBeUndefined();
			expect(sentBodies()).toEqual([
				{
					msgtype: 'template_card',
					template_card: {
						card_type: 'text_notice',
						main_title: { title: '发布完成', desc: 'v1.2.3' },
						sub_title_text: 'All checks passed',
						card_action: { type: 1, url: 'https://example.com/release' },
					},
				},
			]);
			expect(result.output('WeCom')[0].json).toMatchObject({ errcode: 0, msgtype: 'template_card' });
		});

		it('sends a news_notice card given as JSON, and refuses interactive cards before any request', async () => {
			const card = {
				card_type: 'news_notice',
				main_title: { title: '周报' },
				card_image: { url: 'https://example.com/cover.png', aspect_ratio: 2.0 },
				card_action: { type: 1, url: 'https://example.com/weekly' },
			};
			const result = await run({ operation: 'send', messageType: 'template_card', robotCardDefinition: 'json', robotCardJson: JSON.stringify(card) });
			expect(result.error).toBeUndefined();
			expect(sentBodies()).toEqual([{ msgtype: 'template_card', template_card: card }]);

			bed.sandbox.reset();
			const interactive = {
				card_type: 'button_interaction',
				main_title: { title: 'Approve?' },
				task_id: 'task-1',
				button_list: [{ text: 'OK', key: 'ok' }],
			};
			const refused = await run({ operation: 'send', messageType: 'template_card', robotCardDefinition: 'json', robotCardJson: JSON.stringify(interactive) });
			expect(String(refused.error?.message)).toContain('button_interaction');
			expect(bed.sandbox.requests).toHaveLength(0);
		});

		it('sends raw JSON as it is', async () => {
			const body = { msgtype: 'text', text: { content: 'raw', mentioned_list: ['@all'] } };
			const result = await run({ operation: 'send', messageType: 'raw', rawJson: JSON.stringify(body) });
			expect(result.error).toBeUndefined();
			expect(sentBodies()).toEqual([body]);
		});

		it('explains an invalid webhook key (93000)', async () => {
			bed.replaceCredential({ webhookKey: 'not-a-robot-key', baseUrl: bed.sandbox.url });
			const result = await run({ operation: 'send', messageType: 'text', textContent: 'hi' });
			expect(String(result.error?.message)).toContain('93000');
			expect(String(result.error?.message)).toMatch(/webhook key is invalid/);
		});

		it('fails with a clear error past the robot limit (45009) and keeps the other items with continueOnFail', async () => {
			bed.sandbox.setRateLimit(SEND, 2, 60_000);
			const items = [inputItem({ n: 1 }), inputItem({ n: 2 }), inputItem({ n: 3 })];
			const result = await run({ operation: 'send', messageType: 'text', textContent: '={{ "msg " + $json.n }}' }, items, {
				continueOnFail: true,
			});
			expect(result.error).toBeUndefined();
			const output = result.output('WeCom');
			expect(output).toHaveLength(3);
			expect(output[0].json.errcode).toBe(0);
			expect(output[1].json.errcode).toBe(0);
			expect(output[2].json.errcode).toBe(45009);
			expect(String(output[2].json.error)).toContain('20 messages');
			expect(String(output[2].json.description)).toContain('Wait and Retry');
		});

		it('fails the execution without continueOnFail on 45009', async () => {
			bed.sandbox.setRateLimit(SEND, 0, 60_000);
			const result = await run({ operation: 'send', messageType: 'text', textContent: 'hi' });
			expect(String(result.error?.message)).toContain('45009');
		});

		it('with "Wait and Retry" paces a batch to the limit and delivers every item', async () => {
			bed.sandbox.setRateLimit(SEND, 2, 400);
			setRobotRatePolicy({ limit: 2, windowMs: 400, minRetryMs: 20, maxWaitMs: 5000, arrivalMarginMs: 100 });
			const items = [1, 2, 3, 4, 5].map((n) => inputItem({ n }));
			const result = await run(
				{ operation: 'send', messageType: 'text', textContent: '={{ "msg " + $json.n }}', options: { whenRateLimited: 'wait' } },
				items,
			);
			expect(result.error).toBeUndefined();
			expect(result.output('WeCom').map((item) => item.json.errcode)).toEqual([0, 0, 0, 0, 0]);
			// The local window paced the items, so the robot never had to refuse one.
			expect(bed.sandbox.requestsTo(SEND).map((request) => request.answer?.errcode)).toEqual([0, 0, 0, 0, 0]);
			expect(sentBodies().map((body) => (body.text as { content: string }).content)).toEqual(['msg 1', 'msg 2', 'msg 3', 'msg 4', 'msg 5']);
		});

		it('with "Wait and Retry" waits after a 45009 caused by sends from elsewhere, then delivers', async () => {
			bed.sandbox.setRateLimit(SEND, 1, 300);
			setRobotRatePolicy({ limit: 20, windowMs: 300, minRetryMs: 20, maxWaitMs: 5000, arrivalMarginMs: 100 });
			const items = [inputItem({ n: 1 }), inputItem({ n: 2 })];
			const result = await run(
				{ operation: 'send', messageType: 'text', textContent: '={{ "msg " + $json.n }}', options: { whenRateLimited: 'wait' } },
				items,
			);
			expect(result.error).toBeUndefined();
			expect(result.output('WeCom').map((item) => item.json.errcode)).toEqual([0, 0]);
			const answers = bed.sandbox.requestsTo(SEND).map((request) => request.answer?.errcode);
			expect(answers).toContain(45009);
			expect(answers.filter((code) => code === 0)).toHaveLength(2);
		});

		it('with "Wait and Retry" still fails clearly when no slot frees within the wait bound', async () => {
			bed.sandbox.setRateLimit(SEND, 0, 60_000);
			setRobotRatePolicy({ limit: 20, windowMs: 60_000, minRetryMs: 20, maxWaitMs: 100 });
			const result = await run({ operation: 'send', messageType: 'text', textContent: 'hi', options: { whenRateLimited: 'wait' } });
			expect(String(result.error?.message)).toContain('45009');
			expect(String(result.error?.description)).toContain('waited');
		});
	});

	describe('Upload Media', () => {
		it('uploads a file for the robot and outputs its media_id', async () => {
			const result = await run({ operation: 'uploadMedia', robotMediaType: 'file', options: { fileName: '日报.pdf' } }, [
				inputItem({}, { data: { data: PDF, fileName: 'x.pdf', mimeType: 'application/pdf' } }),
			]);
			expect(result.error).toBeUndefined();
			const [item] = result.output('WeCom');
			expect(item.json).toMatchObject({ type: 'file', filename: '日报.pdf', size: PDF.length });
			expect(Number(item.json.expires_at) - Number(item.json.created_at)).toBe(3 * 24 * 3600);
			expect(bed.sandbox.requestsTo(UPLOAD)[0].query).toMatchObject({ type: 'file' });
		});
	});
});
