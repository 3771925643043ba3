import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { formatWeComError } from '../../shared/errorCodes';
import { describeNetworkError, redactSecrets } from '../../shared/networkError';

interface CallInfo {
	endpoint: string;
	itemIndex?: number;
}

/** errcode != 0 with HTTP 200: WeCom's own refusal. */
export function weComErrorToNodeApiError(node: INode, body: JsonObject, call: CallInfo, retries: number): NodeApiError {
	const errcode = Number(body.errcode);
	const { message, description } = formatWeComError(errcode, typeof body.errmsg === 'string' ? body.errmsg : undefined, call.endpoint);
	const retried = retries > 0 ? ` Gave up after ${retries + 1} attempts.` : '';
	return new NodeApiError(node, { errcode, errmsg: body.errmsg ?? '', endpoint: call.endpoint } as JsonObject, {
		message,
		description: `${description}${retried}`,
		httpCode: String(errcode),
		itemIndex: call.itemIndex,
	});
}

/**
 * The request never got a WeCom answer. Built from scratch: the original error holds the request config,
 * whose URL carries the access_token.
 */
export function networkErrorToNodeApiError(node: INode, error: unknown, call: CallInfo): NodeApiError {
	const reason = describeNetworkError(error);
	const message = `Could not reach WeCom (${call.endpoint}): ${reason}`;
	const apiError = new NodeApiError(node, { endpoint: call.endpoint, reason } as JsonObject, {
		message,
		description:
			'Check the API base URL in the credential, the network or proxy between n8n and WeCom, and try again. Transient failures were already retried with backoff.',
		itemIndex: call.itemIndex,
	});
	return keepMessage(apiError, message);
}

/**
 * NodeApiError swaps a message that mentions a Node.js error code (ECONNREFUSED, ECONNRESET …) for a generic text
 * naming neither WeCom nor the endpoint; ours says both and keeps the code.
 */
function keepMessage(error: NodeApiError, message: string): NodeApiError {
	error.message = message;
	return error;
}

/**
 * WeCom's errmsg ends up in error messages and output items: make sure it cannot carry the token the call used,
 * or anything shaped like `access_token=…`/`key=…`, should WeCom or a proxy ever echo it.
 */
export function scrubErrmsg<T>(body: T, secrets: string[]): T {
	if (typeof body !== 'object' || body === null || Buffer.isBuffer(body)) return body;
	const errmsg = (body as IDataObject).errmsg;
	if (typeof errmsg !== 'string') return body;
	let clean = redactSecrets(errmsg);
	for (const secret of secrets) if (secret) clean = clean.split(secret).join('***');
	return clean === errmsg ? body : { ...body, errmsg: clean };
}

/** gettoken failed in a way asking again can fix (WeCom busy, network, 5xx); n8n wraps it, so the causes are searched. */
export function isRetryableTokenFailure(error: unknown): boolean {
	for (let current: unknown = error, depth = 0; current && depth < 4; depth++) {
		if ((current as { name?: unknown }).name === 'AccessTokenError') return (current as { retryable?: unknown }).retryable === true;
		current = (current as { cause?: unknown }).cause;
	}
	return false;
}

const TOKEN_FAILURE_PATTERN = /^(WeCom -?\d+:|WeCom credential is incomplete|Could not reach WeCom to get an access token|WeCom answered gettoken)/;

/**
 * gettoken failures raised inside the credential's preAuthentication reach us wrapped by n8n;
 * their text is already secret-free and explains the fix, so it is kept as the message.
 */
export function tokenFailureToNodeApiError(node: INode, error: unknown, call: CallInfo): NodeApiError | undefined {
	for (let current: unknown = error, depth = 0; current && depth < 4; depth++) {
		const text = (current as { message?: unknown }).message;
		if (typeof text === 'string' && TOKEN_FAILURE_PATTERN.test(text)) {
			const [message, ...rest] = text.split('. ');
			const apiError = new NodeApiError(node, { endpoint: 'gettoken', reason: message } as JsonObject, {
				message: `Could not get a WeCom access token: ${message}`,
				description: rest.join('. ') || 'Check the WeCom API credential.',
				itemIndex: call.itemIndex,
			});
			return keepMessage(apiError, `Could not get a WeCom access token: ${message}`);
		}
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}
