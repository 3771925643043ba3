/**
 * The one place that talks HTTP to WeCom's app API (`weComApi` credential).
 * - the token comes from n8n's stored credential (pre-authentication), read once per node run (credentialCache) and
 *   handed to n8n's request helper; stale or rejected tokens are refreshed once per process at a time and the call is
 *   repeated once;
 * - errcode != 0 (HTTP 200) becomes a NodeApiError with the code, WeCom's errmsg and an English fix;
 * - -1/45009/45033 and transient network failures are retried with exponential backoff and jitter;
 * - nothing thrown from here carries the request URL (access_token in the query string).
 */
import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestMethods, IHttpRequestOptions, JsonObject } from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';

import { apiUrl } from '../../shared/baseUrl';
import { TOKEN_ERRCODES } from '../../shared/errorCodes';
import { backoffDelay, getRetryPolicy, isRetryableErrcode, isTransientNetworkError } from './retryPolicy';
import { forgetRejected, isRejected, isTokenStale, markRejected, refreshInFlight, runRefresh } from './tokenCoordinator';
import {
	WECOM_API_CREDENTIAL,
	asDecrypted,
	forgetWeComCredential,
	readWeComCredential,
	rememberWeComCredential,
	type WeComContext,
	type WeComCredential,
} from './credentialCache';
import { buildMediaMultipart, type UploadFile } from './multipart';
import {
	isRetryableTokenFailure,
	networkErrorToNodeApiError,
	scrubErrmsg,
	tokenFailureToNodeApiError,
	weComErrorToNodeApiError,
} from './errors';

export { WECOM_API_CREDENTIAL, readWeComCredential, type WeComContext, type WeComCredential } from './credentialCache';

export interface WeComApiCall {
	method: IHttpRequestMethods;
	/** Path under /cgi-bin/, e.g. 'message/send'. */
	endpoint: string;
	qs?: IDataObject;
	body?: IDataObject;
	/** Sent as multipart/form-data with one file part, named `uploadField` (default `media`). */
	upload?: UploadFile;
	/** The multipart part name of `upload` (WeCom's media endpoints use `media`; others differ). */
	uploadField?: string;
	itemIndex?: number;
	/** Set false for calls that must not be repeated on rate limits (the caller handles them). */
	retryRateLimits?: boolean;
}

export interface WeComDownload {
	data: Buffer;
	contentType: string;
	filename?: string;
}

interface RawResponse {
	body: unknown;
	headers: Record<string, unknown>;
	tokenUsed: string;
	/** The refresh lock this call's credential belongs to. */
	key: string;
}

interface SentRequest extends Omit<RawResponse, 'key'> {
	/** The credential the request was authenticated with (after a forced refresh: with the new token). */
	credentials: ICredentialDataDecryptedObject;
}

/** Calls a JSON endpoint and returns WeCom's answer (errcode 0) without errcode/errmsg noise removed. */
export async function weComApiRequest(this: WeComContext, call: WeComApiCall): Promise<IDataObject> {
	const response = await callWithRetries(this, call, false);
	return response.body as IDataObject;
}

/** Calls an endpoint answering a file (media/get). A JSON answer means an error and is mapped like any other. */
export async function weComApiDownload(this: WeComContext, call: WeComApiCall): Promise<WeComDownload> {
	const answer = await weComApiCall.call(this, call);
	if (answer.kind === 'file') return { data: answer.data, contentType: answer.contentType, filename: answer.filename };
	throw new NodeApiError(this.getNode(), { endpoint: call.endpoint } as JsonObject, {
		message: `WeCom answered ${call.endpoint} with JSON instead of a file`,
		description: 'The media may have expired (temporary media live 3 days) or belong to another app.',
		itemIndex: call.itemIndex,
	});
}

/** What an endpoint answered: JSON (errcode 0), or a file. */
export type WeComAnswer = { kind: 'json'; body: IDataObject } | ({ kind: 'file' } & WeComDownload);

/**
 * Calls any endpoint and takes what comes back: a JSON answer (errcode != 0 is mapped like any other call), or a file
 * (anything that is not JSON), for API Request where the caller does not know in advance.
 */
export async function weComApiCall(this: WeComContext, call: WeComApiCall): Promise<WeComAnswer> {
	const response = await callWithRetries(this, call, true);
	if (!Buffer.isBuffer(response.body)) return { kind: 'json', body: response.body as IDataObject };
	const contentType = String(response.headers['content-type'] ?? 'application/octet-stream');
	return { kind: 'file', data: response.body, contentType, filename: filenameFromDisposition(response.headers['content-disposition']) };
}

async function callWithRetries(ctx: WeComContext, call: WeComApiCall, binary: boolean): Promise<RawResponse> {
	return await retryLoop(ctx, call, async () => await callWithFreshToken(ctx, call, binary));
}

/**
 * Repeats `attempt` on transient network failures and, unless the call opts out, on WeCom's busy/rate-limit codes,
 * with exponential backoff and jitter; maps the final failure to a NodeApiError.
 */
export async function retryLoop<T extends { body: unknown }>(
	ctx: WeComContext,
	call: Pick<WeComApiCall, 'endpoint' | 'itemIndex' | 'retryRateLimits'>,
	attempt: () => Promise<T>,
): Promise<T> {
	const policy = getRetryPolicy();
	const retryRateLimits = call.retryRateLimits !== false;
	for (let retry = 0; ; retry++) {
		let response: T;
		try {
			response = await attempt();
		} catch (error) {
			if (retry < policy.maxRetries && (isTransientNetworkError(error) || isRetryableTokenFailure(error))) {
				await sleep(backoffDelay(retry));
				continue;
			}
			throw tokenFailureToNodeApiError(ctx.getNode(), error, call) ?? networkErrorToNodeApiError(ctx.getNode(), error, call);
		}
		const errcode = errcodeOf(response.body);
		if (errcode === 0) return response;
		if (retryRateLimits && isRetryableErrcode(errcode) && retry < policy.maxRetries) {
			await sleep(backoffDelay(retry));
			continue;
		}
		throw weComErrorToNodeApiError(ctx.getNode(), response.body as JsonObject, call, retry);
	}
}

/** One logical call: refreshes a stale token first, and repeats once if WeCom rejects the token. */
async function callWithFreshToken(ctx: WeComContext, call: WeComApiCall, binary: boolean): Promise<RawResponse> {
	for (let attempt = 0; attempt < 2; attempt++) {
		const response = await sendOnce(ctx, call, binary);
		const errcode = errcodeOf(response.body);
		if (!TOKEN_ERRCODES.has(errcode) || attempt === 1) return response;
		markRejected(response.key, response.tokenUsed);
	}
	// Unreachable: the loop returns on its second pass.
	throw new NodeApiError(ctx.getNode(), { message: 'WeCom token refresh loop ended unexpectedly' });
}

async function sendOnce(ctx: WeComContext, call: WeComApiCall, binary: boolean): Promise<RawResponse> {
	const itemIndex = call.itemIndex ?? 0;
	let credential = await readWeComCredential(ctx, itemIndex);
	const pending = refreshInFlight(credential.key);
	if (pending) {
		await pending;
		credential = await readWeComCredential(ctx, itemIndex, { fresh: true });
	}
	if (!credential.fresh && !hasUsableToken(credential)) {
		// The run's copy is out of date; the store may already hold a newer token (another execution or process).
		credential = await readWeComCredential(ctx, itemIndex, { fresh: true });
	}
	const { key, data } = credential;
	if (hasUsableToken(credential)) {
		return withKey(await send(ctx, call, binary, data, false), key);
	}
	forgetWeComCredential(ctx);
	const outcome = await runRefresh(key, async () => await send(ctx, call, binary, data, true));
	if (outcome.leader) {
		// gettoken hands back the same token while it is valid (e.g. after a 41001 from a proxy dropping the query):
		// it is current again, so later items must not refresh once more each.
		forgetRejected(key, outcome.value.tokenUsed);
		rememberWeComCredential(ctx, key, outcome.value.credentials);
		return withKey(outcome.value, key);
	}
	// Another item refreshed meanwhile: use the token it stored.
	const refreshed = await readWeComCredential(ctx, itemIndex, { fresh: true });
	return withKey(await send(ctx, call, binary, refreshed.data, false), key);
}

function withKey(sent: SentRequest, key: string): RawResponse {
	return { body: sent.body, headers: sent.headers, tokenUsed: sent.tokenUsed, key };
}

function hasUsableToken({ key, data }: WeComCredential): boolean {
	const token = String(data.accessToken ?? '');
	return !isTokenStale(token, data.tokenExpiresAt) && !isRejected(key, token);
}

/**
 * Sends through n8n's authenticated request helper, handing it the credential we already hold so it does not read
 * and decrypt it again. With `forceRefresh`, the credential is handed over with an empty token, which makes n8n run
 * the credential's preAuthentication (gettoken) and persist the new token before authenticating this request.
 */
async function send(
	ctx: WeComContext,
	call: WeComApiCall,
	binary: boolean,
	credentials: ICredentialDataDecryptedObject,
	forceRefresh: boolean,
): Promise<SentRequest> {
	const options: IHttpRequestOptions = {
		method: call.method,
		url: apiUrl(credentials.baseUrl, call.endpoint),
		qs: { ...(call.qs ?? {}) },
		timeout: 60000,
		returnFullResponse: true,
	};
	if (call.upload) {
		const multipart = buildMediaMultipart(call.upload, call.uploadField);
		options.body = multipart.body;
		options.headers = { 'Content-Type': multipart.contentType };
	} else if (call.body !== undefined) {
		options.body = call.body;
		options.json = true;
	}
	if (binary) {
		options.encoding = 'arraybuffer';
	} else {
		options.json = true;
	}
	const handed = asDecrypted(ctx, forceRefresh ? { ...credentials, accessToken: '' } : credentials);
	const full = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, WECOM_API_CREDENTIAL, options, { credentialsDecrypted: handed })) as {
		body: unknown;
		headers: Record<string, unknown>;
	};
	// After a forced refresh n8n merged the new token into the object we handed over; read it back.
	const used = handed.data ?? credentials;
	const tokenUsed = String(used.accessToken ?? '');
	const answer = binary ? decodeBinaryAnswer(full.body, full.headers) : parseJsonBody(full.body);
	const body = scrubErrmsg(answer, [tokenUsed, String(credentials.corpSecret ?? '')]);
	return { body, headers: full.headers ?? {}, tokenUsed, credentials: used };
}

export function errcodeOf(body: unknown): number {
	if (typeof body !== 'object' || body === null || Buffer.isBuffer(body)) return 0;
	const value = (body as IDataObject).errcode;
	return value === undefined || value === null ? 0 : Number(value);
}

export function parseJsonBody(body: unknown): unknown {
	if (typeof body === 'string') {
		try {
			return JSON.parse(body) as unknown;
		} catch {
			return { errcode: 47001, errmsg: 'WeCom answered with something that is not JSON' };
		}
	}
	return body;
}

/** media/get answers the file, or a JSON error body with HTTP 200. */
function decodeBinaryAnswer(body: unknown, headers: Record<string, unknown>): unknown {
	const buffer = Buffer.isBuffer(body) ? body : Buffer.from(body as ArrayBuffer);
	const type = String(headers?.['content-type'] ?? '');
	if (/json|text\/plain/i.test(type) || (buffer.length < 512 && buffer.subarray(0, 1).toString() === '{')) {
		try {
			return JSON.parse(buffer.toString('utf8')) as unknown;
		} catch {
			return buffer;
		}
	}
	return buffer;
}

function filenameFromDisposition(value: unknown): string | undefined {
	if (typeof value !== 'string') return undefined;
	const star = /filename\*\s*=\s*(?:UTF-8'')?([^;]+)/i.exec(value);
	if (star) {
		try {
			return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''));
		} catch {
			return star[1].trim();
		}
	}
	const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(value);
	return plain ? plain[1].trim() : undefined;
}
