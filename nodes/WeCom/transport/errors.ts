import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { formatWeComError } from '../../shared/errorCodes';
import { describeNetworkError } from '../../shared/networkError';

interface CallInfo {
	endpoint: string;
	itemIndex?: number;
}

/** errcode != 0 with HTTP 200: WeCom's own refusal. */
export function weComErrorToNodeApiError(node: INode, body: JsonObject, call: CallInfo, retries: number): NodeApiError {
	const errcode = Number(body.errcode);
	const { message, description } = formatWeComError(errcode, typeof body.errmsg === 'string' ? body.errmsg : undefined);
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
	return new NodeApiError(node, { endpoint: call.endpoint, reason } as JsonObject, {
		message: `Could not reach WeCom (${call.endpoint}): ${reason}`,
		description:
			'Check the API base URL in the credential, the network or proxy between n8n and WeCom, and try again. Transient failures were already retried with backoff.',
		itemIndex: call.itemIndex,
	});
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
			return new NodeApiError(node, { endpoint: 'gettoken', reason: message } as JsonObject, {
				message: `Could not get a WeCom access token: ${message}`,
				description: rest.join('. ') || 'Check the WeCom API credential.',
				itemIndex: call.itemIndex,
			});
		}
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}
