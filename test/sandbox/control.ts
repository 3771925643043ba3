import { handleSmartsheetControl } from './smartsheetControl';
import type { ApprovalActOptions, ClickCardOptions, WeComSandbox } from './types';
import { isRecord } from './util';

/**
 * HTTP controls under /__sandbox for out-of-process users (the demo, end-to-end tests with a real n8n).
 * JSON in, JSON out; mistakes answer 400 {error}.
 */
export interface ControlRequest {
	method: string;
	path: string;
	query: Record<string, string>;
	body: Buffer;
	callbackUrl?: string;
}

class ControlError extends Error {}

function text(body: Record<string, unknown>, key: string, required = true): string | undefined {
	const value = body[key];
	if (value === undefined || value === null) {
		if (required) throw new ControlError(`"${key}" is required`);
		return undefined;
	}
	if (typeof value !== 'string') throw new ControlError(`"${key}" must be a string`);
	return value;
}

function number(body: Record<string, unknown>, key: string, fallback?: number): number {
	const value = body[key] ?? fallback;
	if (typeof value !== 'number' || !Number.isFinite(value)) throw new ControlError(`"${key}" must be a number`);
	return value;
}

function timing(body: Record<string, unknown>): { timestamp?: string; nonce?: string; timeoutMs?: number } {
	return { timestamp: text(body, 'timestamp', false), nonce: text(body, 'nonce', false), timeoutMs: body.timeoutMs === undefined ? undefined : number(body, 'timeoutMs') };
}

export async function handleControl(sandbox: WeComSandbox, request: ControlRequest): Promise<{ status: number; body: unknown }> {
	let body: Record<string, unknown> = {};
	if (request.body.length > 0) {
		try {
			const parsed: unknown = JSON.parse(request.body.toString('utf8'));
			if (!isRecord(parsed)) throw new Error('not an object');
			body = parsed;
		} catch {
			return { status: 400, body: { error: 'The control body must be a JSON object.' } };
		}
	}
	const action = request.path.replace(/^\/__sandbox\/?/, '');
	const url = () => text(body, 'url', !request.callbackUrl) ?? (request.callbackUrl as string);
	try {
		if (action.startsWith('smartsheet/')) {
			const answer = handleSmartsheetControl(sandbox.smartsheet, sandbox.corpId, action.slice('smartsheet/'.length), request.query, body);
			if (answer) return answer;
		}
		switch (action) {
			case 'state':
				return {
					status: 200,
					body: {
						url: sandbox.url,
						gettokenCount: sandbox.gettokenCount(),
						requestCount: sandbox.requests.length,
						inFlight: sandbox.inFlight(),
						maxInFlight: sandbox.maxInFlight(),
						messages: sandbox.messages(),
					},
				};
			case 'requests': {
				const path = request.query.path ?? text(body, 'path', false);
				return { status: 200, body: { requests: path ? sandbox.requestsTo(path) : sandbox.requests } };
			}
			case 'messages':
				return { status: 200, body: { messages: sandbox.messages() } };
			case 'media': {
				const mediaId = request.query.media_id ?? text(body, 'mediaId', false) ?? '';
				const media = sandbox.media(mediaId);
				if (!media) return { status: 404, body: { error: `No media ${mediaId}` } };
				return { status: 200, body: { type: media.type, filename: media.filename, contentType: media.contentType, size: media.data.length, base64: media.data.toString('base64') } };
			}
			case 'contacts': {
				const directory = sandbox.contacts();
				return {
					status: 200,
					body: {
						users: [...directory.users.values()],
						departments: [...directory.departments.values()],
						tags: [...directory.tags.values()].map((tag) => ({ tagid: tag.tagid, tagname: tag.tagname, users: [...tag.users], parties: [...tag.parties] })),
					},
				};
			}
			case 'contacts-app': {
				const { secret, ...settings } = body;
				if (typeof secret !== 'string') throw new ControlError('"secret" is required');
				sandbox.configureContactsApp(secret, settings);
				return { status: 200, body: { ok: true } };
			}
			case 'contacts-bulk':
				return { status: 200, body: { userids: sandbox.contacts().addBulkUsers(number(body, 'count'), number(body, 'department', 2)) } };
			case 'contact-callbacks':
				sandbox.sendContactCallbacks(text(body, 'url', false));
				return { status: 200, body: { ok: true } };
			case 'reset':
				sandbox.reset();
				return { status: 200, body: { ok: true } };
			case 'expire-tokens':
				sandbox.expireTokens();
				return { status: 200, body: { ok: true } };
			case 'invalidate-tokens':
				sandbox.invalidateTokens();
				return { status: 200, body: { ok: true } };
			case 'inject':
				sandbox.injectError(text(body, 'path') as string, number(body, 'errcode'), number(body, 'times', 1), text(body, 'errmsg', false));
				return { status: 200, body: { ok: true } };
			case 'inject-status':
				sandbox.injectHttpStatus(text(body, 'path') as string, number(body, 'status'), number(body, 'times', 1));
				return { status: 200, body: { ok: true } };
			case 'drop':
				sandbox.dropConnection(text(body, 'path') as string, number(body, 'times', 1));
				return { status: 200, body: { ok: true } };
			case 'delay':
				sandbox.setDelay(text(body, 'path', false) ?? '*', number(body, 'ms'), number(body, 'jitter', 0));
				return { status: 200, body: { ok: true } };
			case 'rate-limit':
				sandbox.setRateLimit(text(body, 'path') as string, number(body, 'limit'), number(body, 'windowMs'), number(body, 'blockMs', 0));
				return { status: 200, body: { ok: true } };
			case 'wecom-limits':
				sandbox.enforceWeComLimits(
					body.enabled === false
						? false
						: { timeScale: number(body, 'timeScale', 1), includeMessageSend: body.includeMessageSend === true, perMember: body.perMember !== false },
				);
				return { status: 200, body: { ok: true } };
			case 'in-flight':
				if (request.method === 'POST') sandbox.resetMaxInFlight();
				return { status: 200, body: { inFlight: sandbox.inFlight(), maxInFlight: sandbox.maxInFlight() } };
			case 'encrypt':
				return { status: 200, body: sandbox.encryptCallback(text(body, 'xml') as string, timing(body)) };
			case 'callback':
				return { status: 200, body: await sandbox.postCallback(url(), text(body, 'xml') as string, timing(body)) };
			case 'verify-url':
				return { status: 200, body: await sandbox.verifyCallbackUrl(url()) };
			case 'decrypt-reply':
				return { status: 200, body: sandbox.decryptReply(text(body, 'body') as string) };
			case 'click': {
				const options: ClickCardOptions = {
					url: url(),
					taskId: text(body, 'taskId', false),
					msgid: text(body, 'msgid', false),
					userId: text(body, 'userId') as string,
					eventKey: text(body, 'eventKey') as string,
					selectedItems: Array.isArray(body.selectedItems) ? (body.selectedItems as ClickCardOptions['selectedItems']) : undefined,
					timeoutMs: body.timeoutMs === undefined ? undefined : number(body, 'timeoutMs'),
				};
				return { status: 200, body: await sandbox.clickCard(options) };
			}
			case 'cards':
				return { status: 200, body: { cards: sandbox.cards() } };
			case 'open-link': {
				const form = body.form;
				if (form !== undefined && (!isRecord(form) || Object.values(form).some((value) => typeof value !== 'string'))) {
					throw new ControlError('"form" must be an object of strings');
				}
				const method = text(body, 'method', false);
				if (method !== undefined && method !== 'GET' && method !== 'POST') throw new ControlError('"method" must be GET or POST');
				return {
					status: 200,
					body: await sandbox.openLink(text(body, 'url') as string, {
						method,
						form: form as Record<string, string> | undefined,
						userAgent: text(body, 'userAgent', false),
					}),
				};
			}
			case 'approvals':
				return { status: 200, body: { approvals: sandbox.approvals() } };
			case 'approval-act': {
				const action = text(body, 'action') as ApprovalActOptions['action'];
				if (!['approve', 'reject', 'revoke', 'comment'].includes(action)) throw new ControlError('"action" must be approve, reject, revoke or comment');
				const spNos = body.spNos;
				if (spNos !== undefined && (!Array.isArray(spNos) || !spNos.every((entry) => typeof entry === 'string'))) {
					throw new ControlError('"spNos" must be an array of strings');
				}
				const options: ApprovalActOptions = {
					spNo: text(body, 'spNo', false),
					spNos: spNos as string[] | undefined,
					userId: text(body, 'userId') as string,
					action,
					speech: text(body, 'speech', false),
					url: body.url === false ? false : url(),
				};
				return { status: 200, body: { results: await sandbox.actOnApprovals(options) } };
			}
			default:
				return { status: 404, body: { error: `Unknown sandbox control "${action}".` } };
		}
	} catch (error) {
		return { status: 400, body: { error: error instanceof Error ? error.message : String(error) } };
	}
}
