import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { DEFAULT_BASE_URL } from '../nodes/shared/baseUrl';

/** A group robot (群机器人) webhook. The key is a secret: anyone holding it can post into the group. */
export class WeComWebhookApi implements ICredentialType {
	name = 'weComWebhookApi';

	displayName = 'WeCom Group Robot API';

	icon: Icon = { light: 'file:icons/wecom.svg', dark: 'file:icons/wecom.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-wecom-kit/n8n-nodes-wecom-kit#wecom-group-robot-api-wecomwebhookapi';

	properties: INodeProperties[] = [
		// eslint-disable-next-line @n8n/community-nodes/credential-unnecessary-password -- a secret: anyone holding the robot key can post to the group
		{
			displayName: 'Webhook URL or Key',
			name: 'webhookKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa',
			description:
				'Paste the whole webhook address shown for the robot (群聊 → 群机器人 → 查看机器人 → Webhook地址) or only its key',
		},
		{
			displayName: 'API Base URL',
			name: 'baseUrl',
			type: 'string',
			default: DEFAULT_BASE_URL,
			description: "WeCom's API address; change it for a forward proxy or a local WeCom sandbox",
		},
	];

	// The key may be pasted as the whole webhook URL; the expression keeps only the key.
	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			qs: {
				key: '={{(String($credentials.webhookKey).match(/[?&]key=([^&#\\s]+)/) || [null, String($credentials.webhookKey).trim()])[1]}}',
			},
		},
	};

	// An empty message is refused without posting anything: 93000/93004/93008 mean the key or robot is unusable, any other answer means it works.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "").replace(/\\/cgi-bin$/, "")}}',
			url: '/cgi-bin/webhook/send',
			method: 'POST',
			body: {},
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'errcode',
					value: 93000,
					message: 'WeCom 93000: the webhook key is invalid or the robot was removed from the group',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: { key: 'errcode', value: 93004, message: 'WeCom 93004: this group robot is disabled (机器人被停用)' },
			},
			{
				type: 'responseSuccessBody',
				properties: { key: 'errcode', value: 93008, message: 'WeCom 93008: this group robot is no longer in its group chat' },
			},
		],
	};
}
