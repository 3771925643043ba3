/**
 * Passive replies (被动回复): the XML WeCom accepts in the HTTP answer to a callback, before encryption.
 * Template-card replies only make sense for template_card_event callbacks; for anything else no reply is built.
 */
import type { IDataObject } from 'n8n-workflow';

import { buildXml } from '../shared/xml';

export type ReplyType = 'text' | 'image' | 'voice' | 'video' | 'news' | 'updateButton' | 'updateCard';

export interface ReplySettings {
	type: ReplyType;
	content?: string;
	mediaId?: string;
	title?: string;
	description?: string;
	articles?: Array<{ title?: string; description?: string; url?: string; picUrl?: string }>;
	replaceName?: string;
	card?: IDataObject;
}

export const MAX_REPLY_ARTICLES = 8;

/** Returns the inner reply XML, or undefined when this callback cannot take the configured reply. */
export function buildReplyXml(incoming: IDataObject, settings: ReplySettings, now: number = Date.now()): string | undefined {
	const cardEvent = incoming.MsgType === 'event' && incoming.Event === 'template_card_event';
	const head: IDataObject = {
		ToUserName: String(incoming.FromUserName ?? ''),
		FromUserName: String(incoming.ToUserName ?? ''),
		CreateTime: Math.floor(now / 1000),
	};
	switch (settings.type) {
		case 'text':
			return buildXml({ ...head, MsgType: 'text', Content: settings.content ?? '' });
		case 'image':
			return buildXml({ ...head, MsgType: 'image', Image: { MediaId: settings.mediaId ?? '' } });
		case 'voice':
			return buildXml({ ...head, MsgType: 'voice', Voice: { MediaId: settings.mediaId ?? '' } });
		case 'video':
			return buildXml({
				...head,
				MsgType: 'video',
				Video: { MediaId: settings.mediaId ?? '', Title: settings.title ?? '', Description: settings.description ?? '' },
			});
		case 'news': {
			const articles = (settings.articles ?? []).slice(0, MAX_REPLY_ARTICLES).map((article) => ({
				Title: article.title ?? '',
				Description: article.description ?? '',
				PicUrl: article.picUrl ?? '',
				Url: article.url ?? '',
			}));
			return buildXml({ ...head, MsgType: 'news', ArticleCount: articles.length, Articles: { item: articles } });
		}
		case 'updateButton':
			if (!cardEvent) return undefined;
			return buildXml({
				...head,
				MsgType: 'update_button',
				Button: { ReplaceName: settings.replaceName ?? '' },
			});
		case 'updateCard':
			if (!cardEvent || !settings.card) return undefined;
			return buildXml({ ...head, MsgType: 'update_template_card', TemplateCard: cardToXmlFields(settings.card) });
	}
	return undefined;
}

/**
 * The JSON template card (snake_case, as message/send takes it) in the XML form of passive replies (WeCom doc 90241):
 * CamelCase elements, and each list as repeated elements named after the list (several <ButtonList>, several
 * <HorizontalContentList>, <ActionMenu> with several <ActionList>, <CheckBox> with several <OptionList> …),
 * which is what buildXml writes for arrays. Names the document spells irregularly come from XML_NAMES.
 */
export function cardToXmlFields(card: IDataObject): IDataObject {
	return convertCard(card, '') as IDataObject;
}

/** JSON name → passive-reply element, where plain CamelCase would be wrong (keyname → KeyName, checkbox → CheckBox …). */
const XML_NAMES: Readonly<Record<string, string>> = {
	keyname: 'KeyName',
	checkbox: 'CheckBox',
	appid: 'AppId',
	pagepath: 'PagePath',
	userid: 'UserId',
};
/** QuoteArea and ImageTextArea spell it Appid in WeCom's reference, JumpList and CardAction AppId. */
const APPID_AS_APPID_LOWER = new Set(['quote_area', 'image_text_area']);

function convertCard(value: unknown, parentKey: string): unknown {
	if (Array.isArray(value)) return value.map((entry) => convertCard(entry, parentKey));
	if (value === null || typeof value !== 'object') return value;
	const result: IDataObject = {};
	for (const [key, entry] of Object.entries(value as IDataObject)) {
		result[xmlName(key, parentKey)] = convertCard(entry, key) as IDataObject;
	}
	return result;
}

function xmlName(key: string, parentKey: string): string {
	if (key === 'appid' && APPID_AS_APPID_LOWER.has(parentKey)) return 'Appid';
	return XML_NAMES[key] ?? camelCase(key);
}

function camelCase(key: string): string {
	return key
		.split('_')
		.map((part) => part.charAt(0).toUpperCase() + part.slice(1))
		.join('');
}
