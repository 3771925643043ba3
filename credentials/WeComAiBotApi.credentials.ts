import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

import { DEFAULT_AIBOT_WS_URL } from '../nodes/shared/aibot/connection';

/**
 * An intelligent robot (智能机器人) in long-connection mode (长连接): n8n opens a WebSocket to WeCom with the Bot ID
 * and Secret, so no public URL is needed. Tested by the WeCom AI Bot Trigger node (`testedBy`): the test
 * subscribes once and reports WeCom's answer (n8n's declarative credential tests can only make HTTP requests).
 */
export class WeComAiBotApi implements ICredentialType {
	name = 'weComAiBotApi';

	displayName = 'WeCom AI Bot (Long Connection) API';

	icon: Icon = { light: 'file:icons/wecom.svg', dark: 'file:icons/wecom.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-wecom-kit/n8n-nodes-wecom-kit#wecom-ai-bot-long-connection-api-wecomaibotapi';

	properties: INodeProperties[] = [
		{
			displayName:
				'WeCom keeps one live connection per bot: testing this credential, or a second n8n using it, takes the connection over from the one that had it.',
			name: 'notice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Bot ID',
			name: 'botId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'aibxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
			description: 'The Bot ID (机器人ID) shown in the admin console for the robot, under API mode → long connection (长连接)',
		},
		{
			displayName: 'Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The Secret shown next to the Bot ID (long connection); anyone holding it can answer as the bot',
		},
		{
			displayName: 'WebSocket URL',
			name: 'url',
			type: 'string',
			default: DEFAULT_AIBOT_WS_URL,
			description: "WeCom's long-connection address; change it only for a proxy or a local sandbox",
		},
	];
}
