import { randomBytes } from 'node:crypto';

import { ApprovalStore } from './approval';
import { ContactsState } from './contacts';
import { fail } from './errors';
import type { SandboxApp, SandboxMessage, StoredMedia } from './types';
import { SmartsheetStore } from './smartsheet';
import { randomId } from './util';

export const MEDIA_LIFETIME_MS = 3 * 24 * 3600 * 1000;
export const RESPONSE_CODE_LIFETIME_MS = 72 * 3600 * 1000;
export const RECALL_WINDOW_MS = 24 * 3600 * 1000;

interface TokenRecord {
	token: string;
	app: SandboxApp;
	expiresAt: number;
	revoked: boolean;
}

export interface MediaRecord extends StoredMedia {
	mediaId: string;
	createdAt: number;
	/** Robot uploads work only with the robot (key) that uploaded them. */
	robotKey?: string;
	corpId?: string;
	/** uploadimg images: reachable by URL only, never usable as a media_id. */
	permanent?: boolean;
}

export interface ResponseCodeRecord {
	code: string;
	msgid: string;
	cardType: string;
	/** Whether the card may take `button.replace_name` (the three interactive kinds). */
	interactive: boolean;
	agentId: number;
	corpId: string;
	expiresAt: number;
	used: boolean;
}

export interface TaskRecord {
	taskId: string;
	msgid: string;
	kind: 'template_card' | 'interactive_taskcard';
	cardType?: string;
	/** Keys a user can click: buttons, submit button, action menu entries (template cards) or btn keys (task cards). */
	keys: string[];
	menuKeys: string[];
	agentId: number;
	corpId: string;
}

export interface ChatRecord {
	chatid: string;
	name: string;
	owner: string;
	userlist: string[];
	agentId: number;
	corpId: string;
}

/** Everything the sandbox remembers between requests; reset() empties it. */
export class SandboxStore {
	tokens = new Map<string, TokenRecord>();
	/** Current token per app (corp + secret). */
	currentToken = new Map<string, TokenRecord>();
	gettokenCount = 0;
	media = new Map<string, MediaRecord>();
	messages: SandboxMessage[] = [];
	messagesById = new Map<string, SandboxMessage>();
	responseCodes = new Map<string, ResponseCodeRecord>();
	tasks = new Map<string, TaskRecord>();
	chats = new Map<string, ChatRecord>();
	/** Last accepted body per app for enable_duplicate_check. */
	recentBodies = new Map<string, { at: number; msgid: string }>();
	/** Approval instances (approval.ts). */
	readonly approvals: ApprovalStore;
	/** The contact directory and each app's contacts settings (visible range, privacy, IP rules). */
	contacts: ContactsState;
	/** Documents and smart sheets (智能表格). */
	readonly smartsheet: SmartsheetStore;

	constructor(
		readonly apps: SandboxApp[],
		readonly robotKeys: string[],
		readonly now: () => number,
		readonly tokenLifetimeMs: number,
	) {
		this.contacts = new ContactsState(apps[0]?.corpSecret ?? '');
		this.approvals = new ApprovalStore(now, this.contacts);
		this.smartsheet = new SmartsheetStore(now);
	}

	clear(): void {
		this.tokens.clear();
		this.currentToken.clear();
		this.gettokenCount = 0;
		this.media.clear();
		this.messages = [];
		this.messagesById.clear();
		this.responseCodes.clear();
		this.tasks.clear();
		this.chats.clear();
		this.recentBodies.clear();
		this.approvals.clear();
		this.contacts.seed();
		this.contacts.settings.clear();
		this.smartsheet.clear();
	}

	/** Same token while valid (expires_in = remaining seconds, rounded up); a new one after expiry or revocation. */
	issueToken(app: SandboxApp): { token: string; expiresIn: number } {
		const key = `${app.corpId}\n${app.corpSecret}`;
		const now = this.now();
		let record = this.currentToken.get(key);
		if (!record || record.revoked || record.expiresAt <= now) {
			record = { token: randomBytes(72).toString('base64url'), app, expiresAt: now + this.tokenLifetimeMs, revoked: false };
			this.tokens.set(record.token, record);
			this.currentToken.set(key, record);
		}
		return { token: record.token, expiresIn: Math.ceil((record.expiresAt - now) / 1000) };
	}

	/** The app behind an access token, or the WeCom error: 41001 missing, 40014 unknown/revoked, 42001 expired. */
	appForToken(token: string | undefined): SandboxApp {
		if (!token) fail(41001);
		const record = this.tokens.get(token);
		if (!record || record.revoked) fail(40014);
		if (record.expiresAt <= this.now()) fail(42001);
		return record.app;
	}

	expireTokens(): void {
		const now = this.now();
		for (const record of this.currentToken.values()) record.expiresAt = Math.min(record.expiresAt, now);
	}

	invalidateTokens(): void {
		for (const record of this.currentToken.values()) record.revoked = true;
	}

	storeMedia(media: Omit<MediaRecord, 'mediaId' | 'createdAt'>): MediaRecord {
		// WeCom media IDs are long opaque strings starting with a digit.
		const record: MediaRecord = { ...media, mediaId: `3${randomId(48)}`, createdAt: this.now() };
		this.media.set(record.mediaId, record);
		return record;
	}

	/** A stored, unexpired media of the corp (robot media only for its own key). */
	findMedia(mediaId: unknown, scope: { corpId?: string; robotKey?: string }): MediaRecord | undefined {
		if (typeof mediaId !== 'string') return undefined;
		const record = this.media.get(mediaId);
		if (!record || record.permanent || this.now() - record.createdAt > MEDIA_LIFETIME_MS) return undefined;
		if (scope.robotKey !== undefined) return record.robotKey === scope.robotKey ? record : undefined;
		return record.robotKey === undefined && record.corpId === scope.corpId ? record : undefined;
	}

	newResponseCode(entry: Omit<ResponseCodeRecord, 'code' | 'expiresAt' | 'used'>): string {
		const code = randomId(48);
		this.responseCodes.set(code, { ...entry, code, expiresAt: this.now() + RESPONSE_CODE_LIFETIME_MS, used: false });
		return code;
	}

	taskKey(corpId: string, agentId: number, taskId: string): string {
		return `${corpId}\n${agentId}\n${taskId}`;
	}

	addMessage(message: SandboxMessage): void {
		this.messages.push(message);
		this.messagesById.set(message.msgid, message);
	}
}
