import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * An intelligent robot (智能机器人) in callback mode (API模式 → URL回调): WeCom POSTs encrypted JSON to the trigger's
 * URL. The receive ID of robot callbacks is empty, so only Token and EncodingAESKey are needed. Tested locally by
 * the WeCom AI Bot Trigger node (`testedBy`): there is no WeCom API to test them against.
 */
export class WeComAiBotCallbackApi implements ICredentialType {
	name = 'weComAiBotCallbackApi';

	displayName = 'WeCom AI Bot (Callback) API';

	icon: Icon = { light: 'file:icons/wecom.svg', dark: 'file:icons/wecom.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-wecom-kit/n8n-nodes-wecom-kit#wecom-ai-bot-callback-api-wecomaibotcallbackapi';

	properties: INodeProperties[] = [
		{
			displayName: 'Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The Token of the robot\'s API mode (接收消息 → URL回调), letters and digits, up to 32',
		},
		// eslint-disable-next-line @n8n/community-nodes/credential-unnecessary-password -- a secret: the AES key decrypts every callback and file
		{
			displayName: 'EncodingAESKey',
			name: 'encodingAESKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The 43-character EncodingAESKey from the same page; it also decrypts the files users send',
		},
	];
}
