/**
 * A smart sheet's own webhook (接收外部数据): authenticated by the key in the query string, no access token.
 * The key is scrubbed from anything WeCom echoes back.
 */
import type { IDataObject, IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';

import { apiUrl } from '../../shared/baseUrl';
import { scrubErrmsg } from './errors';
import { parseJsonBody, retryLoop } from './index';
import { extractRobotKey } from './robot';

export const WECOM_SMARTSHEET_WEBHOOK_CREDENTIAL = 'weComSmartsheetWebhookApi';
const ENDPOINT = 'wedoc/smartsheet/webhook';

export async function weComSmartsheetWebhookRequest(this: IExecuteFunctions, body: IDataObject, itemIndex: number): Promise<IDataObject> {
	const credentials = await this.getCredentials(WECOM_SMARTSHEET_WEBHOOK_CREDENTIAL, itemIndex);
	const options: IHttpRequestOptions = { method: 'POST', url: apiUrl(credentials.baseUrl, ENDPOINT), body, json: true, timeout: 60000 };
	const key = extractRobotKey(credentials.webhookKey);
	const response = await retryLoop(this, { endpoint: ENDPOINT, itemIndex }, async () => ({
		body: scrubErrmsg(parseJsonBody(await this.helpers.httpRequestWithAuthentication.call(this, WECOM_SMARTSHEET_WEBHOOK_CREDENTIAL, options)), [key]),
	}));
	return response.body as IDataObject;
}
