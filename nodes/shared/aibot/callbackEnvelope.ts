/**
 * The intelligent robot's callback mode (page 101039): the same WXBizMsgCrypt as app callbacks
 * (nodes/shared/crypto.ts, strictly: signature first, then strict padding and length), but JSON instead of XML and
 * an empty receive ID. Requests carry `msg_signature`, `timestamp`, `nonce` in the query and `{"encrypt":"…"}` as
 * the body; encrypted replies are `{"encrypt","msgsignature","timestamp","nonce"}` (no underscore) reusing the
 * callback's nonce. URL verification is a GET with `echostr`, answered with its plaintext.
 */
import { decrypt, sealReply, verifySignature, WeComCryptoError } from '../crypto';

export const MAX_AIBOT_CALLBACK_BYTES = 1024 * 1024;
/** WeCom encrypts robot callbacks for the receive ID "" (the credential has no receive ID). */
export const AIBOT_RECEIVE_ID = '';

export class AiBotCallbackRejection extends Error {
	constructor(
		readonly status: number,
		readonly publicReason: string,
	) {
		super(publicReason);
		this.name = 'AiBotCallbackRejection';
	}
}

export interface AiBotSecrets {
	token: string;
	key: Buffer;
}

export interface AiBotQuery {
	msg_signature?: unknown;
	timestamp?: unknown;
	nonce?: unknown;
	echostr?: unknown;
}

function single(query: AiBotQuery, name: keyof AiBotQuery): string {
	const value = query[name];
	if (Array.isArray(value)) throw new AiBotCallbackRejection(400, `duplicate ${name}`);
	if (typeof value !== 'string' || value === '') throw new AiBotCallbackRejection(400, `missing ${name}`);
	return value;
}

/** Signature first (cheap, and says whether this is WeCom at all), then decryption for the empty receive ID. */
function open(secrets: AiBotSecrets, query: AiBotQuery, encrypted: string): string {
	const signature = single(query, 'msg_signature');
	const timestamp = single(query, 'timestamp');
	const nonce = single(query, 'nonce');
	if (!verifySignature(secrets.token, timestamp, nonce, encrypted, signature)) {
		throw new AiBotCallbackRejection(401, 'signature mismatch');
	}
	let failure: unknown;
	try {
		return decrypt(secrets.key, encrypted, AIBOT_RECEIVE_ID).message;
	} catch (error) {
		failure = error;
	}
	if (failure instanceof WeComCryptoError && failure.code === 'RECEIVE_ID_MISMATCH') {
		throw new AiBotCallbackRejection(403, 'receive ID mismatch (not an intelligent robot callback)');
	}
	throw new AiBotCallbackRejection(400, 'cannot decrypt');
}

const INVALID = Symbol('invalid JSON');

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return INVALID;
	}
}

/** GET: the plaintext echostr to answer with. */
export function openVerification(secrets: AiBotSecrets, query: AiBotQuery): string {
	const echostr = single(query, 'echostr');
	return open(secrets, query, echostr);
}

/** POST: the decrypted JSON body. The envelope must be exactly a JSON object with a string `encrypt`. */
export function openCallbackBody(secrets: AiBotSecrets, query: AiBotQuery, raw: Buffer | string | undefined): Record<string, unknown> {
	if (raw === undefined) throw new AiBotCallbackRejection(400, 'empty body');
	const size = Buffer.isBuffer(raw) ? raw.length : Buffer.byteLength(raw);
	if (size === 0) throw new AiBotCallbackRejection(400, 'empty body');
	if (size > MAX_AIBOT_CALLBACK_BYTES) throw new AiBotCallbackRejection(413, 'body too large');
	const envelope = parseJson(raw.toString());
	if (envelope === INVALID) throw new AiBotCallbackRejection(400, 'body is not JSON');
	if (typeof envelope !== 'object' || envelope === null || Array.isArray(envelope)) {
		throw new AiBotCallbackRejection(400, 'body is not a JSON object');
	}
	const encrypted = (envelope as Record<string, unknown>).encrypt;
	if (typeof encrypted !== 'string' || encrypted === '') throw new AiBotCallbackRejection(400, 'missing encrypt');
	const message = open(secrets, query, encrypted);
	const body = parseJson(message);
	if (body === INVALID) throw new AiBotCallbackRejection(400, 'decrypted message is not JSON');
	if (typeof body !== 'object' || body === null || Array.isArray(body)) {
		throw new AiBotCallbackRejection(400, 'decrypted message is not a JSON object');
	}
	return body as Record<string, unknown>;
}

/** The encrypted reply envelope for a passive reply; `nonce` is the callback's. */
export function sealAiBotReply(secrets: AiBotSecrets, payload: Record<string, unknown>, nonce: string, timestamp?: string): string {
	const sealed = sealReply({ token: secrets.token, key: secrets.key, receiveId: AIBOT_RECEIVE_ID, message: JSON.stringify(payload), nonce, timestamp });
	return JSON.stringify({ encrypt: sealed.encrypt, msgsignature: sealed.signature, timestamp: Number(sealed.timestamp), nonce: sealed.nonce });
}
