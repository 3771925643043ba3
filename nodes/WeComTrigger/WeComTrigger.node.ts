import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IDataObject,
	INodeCredentialTestResult,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes, UserError } from 'n8n-workflow';

import { APPROVAL_STATUS_OPTIONS, CHANGE_EVENT_OPTIONS, approvalOf, matchesApprovalFilters } from './approval';
import { callbackSecrets, checkCallbackCredential, openCallbackRequest, type CallbackSecrets } from './callbackRequest';
import { webhookPathFields } from './webhookPath';
import { CHANGE_TYPE_OPTIONS, contactChangeOf, matchesChangeTypes } from './contactChange';
import { CALLBACK_KIND_OPTIONS, callbackKind, dedupeKey, matchesFilters, normalizeCallback } from './events';
import { seenBefore } from './dedupe';
import { buildReplyXml, MAX_REPLY_ARTICLES, type ReplySettings, type ReplyType } from './reply';
import { isCardAnswerKey } from '../shared/cardAnswerKey';
import { sealReply } from '../shared/crypto';
import { TOO_LATE_TEXT, forwardCardAnswer } from './cardAnswers';
import { buildXml } from '../shared/xml';
import { callbackCredentialResult, manualWebhookMethods } from '../shared/callbackWebhook';

export class WeComTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'WeCom Trigger',
		name: 'weComTrigger',
		icon: { light: 'file:wecom.svg', dark: 'file:wecom.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["path"] ? "/" + $parameter["path"] : ""}}',
		documentationUrl: 'https://github.com/n8n-nodes-wecom-kit/n8n-nodes-wecom-kit#wecom-trigger',
		// n8n's node picker merges "WeCom" and "WeCom Trigger" into one entry and shows the trigger's description for both
		// (editor-ui: generateMergedNodesAndActions), so it names what the actions do as well as what starts a workflow.
		description:
			'Send WeCom (企业微信) messages, cards and robot posts, manage contacts, approvals and smart sheets, or start workflows on WeCom callbacks (messages, clicks, approvals, contact changes)',
		defaults: { name: 'WeCom Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'weComCallbackApi', required: true, testedBy: 'weComCallbackApiTest' }],
		webhooks: [
			{
				// WeCom's URL verification (验证URL有效性) when the callback URL is saved in the admin console.
				name: 'setup',
				httpMethod: 'GET',
				responseMode: 'onReceived',
				...webhookPathFields(),
				isFullPath: true,
			},
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				...webhookPathFields(),
				isFullPath: true,
			},
		],
		properties: [
			{
				displayName:
					'Publish (activate) this workflow, then paste its Production URL into the admin console (管理后台 → 应用管理 → your app → 接收消息 → 设置API接收) with the same Token and EncodingAESKey as the credential. WeCom checks the URL when you save.',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Path',
				name: 'path',
				type: 'string',
				default: 'wecom',
				required: true,
				placeholder: 'wecom-approvals',
				description: 'The end of the callback URL. Give each app its own path.',
			},
			{
				displayName: 'Trigger On',
				name: 'events',
				type: 'multiOptions',
				options: CALLBACK_KIND_OPTIONS,
				default: [],
				description:
					'Message and event types that start the workflow; leave empty for all. Other callbacks are acknowledged to WeCom and ignored.',
			},
			{
				displayName: 'Response to WeCom',
				name: 'responseMode',
				type: 'options',
				options: [
					{
						name: 'Acknowledge at Once (Empty Reply)',
						value: 'empty',
						description: 'Answer HTTP 200 with an empty body right away, whatever the workflow does (WeCom waits at most 5 seconds)',
					},
					{
						name: 'Passive Reply (被动回复)',
						value: 'passive',
						description: 'Answer with an encrypted reply message or a template card update, built from the fields below',
					},
				],
				default: 'empty',
			},
			{
				displayName: 'Reply Type',
				name: 'replyType',
				type: 'options',
				displayOptions: { show: { responseMode: ['passive'] } },
				options: [
					{ name: 'Image (图片)', value: 'image', description: 'Reply with an image by media ID' },
					{ name: 'News (图文)', value: 'news', description: 'Reply with up to 8 article links' },
					{ name: 'Text (文本)', value: 'text', description: 'Reply with a text message' },
					{
						name: 'Update Card Button (更新按钮为不可点击状态)',
						value: 'updateButton',
						description: 'For template card clicks: turn the clicked card\'s buttons into one disabled button with this text',
					},
					{
						name: 'Update Whole Card (更新为新的卡片)',
						value: 'updateCard',
						description: 'For template card clicks: replace the card with a new one of the same type',
					},
					{ name: 'Video (视频)', value: 'video', description: 'Reply with a video by media ID' },
					{ name: 'Voice (语音)', value: 'voice', description: 'Reply with a voice message by media ID' },
				],
				default: 'text',
			},
			{
				displayName: 'Content',
				name: 'replyContent',
				type: 'string',
				typeOptions: { rows: 3 },
				displayOptions: { show: { responseMode: ['passive'], replyType: ['text'] } },
				default: '',
				description: 'Text sent back to the user. For replies that depend on the message, send a message with the WeCom node instead.',
			},
			{
				displayName: 'Media ID',
				name: 'replyMediaId',
				type: 'string',
				displayOptions: { show: { responseMode: ['passive'], replyType: ['image', 'voice', 'video'] } },
				default: '',
				description: 'A media_id from WeCom → Media → Upload (valid 3 days)',
			},
			{
				displayName: 'Title',
				name: 'replyTitle',
				type: 'string',
				displayOptions: { show: { responseMode: ['passive'], replyType: ['video'] } },
				default: '',
			},
			{
				displayName: 'Description',
				name: 'replyDescription',
				type: 'string',
				displayOptions: { show: { responseMode: ['passive'], replyType: ['video'] } },
				default: '',
			},
			{
				displayName: 'Articles',
				name: 'replyArticles',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true, maxValue: MAX_REPLY_ARTICLES },
				placeholder: 'Add Article',
				displayOptions: { show: { responseMode: ['passive'], replyType: ['news'] } },
				default: {},
				options: [
					{
						name: 'article',
						displayName: 'Article',
						values: [
							{ displayName: 'Title', name: 'title', type: 'string', default: '' },
							{ displayName: 'Description', name: 'description', type: 'string', default: '' },
							{ displayName: 'URL', name: 'url', type: 'string', default: '' },
							{ displayName: 'Picture URL', name: 'picUrl', type: 'string', default: '' },
						],
					},
				],
			},
			{
				displayName: 'Button Text',
				name: 'replyReplaceName',
				type: 'string',
				displayOptions: { show: { responseMode: ['passive'], replyType: ['updateButton'] } },
				default: '已处理',
				description: 'Text of the disabled button that replaces the card\'s buttons for the user who clicked',
			},
			{
				displayName: 'New Card (JSON)',
				name: 'replyCard',
				type: 'json',
				displayOptions: { show: { responseMode: ['passive'], replyType: ['updateCard'] } },
				default:
					'{\n  "card_type": "button_interaction",\n  "main_title": { "title": "Approved" },\n  "button_list": [{ "text": "Approve", "key": "approve" }],\n  "replace_text": "Approved"\n}',
				description:
					'The template_card object as for sending (snake_case, e.g. copied from the card you sent); it is converted to the XML of passive replies (CamelCase elements, lists as repeated elements)',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Ignore Retries',
						name: 'deduplicate',
						type: 'boolean',
						default: true,
						description:
							'Whether to start the workflow only once when WeCom sends the same callback again (it retries up to three times when an answer is late)',
					},
					{
						displayName: 'Include Raw XML',
						name: 'includeRawXml',
						type: 'boolean',
						default: false,
						description: 'Whether to add the decrypted XML as it came from WeCom, in the field rawXml',
					},
					{
						displayName: 'Only Approval Change Events',
						name: 'approvalChangeEvents',
						type: 'multiOptions',
						options: CHANGE_EVENT_OPTIONS,
						default: [],
						description: 'Only these kinds of change (StatuChangeEvent), e.g. Agreed or Rejected; other callbacks are ignored',
					},
					{
						displayName: 'Only Approval Statuses',
						name: 'approvalStatuses',
						type: 'multiOptions',
						options: APPROVAL_STATUS_OPTIONS,
						default: [],
						description: 'Only approval changes that leave the approval in one of these statuses (SpStatus); other callbacks are ignored',
					},
					{
						displayName: 'Only Approval Templates',
						name: 'approvalTemplateIds',
						type: 'string',
						default: '',
						description:
							'Comma-separated template IDs (审批模板): only approval changes (sys_approval_change) of these templates start the workflow; other callbacks are ignored',
					},
					{
						displayName: 'Only Contact Change Types',
						name: 'contactChangeTypes',
						type: 'multiOptions',
						options: CHANGE_TYPE_OPTIONS,
						default: [],
						description: 'Only contact changes (change_contact) of these ChangeTypes start the workflow; other callbacks are ignored',
					},
					{
						displayName: 'Only Event Keys',
						name: 'eventKeys',
						type: 'string',
						default: '',
						placeholder: 'approve, reject',
						description: 'Comma-separated EventKey values (menu keys, card button keys); others are ignored',
					},
					{
						displayName: 'Only Task IDs',
						name: 'taskIds',
						type: 'string',
						default: '',
						description: 'Comma-separated TaskId values of template or task cards; others are ignored',
					},
					{
						displayName: 'Send and Wait Resume URL Base',
						name: 'resumeBaseUrl',
						type: 'string',
						default: '',
						placeholder: 'http://127.0.0.1:5678',
						description:
							"Clicks on the buttons of Send and Wait cards are handed to the waiting execution at its resume URL (n8n's public webhook URL). Set this when this n8n cannot reach its own public URL: the origin is replaced, path and signature are kept.",
					},
				],
			},
		],
	};

	methods = {
		credentialTest: {
			async weComCallbackApiTest(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				const problem = checkCallbackCredential(credential.data ?? {});
				return callbackCredentialResult(problem);
			},
		},
	};

	// The callback URL is entered by hand in WeCom's admin console; there is nothing to register through an API.
	webhookMethods = manualWebhookMethods;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const res = this.getResponseObject();
		const answer = (status: number, body: string, contentType = 'text/plain; charset=utf-8'): IWebhookResponseData => {
			res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
			res.end(body);
			return { noWebhookResponse: true };
		};

		const secrets = await loadSecrets(this);
		if (typeof secrets === 'string') {
			this.logger.error(`WeCom Trigger: the callback credential is unusable: ${secrets}`);
			return answer(500, 'callback credential missing or invalid');
		}

		const isVerification = this.getWebhookName() === 'setup';
		const request = this.getRequestObject();
		if (!isVerification) await readBodyIfPending(request);
		const result = openCallbackRequest(request, secrets, isVerification);
		if (!result.ok) {
			const { rejection } = result;
			this.logger.warn(`WeCom Trigger rejected a ${isVerification ? 'URL verification' : 'callback'} (HTTP ${rejection.status}): ${rejection.logMessage}`);
			return answer(rejection.status, rejection.publicReason);
		}
		const opened = result.callback;
		// URL verification: the decrypted echostr alone, no quotes or newline.
		if (isVerification) return answer(200, opened.message);

		const fields = normalizeCallback(opened.parsed);
		if (opened.outerAgentId !== undefined && fields.AgentID === undefined) fields.AgentID = opened.outerAgentId;
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const filters = {
			kinds: this.getNodeParameter('events', []) as string[],
			eventKeys: splitList(options.eventKeys),
			taskIds: splitList(options.taskIds),
		};
		const cardAnswer = fields.Event === 'template_card_event' && isCardAnswerKey(fields.EventKey);
		const approval = approvalOf(fields);
		const approvalFilters = {
			templateIds: splitList(options.approvalTemplateIds),
			statuses: ((options.approvalStatuses ?? []) as number[]).map(Number),
			changeEvents: ((options.approvalChangeEvents ?? []) as number[]).map(Number),
		};
		const contactChange = contactChangeOf(fields);
		const changeTypes = (options.contactChangeTypes ?? []) as string[];
		const wanted = matchesFilters(fields, filters) && matchesApprovalFilters(approval, approvalFilters) && matchesChangeTypes(contactChange, changeTypes);
		if (!cardAnswer && !wanted) return answer(200, '');

		let duplicate = false;
		if (options.deduplicate !== false) {
			const node = this.getNode();
			const scope = `${this.getWorkflow().id ?? ''}:${node.id ?? node.name}`;
			duplicate = seenBefore(scope, dedupeKey(fields), this.getWorkflowStaticData('node'));
		}

		if (cardAnswer) {
			if (duplicate) return answer(200, '');
			return await answerCardClick(this, fields, secrets, opened.receiveId, String(options.resumeBaseUrl ?? ''), answer);
		}

		// A retry means WeCom did not get the first answer, so it gets the same passive reply again (but no new execution).
		const reply = passiveReplyOrLog(this, fields, secrets, opened.receiveId);
		answer(200, reply ?? '', reply ? 'application/xml; charset=utf-8' : 'text/plain; charset=utf-8');
		if (duplicate) return { noWebhookResponse: true };

		const item: IDataObject = { ...fields, callbackKind: callbackKind(fields) };
		if (approval) item.approval = approval;
		if (contactChange) item.contactChange = contactChange;
		if (options.includeRawXml === true) item.rawXml = opened.message;
		return { noWebhookResponse: true, workflowData: [this.helpers.returnJsonArray(item)] };
	}
}

/**
 * A click on a Send and Wait card's native button: handed on to the waiting execution (never starts this workflow).
 * The clicker is told by a passive reply when nobody waits any more, or when the card could not be updated.
 */
async function answerCardClick(
	ctx: IWebhookFunctions,
	fields: IDataObject,
	secrets: CallbackSecrets,
	receiveId: string,
	resumeBaseUrl: string,
	answer: (status: number, body: string, contentType?: string) => IWebhookResponseData,
): Promise<IWebhookResponseData> {
	const outcome = await forwardCardAnswer(ctx, fields, { token: secrets.token, key: secrets.key }, resumeBaseUrl);
	let replaceName: string | undefined;
	if (outcome.kind === 'refused') ctx.logger.warn(`WeCom Trigger ignored a Send and Wait card click: ${outcome.reason}`);
	if (outcome.kind === 'tooLate') replaceName = TOO_LATE_TEXT;
	if (outcome.kind === 'answered' && !outcome.cardUpdated) replaceName = outcome.approved ? 'Approved' : 'Answered';
	if (replaceName === undefined) return answer(200, '');
	const inner = buildReplyXml(fields, { type: 'updateButton', replaceName });
	if (!inner) return answer(200, '');
	const sealed = sealReply({ token: secrets.token, key: secrets.key, receiveId, message: inner });
	const xml = buildXml({ Encrypt: sealed.encrypt, MsgSignature: sealed.signature, TimeStamp: sealed.timestamp, Nonce: sealed.nonce });
	return answer(200, xml, 'application/xml; charset=utf-8');
}

/**
 * n8n keeps the exact bytes on `rawBody`; where a request reaches the node before they were read, n8n's
 * `readRawBody()` reads them. Failing that, callbackRequest falls back to the parsed body.
 */
async function readBodyIfPending(request: { rawBody?: unknown; readRawBody?: () => Promise<void> }): Promise<void> {
	if (request.rawBody !== undefined || typeof request.readRawBody !== 'function') return;
	try {
		await request.readRawBody();
	} catch {
		// The parsed body is still there; callbackRequest answers 400/413 if it is unusable.
	}
}

/** The usable secrets, or a description of what is wrong with the credential. */
async function loadSecrets(ctx: IWebhookFunctions): Promise<CallbackSecrets | string> {
	let data: ICredentialDataDecryptedObject;
	try {
		data = await ctx.getCredentials<ICredentialDataDecryptedObject>('weComCallbackApi');
	} catch (error) {
		return (error as Error).message;
	}
	return callbackSecrets(data);
}

/** A misconfigured reply must not cost the callback: WeCom then gets an empty 200 and the admin a log line. */
function passiveReplyOrLog(ctx: IWebhookFunctions, fields: IDataObject, secrets: CallbackSecrets, receiveId: string): string | undefined {
	if (ctx.getNodeParameter('responseMode', 'empty') !== 'passive') return undefined;
	try {
		return buildPassiveReply(ctx, fields, secrets, receiveId);
	} catch (error) {
		ctx.logger.error(`WeCom Trigger could not build its passive reply, answering empty: ${(error as Error).message}`);
		return undefined;
	}
}

function buildPassiveReply(ctx: IWebhookFunctions, fields: IDataObject, secrets: CallbackSecrets, receiveId: string): string | undefined {
	const type = ctx.getNodeParameter('replyType', 'text') as ReplyType;
	const settings: ReplySettings = { type };
	if (type === 'text') settings.content = ctx.getNodeParameter('replyContent', '') as string;
	if (type === 'image' || type === 'voice' || type === 'video') settings.mediaId = ctx.getNodeParameter('replyMediaId', '') as string;
	if (type === 'video') {
		settings.title = ctx.getNodeParameter('replyTitle', '') as string;
		settings.description = ctx.getNodeParameter('replyDescription', '') as string;
	}
	if (type === 'news') {
		const collection = ctx.getNodeParameter('replyArticles', {}) as { article?: ReplySettings['articles'] };
		settings.articles = collection.article ?? [];
	}
	if (type === 'updateButton') settings.replaceName = ctx.getNodeParameter('replyReplaceName', '') as string;
	if (type === 'updateCard') settings.card = parseCard(ctx.getNodeParameter('replyCard', '{}'));
	const inner = buildReplyXml(fields, settings);
	if (!inner) return undefined;
	const sealed = sealReply({ token: secrets.token, key: secrets.key, receiveId, message: inner });
	return buildXml({ Encrypt: sealed.encrypt, MsgSignature: sealed.signature, TimeStamp: sealed.timestamp, Nonce: sealed.nonce });
}

function parseCard(raw: unknown): IDataObject {
	const card: unknown = typeof raw === 'string' ? JSON.parse(raw) : raw;
	if (card === null || typeof card !== 'object' || Array.isArray(card)) {
		throw new UserError('New Card (JSON) must be a JSON object like {"card_type": "button_interaction", …}');
	}
	return card as IDataObject;
}

function splitList(value: unknown): string[] {
	if (typeof value !== 'string') return [];
	return value
		.split(/[,，\n]/)
		.map((entry) => entry.trim())
		.filter((entry) => entry !== '');
}
