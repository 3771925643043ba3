import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

import { DEFAULT_BASE_URL } from '../nodes/shared/baseUrl';

/**
 * A smart sheet's webhook (智能表格 → 接收外部数据). The key is a secret: anyone holding it can write into the sheet.
 * No app and no access token are involved.
 */
export class WeComSmartsheetWebhookApi implements ICredentialType {
	name = 'weComSmartsheetWebhookApi';

	displayName = 'WeCom Smart Sheet Webhook API';

	icon: Icon = { light: 'file:icons/wecom.svg', dark: 'file:icons/wecom.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-wecom-kit/n8n-nodes-wecom-kit#wecom-smart-sheet-webhook-api-wecomsmartsheetwebhookapi';

	properties: INodeProperties[] = [
		// eslint-disable-next-line @n8n/community-nodes/credential-unnecessary-password -- a secret: anyone holding the key can write into the sheet
		{
			displayName: 'Webhook URL or Key',
			name: 'webhookKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: 'https://qyapi.weixin.qq.com/cgi-bin/wedoc/smartsheet/webhook?key=XXXXXXXX',
			description: 'The address shown when you turn on 接收外部数据 for a sheet (智能表格 → 子表 → 接收外部数据), or only its key',
		},
		{
			displayName: 'API Base URL',
			name: 'baseUrl',
			type: 'string',
			default: DEFAULT_BASE_URL,
			description: "WeCom's API address; change it for a forward proxy or a local WeCom sandbox",
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			qs: {
				key: '={{(String($credentials.webhookKey).match(/[?&]key=([^&#\\s]+)/) || [null, String($credentials.webhookKey).trim()])[1]}}',
			},
		},
	};

	// An empty body writes nothing: an unknown key answers 93000, a working one complains about the missing records.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "").replace(/\\/cgi-bin$/, "")}}',
			url: '/cgi-bin/wedoc/smartsheet/webhook',
			method: 'POST',
			body: {},
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: { key: 'errcode', value: 93000, message: 'WeCom 93000: the smart sheet webhook key is invalid, or 接收外部数据 was turned off' },
			},
		],
	};
}
