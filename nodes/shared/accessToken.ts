import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestHelper } from 'n8n-workflow';

import { apiUrl } from './baseUrl';
import { RETRYABLE_ERRCODES, formatWeComError } from './errorCodes';
import { describeNetworkError, isTransientNetworkError } from './networkError';

export interface AccessTokenGrant {
	accessToken: string;
	/** Epoch milliseconds at which WeCom stops accepting the token. */
	expiresAt: number;
}

/** A gettoken failure; `retryable` when asking again later can succeed (WeCom busy, network, 5xx). */
export class AccessTokenError extends Error {
	constructor(
		message: string,
		readonly retryable: boolean,
	) {
		super(message);
		this.name = 'AccessTokenError';
	}
}

/** WeCom answers 7200 s; fall back to it if a proxy strips the field. */
const DEFAULT_LIFETIME_SECONDS = 7200;

/**
 * Calls gettoken. Errors never carry the request URL: it holds the app secret in its query string.
 * The expiry counts from when we asked, so it falls before WeCom's own by the round trip (the safety margin).
 * A wider margin would cost calls and buy nothing: within its validity WeCom hands back the same token, so
 * asking early cannot renew it; a token WeCom ends early is caught by its 40014/42001 answer instead.
 */
export async function fetchAccessToken(
	requester: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
): Promise<AccessTokenGrant> {
	const corpId = String(credentials.corpId ?? '').trim();
	const corpSecret = String(credentials.corpSecret ?? '').trim();
	if (!corpId || !corpSecret) {
		throw new Error('WeCom credential is incomplete: fill in the Corp ID (企业ID) and the App Secret (Secret)');
	}
	const askedAt = Date.now();
	const answer = await requester.helpers
		.httpRequest({
			method: 'GET',
			url: apiUrl(credentials.baseUrl, 'gettoken'),
			qs: { corpid: corpId, corpsecret: corpSecret },
			json: true,
			timeout: 15000,
		})
		.then(
			(value: unknown) => ({ ok: true as const, body: value as IDataObject }),
			(error: unknown) => ({ ok: false as const, reason: describeNetworkError(error), transient: isTransientNetworkError(error) }),
		);
	// Thrown outside the HTTP call so the original error, whose URL holds the secret, goes nowhere.
	if (!answer.ok) {
		throw new AccessTokenError(
			`Could not reach WeCom to get an access token (${inWords(answer.reason)}). Check the API base URL in the credential and the network or proxy between n8n and WeCom`,
			answer.transient,
		);
	}
	const body = answer.body;
	const errcode = Number(body?.errcode ?? 0);
	if (errcode !== 0) {
		const { message, description } = formatWeComError(errcode, String(body.errmsg ?? '').split(corpSecret).join('***'));
		throw new AccessTokenError(`${message}. ${description}`, RETRYABLE_ERRCODES.has(errcode));
	}
	const accessToken = body.access_token;
	if (typeof accessToken !== 'string' || accessToken === '') {
		throw new Error('WeCom answered gettoken without an access_token; check the API base URL points at WeCom or a faithful proxy');
	}
	const lifetime = Number(body.expires_in);
	const seconds = Number.isFinite(lifetime) && lifetime > 0 ? lifetime : DEFAULT_LIFETIME_SECONDS;
	return { accessToken, expiresAt: askedAt + seconds * 1000 };
}

/**
 * n8n replaces an error message that contains a Node.js network code (ECONNREFUSED …) with a generic text that names
 * neither WeCom nor the base URL; this message reaches the credential test as it is, so the code is put in words.
 */
const NETWORK_CODES_IN_WORDS: Readonly<Record<string, string>> = {
	ECONNREFUSED: 'the connection was refused',
	ECONNRESET: 'the connection was closed unexpectedly',
	ECONNABORTED: 'the connection was aborted',
	ETIMEDOUT: 'the request timed out',
	ESOCKETTIMEDOUT: 'the request timed out',
	ENOTFOUND: 'the host name was not found',
	EAI_AGAIN: 'the host name could not be resolved',
	EHOSTUNREACH: 'the host is unreachable',
	EADDRNOTAVAIL: 'the address is not available',
};

function inWords(reason: string): string {
	return reason.replace(/\bE[A-Z_]+\b/g, (code) => NETWORK_CODES_IN_WORDS[code] ?? code);
}
