/**
 * Pure pieces of the intelligent robot: callback envelope crypto against @wecom/crypto (both ways, random inputs),
 * media decryption against the official SDK's decryptFile, body normalisation, filters, de-duplication keys, limits.
 */
import { randomBytes } from 'node:crypto';

import { decryptFile } from '@wecom/aibot-node-sdk';
import { decrypt as officialDecrypt, encrypt as officialEncrypt, getSignature } from '@wecom/crypto';

import { decodeEncodingAesKey } from '../../nodes/shared/crypto';
import { AiBotCallbackRejection, openCallbackBody, openVerification, sealAiBotReply } from '../../nodes/shared/aibot/callbackEnvelope';
import { AiBotLimitError, checkContent, streamImage, truncateBytes } from '../../nodes/shared/aibot/limits';
import { aiBotCardProblems } from '../../nodes/WeCom/actions/aiBot/fields';
import { parseFrame } from '../../nodes/shared/aibot/connection';
import { thinkingFrame } from '../../nodes/WeComAiBotTrigger/longConnection';
import { decryptMedia, encryptMedia } from '../../nodes/shared/aibot/media';
import { aiBotDedupeKey, matchesAiBotFilters, normalizeBody, refreshStreamId, stripMentions } from '../../nodes/shared/aibot/message';
import { streamSteps } from '../../nodes/WeCom/actions/aiBot/reply.operation';

const TOKEN = 'aibotToken1';
const KEY = 'Qm9vdHN0cmFwQWlCb3RTYW5kYm94S2V5MDEyMzQ1Njc';
const secrets = { token: TOKEN, key: decodeEncodingAesKey(KEY) };

describe('callback envelope crypto', () => {
	test('opens what @wecom/crypto seals for the empty receive ID, 300 random bodies', () => {
		for (let i = 0; i < 300; i++) {
			const body = { msgid: randomBytes(8).toString('hex'), text: { content: randomBytes(1 + (i % 200)).toString('base64') + '中文' } };
			const encrypted = officialEncrypt(KEY, JSON.stringify(body), '');
			const query = { msg_signature: getSignature(TOKEN, String(i), 'n', encrypted), timestamp: String(i), nonce: 'n' };
			expect(openCallbackBody(secrets, query, JSON.stringify({ encrypt: encrypted }))).toEqual(body);
		}
	});

	test('what it seals, @wecom/crypto opens: envelope keys, signature, the callback nonce, receive ID ""', () => {
		for (let i = 0; i < 100; i++) {
			const payload = { msgtype: 'stream', stream: { id: `s${i}`, finish: i % 2 === 0, content: 'x'.repeat(i) } };
			const envelope = JSON.parse(sealAiBotReply(secrets, payload, `nonce${i}`)) as Record<string, string | number>;
			expect(Object.keys(envelope).sort()).toEqual(['encrypt', 'msgsignature', 'nonce', 'timestamp']);
			expect(envelope.nonce).toBe(`nonce${i}`);
			expect(getSignature(TOKEN, String(envelope.timestamp), String(envelope.nonce), String(envelope.encrypt))).toBe(envelope.msgsignature);
			const opened = officialDecrypt(KEY, String(envelope.encrypt));
			expect(opened.id).toBe('');
			expect(JSON.parse(opened.message)).toEqual(payload);
		}
	});

	test('signature first, then strict decryption; envelope and inner JSON checked', () => {
		const encrypted = officialEncrypt(KEY, '{"a":1}', '');
		const query = { msg_signature: getSignature(TOKEN, '1', '2', encrypted), timestamp: '1', nonce: '2' };
		const reject = (run: () => unknown) => {
			try {
				run();
			} catch (error) {
				return (error as AiBotCallbackRejection).status;
			}
			return 200;
		};
		expect(reject(() => openCallbackBody(secrets, { ...query, msg_signature: '0'.repeat(40) }, JSON.stringify({ encrypt: encrypted })))).toBe(401);
		expect(reject(() => openCallbackBody(secrets, { ...query, nonce: undefined }, JSON.stringify({ encrypt: encrypted })))).toBe(400);
		expect(reject(() => openCallbackBody(secrets, query, '[]'))).toBe(400);
		expect(reject(() => openCallbackBody(secrets, query, JSON.stringify({ encrypt: 42 })))).toBe(400);
		// Correctly signed garbage: the signature passes, strict padding refuses.
		const garbage = randomBytes(48).toString('base64');
		expect(reject(() => openCallbackBody(secrets, { ...query, msg_signature: getSignature(TOKEN, '1', '2', garbage) }, JSON.stringify({ encrypt: garbage })))).toBe(400);
		const notJson = officialEncrypt(KEY, '<xml/>', '');
		expect(reject(() => openCallbackBody(secrets, { ...query, msg_signature: getSignature(TOKEN, '1', '2', notJson) }, JSON.stringify({ encrypt: notJson })))).toBe(400);
		const corp = officialEncrypt(KEY, '{}', 'wwcorp');
		expect(reject(() => openCallbackBody(secrets, { ...query, msg_signature: getSignature(TOKEN, '1', '2', corp) }, JSON.stringify({ encrypt: corp })))).toBe(403);
		const echostr = officialEncrypt(KEY, 'echo-1', '');
		expect(openVerification(secrets, { msg_signature: getSignature(TOKEN, '1', '2', echostr), timestamp: '1', nonce: '2', echostr })).toBe('echo-1');
	});
});

describe('media', () => {
	test('decrypts what the official SDK decrypts, and refuses a wrong key or a cut file', () => {
		for (let size = 0; size < 200; size += 7) {
			const key = randomBytes(32).toString('base64');
			const plain = randomBytes(size);
			const encrypted = encryptMedia(plain, key);
			expect(decryptMedia(encrypted, key)).toEqual(plain);
			expect(decryptFile(encrypted, key)).toEqual(plain);
		}
		const key = randomBytes(32).toString('base64');
		const encrypted = encryptMedia(Buffer.from('hello world'), key);
		expect(() => decryptMedia(encrypted.subarray(0, 16), key)).toThrow(/multiple of 32/);
		expect(() => decryptMedia(encrypted, randomBytes(32).toString('base64'))).toThrow(/does not decrypt/);
	});
});

describe('messages and events', () => {
	test('text, group mention, mixed, quote, voice; replyTo for answers', () => {
		const group = normalizeBody(
			{ msgid: 'm1', aibotid: 'bot', chatid: 'wr1', chattype: 'group', from: { userid: 'u1' }, response_url: 'https://r', msgtype: 'text', text: { content: '@Bot 总结一下' } },
			{ mode: 'longConnection', reqId: 'req-1', streamId: 's1', receivedAt: 5 },
		);
		expect(group).toMatchObject({ kind: 'message', type: 'text', text: '总结一下', chatType: 'group', chatId: 'wr1', userId: 'u1' });
		expect(group.replyTo).toMatchObject({ mode: 'longConnection', botId: 'bot', reqId: 'req-1', streamId: 's1', responseUrl: 'https://r', chatId: 'wr1', receivedAt: 5 });
		const mixed = normalizeBody(
			{
				msgid: 'm2',
				chattype: 'single',
				from: { userid: 'u2' },
				msgtype: 'mixed',
				mixed: { msg_item: [{ msgtype: 'text', text: { content: 'look' } }, { msgtype: 'image', image: { url: 'https://i', aeskey: 'k' } }] },
				quote: { msgtype: 'text', text: { content: 'earlier' } },
			},
			{ mode: 'callback' },
		);
		expect(mixed).toMatchObject({ text: 'look', chatId: 'u2', quote: { type: 'text', text: 'earlier' } });
		expect(mixed.attachments).toEqual([{ type: 'image', url: 'https://i', aeskey: 'k', source: 'mixed.msg_item[1].image' }]);
		expect(normalizeBody({ msgtype: 'voice', voice: { content: '语音转文字' }, from: { userid: 'u' } }, { mode: 'callback' }).text).toBe('语音转文字');
		expect(stripMentions('@a @b\u2005hi @c')).toBe('hi @c');
	});

	test('events: card click with selections, feedback', () => {
		const click = normalizeBody(
			{
				msgid: 'e1',
				msgtype: 'event',
				from: { userid: 'u', corpid: 'ww' },
				event: {
					eventtype: 'template_card_event',
					template_card_event: { card_type: 'vote_interaction', event_key: 'submit', task_id: 't1', selected_items: { selected_item: [{ question_key: 'q', option_ids: { option_id: ['a', 'b'] } }] } },
				},
			},
			{ mode: 'callback', reqId: 'slot' },
		);
		expect(click).toMatchObject({ kind: 'event', eventType: 'template_card_event', taskId: 't1', eventKey: 'submit', corpId: 'ww', selectedItems: [{ questionKey: 'q', optionIds: ['a', 'b'] }] });
		expect(click.replyTo).toMatchObject({ kind: 'event', eventType: 'template_card_event', taskId: 't1', reqId: 'slot' });
		const feedback = normalizeBody({ msgtype: 'event', from: { userid: 'u' }, event: { eventtype: 'feedback_event', feedback_event: { id: 'f', type: 2, inaccurate_reason_list: [1, 3] } } }, { mode: 'callback' });
		expect(feedback.feedback).toEqual({ id: 'f', type: 2, meaning: 'inaccurate', content: '', inaccurateReasons: [1, 3], inaccurateReasonTexts: ['unrelated to the question', 'wrong content'] });
	});

	test('filters, de-duplication keys, refresh callbacks', () => {
		const text = { msgtype: 'text', chattype: 'group', msgid: 'x' };
		const event = { msgtype: 'event', event: { eventtype: 'enter_chat' }, from: { userid: 'u' }, create_time: 9 };
		const none = { messageTypes: [], eventTypes: [], chatTypes: [] };
		expect(matchesAiBotFilters(text, none)).toBe(true);
		expect(matchesAiBotFilters(text, { ...none, chatTypes: ['single'] })).toBe(false);
		expect(matchesAiBotFilters(text, { ...none, eventTypes: ['enter_chat'] })).toBe(false);
		expect(matchesAiBotFilters(event, { ...none, eventTypes: ['enter_chat'] })).toBe(true);
		expect(matchesAiBotFilters({ msgtype: 'event', event: { eventtype: 'disconnected_event' } }, none)).toBe(false);
		expect(aiBotDedupeKey(text)).toBe('msg:x');
		expect(aiBotDedupeKey(event)).toBe('evt:u:9:enter_chat');
		expect(refreshStreamId({ msgtype: 'stream', stream: { id: 's' } })).toBe('s');
		expect(refreshStreamId(text)).toBeUndefined();
	});
});

describe('limits', () => {
	test('content bytes, truncation on character boundaries, images, cards', () => {
		expect(() => checkContent('a'.repeat(20480))).not.toThrow();
		expect(() => checkContent('中'.repeat(6827))).toThrow(AiBotLimitError);
		const cut = truncateBytes('中'.repeat(7000), 20480);
		expect(Buffer.byteLength(cut)).toBe(20478);
		expect(cut).not.toContain('\uFFFD');
		expect(() => streamImage(Buffer.from('GIF89a....'))).toThrow(/neither JPG nor PNG/);
		expect(streamImage(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2])).md5).toMatch(/^[0-9a-f]{32}$/);
		const problems = (card: Record<string, unknown>) => aiBotCardProblems(card).join('\n');
		expect(problems({ card_type: 'button_interaction', task_id: 't', main_title: { title: 'x' }, button_list: new Array(7).fill({ text: 'a', key: 'k' }) })).toMatch(/button_list/);
		expect(problems({ card_type: 'vote_interaction', main_title: { title: 'x' } })).toMatch(/task_id: required/);
		expect(problems({ card_type: 'vote_interaction', main_title: { title: 'x' }, task_id: 't' })).toMatch(/checkbox: required[\s\S]*submit_button: required/);
		expect(problems({ card_type: 'text_notice', main_title: { title: 'x' }, card_action: { type: 1, url: 'https://a.example' }, task_id: 'bad id!' })).toMatch(/task_id/);
		// page 101032: the whole-card action is required for notice cards, and news_notice needs a picture area
		expect(problems({ card_type: 'text_notice', main_title: { title: 'x' } })).toMatch(/card_action: required/);
		expect(problems({ card_type: 'news_notice', main_title: { title: 'x' }, card_action: { type: 1, url: 'https://a.example' } })).toMatch(/card_image or image_text_area/);
		expect(problems({ card_type: 'poster' })).toMatch(/card_type/);
		expect(aiBotCardProblems({ card_type: 'button_interaction', task_id: 't-1', main_title: { title: 'x' }, button_list: [{ text: 'OK', key: 'ok' }] })).toEqual([]);
		expect(streamSteps('abcdef', 3)).toEqual(['ab', 'abcd', 'abcdef']);
		expect(streamSteps('ab', 5)).toEqual(['a', 'ab']);
	});
});

describe('long-connection frames', () => {
	test('JSON as it is, else cleaned of control characters as the official SDK does; anything else is no frame', () => {
		const frame = { cmd: 'aibot_msg_callback', headers: { req_id: 'r1' }, body: { text: { content: 'a\u0001b' } } };
		expect(parseFrame(JSON.stringify(frame))).toEqual(frame);
		// a raw control character inside a string is invalid JSON; WeCom's SDK strips it before parsing
		const raw = '{"cmd":"aibot_msg_callback","headers":{"req_id":"r2"},"body":{"text":{"content":"line\u000bbreak"}}}';
		expect(() => JSON.parse(raw)).toThrow();
		expect(parseFrame(raw)).toEqual({ cmd: 'aibot_msg_callback', headers: { req_id: 'r2' }, body: { text: { content: 'linebreak' } } });
		expect(parseFrame('not json')).toBeUndefined();
		expect(parseFrame('[1,2]')).toBeUndefined();
	});
});

describe('the thinking frame', () => {
	const settings = { filters: { messageTypes: [], eventTypes: [], chatTypes: [] }, download: true, deduplicate: true, stream: true, thinkingText: '想一想', feedback: false };
	test('carries feedback.id only with Ask for Feedback: the msgid, or its digest when longer than 256 bytes', () => {
		expect(thinkingFrame(settings, 's1', 'm1')).toEqual({ stream: { id: 's1', finish: false, content: '想一想' }, feedbackId: '' });
		expect(thinkingFrame({ ...settings, feedback: true }, 's1', 'm1')).toEqual({ stream: { id: 's1', finish: false, content: '想一想', feedback: { id: 'm1' } }, feedbackId: 'm1' });
		const long = thinkingFrame({ ...settings, feedback: true }, 's1', 'x'.repeat(300));
		expect(long.feedbackId).toMatch(/^[0-9a-f]{64}$/);
		expect(thinkingFrame({ ...settings, feedback: true }, 's1', '').feedbackId).toBe('s1');
	});
});
