/**
 * Turns an incoming HTTP request into a verified, decrypted callback, or a CallbackRejection that says which
 * HTTP status to answer, a short public reason (no secrets), and a log line an admin can act on.
 * Order of checks (fixed): query parameters → body (size, XML, Encrypt) → signature → decryption → receive ID →
 * inner XML.
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { decodeEncodingAesKey, decrypt, verifySignature, WeComCryptoError } from '../shared/crypto';
import { parseXml, WeComXmlError, type XmlObject } from '../shared/xml';

export const MAX_CALLBACK_BYTES = 1024 * 1024;

export interface CallbackSecrets {
	token: string;
	key: Buffer;
	/** undefined when the credential leaves it empty: then the receive ID is not checked. */
	receiveId?: string;
}

export class CallbackRejection extends Error {
	constructor(
		readonly status: number,
		readonly publicReason: string,
		readonly logMessage: string,
	) {
		super(publicReason);
		this.name = 'CallbackRejection';
	}
}

export interface OpenedCallback {
	/** The decrypted plaintext: echostr for URL verification, the inner XML for callbacks. */
	message: string;
	/** The receive ID the payload was encrypted for; passive replies are encrypted for the same one. */
	receiveId: string;
	parsed: XmlObject;
	outerAgentId?: string;
}

export type OpenResult = { ok: true; callback: OpenedCallback } | { ok: false; rejection: CallbackRejection };

/** Minimal view of the request n8n hands to webhooks (an express request). */
export interface CallbackHttpRequest {
	query?: unknown;
	body?: unknown;
	rawBody?: unknown;
}

type Query = Partial<Record<'msg_signature' | 'timestamp' | 'nonce' | 'echostr', string>>;

/** Returns a problem description, or undefined when the callback credential is usable. */
export function checkCallbackCredential(data: ICredentialDataDecryptedObject): string | undefined {
	const token = String(data.token ?? '');
	if (token === '') return 'The Token is empty: copy it from 接收消息 → 设置API接收';
	if (!/^[A-Za-z0-9]{1,32}$/.test(token)) return 'The Token must be 1 to 32 letters or digits, as WeCom generates it';
	try {
		decodeEncodingAesKey(String(data.encodingAESKey ?? ''));
	} catch {
		return 'The EncodingAESKey must be exactly the 43 characters WeCom shows (letters and digits)';
	}
	return undefined;
}

/**
 * Secrets of the credentials seen lately, by their three values, so a callback neither checks the Token and
 * EncodingAESKey nor decodes the key again. Only credentials that passed checkCallbackCredential are kept; a few
 * at most per process; never logged.
 */
const recentSecrets = new Map<string, CallbackSecrets>();
const MAX_RECENT_SECRETS = 16;

/** The usable secrets of a callback credential, or a description of what is wrong with it. */
export function callbackSecrets(data: ICredentialDataDecryptedObject): CallbackSecrets | string {
	const token = String(data.token ?? '');
	const encodingAesKey = String(data.encodingAESKey ?? '');
	const receiveId = String(data.receiveId ?? '').trim();
	// '\n' cannot occur in a valid Token or EncodingAESKey, so the three values cannot run into each other.
	const id = `${token}\n${encodingAesKey}\n${receiveId}`;
	const known = recentSecrets.get(id);
	if (known !== undefined) return known;
	const problem = checkCallbackCredential(data);
	if (problem !== undefined) return problem;
	const secrets: CallbackSecrets = { token, key: decodeEncodingAesKey(encodingAesKey), receiveId: receiveId === '' ? undefined : receiveId };
	if (recentSecrets.size >= MAX_RECENT_SECRETS) recentSecrets.clear();
	recentSecrets.set(id, secrets);
	return secrets;
}

/** callbackSecrets for a credential known to be usable (tests, benchmarks); throws what is wrong otherwise. */
export function secretsFrom(data: ICredentialDataDecryptedObject): CallbackSecrets {
	const secrets = callbackSecrets(data);
	if (typeof secrets === 'string') throw new WeComCryptoError('INVALID_KEY', secrets);
	return secrets;
}

/** Never throws: every failure, expected or not, comes back as a rejection. */
export function openCallbackRequest(request: CallbackHttpRequest, secrets: CallbackSecrets, isVerification: boolean): OpenResult {
	try {
		return { ok: true, callback: openOrThrow(request, secrets, isVerification) };
	} catch (error) {
		const rejection =
			error instanceof CallbackRejection
				? error
				: new CallbackRejection(400, 'bad request', `the request could not be read (${describe(error)})`);
		return { ok: false, rejection };
	}
}

function openOrThrow(request: CallbackHttpRequest, secrets: CallbackSecrets, isVerification: boolean): OpenedCallback {
	const query = readQuery(request.query, isVerification);
	if (isVerification) {
		const opened = open(secrets, query, query.echostr as string);
		return { message: opened.message, receiveId: opened.receiveId, parsed: {} };
	}
	const raw = readRawBody(request);
	const outer = attempt(() => parseXml(raw, { maxBytes: MAX_CALLBACK_BYTES }));
	if (!outer.ok) {
		throw new CallbackRejection(400, 'malformed XML body', `the body is not WeCom's XML envelope (${describe(outer.error)})`);
	}
	const encrypted = outer.value.Encrypt;
	if (typeof encrypted !== 'string' || encrypted === '') {
		throw new CallbackRejection(400, 'missing Encrypt', 'the XML body has no <Encrypt> text; only WeCom\'s servers should call this URL');
	}
	const { message, receiveId } = open(secrets, query, encrypted);
	const parsed = attempt(() => parseXml(message, { maxBytes: MAX_CALLBACK_BYTES }));
	if (!parsed.ok) {
		throw new CallbackRejection(400, 'malformed message', `the decrypted message is not valid XML (${describe(parsed.error)})`);
	}
	const agentId = outer.value.AgentID;
	return { message, receiveId, parsed: parsed.value, outerAgentId: typeof agentId === 'string' && agentId !== '' ? agentId : undefined };
}

/** Signature first (cheap, and says whether the request is WeCom's at all), then decryption and the receive ID. */
function open(secrets: CallbackSecrets, query: Query, encrypted: string): { message: string; receiveId: string } {
	const { msg_signature: signature, timestamp, nonce } = query;
	if (!signature || !timestamp || !nonce || !verifySignature(secrets.token, timestamp, nonce, encrypted, signature)) {
		throw rejectionFor(new WeComCryptoError('BAD_SIGNATURE', 'msg_signature does not match'));
	}
	// decrypt's expected receive ID: undefined = not checked, which is what an empty Receive ID in the credential promises.
	const result = attempt(() => decrypt(secrets.key, encrypted, secrets.receiveId));
	if (!result.ok) throw rejectionFor(result.error);
	return result.value;
}

function rejectionFor(error: unknown): CallbackRejection {
	if (!(error instanceof WeComCryptoError)) {
		return new CallbackRejection(400, 'cannot decrypt', `decryption failed (${describe(error)})`);
	}
	switch (error.code) {
		case 'MISSING_PARAMETER':
			return new CallbackRejection(400, 'missing parameters', error.message);
		case 'BAD_SIGNATURE':
			return new CallbackRejection(
				401,
				'signature mismatch',
				'msg_signature does not match: the Token in the credential must equal the one in 接收消息 → 设置API接收, or the request did not come from WeCom',
			);
		case 'RECEIVE_ID_MISMATCH':
			return new CallbackRejection(
				403,
				'receive ID mismatch',
				'the callback is addressed to another corp or suite: check the Receive ID (Corp ID) in the credential',
			);
		case 'INVALID_KEY':
			return new CallbackRejection(500, 'callback credential invalid', 'the EncodingAESKey in the credential is not a valid 43-character key');
		default:
			return new CallbackRejection(
				400,
				'cannot decrypt',
				`the payload does not decrypt (${error.code}): the EncodingAESKey in the credential must equal the one in 接收消息 → 设置API接收`,
			);
	}
}

const REQUIRED_FOR_VERIFICATION: ReadonlyArray<keyof Query> = ['msg_signature', 'timestamp', 'nonce', 'echostr'];
const REQUIRED_FOR_CALLBACK: ReadonlyArray<keyof Query> = ['msg_signature', 'timestamp', 'nonce'];

/** The query as WeCom sends it: each parameter once, as a plain string; the required ones present. */
function readQuery(query: unknown, isVerification: boolean): Query {
	const source = typeof query === 'object' && query !== null ? (query as Record<string, unknown>) : {};
	const result: Query = {};
	const required = isVerification ? REQUIRED_FOR_VERIFICATION : REQUIRED_FOR_CALLBACK;
	let present = 0;
	for (const name of required) {
		const value = source[name];
		if (Array.isArray(value)) throw new CallbackRejection(400, `duplicate ${name}`, `the query string repeats ${name}`);
		if (value !== undefined && typeof value !== 'string') {
			throw new CallbackRejection(400, `malformed ${name}`, `the query parameter ${name} is not a plain value`);
		}
		if (typeof value === 'string' && value !== '') {
			result[name] = value;
			present++;
		}
	}
	if (present === required.length) return result;
	const missing = required.filter((name) => result[name] === undefined);
	throw new CallbackRejection(
		400,
		`missing ${missing.join(', ')}`,
		`the request lacks ${missing.join(', ')}; only WeCom's servers should call this URL`,
	);
}

/**
 * n8n parses XML bodies itself (lower-casing tag names); the untouched bytes are on `rawBody`. Should they be missing,
 * the parsed form still holds the Encrypt value verbatim, which is all that is needed.
 */
function readRawBody(request: CallbackHttpRequest): string {
	const raw = request.rawBody;
	if (Buffer.isBuffer(raw) || typeof raw === 'string') {
		const size = Buffer.isBuffer(raw) ? raw.length : Buffer.byteLength(raw);
		if (size > MAX_CALLBACK_BYTES) {
			throw new CallbackRejection(413, 'body too large', `the body has ${size} bytes, more than the ${MAX_CALLBACK_BYTES} a WeCom callback can have`);
		}
		if (size === 0) throw new CallbackRejection(400, 'empty body', 'the POST body is empty');
		return raw.toString('utf8');
	}
	if (typeof request.body === 'string') return readRawBody({ rawBody: request.body });
	const parsed = request.body as { xml?: { encrypt?: unknown; Encrypt?: unknown } } | undefined;
	const encrypt = parsed?.xml?.encrypt ?? parsed?.xml?.Encrypt;
	const value = Array.isArray(encrypt) ? (encrypt[0] as unknown) : encrypt;
	if (typeof value === 'string') {
		if (value.length > MAX_CALLBACK_BYTES) {
			throw new CallbackRejection(413, 'body too large', `the body is larger than the ${MAX_CALLBACK_BYTES} bytes a WeCom callback can have`);
		}
		// Base64 never contains ']]>'; such a value cannot be wrapped in CDATA and cannot be WeCom's.
		if (value.includes(']]>')) throw new CallbackRejection(400, 'malformed XML body', 'the Encrypt value is not base64');
		return `<xml><Encrypt><![CDATA[${value}]]></Encrypt></xml>`;
	}
	throw new CallbackRejection(400, 'empty body', 'the POST body is empty or not XML');
}

function attempt<T>(run: () => T): { ok: true; value: T } | { ok: false; error: unknown } {
	try {
		return { ok: true, value: run() };
	} catch (error) {
		return { ok: false, error };
	}
}

function describe(error: unknown): string {
	if (error instanceof WeComXmlError || error instanceof WeComCryptoError) return error.message;
	return error instanceof Error ? error.message : String(error);
}
