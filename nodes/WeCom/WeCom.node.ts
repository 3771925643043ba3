import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes, SEND_AND_WAIT_OPERATION } from 'n8n-workflow';

import * as aiBot from './actions/aiBot';
import * as apiRequest from './actions/apiRequest';
import * as appChat from './actions/appChat';
import * as approval from './actions/approval';
import * as department from './actions/department';
import * as media from './actions/media';
import * as message from './actions/message';
import * as robot from './actions/robot';
import { concurrencyProperties } from './actions/concurrency';
import { resources } from './actions/resources';
import * as smartsheet from './actions/smartsheet';
import * as smartsheetDoc from './actions/smartsheetDoc';
import * as smartsheetRecord from './actions/smartsheetRecord';
import * as smartsheetWebhook from './actions/smartsheetWebhook';
import * as tag from './actions/tag';
import * as user from './actions/user';
import { route } from './actions/router';
import { methods } from './methods';
import { SEND_AND_WAIT_TOOLTIP } from './helpers/sendAndWait/properties';
import { CALLBACK_CREDENTIAL, sendAndWaitWebhook } from './helpers/sendAndWait/webhook';
import { resourceOperationSubtitle } from '../shared/subtitle';

/** n8n's send-and-wait webhooks: GET and POST on /webhook-waiting/<execution>/<node id>, only while an execution waits. */
const sendAndWaitWebhooks: IWebhookDescription[] = (['GET', 'POST'] as const).map((httpMethod) => ({
	name: 'default',
	httpMethod,
	responseMode: 'onReceived',
	responseData: '',
	path: '={{ $nodeId }}',
	restartWebhook: true,
	isFullPath: true,
}));

export class WeCom implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'WeCom',
		name: 'weCom',
		icon: { light: 'file:wecom.svg', dark: 'file:wecom.dark.svg' },
		group: ['output'],
		version: 1,
		// Replaced in the constructor by a lookup of the chosen resource's and operation's display names.
		subtitle: '={{$parameter["operation"]}}',
		documentationUrl: 'https://github.com/n8n-nodes-wecom-kit/n8n-nodes-wecom-kit#resources-the-wecom-node',
		description: 'Send WeCom (企业微信) app messages, template cards, media, app chat and group robot messages; manage contacts; submit and read approvals; call any WeCom API',
		defaults: { name: 'WeCom' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		webhooks: sendAndWaitWebhooks,
		waitingNodeTooltip: SEND_AND_WAIT_TOOLTIP,
		credentials: [
			{
				name: 'weComApi',
				required: true,
				displayOptions: { show: { resource: ['message', 'media', 'appChat', 'apiRequest', 'approval', 'user', 'department', 'tag', 'smartsheetDoc', 'smartsheet', 'smartsheetRecord'] } },
			},
			{
				// Signs and checks the native buttons of Send and Wait cards (the app's WeCom Trigger holds the same).
				name: CALLBACK_CREDENTIAL,
				required: true,
				displayOptions: { show: { resource: ['message'], operation: [SEND_AND_WAIT_OPERATION], responseType: ['approval'], answerWith: ['buttons'] } },
			},
			{
				name: 'weComWebhookApi',
				required: true,
				displayOptions: { show: { resource: ['robot'] } },
			},
			{
				name: 'weComSmartsheetWebhookApi',
				required: true,
				displayOptions: { show: { resource: ['smartsheetWebhook'] } },
			},
			{
				name: 'weComAiBotApi',
				required: true,
				testedBy: 'weComAiBotApiTest',
				displayOptions: { show: { resource: ['aiBot'], operation: ['sendMessage'] } },
			},
		],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'AI Bot (智能机器人)', value: 'aiBot', description: 'Answer people who talk to an intelligent robot (after the WeCom AI Bot Trigger)' },
					{ name: 'API Request', value: 'apiRequest', description: 'Call any WeCom API endpoint with the credential\'s token handling' },
					{ name: 'App Chat (群聊会话)', value: 'appChat', description: 'Group chats created by the app through the API' },
					{ name: 'Approval (审批)', value: 'approval', description: 'Submit approvals, read them and their templates' },
					{ name: 'Department (部门)', value: 'department', description: 'Contacts: departments (通讯录)' },
					{ name: 'Group Robot (群机器人)', value: 'robot', description: 'Post into a group through a robot webhook' },
					{ name: 'Media (素材)', value: 'media', description: 'Upload or download files' },
					{ name: 'Message (应用消息)', value: 'message', description: 'Messages sent by the app to users, departments or tags' },
					{ name: 'Smart Sheet (子表/字段/视图)', value: 'smartsheet', description: 'Sheets, fields (columns) and views of a smart sheet document' },
					{ name: 'Smart Sheet Document (智能表格)', value: 'smartsheetDoc', description: 'Create, get or delete smart sheet documents' },
					{ name: 'Smart Sheet Record (记录)', value: 'smartsheetRecord', description: 'Append, update, append or update, read and delete rows' },
					{ name: 'Smart Sheet Webhook (接收外部数据)', value: 'smartsheetWebhook', description: 'Add or update rows through a sheet\'s webhook, no app needed' },
					{ name: 'Tag (标签)', value: 'tag', description: 'Contacts: tags and their members' },
					{ name: 'User (成员)', value: 'user', description: 'Contacts: members, ID lookups, invitations' },
				],
				default: 'message',
			},
			...message.description,
			...media.description,
			...appChat.description,
			...robot.description,
			...aiBot.description,
			...apiRequest.description,
			...approval.description,
			...smartsheetDoc.description,
			...smartsheet.description,
			...smartsheetRecord.description,
			...smartsheetWebhook.description,
			...user.description,
			...department.description,
			...tag.description,
			...concurrencyProperties(resources),
		],
	};

	methods = methods;

	constructor() {
		// "Send: Group Robot" on the canvas rather than the values "send: robot" (nodes/shared/subtitle.ts).
		this.description.subtitle = resourceOperationSubtitle(this.description.properties);
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await sendAndWaitWebhook(this);
	}

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		// Send and Wait sends once and waits once per run, for the first item (as n8n's own nodes do).
		if (this.getNodeParameter('operation', 0) === SEND_AND_WAIT_OPERATION) {
			const resource = this.getNodeParameter('resource', 0) as string;
			return resource === 'robot' ? await robot.sendAndWait.execute.call(this) : await message.sendAndWait.execute.call(this);
		}
		return await route.call(this);
	}
}
