/**
 * Builds the msgtype part of a message body ({msgtype, <msgtype>: {...}}) from the fields of
 * descriptions/messageContent.description.ts, for Message → Send and App Chat → Send alike.
 * Every check WeCom documents runs before any HTTP call, uploads included: media are uploaded last.
 */
import { randomUUID } from 'node:crypto';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { UploadFile } from '../transport/multipart';
import {
	checkMediaFile,
	MEDIA_RULES,
	PERMANENT_IMAGE_RULE,
	readBinaryFile,
	resolveMediaId,
	uploadPermanentImage,
	uploadTemporaryMedia,
	type MediaType,
} from './media';
import * as limits from './messageLimits';
import { parseIdList } from './idList';
import { buildTemplateCard } from './templateCard';
import { assertMaxBytes, assertMaxChars, assertMaxCount, assertRequired, charCount, utf8Bytes } from './text';

export type ContentTarget = 'message' | 'appChat';

export interface MessageContentType {
	name: string;
	value: string;
	description: string;
	/** Which endpoints accept the type: message/send, appchat/send or both. */
	targets: ContentTarget[];
}

const BOTH: ContentTarget[] = ['message', 'appChat'];

/** The msgtypes the node offers; order is alphabetical by name for the UI. */
export const MESSAGE_CONTENT_TYPES: MessageContentType[] = [
	{ name: 'File (文件)', value: 'file', description: 'A file from binary data or a media_id (at most 20 MB)', targets: BOTH },
	{ name: 'Image (图片)', value: 'image', description: 'A JPG or PNG image from binary data or a media_id', targets: BOTH },
	{ name: 'Markdown', value: 'markdown', description: 'WeCom markdown (rendered by the WeCom client only)', targets: BOTH },
	{
		name: 'Mini Program Notice (小程序通知)',
		value: 'miniprogram_notice',
		description: 'A notice opening a mini program linked to the corp',
		targets: ['message'],
	},
	{ name: 'MPNews (图文消息, Stored by WeCom)', value: 'mpnews', description: '1–8 articles whose body is stored by WeCom', targets: BOTH },
	{ name: 'News (图文)', value: 'news', description: '1–8 link articles with pictures', targets: BOTH },
	{
		name: 'Raw JSON (自定义)',
		value: 'raw',
		description: 'Any message body as JSON, for msgtypes or fields the guided modes do not cover',
		targets: BOTH,
	},
	{
		name: 'Task Card (任务卡片, Legacy)',
		value: 'interactive_taskcard',
		description: 'The legacy interactive task card; prefer template cards for new workflows',
		targets: ['message'],
	},
	{
		name: 'Template Card (模板卡片)',
		value: 'template_card',
		description: 'Text notice, news notice, button, vote or multiple-choice card',
		targets: ['message'],
	},
	{ name: 'Text (文本)', value: 'text', description: 'Plain text with optional links', targets: BOTH },
	{ name: 'Text Card (文本卡片)', value: 'textcard', description: 'A card with title, description and a link', targets: BOTH },
	{ name: 'Video (视频)', value: 'video', description: 'An MP4 video from binary data or a media_id', targets: BOTH },
	{ name: 'Voice (语音)', value: 'voice', description: 'An AMR voice message from binary data or a media_id', targets: BOTH },
];

/** A file the node uploaded while building the message (a type alias, so it fits an output item's JSON). */
export type UploadedMedia = {
	/** The upload endpoint's kind: temporary media type, or 'permanentImage' for media/uploadimg. */
	type: MediaType | 'permanentImage';
	media_id?: string;
	url?: string;
	created_at?: string;
	filename: string;
};

export interface BuiltContent {
	msgtype: string;
	/** `{msgtype, <msgtype>: {...}}`; in raw mode also any other keys the user gave (safe, ...). */
	body: IDataObject;
	/** task_id of task cards and template cards (generated when left empty). */
	taskId?: string;
	uploaded: UploadedMedia[];
	/** Set when text was cut to WeCom's limit because the user asked for it. */
	truncated?: boolean;
}

export interface ContentOptions {
	truncateLongText?: boolean;
}

/** Keys that come from the node's own fields, never from a raw body. */
const ADDRESSING_KEYS = ['touser', 'toparty', 'totag', 'agentid', 'chatid'];

const str = (value: unknown): string => (value === undefined || value === null ? '' : String(value));

function param(ctx: IExecuteFunctions, name: string, itemIndex: number, fallback: unknown = ''): unknown {
	return ctx.getNodeParameter(name, itemIndex, fallback);
}

function fail(ctx: IExecuteFunctions, itemIndex: number, message: string, description?: string): never {
	throw new NodeOperationError(ctx.getNode(), message, { itemIndex, description });
}

/** Cuts `value` to at most `maxBytes` UTF-8 bytes without splitting a character. */
export function truncateUtf8(value: string, maxBytes: number): string {
	if (utf8Bytes(value) <= maxBytes) return value;
	let bytes = 0;
	let result = '';
	for (const char of value) {
		const size = utf8Bytes(char);
		if (bytes + size > maxBytes) break;
		bytes += size;
		result += char;
	}
	return result;
}

/** A task_id WeCom accepts (letters, digits, _-@; at most 128 bytes) and that does not repeat. */
export function generateTaskId(prefix = 'n8n'): string {
	return `${prefix}-${Date.now()}-${randomUUID().replace(/-/g, '').slice(0, 12)}`;
}

export function isValidTaskId(value: string): boolean {
	return limits.TASK_ID_PATTERN.test(value) && utf8Bytes(value) <= limits.TASK_ID_MAX_BYTES;
}

/**
 * Normalises a raw JSON message: a whole body with `msgtype`, or only the msgtype object plus `rawMsgtype`.
 * Addressing keys are dropped because the node's own recipient fields decide them.
 * Returns the body, or a problem to report (the caller adds node context).
 */
export function normaliseRawMessage(value: unknown, rawMsgtype: string): { body: IDataObject } | { problem: string } {
	let parsed: unknown = value;
	if (typeof value === 'string') {
		try {
			parsed = JSON.parse(value) as unknown;
		} catch (error) {
			return { problem: `Message JSON is not valid JSON: ${(error as Error).message}` };
		}
	}
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
		return { problem: 'Message JSON must be a JSON object' };
	}
	const object = { ...(parsed as IDataObject) };
	let body: IDataObject;
	if (typeof object.msgtype === 'string' && object.msgtype.trim()) {
		body = object;
	} else {
		const msgtype = rawMsgtype.trim();
		if (!msgtype) return { problem: 'Message JSON has no "msgtype"; add it to the JSON or fill in Raw Message Type' };
		body = { msgtype, [msgtype]: object };
	}
	for (const key of ADDRESSING_KEYS) delete body[key];
	return { body };
}

/** Text of a text or markdown message: fails past the limit unless the user opted into truncation. */
function longText(
	ctx: IExecuteFunctions,
	itemIndex: number,
	field: string,
	value: string,
	limit: number,
	options: ContentOptions,
): { value: string; truncated: boolean } {
	assertRequired(ctx, field, value, itemIndex);
	const bytes = utf8Bytes(value);
	if (bytes <= limit) return { value, truncated: false };
	if (options.truncateLongText) return { value: truncateUtf8(value, limit), truncated: true };
	fail(
		ctx,
		itemIndex,
		`${field} is ${bytes} bytes; WeCom allows at most ${limit} bytes (UTF-8: a Chinese character counts 3) and would cut the rest silently`,
		'Shorten the text, split it into several messages, or turn on the option Truncate Long Text to send the first part only.',
	);
}

function checkUrl(ctx: IExecuteFunctions, itemIndex: number, field: string, url: string): void {
	assertMaxBytes(ctx, field, url, limits.URL_MAX_BYTES, itemIndex);
	if (url && !/^https?:\/\//i.test(url)) {
		fail(ctx, itemIndex, `${field} must start with http:// or https://`, `It was "${url.slice(0, 80)}".`);
	}
}

function charsBetween(ctx: IExecuteFunctions, itemIndex: number, field: string, value: string, min: number, max: number): void {
	const count = charCount(value);
	if (count < min || count > max) {
		fail(ctx, itemIndex, `${field} has ${count} characters; WeCom needs ${min} to ${max}`);
	}
}

function entries(value: unknown, key: string): IDataObject[] {
	const collection = (value ?? {}) as IDataObject;
	const list = collection[key];
	return Array.isArray(list) ? (list as IDataObject[]) : [];
}

type Builder = (ctx: IExecuteFunctions, itemIndex: number, target: ContentTarget, options: ContentOptions) => Promise<BuiltContent>;

const text: Builder = async (ctx, i, target, options) => {
	const { value, truncated } = longText(ctx, i, 'Content', str(param(ctx, 'textContent', i)), limits.TEXT_MAX_BYTES, options);
	const content: IDataObject = { content: value };
	if (target === 'appChat') {
		const mentioned = parseIdList(param(ctx, 'mentionedList', i));
		if (mentioned.length) content.mentioned_list = mentioned;
	}
	return { msgtype: 'text', body: { msgtype: 'text', text: content }, uploaded: [], ...(truncated ? { truncated } : {}) };
};

const markdown: Builder = async (ctx, i, _target, options) => {
	const { value, truncated } = longText(ctx, i, 'Content', str(param(ctx, 'markdownContent', i)), limits.MARKDOWN_MAX_BYTES, options);
	return { msgtype: 'markdown', body: { msgtype: 'markdown', markdown: { content: value } }, uploaded: [], ...(truncated ? { truncated } : {}) };
};

function media(type: MediaType): Builder {
	return async (ctx, i) => {
		const extra: IDataObject = {};
		if (type === 'video') {
			const title = str(param(ctx, 'videoTitle', i));
			const description = str(param(ctx, 'videoDescription', i));
			assertMaxBytes(ctx, 'Video Title', title, limits.TITLE_MAX_BYTES, i);
			assertMaxBytes(ctx, 'Video Description', description, limits.DESCRIPTION_MAX_BYTES, i);
			if (title) extra.title = title;
			if (description) extra.description = description;
		}
		const source = param(ctx, 'mediaSource', i, 'binary') === 'mediaId' ? 'mediaId' : 'binary';
		const resolved = await resolveMediaId(ctx, i, type, {
			source,
			mediaId: str(param(ctx, 'mediaId', i)),
			binaryPropertyName: str(param(ctx, 'binaryPropertyName', i, 'data')),
		});
		const uploaded: UploadedMedia[] = resolved.uploaded ? [{ type, ...resolved.uploaded }] : [];
		return { msgtype: type, body: { msgtype: type, [type]: { media_id: resolved.mediaId, ...extra } }, uploaded };
	};
}

const textcard: Builder = async (ctx, i, target) => {
	const title = str(param(ctx, 'textcardTitle', i));
	const description = str(param(ctx, 'textcardDescription', i));
	const url = str(param(ctx, 'textcardUrl', i)).trim();
	const btntxt = str(param(ctx, 'textcardButtonText', i));
	assertRequired(ctx, 'Title', title, i);
	assertRequired(ctx, 'Description', description, i);
	assertRequired(ctx, 'URL', url, i);
	// message/send counts characters here, appchat/send bytes (WeCom's two pages differ).
	const check = target === 'message' ? assertMaxChars : assertMaxBytes;
	check(ctx, 'Title', title, limits.TEXTCARD_TITLE_MAX, i);
	check(ctx, 'Description', description, limits.TEXTCARD_DESCRIPTION_MAX, i);
	checkUrl(ctx, i, 'URL', url);
	assertMaxChars(ctx, 'Button Text', btntxt, limits.TEXTCARD_BTNTXT_MAX_CHARS, i);
	const card: IDataObject = { title, description, url };
	if (btntxt) card.btntxt = btntxt;
	return { msgtype: 'textcard', body: { msgtype: 'textcard', textcard: card }, uploaded: [] };
};

const news: Builder = async (ctx, i, target) => {
	const list = entries(param(ctx, 'newsArticles', i, {}), 'article');
	assertMaxCount(ctx, 'Articles', list.length, limits.MAX_ARTICLES, i, limits.MIN_ARTICLES);
	const pictures = new Map<string, UploadFile>();
	const articles: IDataObject[] = [];
	for (const [index, entry] of list.entries()) {
		const label = `Article ${index + 1}`;
		const title = str(entry.title);
		const description = str(entry.description);
		const url = str(entry.url).trim();
		const picurl = str(entry.picurl).trim();
		const appid = target === 'message' ? str(entry.appid).trim() : '';
		const pagepath = target === 'message' ? str(entry.pagepath).trim() : '';
		assertRequired(ctx, `${label} Title`, title, i);
		assertMaxBytes(ctx, `${label} Title`, title, limits.TITLE_MAX_BYTES, i);
		assertMaxBytes(ctx, `${label} Description`, description, limits.DESCRIPTION_MAX_BYTES, i);
		if (url) checkUrl(ctx, i, `${label} URL`, url);
		if (picurl) checkUrl(ctx, i, `${label} Picture URL`, picurl);
		if (Boolean(appid) !== Boolean(pagepath)) {
			fail(ctx, i, `${label}: Mini Program App ID and Page Path go together`, 'Fill in both, or neither.');
		}
		assertMaxBytes(ctx, `${label} Mini Program Page Path`, pagepath, limits.NEWS_PAGEPATH_MAX_BYTES, i);
		if (!url && !appid) {
			fail(ctx, i, `${label} needs a URL${target === 'message' ? ' or a mini program (App ID and Page Path)' : ''}`);
		}
		const article: IDataObject = { title };
		if (description) article.description = description;
		if (url) article.url = url;
		if (picurl) article.picurl = picurl;
		if (appid) Object.assign(article, { appid, pagepath });
		const pictureField = str(entry.picBinaryPropertyName).trim();
		if (pictureField && !pictures.has(pictureField)) {
			const file = await readBinaryFile(ctx, i, pictureField);
			checkMediaFile(ctx, file, PERMANENT_IMAGE_RULE, i);
			pictures.set(pictureField, file);
		}
		article.__picture = pictureField;
		articles.push(article);
	}
	// Everything is checked: now upload the pictures, once per binary field.
	const uploaded: UploadedMedia[] = [];
	const urls = new Map<string, string>();
	for (const [field, file] of pictures) {
		const url = await uploadPermanentImage(ctx, file, i);
		urls.set(field, url);
		uploaded.push({ type: 'permanentImage', url, filename: file.filename });
	}
	for (const article of articles) {
		const field = str(article.__picture);
		delete article.__picture;
		if (field) article.picurl = urls.get(field);
	}
	return { msgtype: 'news', body: { msgtype: 'news', news: { articles } }, uploaded };
};

const mpnews: Builder = async (ctx, i) => {
	const list = entries(param(ctx, 'mpnewsArticles', i, {}), 'article');
	assertMaxCount(ctx, 'Articles', list.length, limits.MAX_ARTICLES, i, limits.MIN_ARTICLES);
	const thumbs = new Map<string, UploadFile>();
	const articles: Array<{ article: IDataObject; thumbField?: string }> = [];
	for (const [index, entry] of list.entries()) {
		const label = `Article ${index + 1}`;
		const title = str(entry.title);
		const content = str(entry.content);
		const author = str(entry.author);
		const digest = str(entry.digest);
		const sourceUrl = str(entry.contentSourceUrl).trim();
		assertRequired(ctx, `${label} Title`, title, i);
		assertMaxBytes(ctx, `${label} Title`, title, limits.TITLE_MAX_BYTES, i);
		assertRequired(ctx, `${label} Content`, content, i);
		assertMaxBytes(ctx, `${label} Content`, content, limits.MPNEWS_CONTENT_MAX_BYTES, i);
		assertMaxBytes(ctx, `${label} Author`, author, limits.MPNEWS_AUTHOR_MAX_BYTES, i);
		assertMaxBytes(ctx, `${label} Digest`, digest, limits.MPNEWS_DIGEST_MAX_BYTES, i);
		if (sourceUrl) checkUrl(ctx, i, `${label} Source URL`, sourceUrl);
		const article: IDataObject = { title };
		let thumbField: string | undefined;
		if ((entry.thumbSource ?? 'binary') === 'mediaId') {
			const thumb = str(entry.thumbMediaId).trim();
			assertRequired(ctx, `${label} Thumbnail Media ID`, thumb, i);
			article.thumb_media_id = thumb;
		} else {
			thumbField = str(entry.thumbBinaryPropertyName).trim() || 'data';
			if (!thumbs.has(thumbField)) {
				const file = await readBinaryFile(ctx, i, thumbField);
				checkMediaFile(ctx, file, MEDIA_RULES.image, i);
				thumbs.set(thumbField, file);
			}
		}
		if (author) article.author = author;
		if (sourceUrl) article.content_source_url = sourceUrl;
		article.content = content;
		if (digest) article.digest = digest;
		articles.push({ article, thumbField });
	}
	const uploaded: UploadedMedia[] = [];
	const ids = new Map<string, string>();
	for (const [field, file] of thumbs) {
		const answer = await uploadTemporaryMedia(ctx, 'image', file, i);
		ids.set(field, answer.media_id);
		uploaded.push({ type: 'image', media_id: answer.media_id, created_at: answer.created_at, filename: file.filename });
	}
	const result = articles.map(({ article, thumbField }) => {
		if (!thumbField) return article;
		// Keep WeCom's documented key order: title, thumb_media_id, then the rest.
		const { title, ...rest } = article;
		return { title, thumb_media_id: ids.get(thumbField), ...rest };
	});
	return { msgtype: 'mpnews', body: { msgtype: 'mpnews', mpnews: { articles: result } }, uploaded };
};

const miniprogramNotice: Builder = async (ctx, i) => {
	const appid = str(param(ctx, 'miniprogramAppid', i)).trim();
	const page = str(param(ctx, 'miniprogramPage', i)).trim();
	const title = str(param(ctx, 'miniprogramTitle', i));
	const description = str(param(ctx, 'miniprogramDescription', i));
	assertRequired(ctx, 'Mini Program App ID', appid, i);
	assertRequired(ctx, 'Title', title, i);
	charsBetween(ctx, i, 'Title', title, limits.MINIPROGRAM_TITLE_MIN_CHARS, limits.MINIPROGRAM_TITLE_MAX_CHARS);
	if (description) charsBetween(ctx, i, 'Description', description, limits.MINIPROGRAM_TITLE_MIN_CHARS, limits.MINIPROGRAM_TITLE_MAX_CHARS);
	assertMaxBytes(ctx, 'Page', page, limits.MINIPROGRAM_PAGE_MAX_BYTES, i);
	const items = entries(param(ctx, 'miniprogramContentItems', i, {}), 'item');
	assertMaxCount(ctx, 'Content Items', items.length, limits.MINIPROGRAM_MAX_ITEMS, i);
	const contentItem = items.map((item, index) => {
		const key = str(item.key);
		const value = str(item.value);
		assertMaxChars(ctx, `Content Item ${index + 1} Key`, key, limits.MINIPROGRAM_KEY_MAX_CHARS, i);
		assertMaxChars(ctx, `Content Item ${index + 1} Value`, value, limits.MINIPROGRAM_VALUE_MAX_CHARS, i);
		return { key, value };
	})
		// WeCom ignores an item whose key and value are both empty; leaving it out keeps the body honest.
		.filter((item) => item.key !== '' || item.value !== '');
	const notice: IDataObject = { appid };
	if (page) notice.page = page;
	notice.title = title;
	if (description) notice.description = description;
	notice.emphasis_first_item = param(ctx, 'miniprogramEmphasisFirstItem', i, false) === true;
	if (contentItem.length) notice.content_item = contentItem;
	return { msgtype: 'miniprogram_notice', body: { msgtype: 'miniprogram_notice', miniprogram_notice: notice }, uploaded: [] };
};

const interactiveTaskcard: Builder = async (ctx, i) => {
	const title = str(param(ctx, 'taskcardTitle', i));
	const description = str(param(ctx, 'taskcardDescription', i));
	const url = str(param(ctx, 'taskcardUrl', i)).trim();
	assertRequired(ctx, 'Title', title, i);
	assertMaxBytes(ctx, 'Title', title, limits.TITLE_MAX_BYTES, i);
	// WeCom's page marks the description optional (是否必须: 否).
	if (description) assertMaxBytes(ctx, 'Description', description, limits.DESCRIPTION_MAX_BYTES, i);
	if (url) checkUrl(ctx, i, 'URL', url);
	const taskId = str(param(ctx, 'taskcardTaskId', i)).trim() || generateTaskId('task');
	if (!isValidTaskId(taskId)) {
		fail(ctx, i, `Task ID "${taskId.slice(0, 40)}" is not valid`, `WeCom accepts letters, digits and _-@ only, at most ${limits.TASK_ID_MAX_BYTES} bytes.`);
	}
	const buttons = entries(param(ctx, 'taskcardButtons', i, {}), 'button');
	assertMaxCount(ctx, 'Buttons', buttons.length, limits.TASKCARD_MAX_BUTTONS, i, limits.TASKCARD_MIN_BUTTONS);
	const keys = new Set<string>();
	const btn = buttons.map((button, index) => {
		const label = `Button ${index + 1}`;
		const key = str(button.key).trim();
		const name = str(button.name);
		assertRequired(ctx, `${label} Key`, key, i);
		assertMaxBytes(ctx, `${label} Key`, key, limits.TASKCARD_BUTTON_KEY_MAX_BYTES, i);
		if (!limits.TASK_ID_PATTERN.test(key)) fail(ctx, i, `${label} Key "${key}" may hold only letters, digits and _-@`);
		if (keys.has(key)) fail(ctx, i, `${label} Key "${key}" is used twice; button keys must be unique`);
		keys.add(key);
		assertRequired(ctx, `${label} Name`, name, i);
		assertMaxBytes(ctx, `${label} Name`, name, limits.TASKCARD_BUTTON_NAME_MAX_BYTES, i);
		const entry: IDataObject = { key, name };
		if (str(button.replace_name)) entry.replace_name = str(button.replace_name);
		entry.color = button.color === 'red' ? 'red' : 'blue';
		entry.is_bold = button.is_bold === true;
		return entry;
	});
	const card: IDataObject = { title };
	if (description) card.description = description;
	if (url) card.url = url;
	card.task_id = taskId;
	card.btn = btn;
	return { msgtype: 'interactive_taskcard', body: { msgtype: 'interactive_taskcard', interactive_taskcard: card }, taskId, uploaded: [] };
};

/** The guided / raw JSON builder of helpers/templateCard (default parameter prefix 'card'). */
const templateCard: Builder = async (ctx, i) => {
	const { card, taskId } = await buildTemplateCard(ctx, i);
	const result: BuiltContent = { msgtype: 'template_card', body: { msgtype: 'template_card', template_card: card }, uploaded: [] };
	const id = taskId ?? (typeof card.task_id === 'string' ? card.task_id : undefined);
	if (id) result.taskId = id;
	return result;
};

const raw: Builder = async (ctx, i) => {
	const normalised = normaliseRawMessage(param(ctx, 'rawJson', i, '{}'), str(param(ctx, 'rawMsgtype', i)));
	if ('problem' in normalised) fail(ctx, i, normalised.problem);
	const { body } = normalised;
	const msgtype = str(body.msgtype);
	const inner = body[msgtype];
	const taskId = typeof inner === 'object' && inner !== null ? (inner as IDataObject).task_id : undefined;
	return { msgtype, body, uploaded: [], ...(typeof taskId === 'string' && taskId ? { taskId } : {}) };
};

const BUILDERS: Record<string, Builder> = {
	text,
	image: media('image'),
	voice: media('voice'),
	video: media('video'),
	file: media('file'),
	textcard,
	news,
	mpnews,
	markdown,
	miniprogram_notice: miniprogramNotice,
	interactive_taskcard: interactiveTaskcard,
	template_card: templateCard,
	raw,
};

/** Builds the content of the selected msgtype for `target` (message/send or appchat/send). */
export async function buildMessageContent(
	ctx: IExecuteFunctions,
	itemIndex: number,
	target: ContentTarget,
	options: ContentOptions = {},
): Promise<BuiltContent> {
	const msgtype = str(param(ctx, 'msgtype', itemIndex, 'text'));
	const type = MESSAGE_CONTENT_TYPES.find((entry) => entry.value === msgtype);
	const builder = BUILDERS[msgtype];
	if (!type || !builder || !type.targets.includes(target)) {
		const where = target === 'message' ? 'app messages (message/send)' : 'app chats (appchat/send)';
		fail(ctx, itemIndex, `The message type "${msgtype}" is not supported for ${where}`, 'Pick another type, or use Raw JSON.');
	}
	return await builder(ctx, itemIndex, target, options);
}

/** Whether safe (保密消息) may be set for this msgtype: 0/1 for most types, 2 only for mpnews of app messages. */
export function checkSafe(ctx: IExecuteFunctions, itemIndex: number, target: ContentTarget, msgtype: string, safe: number): void {
	if (![0, 1, 2].includes(safe) || (safe === 2 && target === 'appChat')) {
		fail(ctx, itemIndex, `Safe must be 0 or 1${target === 'message' ? ' (2 for mpnews)' : ''}; it was ${safe}`);
	}
	if (safe === 2 && msgtype !== 'mpnews' && msgtype !== 'raw') {
		fail(ctx, itemIndex, 'Safe = 2 (share inside the company only) works only for mpnews messages', `This message is ${msgtype}; use 0 or 1.`);
	}
	if (safe !== 0 && msgtype === 'news') {
		fail(ctx, itemIndex, 'News messages cannot be confidential (WeCom 40074)', 'Set Safe to 0, or send mpnews instead.');
	}
}
