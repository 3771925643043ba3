/**
 * Clicks on the native buttons of Send and Wait cards (button keys `wkh1.…`, see shared/cardAnswerKey.ts).
 * The trigger checks the key's MAC with its callback credential before anything else, then hands the click on to
 * the waiting execution (POST to the signed resume URL in the key, with a proof over what WeCom reported) and
 * tells the clicker, by a passive reply, when the request is no longer waiting. Such clicks never start the
 * trigger's own workflow.
 */
import type { IDataObject, IHttpRequestOptions, IWebhookFunctions } from 'n8n-workflow';

import { signForwardedClick, verifyCardKey, type CardKeySecret } from '../shared/cardAnswerKey';

export type CardAnswerOutcome =
	/** The execution took the answer (and updated the card for everyone unless cardUpdated is false). */
	| { kind: 'answered'; cardUpdated: boolean; approved: boolean; userId: string }
	/** Nobody is waiting any more (answered, timed out, deleted): the clicker is told. */
	| { kind: 'tooLate' }
	/** Not a key this app's credential signed, or the waiting node refused it: acknowledged, nothing else. */
	| { kind: 'refused'; reason: string };

/** A wkh1 key's resume URL with its origin replaced by `base` (e.g. n8n's internal address), path and query kept. */
export function resumeUrlThrough(resumeUrl: string, base: string): string {
	if (!base.trim()) return resumeUrl;
	const original = new URL(resumeUrl);
	const target = new URL(base.trim());
	target.pathname = original.pathname;
	target.search = original.search;
	return target.toString();
}

export async function forwardCardAnswer(
	ctx: IWebhookFunctions,
	fields: IDataObject,
	secret: CardKeySecret,
	resumeBaseUrl: string,
): Promise<CardAnswerOutcome> {
	const key = String(fields.EventKey ?? '');
	const taskId = String(fields.TaskId ?? '');
	const parsed = verifyCardKey(secret, key, taskId);
	if (!parsed) return { kind: 'refused', reason: 'the button key was not signed with this callback credential for this card' };
	const click = signForwardedClick(secret, {
		key,
		taskId,
		userId: String(fields.FromUserName ?? ''),
		responseCode: String(fields.ResponseCode ?? ''),
		createTime: Number(fields.CreateTime ?? 0),
	});
	const request: IHttpRequestOptions = {
		method: 'POST',
		url: resumeUrlThrough(parsed.resumeUrl, resumeBaseUrl),
		body: { weComCardClick: click },
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		// WeCom waits five seconds for the callback's answer.
		timeout: 4000,
	};
	let response: { statusCode?: number; body?: unknown };
	try {
		response = (await ctx.helpers.httpRequest(request)) as { statusCode?: number; body?: unknown };
	} catch (error) {
		return { kind: 'refused', reason: `the waiting execution could not be reached: ${(error as Error).message}` };
	}
	const body = response.body as IDataObject | string | undefined;
	if (body && typeof body === 'object' && body.weComKit === 'answered') {
		return { kind: 'answered', cardUpdated: body.cardUpdated === true, approved: body.approved === true, userId: click.userId };
	}
	if (body && typeof body === 'object' && body.weComKit === 'refused') return { kind: 'refused', reason: String(body.reason ?? 'refused') };
	// n8n answers itself when the execution no longer waits: its "No action required" page (finished), 404, 409.
	return { kind: 'tooLate' };
}

export const TOO_LATE_TEXT = 'No longer waiting';
