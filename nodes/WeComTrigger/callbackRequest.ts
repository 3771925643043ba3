/**
 * Turns an incoming HTTP request into a verified, decrypted callback, or a CallbackRejection that says which
 * HTTP status to answer, a short public reason (no secrets), and a log line an admin can act on.
 * Order of checks: parameters → body → signature → decryption → receive ID → inner XML.
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { decodeEncodingAesKey, openCallback, WeComCryptoError } from '../shared/crypto';
import { parseXml, WeComXmlError, type XmlObject } from '../shared/xml';

export const MAX_CALLBACK_BYTES = 1024 * 1024;

export interface CallbackSecrets {
	token: string;
	key: Buffer;
	/** '' means "do not check" (robot-style callbacks carry none). */
	receiveId: string;
}

export class CallbackRejection extends Error {
	constructor(
		readonly status: number,
		readonly publicReason: string,
		readonly logMessage: string,
	) {
		super(publicReason);
	}
}

export interface OpenedCallback {
	/** The decrypted plaintext: echostr for URL verification, the inner XML for callbacks. */
	message: string;
	parsed: XmlObject;
	outerAgentId?: string;
}

/** Minimal view of the request n8n hands to webhooks (an express request). */
export interface CallbackHttpRequest {
	query?: unknown;
	body?: unknown;
	rawBody?: unknown;
}

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

export function secretsFrom(data: ICredentialDataDecryptedObject): CallbackSecrets {
	return {
		token: String(data.token),
		key: decodeEncodingAesKey(String(data.encodingAESKey)),
		receiveId: String(data.receiveId ?? '').trim(),
	};
}

export function openCallbackRequest(request: CallbackHttpRequest, secrets: CallbackSecrets, isVerification: boolean): OpenedCallback {
	const query = readQuery(request.query);
	if (isVerification) {
		const message = open(secrets, query, query.echostr, 'echostr');
		return { message, parsed: {} };
	}
	const raw = readRawBody(request);
	let outer: XmlObject;
	try {
		outer = parseXml(raw, { maxBytes: MAX_CALLBACK_BYTES });
	} catch (error) {
		throw new CallbackRejection(400, 'malformed XML body', `the body is not WeCom's XML envelope (${describe(error)})`);
	}
	const encrypted = typeof outer.Encrypt === 'string' ? outer.Encrypt : undefined;
	const message = open(secrets, query, encrypted, 'Encrypt');
	let parsed: XmlObject;
	try {
		parsed = parseXml(message, { maxBytes: MAX_CALLBACK_BYTES });
	} catch (error) {
		throw new CallbackRejection(400, 'malformed message', `the decrypted message is not valid XML (${describe(error)})`);
	}
	return { message, parsed, outerAgentId: typeof outer.AgentID === 'string' ? outer.AgentID : undefined };
}

function open(secrets: CallbackSecrets, query: Record<string, string | undefined>, encrypted: string | undefined, field: string): string {
	if (!query.msg_signature || !query.timestamp || !query.nonce || !encrypted) {
		const missing = ['msg_signature', 'timestamp', 'nonce'].filter((name) => !query[name]);
		if (!encrypted) missing.push(field);
		throw new CallbackRejection(400, `missing ${missing.join(', ')}`, `the request lacks ${missing.join(', ')}; only WeCom's servers should call this URL`);
	}
	try {
		return openCallback({
			token: secrets.token,
			key: secrets.key,
			receiveId: secrets.receiveId,
			signature: query.msg_signature,
			timestamp: query.timestamp,
			nonce: query.nonce,
			encrypted,
		});
	} catch (error) {
		throw rejectionFor(error);
	}
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

function readQuery(query: unknown): Record<string, string | undefined> {
	const result: Record<string, string | undefined> = {};
	if (typeof query !== 'object' || query === null) return result;
	for (const name of ['msg_signature', 'timestamp', 'nonce', 'echostr']) {
		const value = (query as Record<string, unknown>)[name];
		if (Array.isArray(value)) {
			throw new CallbackRejection(400, `duplicate ${name}`, `the query string repeats ${name}`);
		}
		if (typeof value === 'string') result[name] = value;
	}
	return result;
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
		return raw.toString();
	}
	const parsed = request.body as { xml?: { encrypt?: unknown; Encrypt?: unknown } } | undefined;
	const encrypt = parsed?.xml?.encrypt ?? parsed?.xml?.Encrypt;
	const value = Array.isArray(encrypt) ? encrypt[0] : encrypt;
	if (typeof value === 'string') return `<xml><Encrypt><![CDATA[${value}]]></Encrypt></xml>`;
	throw new CallbackRejection(400, 'empty body', 'the POST body is empty or not XML');
}

function describe(error: unknown): string {
	if (error instanceof WeComXmlError || error instanceof WeComCryptoError) return error.message;
	return error instanceof Error ? error.message : String(error);
}
