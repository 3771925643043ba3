import { createHash } from 'node:crypto';

import { fail } from '../errors';
import { arrayField, countBetween, maxBytes, objectField, recordsIn, requiredString } from '../fields';
import { validateNewsArticle } from '../messageContent';
import { validateTemplateCard } from '../templateCard';
import { MB, sniffImage } from '../util';
import { jsonBody, ok, type Route, type RouteContext } from './context';
import { checkMediaRules, mediaPart, uploadAnswer } from './media';

/** Group robot (path 99110): key instead of token; 93000 for an unknown key; 20 messages a minute per key. */
function robotKey(ctx: RouteContext): string {
	const key = ctx.query.key;
	if (!key || !ctx.store.robotKeys.includes(key)) fail(93000);
	return key;
}

function stringList(body: Record<string, unknown>, key: string, path: string): void {
	const list = arrayField(body, key, path, false);
	if (list.some((entry) => typeof entry !== 'string')) fail(40058, `${path} must be an array of strings`);
}

const send: Route = {
	needsToken: false,
	handle(ctx) {
		const key = robotKey(ctx);
		const body = jsonBody(ctx);
		if (!ctx.limiter.take(ctx.path, key, ctx.at)) fail(45009, 'a robot accepts at most 20 messages a minute');
		const msgtype = requiredString(body, 'msgtype', 'msgtype', 40008);
		switch (msgtype) {
			case 'text': {
				const text = objectField(body, 'text', 'text', 44004);
				maxBytes(requiredString(text, 'content', 'text.content', 44004), 2048, 'text.content');
				stringList(text, 'mentioned_list', 'text.mentioned_list');
				stringList(text, 'mentioned_mobile_list', 'text.mentioned_mobile_list');
				break;
			}
			case 'markdown':
			case 'markdown_v2': {
				const markdown = objectField(body, msgtype, msgtype, 44004);
				maxBytes(requiredString(markdown, 'content', `${msgtype}.content`, 44004), 4096, `${msgtype}.content`);
				break;
			}
			case 'image': {
				const image = objectField(body, 'image', 'image');
				const base64 = requiredString(image, 'base64', 'image.base64').replace(/\s/g, '');
				const md5 = requiredString(image, 'md5', 'image.md5');
				if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) fail(40058, 'image.base64 is not base64');
				const data = Buffer.from(base64, 'base64');
				if (data.length > 2 * MB) fail(40009, 'robot images are limited to 2 MB before encoding');
				if (!sniffImage(data)) fail(40004, 'robot images must be JPG or PNG');
				if (createHash('md5').update(data).digest('hex') !== md5.toLowerCase()) fail(40058, 'image.md5 does not match the image');
				break;
			}
			case 'news': {
				const articles = recordsIn(arrayField(objectField(body, 'news', 'news'), 'articles', 'news.articles', true), 'news.articles');
				countBetween(articles, 1, 8, 'news.articles', 45008);
				for (const [index, article] of articles.entries()) validateNewsArticle(article, `news.articles[${index}]`, true);
				break;
			}
			case 'file':
			case 'voice': {
				const mediaId = requiredString(objectField(body, msgtype, msgtype), 'media_id', `${msgtype}.media_id`, 40007);
				// Robot media works only with the robot that uploaded it.
				const record = ctx.store.findMedia(mediaId, { robotKey: key });
				if (!record) fail(40007, `${msgtype}.media_id "${mediaId}" was not uploaded to this robot or expired`);
				if (record.type !== msgtype) fail(40007, `${msgtype}.media_id is a ${record.type}`);
				break;
			}
			case 'template_card':
				validateTemplateCard(objectField(body, 'template_card', 'template_card'), 'robot');
				break;
			default:
				fail(40008, `msgtype "${msgtype}" is not a robot message type`);
		}
		return ok();
	},
};

const uploadMedia: Route = {
	needsToken: false,
	handle(ctx) {
		const key = robotKey(ctx);
		const type = ctx.query.type ?? '';
		if (!['file', 'voice'].includes(type)) fail(40005, 'type must be file or voice');
		const part = mediaPart(ctx);
		checkMediaRules(type, part.data, ['file', 'voice']);
		const record = ctx.store.storeMedia({
			type,
			filename: part.filename ?? 'media',
			contentType: part.contentType,
			data: Buffer.from(part.data),
			robotKey: key,
		});
		return uploadAnswer(record);
	},
};

export const webhookRoutes: Record<string, Route> = {
	'/cgi-bin/webhook/send': send,
	'/cgi-bin/webhook/upload_media': uploadMedia,
};
