/**
 * The intelligent robot's message and event bodies (the same JSON in callback mode and over the long connection)
 * as clean items: who, which chat, single or group, the text without the @mention, attachments, event fields, and
 * `replyTo`, everything the AI Bot reply operations need to answer this message. Pure functions.
 */
import type { IDataObject } from 'n8n-workflow';

export const MESSAGE_TYPES = ['text', 'image', 'mixed', 'voice', 'file', 'video'] as const;
export const EVENT_TYPES = ['enter_chat', 'template_card_event', 'feedback_event'] as const;

const INACCURATE_REASONS: Record<string, string> = { 1: 'unrelated to the question', 2: 'incomplete', 3: 'wrong content', 4: 'wrong data analysis' };

export type ConnectionMode = 'callback' | 'longConnection';

export interface Attachment {
	/** image, file or video (mixed messages contribute their images). */
	type: string;
	url: string;
	/** Long connection: each URL carries its own key; callback mode: the EncodingAESKey decrypts it. */
	aeskey?: string;
	/** Where it came from: 'image', 'mixed.msg_item[2]', 'quote.image' … */
	source: string;
}

/** Everything a reply needs; the trigger puts it on every item as `replyTo`. */
export interface ReplyTarget extends IDataObject {
	mode: ConnectionMode;
	botId: string;
	msgId: string;
	/** Single chat: the user's ID; group: the group's chatid (what aibot_send_msg expects). */
	chatId: string;
	chatType: string;
	userId: string;
	kind: 'message' | 'event';
	eventType: string;
	/** Long connection: the frame's req_id every answer must carry. */
	reqId: string;
	/** The stream the trigger opened with its "thinking" frame ('' if none). */
	streamId: string;
	/** The feedback.id the trigger put on that first frame ('' if none): WeCom takes feedback only from a stream's first reply. */
	feedbackId: string;
	responseUrl: string;
	/** ms since epoch when the trigger received it (limits: 5 s for event replies, 6 min for streams). */
	receivedAt: number;
	/** Callback mode: the trigger node that keeps the stream (workflow:node), for its process-local store. */
	scope: string;
	taskId: string;
}

function record(value: unknown): Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function text(value: unknown): string {
	return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

/** WeCom puts "@RobotName" (followed by a space or U+2005) before the text of group messages. */
export function stripMentions(content: string): string {
	return content.replace(/^(?:\s*@[^\s\u2005]+[\s\u2005]*)+/u, '').trim();
}

export function bodyKind(body: Record<string, unknown>): { kind: 'message' | 'event'; type: string } {
	if (body.msgtype === 'event') return { kind: 'event', type: text(record(body.event).eventtype) };
	return { kind: 'message', type: text(body.msgtype) };
}

function collectParts(
	msgtype: string,
	body: Record<string, unknown>,
	prefix: string,
	attachments: Attachment[],
	texts: string[],
): void {
	const part = record(body[msgtype]);
	if (msgtype === 'text' || msgtype === 'voice') {
		texts.push(text(part.content));
	} else if (msgtype === 'image' || msgtype === 'file' || msgtype === 'video') {
		const url = text(part.url);
		if (url !== '') {
			const attachment: Attachment = { type: msgtype, url, source: `${prefix}${msgtype}` };
			if (text(part.aeskey) !== '') attachment.aeskey = text(part.aeskey);
			attachments.push(attachment);
		}
	} else if (msgtype === 'mixed') {
		const items = Array.isArray(part.msg_item) ? part.msg_item : [];
		items.forEach((item, index) => {
			const entry = record(item);
			collectParts(text(entry.msgtype), entry, `${prefix}mixed.msg_item[${index}].`, attachments, texts);
		});
	}
}

export interface NormalizeOptions {
	mode: ConnectionMode;
	reqId?: string;
	streamId?: string;
	feedbackId?: string;
	scope?: string;
	receivedAt?: number;
}

/** One clean item from a message or event body. */
export function normalizeBody(body: Record<string, unknown>, options: NormalizeOptions): IDataObject {
	const { kind, type } = bodyKind(body);
	const from = record(body.from);
	const chatType = text(body.chattype) || 'single';
	const userId = text(from.userid);
	const chatId = chatType === 'group' ? text(body.chatid) : text(body.chatid) || userId;
	const item: IDataObject = {
		kind,
		type,
		msgId: text(body.msgid),
		botId: text(body.aibotid),
		chatType,
		chatId,
		userId,
	};
	if (text(from.corpid) !== '') item.corpId = text(from.corpid);
	if (body.create_time !== undefined) item.createTime = Number(body.create_time);
	let taskId = '';
	if (kind === 'message') {
		const attachments: Attachment[] = [];
		const texts: string[] = [];
		collectParts(type, body, '', attachments, texts);
		const rawText = texts.filter((entry) => entry !== '').join('\n');
		item.text = chatType === 'group' ? stripMentions(rawText) : rawText.trim();
		item.rawText = rawText;
		const quote = record(body.quote);
		if (text(quote.msgtype) !== '') {
			const quoteTexts: string[] = [];
			collectParts(text(quote.msgtype), quote, 'quote.', attachments, quoteTexts);
			item.quote = { type: text(quote.msgtype), text: quoteTexts.join('\n') };
		}
		item.attachments = attachments as unknown as IDataObject[];
	} else {
		const event = record(body.event);
		const detail = record(event[type]);
		item.eventType = type;
		if (type === 'template_card_event') {
			taskId = text(detail.task_id);
			item.eventKey = text(detail.event_key);
			item.taskId = taskId;
			item.cardType = text(detail.card_type);
			const selected = record(detail.selected_items).selected_item;
			item.selectedItems = (Array.isArray(selected) ? selected : []).map((entry) => {
				const option = record(entry);
				const ids = record(option.option_ids).option_id;
				return { questionKey: text(option.question_key), optionIds: (Array.isArray(ids) ? ids : []).map(text) };
			});
		} else if (type === 'feedback_event') {
			const reasons: unknown[] = Array.isArray(detail.inaccurate_reason_list) ? detail.inaccurate_reason_list : [];
			item.feedback = {
				id: text(detail.id),
				type: Number(detail.type ?? 0),
				meaning: ({ 1: 'accurate', 2: 'inaccurate', 3: 'cancelled' } as Record<string, string>)[text(detail.type)] ?? 'unknown',
				content: text(detail.content),
				// WeCom sends the reasons as numbers (page 101027): 1 unrelated, 2 incomplete, 3 wrong, 4 wrong data analysis.
				inaccurateReasons: reasons.map(Number),
				inaccurateReasonTexts: reasons.map((reason) => INACCURATE_REASONS[text(reason)] ?? 'unknown'),
			};
		}
	}
	const replyTo: ReplyTarget = {
		mode: options.mode,
		botId: text(body.aibotid),
		msgId: text(body.msgid),
		chatId,
		chatType,
		userId,
		kind,
		eventType: kind === 'event' ? type : '',
		reqId: options.reqId ?? '',
		streamId: options.streamId ?? '',
		feedbackId: options.feedbackId ?? '',
		responseUrl: text(body.response_url),
		receivedAt: options.receivedAt ?? Date.now(),
		scope: options.scope ?? '',
		taskId,
	};
	item.replyTo = replyTo;
	return item;
}

export interface AiBotFilters {
	messageTypes: string[];
	eventTypes: string[];
	chatTypes: string[];
}

/** Empty lists let everything through; `disconnected_event` never reaches a workflow. */
export function matchesAiBotFilters(body: Record<string, unknown>, filters: AiBotFilters): boolean {
	const { kind, type } = bodyKind(body);
	if (kind === 'event' && type === 'disconnected_event') return false;
	const chatType = text(body.chattype) || 'single';
	if (filters.chatTypes.length > 0 && !filters.chatTypes.includes(chatType)) return false;
	const wanted = kind === 'message' ? filters.messageTypes : filters.eventTypes;
	const other = kind === 'message' ? filters.eventTypes : filters.messageTypes;
	// Choosing only events means no messages, and the other way round; choosing neither means everything.
	if (wanted.length === 0) return other.length === 0;
	return wanted.includes(type);
}

/** WeCom's msgid identifies a message and an event alike; retries and redeliveries carry the same one. */
export function aiBotDedupeKey(body: Record<string, unknown>): string {
	const msgId = text(body.msgid);
	if (msgId !== '') return `msg:${msgId}`;
	const { type } = bodyKind(body);
	return `evt:${text(record(body.from).userid)}:${text(body.create_time)}:${type}`;
}

/** A refresh callback asks for the current state of a stream: {msgtype:"stream", stream:{id}}. */
export function refreshStreamId(body: Record<string, unknown>): string | undefined {
	if (body.msgtype !== 'stream') return undefined;
	const id = text(record(body.stream).id);
	return id === '' ? undefined : id;
}
