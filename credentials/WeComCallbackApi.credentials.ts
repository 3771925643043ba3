import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * The values WeCom's "接收消息" (receive messages) settings show for an app's callback URL.
 * Tested locally by the WeCom Trigger node (`testedBy`): there is no WeCom API to test them against.
 */
export class WeComCallbackApi implements ICredentialType {
	name = 'weComCallbackApi';

	displayName = 'WeCom Callback API';

	icon: Icon = { light: 'file:icons/wecom.svg', dark: 'file:icons/wecom.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-wecom-kit/n8n-nodes-wecom-kit#wecom-callback-api-wecomcallbackapi';

	properties: INodeProperties[] = [
		{
			displayName: 'Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'The Token from 应用管理 → your app → 接收消息 → 设置API接收 (letters and digits, up to 32)',
		},
		// eslint-disable-next-line @n8n/community-nodes/credential-unnecessary-password -- a secret: the AES key decrypts every callback
		{
			displayName: 'EncodingAESKey',
			name: 'encodingAESKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The 43-character EncodingAESKey from the same page (随机获取 generates one)',
		},
		{
			displayName: 'Receive ID (Corp ID)',
			name: 'receiveId',
			type: 'string',
			default: '',
			placeholder: 'ww0123456789abcdef',
			description:
				'The ID every callback must be addressed to: the Corp ID (企业ID) for self-built apps, the suite ID for third-party apps. Leave empty only for callbacks that carry none (some robot callbacks); then it is not checked.',
		},
	];
}
