/**
 * The send-and-wait webhook (`/webhook-waiting/<execution>/<node id>`). n8n has already checked the URL's
 * signature (getSignedResumeUrl) before this runs, and answers late requests (execution finished) with its own
 * "No action required" page without calling it.
 *  - Approval link (GET ?approved=true|false): resumes with `{ data: { approved, respondedAt, answeredVia } }`.
 *  - Free Text / Custom Form: GET renders n8n's form page, POST (the form) resumes with `{ data: { text } }` or
 *    `{ data: { <field label>: value … } }`.
 *  - Native card button (POST from a WeCom Trigger, JSON `{ weComCardClick }`): the trigger's proof and the
 *    button key are checked with the callback credential, then the execution resumes with who answered, and the
 *    card is updated for everyone ("Approved by …").
 * Nothing here throws for a bad request: in n8n a webhook error would end the waiting execution with that error.
 */
import type { ICredentialDataDecryptedObject, IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { cardKeySecretOf, forwardedClickProblem, parseCardKey, type ForwardedClick } from '../../../shared/cardAnswerKey';
import { weComApiRequest } from '../../transport';
import { formFields, type ResponseType } from './config';
import { FREE_TEXT_FIELDS, formAnswers, formRenderData, missingRequired } from './form';
import { ANSWER_RECORDED_PAGE, USE_CARD_BUTTONS_PAGE, choicesPage, refusedPage } from './pages';

export const CALLBACK_CREDENTIAL = 'weComCallbackApi';

/** What the waiting node answers a WeCom Trigger that handed on a click. */
export interface CardClickAnswer {
	weComKit: 'answered' | 'refused';
	approved?: boolean;
	userId?: string;
	cardUpdated?: boolean;
	reason?: string;
}

interface RenderResponse {
	render?: (view: string, data: IDataObject) => void;
}

function answered(data: IDataObject): IWebhookResponseData {
	return { webhookResponse: ANSWER_RECORDED_PAGE, workflowData: [[{ json: { data: { ...data, respondedAt: new Date().toISOString() } } }]] };
}

/** Link previews and crawlers must not answer for the person. */
function isRobot(userAgent: unknown): boolean {
	return typeof userAgent === 'string' && /bot\b|crawler|spider|preview|facebookexternalhit|slurp/i.test(userAgent);
}

export async function sendAndWaitWebhook(ctx: IWebhookFunctions): Promise<IWebhookResponseData> {
	const req = ctx.getRequestObject();
	const method = req.method;
	const responseType = ctx.getNodeParameter('responseType', 'approval') as ResponseType;
	const body = ctx.getBodyData();

	if (method === 'POST' && body && typeof body.weComCardClick === 'object' && body.weComCardClick !== null) {
		return await cardClick(ctx, body.weComCardClick as ForwardedClick);
	}

	if (responseType === 'freeText' || responseType === 'customForm') {
		let fields;
		try {
			fields = responseType === 'freeText' ? FREE_TEXT_FIELDS : formFields(ctx);
		} catch (error) {
			return { webhookResponse: refusedPage((error as Error).message) };
		}
		if (method === 'GET') return renderForm(ctx, fields);
		const posted = (body.data ?? body) as IDataObject;
		const missing = missingRequired(fields, posted);
		if (missing.length) return { webhookResponse: refusedPage(`Please fill in: ${missing.join(', ')}`) };
		if (responseType === 'freeText') return answered({ text: posted['field-0'] as string, answeredVia: 'form' });
		return answered({ ...formAnswers(fields, posted), answeredVia: 'form' });
	}

	// Approval by link.
	if (ctx.getNodeParameter('answerWith', 'links') === 'buttons') return { webhookResponse: USE_CARD_BUTTONS_PAGE };
	if (isRobot(req.headers['user-agent'])) return { webhookResponse: '' };
	const choice = (req.query as IDataObject).approved;
	if (choice !== 'true' && choice !== 'false') return { webhookResponse: approvalChoices(ctx) };
	return answered({ approved: choice === 'true', answeredVia: 'link' });
}

/** The page behind the card itself: the question and a link per answer (signed like the card's links). */
function approvalChoices(ctx: IWebhookFunctions): string {
	const approval = ctx.getNodeParameter('approvalOptions.values', {}) as IDataObject;
	const links = [{ label: String(approval.approveLabel ?? '') || 'Approve', url: ctx.getSignedResumeUrl({ approved: 'true' }) }];
	if (approval.approvalType === 'double') {
		links.push({ label: String(approval.disapproveLabel ?? '') || 'Decline', url: ctx.getSignedResumeUrl({ approved: 'false' }) });
	}
	const title = String(ctx.getNodeParameter('subject', '') ?? '').trim() || 'Approval required';
	return choicesPage(title, String(ctx.getNodeParameter('message', '') ?? ''), links);
}

function renderForm(ctx: IWebhookFunctions, fields: Parameters<typeof formRenderData>[1]): IWebhookResponseData {
	const message = String(ctx.getNodeParameter('message', '') ?? '');
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	const description = (String(options.responseFormDescription ?? '') || message).replace(/\\n/g, '\n').replace(/<br>/g, '\n');
	const data = formRenderData(
		{
			title: String(options.responseFormTitle ?? ''),
			description,
			buttonLabel: String(options.responseFormButtonLabel ?? '') || 'Submit',
		},
		fields,
	);
	const res = ctx.getResponseObject() as unknown as RenderResponse;
	if (typeof res.render !== 'function') return { webhookResponse: refusedPage('This server cannot show forms.') };
	res.render('form-trigger', data);
	return { noWebhookResponse: true };
}

function clickAnswer(answer: CardClickAnswer, workflowData?: IWebhookResponseData['workflowData']): IWebhookResponseData {
	return { webhookResponse: answer as unknown as IDataObject, workflowData };
}

async function cardClick(ctx: IWebhookFunctions, click: ForwardedClick): Promise<IWebhookResponseData> {
	if (ctx.getNodeParameter('answerWith', 'links') !== 'buttons') return clickAnswer({ weComKit: 'refused', reason: 'this request is not answered with card buttons' });
	const credential = await ctx.getCredentials<ICredentialDataDecryptedObject>(CALLBACK_CREDENTIAL).catch(() => undefined);
	const secret = cardKeySecretOf(credential);
	if (!secret) return clickAnswer({ weComKit: 'refused', reason: 'the node has no usable WeCom Callback API credential' });
	const problem = forwardedClickProblem(
		secret,
		{ ...click, createTime: Number(click.createTime) },
		{ executionId: ctx.getExecutionId(), nodeId: ctx.getNode().id },
		Math.floor(Date.now() / 1000),
	);
	if (problem) {
		ctx.logger.warn(`WeCom send-and-wait refused a card click: ${problem}`);
		return clickAnswer({ weComKit: 'refused', reason: problem });
	}
	const approved = parseCardKey(click.key)?.answer === 'a';
	const cardUpdated = await updateCardForEveryone(ctx, click.responseCode, approved, click.userId);
	const data: IDataObject = { approved, answeredVia: 'card', userId: click.userId, taskId: click.taskId, cardUpdated };
	return clickAnswer(
		{ weComKit: 'answered', approved, userId: click.userId, cardUpdated },
		[[{ json: { data: { ...data, respondedAt: new Date().toISOString() } } }]],
	);
}

/** The answer label with who gave it, e.g. "Approved by zhangsan"; button.replace_name on every recipient's card. */
export function answeredLabel(approved: boolean, userId: string, labels: { approve: string; decline: string }): string {
	return `${approved ? labels.approve : labels.decline} by ${userId}`;
}

async function updateCardForEveryone(ctx: IWebhookFunctions, responseCode: string, approved: boolean, userId: string): Promise<boolean> {
	const approval = ctx.getNodeParameter('approvalOptions.values', {}) as IDataObject;
	const texts = ctx.getNodeParameter('cardUpdate', {}) as IDataObject;
	const label = answeredLabel(approved, userId, {
		approve: String(texts.approvedText ?? '') || 'Approved',
		decline: String(texts.declinedText ?? '') || (approval.approvalType === 'double' ? 'Declined' : 'Answered'),
	});
	try {
		const { data } = await readAgent(ctx);
		await weComApiRequest.call(ctx, {
			method: 'POST',
			endpoint: 'message/update_template_card',
			body: { atall: 1, agentid: data, response_code: responseCode, button: { replace_name: label } },
		});
		return true;
	} catch (error) {
		ctx.logger.warn(`WeCom send-and-wait could not update the answered card: ${(error as Error).message}`);
		return false;
	}
}

async function readAgent(ctx: IWebhookFunctions): Promise<{ data: number }> {
	const credential = await ctx.getCredentials<ICredentialDataDecryptedObject>('weComApi');
	return { data: Number(String(credential.agentId ?? '').trim()) };
}
