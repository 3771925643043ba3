import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { fetchAccessToken } from '../nodes/shared/accessToken';
import { DEFAULT_BASE_URL } from '../nodes/shared/baseUrl';

/**
 * WeCom self-built app (自建应用) credential.
 *
 * The access_token lives in the hidden, expirable `accessToken` field: n8n calls `preAuthentication`
 * when it is empty and persists what it returns into the stored credential, so every execution,
 * item and queue-mode worker shares one token. The transport empties the field (in memory) to force
 * a refresh when the stored expiry has passed or WeCom answers 40014/41001/42001 with HTTP 200.
 */
export class WeComApi implements ICredentialType {
	name = 'weComApi';

	displayName = 'WeCom API';

	icon: Icon = { light: 'file:icons/wecom.svg', dark: 'file:icons/wecom.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-wecom-kit/n8n-nodes-wecom-kit#wecom-api-wecomapi';

	properties: INodeProperties[] = [
		{
			displayName: 'Corp ID (企业ID)',
			name: 'corpId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'ww0123456789abcdef',
			description: 'Found in the admin console (管理后台) under 我的企业 → 企业信息 → 企业ID',
		},
		{
			displayName: 'App Secret (Secret)',
			name: 'corpSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'One credential per secret. For messages, media, app chats and reading contacts: the Secret of the self-built app (自建应用, 应用管理 → your app → Secret). For creating, updating and deleting users and departments and for listing all user IDs: the contacts sync secret (管理工具 → 通讯录同步 → Secret, with API permission 编辑).',
			hint: 'App secret: messages and contact reads in the app\'s visible range. Contacts sync secret (通讯录同步): contact writes.',
		},
		{
			displayName: 'Agent ID (AgentId)',
			name: 'agentId',
			type: 'string',
			default: '',
			placeholder: '1000002',
			description:
				'The AgentId shown on the app page (应用管理 → your app). Messages are sent as this app. Leave empty in a credential holding the contacts sync secret, which has no agent.',
		},
		{
			displayName: 'API Base URL',
			name: 'baseUrl',
			type: 'string',
			default: DEFAULT_BASE_URL,
			description:
				"WeCom's API address. Change it to a fixed-IP forward proxy when WeCom rejects this server's IP (60020, 企业可信IP), or to a local WeCom sandbox for testing.",
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{
			displayName: 'Token Expires At',
			name: 'tokenExpiresAt',
			type: 'hidden',
			typeOptions: { password: true },
			default: 0,
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const token = await fetchAccessToken(this, credentials);
		return { accessToken: token.accessToken, tokenExpiresAt: token.expiresAt };
	}

	// A function rather than generic auth (`qs.access_token: '={{$credentials.accessToken}}'`): n8n 2.x evaluates a
	// generic expression in its expression sandbox on every request (~1 ms each in n8n 2.41); this is a property copy.
	async authenticate(credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		return { ...requestOptions, qs: { ...(requestOptions.qs ?? {}), access_token: String(credentials.accessToken ?? '') } };
	}

	// preAuthentication runs first during a credential test and throws WeCom's reason in plain English;
	// the rules below catch the same codes should a future n8n skip it.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "").replace(/\\/cgi-bin$/, "")}}',
			url: '/cgi-bin/gettoken',
			method: 'GET',
			qs: {
				corpid: '={{$credentials.corpId}}',
				corpsecret: '={{$credentials.corpSecret}}',
			},
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: { key: 'errcode', value: 40001, message: 'WeCom 40001: the app secret is wrong' },
			},
			{
				type: 'responseSuccessBody',
				properties: { key: 'errcode', value: 40013, message: 'WeCom 40013: the corp ID is wrong' },
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'errcode',
					value: 60020,
					message: "WeCom 60020: this server's IP is not in the app's trusted IP list (企业可信IP)",
				},
			},
		],
	};
}
