/**
 * What a WeCom user would see of the cards sent through the sandbox, derived from the accepted requests: each
 * template card (app message or group robot) with its title, text, links and buttons, and the updates that
 * replaced its buttons (update_template_card by a response code of that card). Plus the user's browser: opening a
 * link a card carried (a real HTTP GET) and posting a form the way n8n's form page does (multipart/form-data).
 */
import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

import type { SandboxStore } from './state';
import type { RecordedRequest } from './types';
import { isRecord } from './util';

export interface CardLink {
	title: string;
	url: string;
}

export interface CardButton {
	text: string;
	key: string;
}

export interface CardUpdateView {
	responseCode: string;
	replaceName?: string;
	card?: unknown;
	atall: boolean;
	userids: string[];
}

export interface CardView {
	source: 'app' | 'robot';
	msgid?: string;
	taskId?: string;
	to: { touser?: string; toparty?: string; totag?: string };
	cardType: string;
	title: string;
	text: string;
	/** jump_list entries, then the card's own action (title 'card'). */
	links: CardLink[];
	buttons: CardButton[];
	updates: CardUpdateView[];
	/** What the buttons read now: the last replace_name, or undefined while they can be pressed. */
	buttonsReplacedBy?: string;
}

export interface BrowserResult {
	status: number;
	body: string;
	contentType: string;
}

function text(value: unknown): string {
	return typeof value === 'string' ? value : '';
}

function accepted(entry: RecordedRequest): boolean {
	return entry.status === 200 && entry.answer?.errcode === 0;
}

function cardOf(card: Record<string, unknown>): Pick<CardView, 'cardType' | 'title' | 'text' | 'links' | 'buttons' | 'taskId'> {
	const links: CardLink[] = [];
	for (const jump of Array.isArray(card.jump_list) ? card.jump_list : []) {
		if (isRecord(jump) && typeof jump.url === 'string') links.push({ title: text(jump.title), url: jump.url });
	}
	if (isRecord(card.card_action) && typeof card.card_action.url === 'string') links.push({ title: 'card', url: card.card_action.url });
	const buttons: CardButton[] = [];
	for (const button of Array.isArray(card.button_list) ? card.button_list : []) {
		if (isRecord(button)) buttons.push({ text: text(button.text), key: text(button.key) });
	}
	const mainTitle = isRecord(card.main_title) ? text(card.main_title.title) : '';
	return { cardType: text(card.card_type), title: mainTitle, text: text(card.sub_title_text), links, buttons, taskId: text(card.task_id) || undefined };
}

/** Every template card sent (oldest first) with the updates applied to it. */
export function cardViews(requests: RecordedRequest[], store: SandboxStore): CardView[] {
	const views: CardView[] = [];
	for (const entry of requests) {
		if (!accepted(entry) || !isRecord(entry.json)) continue;
		const body = entry.json;
		if (!isRecord(body.template_card)) continue;
		if (entry.path === '/cgi-bin/message/send') {
			const answer = entry.answer as Record<string, unknown>;
			views.push({
				source: 'app',
				msgid: text(answer.msgid) || undefined,
				to: { touser: text(body.touser) || undefined, toparty: text(body.toparty) || undefined, totag: text(body.totag) || undefined },
				...cardOf(body.template_card),
				updates: [],
			});
		} else if (entry.path === '/cgi-bin/webhook/send') {
			views.push({ source: 'robot', to: {}, ...cardOf(body.template_card), updates: [] });
		}
	}
	for (const entry of requests) {
		if (entry.path !== '/cgi-bin/message/update_template_card' || !accepted(entry) || !isRecord(entry.json)) continue;
		const body = entry.json;
		const code = text(body.response_code);
		const msgid = store.responseCodes.get(code)?.msgid;
		const view = views.find((candidate) => candidate.msgid !== undefined && candidate.msgid === msgid);
		if (!view) continue;
		const replaceName = isRecord(body.button) ? text(body.button.replace_name) : undefined;
		view.updates.push({
			responseCode: code,
			replaceName,
			card: body.template_card,
			atall: body.atall === 1,
			userids: Array.isArray(body.userids) ? body.userids.map(String) : [],
		});
		if (replaceName) view.buttonsReplacedBy = replaceName;
	}
	return views;
}

/** A browser request: GET a link, or POST fields as multipart/form-data (what n8n's form page sends). */
export async function browse(url: string, options: { method?: 'GET' | 'POST'; form?: Record<string, string>; userAgent?: string } = {}): Promise<BrowserResult> {
	const method = options.method ?? (options.form ? 'POST' : 'GET');
	let body: Buffer | undefined;
	const headers: Record<string, string | number> = {
		'User-Agent': options.userAgent ?? 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 wxwork/4.1.20 MicroMessenger/7.0.1 Language/zh',
	};
	if (method === 'POST') {
		const boundary = `----sandboxform${randomBytes(8).toString('hex')}`;
		const parts = Object.entries(options.form ?? {}).map(
			([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
		);
		body = Buffer.from(`${parts.join('')}--${boundary}--\r\n`, 'utf8');
		headers['Content-Type'] = `multipart/form-data; boundary=${boundary}`;
		headers['Content-Length'] = body.length;
	}
	const target = new URL(url);
	const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
	return await new Promise<BrowserResult>((resolve, reject) => {
		const req = send(target, { method, headers, timeout: 10000 }, (response) => {
			const chunks: Buffer[] = [];
			response.on('data', (chunk: Buffer) => chunks.push(chunk));
			response.on('end', () =>
				resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), contentType: String(response.headers['content-type'] ?? '') }),
			);
			response.on('error', reject);
		});
		req.on('timeout', () => req.destroy(new Error(`No answer from ${target.origin}${target.pathname} within 10 s`)));
		req.on('error', reject);
		req.end(body);
	});
}
