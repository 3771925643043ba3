/**
 * Keys of the native buttons on send-and-wait cards (button_interaction), and the proof a WeCom Trigger adds
 * when it hands a click on to the waiting execution. Pure: node:crypto only.
 *
 * A button key is `wkh1.<answer>.<mac>.<resume>`:
 *  - answer: `a` (approve) or `d` (decline);
 *  - resume: the execution's signed resume URL (n8n's getSignedResumeUrl), base64url;
 *  - mac: HMAC-SHA256 over version, answer, the card's task_id and the resume URL, 32 hex characters (128 bits).
 * The MAC key is derived from the app's callback credential (Token and EncodingAESKey), which the sending node and
 * the WeCom Trigger both hold and which never appears on a card: a key cannot be made up, changed to the other
 * answer, or moved to another card (the task_id WeCom reports with the click is part of it).
 *
 * The trigger checks the MAC before it calls anything, then POSTs the click with a proof (HMAC over the key and
 * what WeCom said about the click: user, task_id, response_code, time), which the waiting node checks again before
 * it resumes. A click replayed later finds the execution no longer waiting; a proof older than PROOF_MAX_AGE_S is
 * refused anyway.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

import { decodeEncodingAesKey } from './crypto';

export const CARD_KEY_VERSION = 'wkh1';
const MAC_HEX = 32;
/** Seconds a forwarded click stays acceptable (WeCom's clock vs n8n's, and WeCom's retries). */
export const PROOF_MAX_AGE_S = 600;

export type CardAnswer = 'a' | 'd';

/** The callback credential's Token and decoded EncodingAESKey (decodeEncodingAesKey), as both nodes hold them. */
export interface CardKeySecret {
	token: string;
	key: Buffer;
}

export interface ParsedCardKey {
	answer: CardAnswer;
	mac: string;
	resumeUrl: string;
}

/** The click as the trigger forwards it to the waiting execution. */
export interface ForwardedClick {
	key: string;
	taskId: string;
	userId: string;
	responseCode: string;
	createTime: number;
	proof: string;
}

/** The secret of a callback credential's data (Token, EncodingAESKey), or undefined when they are unusable. */
export function cardKeySecretOf(data: { token?: unknown; encodingAESKey?: unknown } | undefined): CardKeySecret | undefined {
	const token = String(data?.token ?? '');
	if (!token) return undefined;
	try {
		return { token, key: decodeEncodingAesKey(String(data?.encodingAESKey ?? '')) };
	} catch {
		return undefined;
	}
}

function secretKey(secret: CardKeySecret): Buffer {
	return createHmac('sha256', secret.key).update(`n8n-nodes-wecom-kit send-and-wait card key v1\n${secret.token}`).digest();
}

function hmacHex(secret: CardKeySecret, parts: string[], length = 64): string {
	return createHmac('sha256', secretKey(secret)).update(parts.join('\n')).digest('hex').slice(0, length);
}

function equalText(a: string, b: string): boolean {
	const left = Buffer.from(a);
	const right = Buffer.from(b);
	return left.length === right.length && timingSafeEqual(left, right);
}

export function isCardAnswerKey(value: unknown): value is string {
	return typeof value === 'string' && value.startsWith(`${CARD_KEY_VERSION}.`);
}

export function buildCardKey(secret: CardKeySecret, answer: CardAnswer, taskId: string, resumeUrl: string): string {
	const mac = hmacHex(secret, [CARD_KEY_VERSION, answer, taskId, resumeUrl], MAC_HEX);
	return `${CARD_KEY_VERSION}.${answer}.${mac}.${Buffer.from(resumeUrl, 'utf8').toString('base64url')}`;
}

/** The key's parts, or undefined when it is not a well-formed key of this version. Does not check the MAC. */
export function parseCardKey(key: string): ParsedCardKey | undefined {
	const match = /^wkh1\.([ad])\.([0-9a-f]{32})\.([A-Za-z0-9_-]{8,1000})$/.exec(key);
	if (!match) return undefined;
	const resumeUrl = Buffer.from(match[3], 'base64url').toString('utf8');
	if (!/^https?:\/\/[^\s]+$/.test(resumeUrl)) return undefined;
	return { answer: match[1] as CardAnswer, mac: match[2], resumeUrl };
}

/** The parsed key when its MAC is right for this secret and task_id, else undefined. */
export function verifyCardKey(secret: CardKeySecret, key: string, taskId: string): ParsedCardKey | undefined {
	const parsed = parseCardKey(key);
	if (!parsed) return undefined;
	const expected = hmacHex(secret, [CARD_KEY_VERSION, parsed.answer, taskId, parsed.resumeUrl], MAC_HEX);
	return equalText(expected, parsed.mac) ? parsed : undefined;
}

function proofParts(click: Omit<ForwardedClick, 'proof'>): string[] {
	return ['forward', click.key, click.taskId, click.userId, click.responseCode, String(click.createTime)];
}

export function signForwardedClick(secret: CardKeySecret, click: Omit<ForwardedClick, 'proof'>): ForwardedClick {
	return { ...click, proof: hmacHex(secret, proofParts(click)) };
}

/**
 * Why a forwarded click must be refused, or undefined when it is genuine: its proof and its key check out for this
 * secret, the key belongs to `resumeUrlPath` (this execution and node) and the click is recent.
 */
export function forwardedClickProblem(
	secret: CardKeySecret,
	click: ForwardedClick,
	resumeUrlPath: { executionId: string; nodeId: string },
	nowSeconds: number,
): string | undefined {
	if (!equalText(hmacHex(secret, proofParts(click)), String(click.proof))) return 'the forwarded click has no valid proof';
	const parsed = verifyCardKey(secret, click.key, click.taskId);
	if (!parsed) return 'the button key is not valid for this card';
	let path: string;
	try {
		path = new URL(parsed.resumeUrl).pathname;
	} catch {
		return 'the button key holds no resume URL';
	}
	const suffix = `/${resumeUrlPath.executionId}/${encodeURIComponent(resumeUrlPath.nodeId)}`;
	if (!path.endsWith(suffix)) return 'the button key belongs to another execution';
	if (!Number.isFinite(click.createTime) || Math.abs(nowSeconds - click.createTime) > PROOF_MAX_AGE_S) {
		return 'the click is too old';
	}
	return undefined;
}
