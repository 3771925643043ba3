/**
 * Group robot (群机器人) calls: authenticated by the webhook key (in the query string), no access token.
 * Rate limits (45009, 20 messages a minute per robot) are not retried here: the send operation decides whether
 * to wait or fail, since a few seconds of backoff cannot help against a one-minute window.
 */
import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import { apiUrl } from '../../shared/baseUrl';
import { scrubErrmsg } from './errors';
import { buildMediaMultipart, type UploadFile } from './multipart';
import { parseJsonBody, retryLoop, type WeComContext } from './index';

export const WECOM_ROBOT_CREDENTIAL = 'weComWebhookApi';

export interface RobotCall {
	endpoint: 'webhook/send' | 'webhook/upload_media';
	qs?: IDataObject;
	body?: IDataObject;
	upload?: UploadFile;
	itemIndex?: number;
}

export async function weComRobotRequest(this: WeComContext, call: RobotCall): Promise<IDataObject> {
	const credentials = await this.getCredentials(WECOM_ROBOT_CREDENTIAL, call.itemIndex ?? 0);
	const options: IHttpRequestOptions = {
		method: 'POST',
		url: apiUrl(credentials.baseUrl, call.endpoint),
		qs: { ...(call.qs ?? {}) },
		json: true,
		timeout: 60000,
	};
	if (call.upload) {
		const multipart = buildMediaMultipart(call.upload);
		options.body = multipart.body;
		options.headers = { 'Content-Type': multipart.contentType };
	} else {
		options.body = call.body ?? {};
	}
	const key = extractRobotKey(credentials.webhookKey);
	const response = await retryLoop(this, { ...call, retryRateLimits: false }, async () => ({
		body: scrubErrmsg(parseJsonBody(await this.helpers.httpRequestWithAuthentication.call(this, WECOM_ROBOT_CREDENTIAL, options)), [key]),
	}));
	return response.body as IDataObject;
}

/** Accepts the whole webhook URL or the bare key. */
export function extractRobotKey(value: unknown): string {
	const text = String(value ?? '').trim();
	const match = /[?&]key=([^&#\s]+)/.exec(text);
	return match ? decodeURIComponent(match[1]) : text;
}
