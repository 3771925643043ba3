import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INodeCredentialTestResult,
	INodeType,
	INodeTypeDescription,
	ITriggerFunctions,
	ITriggerResponse,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { AIBOT_TRIGGER_OPTIONS } from './options';
import { callbackWebhook, checkAiBotCallbackCredential } from './callbackMode';
import { startLongConnection, testLongConnection } from './longConnection';
import { webhookPathFields } from '../WeComTrigger/webhookPath';
import { callbackCredentialResult, manualWebhookMethods } from '../shared/callbackWebhook';

export class WeComAiBotTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'WeCom AI Bot Trigger',
		name: 'weComAiBotTrigger',
		icon: { light: 'file:wecom.svg', dark: 'file:wecom.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["mode"] === "callback" ? "callback URL" : "long connection"}}',
		documentationUrl: 'https://github.com/n8n-nodes-wecom-kit/n8n-nodes-wecom-kit#wecom-ai-bot-trigger',
		description:
			'Starts the workflow when someone talks to a WeCom intelligent robot (智能机器人): messages, card clicks, entering the chat, feedback; over a long connection (no public URL) or a callback URL',
		defaults: { name: 'WeCom AI Bot Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'weComAiBotApi', required: true, testedBy: 'weComAiBotApiTest', displayOptions: { show: { mode: ['longConnection'] } } },
			{
				name: 'weComAiBotCallbackApi',
				required: true,
				testedBy: 'weComAiBotCallbackApiTest',
				displayOptions: { show: { mode: ['callback'] } },
			},
		],
		// Used in callback mode only; in long-connection mode the URL answers 404.
		webhooks: [
			{ name: 'setup', httpMethod: 'GET', responseMode: 'onReceived', ...webhookPathFields(), isFullPath: true },
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', ...webhookPathFields(), isFullPath: true },
		],
		properties: [
			{
				displayName: 'Connection',
				name: 'mode',
				type: 'options',
				options: [
					{
						name: 'Long Connection (长连接)',
						value: 'longConnection',
						description: 'N8n connects to WeCom with the Bot ID and Secret: no public URL, works behind a firewall',
					},
					{
						name: 'Callback URL (URL回调)',
						value: 'callback',
						description: 'WeCom calls this trigger\'s Production URL (needs a public HTTPS address)',
					},
				],
				default: 'longConnection',
			},
			{
				displayName:
					'Publish (activate) the workflow: n8n then keeps one connection to WeCom for this bot (admin console → the robot → API mode → 长连接 shows Bot ID and Secret).',
				name: 'longConnectionNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { mode: ['longConnection'] } },
			},
			{
				displayName:
					'Publish (activate) the workflow, then enter its Production URL with the same Token and EncodingAESKey in the admin console (the robot → API mode → URL回调). WeCom checks the URL when you save.',
				name: 'callbackNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { mode: ['callback'] } },
			},
			{
				displayName: 'Path',
				name: 'path',
				type: 'string',
				default: 'wecom-aibot',
				required: true,
				displayOptions: { show: { mode: ['callback'] } },
				description: 'The end of the callback URL. Give each robot its own path.',
			},
			{
				displayName: 'Trigger On',
				name: 'events',
				type: 'multiOptions',
				options: AIBOT_TRIGGER_OPTIONS,
				default: [],
				description: 'Messages and events that start the workflow; leave empty for all. Others are acknowledged and ignored.',
			},
			{
				displayName: 'Chat Types',
				name: 'chatTypes',
				type: 'multiOptions',
				options: [
					{ name: 'Group Chat (群聊)', value: 'group' },
					{ name: 'Single Chat (单聊)', value: 'single' },
				],
				default: [],
				description: 'Only messages from these chats; leave empty for both',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Ask for Feedback',
						name: 'feedback',
						type: 'boolean',
						default: false,
						description:
							'Whether the answer shows WeCom\'s accurate / inaccurate buttons; a rating comes back as a Feedback event whose ID is the rated message\'s msgid. WeCom reads the feedback ID from the first frame of a stream only, so the trigger sets it on the thinking frame.',
					},
					{
						displayName: 'Download Attachments',
						name: 'download',
						type: 'boolean',
						default: true,
						description:
							'Whether to download and decrypt images, files and videos into binary data (attachment_0, attachment_1 …); otherwise their URLs (valid 5 minutes) and keys are in attachments',
					},
					{
						displayName: 'Ignore Redeliveries',
						name: 'deduplicate',
						type: 'boolean',
						default: true,
						description: 'Whether to start the workflow only once per msgid when WeCom delivers a message again',
					},
					{
						displayName: 'Start Stream With Thinking Text',
						name: 'stream',
						type: 'boolean',
						default: true,
						description:
							'Whether to answer each message at once with a stream showing the thinking text; the WeCom node\'s AI Bot → Reply then replaces it with the answer',
					},
					{
						displayName: 'Thinking Text',
						name: 'thinkingText',
						type: 'string',
						default: '正在思考…',
						description: 'What the user sees until the answer arrives (markdown)',
					},
				],
			},
		],
	};

	methods = {
		credentialTest: {
			async weComAiBotApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
				return await testLongConnection(credential.data ?? {});
			},
			async weComAiBotCallbackApiTest(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				const problem = checkAiBotCallbackCredential(credential.data ?? {});
				return callbackCredentialResult(problem);
			},
		},
	};

	// The callback URL is entered by hand in WeCom's admin console; there is nothing to register through an API.
	webhookMethods = manualWebhookMethods;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await callbackWebhook(this);
	}

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		if (this.getNodeParameter('mode', 'longConnection') !== 'longConnection') return {};
		const data = await this.getCredentials<ICredentialDataDecryptedObject>('weComAiBotApi');
		try {
			const release = await startLongConnection(this, data);
			return { closeFunction: async () => release() };
		} catch (error) {
			throw new NodeOperationError(this.getNode(), (error as Error).message);
		}
	}
}
