import { fail } from './errors';
import {
	arrayField,
	countBetween,
	httpUrl,
	intIn,
	maxBytes,
	maxChars,
	objectField,
	optionalString,
	recordsIn,
	requiredString,
	unique,
} from './fields';
import type { SandboxStore } from './state';
import { validateTemplateCard, type CardSummary } from './templateCard';
import { truncateUtf8, utf8Bytes } from './util';

export const APP_MSGTYPES = [
	'text',
	'image',
	'voice',
	'video',
	'file',
	'textcard',
	'news',
	'mpnews',
	'markdown',
	'miniprogram_notice',
	'template_card',
	'interactive_taskcard',
];
export const APPCHAT_MSGTYPES = ['text', 'image', 'voice', 'video', 'file', 'textcard', 'news', 'mpnews', 'markdown'];
const TASK_ID = /^[A-Za-z0-9_\-@]+$/;

export interface ContentResult {
	/** The message after WeCom's own edits (a long text is cut to 2048 bytes). */
	body: Record<string, unknown>;
	card?: CardSummary;
	taskcard?: { taskId: string; keys: string[] };
}

/**
 * Validates the message object of `msgtype` in an app message (message/send, path 90236) or app chat message
 * (appchat/send, 90248). Error codes follow WeCom's global table; where WeCom documents no specific code we
 * answer 40058 (invalid parameter) or 40063 (parameter empty) with the field named in errmsg.
 */
export function validateMessageContent(
	body: Record<string, unknown>,
	mode: 'app' | 'appchat',
	store: SandboxStore,
	corpId: string,
): ContentResult {
	const msgtype = requiredString(body, 'msgtype', 'msgtype', 40008);
	const allowed = mode === 'app' ? APP_MSGTYPES : APPCHAT_MSGTYPES;
	if (!allowed.includes(msgtype)) fail(40008, `msgtype "${msgtype}" is not supported here`);
	const result: ContentResult = { body };
	const content = objectField(body, msgtype, msgtype, msgtype === 'text' ? 44004 : 40063);

	// safe: 0/1 for text, image, video, file, mpnews (and appchat); 2 only for mpnews of app messages; news never.
	const safe = intIn(body, 'safe', 'safe', [0, 1, 2]);
	if (safe === 2 && !(msgtype === 'mpnews' && mode === 'app')) fail(40058, 'safe=2 is only allowed for mpnews');
	if (safe === 1 && msgtype === 'news') fail(40074);

	const media = (key: string, type: string, path: string) => {
		const mediaId = content[key];
		if (typeof mediaId !== 'string' || mediaId === '') fail(40007, `${path} missing`);
		const record = store.findMedia(mediaId, { corpId });
		if (!record) fail(40007, `${path} "${mediaId}" does not exist or expired`);
		if (record.type !== type) fail(40007, `${path} is a ${record.type}, not a ${type}`);
	};

	switch (msgtype) {
		case 'text': {
			const text = requiredString(content, 'content', 'text.content', 44004);
			// WeCom cuts text content beyond 2048 bytes rather than refusing it (90236: "超过将截断").
			if (utf8Bytes(text) > 2048) result.body = { ...body, text: { ...content, content: truncateUtf8(text, 2048) } };
			break;
		}
		case 'markdown': {
			// The doc gives a hard maximum without "截断" for markdown, so the sandbox refuses it (45002).
			const text = requiredString(content, 'content', 'markdown.content', 44004);
			maxBytes(text, 2048, 'markdown.content');
			break;
		}
		case 'image':
		case 'voice':
		case 'file':
			media('media_id', msgtype, `${msgtype}.media_id`);
			break;
		case 'video':
			media('media_id', 'video', 'video.media_id');
			maxBytes(optionalString(content, 'title', 'video.title'), 128, 'video.title');
			maxBytes(optionalString(content, 'description', 'video.description'), 512, 'video.description');
			break;
		case 'textcard': {
			const title = requiredString(content, 'title', 'textcard.title', 41016);
			const description = requiredString(content, 'description', 'textcard.description', 41033);
			// 90236 counts characters for app messages; appchat (90248) counts bytes.
			if (mode === 'app') {
				maxChars(title, 128, 'textcard.title');
				maxChars(description, 512, 'textcard.description');
			} else {
				maxBytes(title, 128, 'textcard.title');
				maxBytes(description, 512, 'textcard.description');
			}
			const url = requiredString(content, 'url', 'textcard.url');
			maxBytes(url, 2048, 'textcard.url');
			httpUrl(url, 'textcard.url');
			maxChars(optionalString(content, 'btntxt', 'textcard.btntxt'), 4, 'textcard.btntxt');
			break;
		}
		case 'news': {
			const articles = recordsIn(arrayField(content, 'articles', 'news.articles', true), 'news.articles');
			countBetween(articles, 1, 8, 'news.articles', 45008);
			for (const [index, article] of articles.entries()) validateNewsArticle(article, `news.articles[${index}]`, false);
			break;
		}
		case 'mpnews': {
			const articles = recordsIn(arrayField(content, 'articles', 'mpnews.articles', true), 'mpnews.articles');
			countBetween(articles, 1, 8, 'mpnews.articles', 45008);
			for (const [index, article] of articles.entries()) {
				const path = `mpnews.articles[${index}]`;
				maxBytes(requiredString(article, 'title', `${path}.title`, 41016), 128, `${path}.title`);
				const thumb = requiredString(article, 'thumb_media_id', `${path}.thumb_media_id`, 40007);
				const record = store.findMedia(thumb, { corpId });
				if (!record || record.type !== 'image') fail(40007, `${path}.thumb_media_id "${thumb}" is not an uploaded image`);
				maxBytes(requiredString(article, 'content', `${path}.content`, 44004), 666 * 1024, `${path}.content`);
				maxBytes(optionalString(article, 'author', `${path}.author`), 64, `${path}.author`, 45032);
				maxBytes(optionalString(article, 'digest', `${path}.digest`), 512, `${path}.digest`);
				httpUrl(optionalString(article, 'content_source_url', `${path}.content_source_url`), `${path}.content_source_url`);
			}
			break;
		}
		case 'miniprogram_notice': {
			const appid = requiredString(content, 'appid', 'miniprogram_notice.appid');
			// Only mini programs linked to the corp work; the sandbox treats well-formed wx… app IDs as linked.
			if (!/^wx[0-9a-f]{16}$/i.test(appid)) fail(90206, `mini program ${appid} is not linked to the corp`);
			maxBytes(optionalString(content, 'page', 'miniprogram_notice.page'), 1024, 'miniprogram_notice.page');
			const title = requiredString(content, 'title', 'miniprogram_notice.title', 41016);
			if ([...title].length < 4 || [...title].length > 12) fail(40058, 'miniprogram_notice.title must be 4-12 characters');
			const description = optionalString(content, 'description', 'miniprogram_notice.description');
			if (description !== undefined && ([...description].length < 4 || [...description].length > 12)) {
				fail(40058, 'miniprogram_notice.description must be 4-12 characters');
			}
			const items = recordsIn(arrayField(content, 'content_item', 'miniprogram_notice.content_item', false), 'content_item');
			if (items.length > 10) fail(90201, `miniprogram_notice.content_item has ${items.length} items, at most 10`);
			for (const [index, item] of items.entries()) {
				// Both optional (90236: an item whose key and value are both empty is ignored).
				const key = optionalString(item, 'key', `miniprogram_notice.content_item[${index}].key`);
				maxChars(key, 10, `miniprogram_notice.content_item[${index}].key`, 90202);
				const value = optionalString(item, 'value', `miniprogram_notice.content_item[${index}].value`);
				maxChars(value, 30, `miniprogram_notice.content_item[${index}].value`, 90203);
			}
			break;
		}
		case 'template_card':
			result.card = validateTemplateCard(content, 'send');
			break;
		case 'interactive_taskcard':
			result.taskcard = validateTaskcard(content);
			break;
	}
	return result;
}

/** A news article: title ≤ 128 bytes, description ≤ 512, url ≤ 2048 (or appid + pagepath for app messages). */
export function validateNewsArticle(article: Record<string, unknown>, path: string, robot: boolean): void {
	maxBytes(requiredString(article, 'title', `${path}.title`, 41016), 128, `${path}.title`);
	maxBytes(optionalString(article, 'description', `${path}.description`), 512, `${path}.description`);
	const url = optionalString(article, 'url', `${path}.url`);
	maxBytes(url, 2048, `${path}.url`);
	httpUrl(url, `${path}.url`);
	const picurl = optionalString(article, 'picurl', `${path}.picurl`);
	maxBytes(picurl, 2048, `${path}.picurl`);
	httpUrl(picurl, `${path}.picurl`);
	if (robot) {
		if (!url) fail(40063, `${path}.url missing`);
		return;
	}
	const appid = optionalString(article, 'appid', `${path}.appid`);
	const pagepath = optionalString(article, 'pagepath', `${path}.pagepath`);
	maxBytes(pagepath, 128, `${path}.pagepath`);
	if (Boolean(appid) !== Boolean(pagepath)) fail(40058, `${path}: appid and pagepath go together`);
	if (!url && !appid) fail(40063, `${path} needs url or appid + pagepath`);
}

/** Legacy task card (hidden section of 90236): title, task_id, 1–2 buttons with keys. */
function validateTaskcard(card: Record<string, unknown>): { taskId: string; keys: string[] } {
	maxBytes(requiredString(card, 'title', 'interactive_taskcard.title', 41016), 128, 'interactive_taskcard.title');
	maxBytes(optionalString(card, 'description', 'interactive_taskcard.description'), 512, 'interactive_taskcard.description');
	const url = optionalString(card, 'url', 'interactive_taskcard.url');
	maxBytes(url, 2048, 'interactive_taskcard.url');
	httpUrl(url, 'interactive_taskcard.url');
	const taskId = requiredString(card, 'task_id', 'interactive_taskcard.task_id', 42014);
	if (!TASK_ID.test(taskId) || utf8Bytes(taskId) > 128) fail(42014, 'task_id: at most 128 bytes of letters, digits and _-@');
	const buttons = recordsIn(arrayField(card, 'btn', 'interactive_taskcard.btn', true), 'interactive_taskcard.btn');
	countBetween(buttons, 1, 2, 'interactive_taskcard.btn');
	const keys = buttons.map((button, index) => {
		const path = `interactive_taskcard.btn[${index}]`;
		const key = requiredString(button, 'key', `${path}.key`, 42019);
		if (!TASK_ID.test(key) || utf8Bytes(key) > 128) fail(42018, `${path}.key: at most 128 bytes of letters, digits and _-@`);
		const name = requiredString(button, 'name', `${path}.name`, 42020);
		maxBytes(name, 18, `${path}.name`);
		const color = optionalString(button, 'color', `${path}.color`);
		if (color !== undefined && !['red', 'blue'].includes(color)) fail(40058, `${path}.color must be red or blue`);
		if (button.is_bold !== undefined && typeof button.is_bold !== 'boolean') fail(40058, `${path}.is_bold must be true or false`);
		return key;
	});
	unique(keys, 'interactive_taskcard.btn key', 42018);
	return { taskId, keys };
}
