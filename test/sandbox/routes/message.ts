import { isKnownDepartment, isKnownTag, isKnownUser } from '../directory';
import { errorAnswer, fail, WeComError } from '../errors';
import { arrayField, intIn, maxBytes, objectField, optionalInt, optionalString, requiredString } from '../fields';
import { validateMessageContent } from '../messageContent';
import { RECALL_WINDOW_MS } from '../state';
import { INTERACTIVE_CARD_TYPES, validateTemplateCard } from '../templateCard';
import { randomId } from '../util';
import { appOf, checkAgentId, jsonBody, ok, type Route, type RouteContext } from './context';

interface Recipients {
	all: boolean;
	users: string[];
	parties: string[];
	tags: string[];
}

function splitIds(value: unknown, field: string): string[] {
	if (value === undefined || value === null || value === '') return [];
	if (typeof value !== 'string' && typeof value !== 'number') fail(40058, `${field} must be a '|'-joined string`);
	const ids = String(value)
		.split('|')
		.map((id) => id.trim())
		.filter((id) => id !== '');
	return [...new Set(ids)];
}

function listIds(value: unknown, field: string): string[] {
	if (value === undefined || value === null) return [];
	if (!Array.isArray(value)) fail(40058, `${field} must be an array`);
	return [...new Set(value.map((id) => String(id).trim()).filter((id) => id !== ''))];
}

/**
 * Recipient limits use WeCom's own codes: 40032 more than 1000 users, 82002 more than 100 departments,
 * 82003 more than 100 tags, 82001 none given at all.
 */
function checkRecipientCounts(recipients: Recipients): void {
	if (!recipients.all && recipients.users.length + recipients.parties.length + recipients.tags.length === 0) {
		fail(82001, 'touser, toparty and totag are all empty');
	}
	if (recipients.users.length > 1000) fail(40032, `${recipients.users.length} users, at most 1000`);
	if (recipients.parties.length > 100) fail(82002, `${recipients.parties.length} departments, at most 100`);
	if (recipients.tags.length > 100) fail(82003, `${recipients.tags.length} tags, at most 100`);
}

/** Unknown recipients are reported ('|'-joined, user IDs lower-cased) while the rest get the message; none left → 81013. */
function invalidRecipients(ctx: RouteContext, recipients: Recipients): { invaliduser: string[]; invalidparty: string[]; invalidtag: string[] } {
	if (recipients.all) return { invaliduser: [], invalidparty: [], invalidtag: [] };
	const invaliduser = recipients.users.filter((id) => !isKnownUser(id, ctx.store.contacts)).map((id) => id.toLowerCase());
	const invalidparty = recipients.parties.filter((id) => !isKnownDepartment(id, ctx.store.contacts));
	const invalidtag = recipients.tags.filter((id) => !isKnownTag(id, ctx.store.contacts));
	const total = recipients.users.length + recipients.parties.length + recipients.tags.length;
	if (invaliduser.length + invalidparty.length + invalidtag.length === total) {
		throw new RecipientsInvalid({ invaliduser: invaliduser.join('|'), invalidparty: invalidparty.join('|'), invalidtag: invalidtag.join('|') });
	}
	return { invaliduser, invalidparty, invalidtag };
}

/** 81013 carries the lists of invalid recipients too. */
class RecipientsInvalid extends WeComError {
	constructor(readonly lists: Record<string, string>) {
		super(81013);
	}
}

function stableJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
	if (value && typeof value === 'object') {
		const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
		return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${stableJson(entry)}`).join(',')}}`;
	}
	return JSON.stringify(value);
}

const send: Route = {
	needsToken: true,
	handle(ctx) {
		try {
			return sendMessage(ctx);
		} catch (error) {
			if (error instanceof RecipientsInvalid) {
				const lists = Object.fromEntries(Object.entries(error.lists).filter(([, value]) => value !== ''));
				return { kind: 'json', answer: { ...errorAnswer(81013), ...lists } };
			}
			throw error;
		}
	},
};

function sendMessage(ctx: RouteContext) {
	const app = appOf(ctx);
	const body = jsonBody(ctx);
	const agentId = checkAgentId(ctx, body.agentid);
	const users = splitIds(body.touser, 'touser');
	const all = users.includes('@all');
	const recipients: Recipients = {
		all,
		users: all ? [] : users,
		parties: all ? [] : splitIds(body.toparty, 'toparty'),
		tags: all ? [] : splitIds(body.totag, 'totag'),
	};
	checkRecipientCounts(recipients);
	intIn(body, 'enable_id_trans', 'enable_id_trans', [0, 1]);
	const duplicateCheck = intIn(body, 'enable_duplicate_check', 'enable_duplicate_check', [0, 1]) === 1;
	const interval = optionalInt(body, 'duplicate_check_interval', 'duplicate_check_interval') ?? 1800;
	if (interval < 0 || interval > 14400) fail(40058, 'duplicate_check_interval must be at most 14400 seconds (4 hours)');

	const content = validateMessageContent(body, 'app', ctx.store, app.corpId);
	if (all && body.msgtype === 'miniprogram_notice') fail(40058, 'miniprogram_notice does not support @all');
	const taskId = content.card?.taskId ?? content.taskcard?.taskId;
	if (taskId !== undefined && ctx.store.tasks.has(ctx.store.taskKey(app.corpId, agentId, taskId))) {
		// WeCom documents no specific code for a repeated task_id; 40058 with a clear errmsg.
		fail(40058, `task_id "${taskId}" was already used by this app; task IDs must be unique`);
	}
	const invalid = invalidRecipients(ctx, recipients);

	const now = ctx.store.now();
	const duplicateKey = `${app.corpId}\n${agentId}\n${stableJson(body)}`;
	if (duplicateCheck) {
		const previous = ctx.store.recentBodies.get(duplicateKey);
		// An identical message inside the interval is not delivered again.
		if (previous && now - previous.at < interval * 1000) return ok({ msgid: previous.msgid });
	}

	const msgid = randomId(36);
	let responseCode: string | undefined;
	if (content.card?.callbackCard) {
		responseCode = ctx.store.newResponseCode({
			msgid,
			cardType: content.card.cardType,
			interactive: INTERACTIVE_CARD_TYPES.includes(content.card.cardType),
			agentId,
			corpId: app.corpId,
		});
	}
	if (taskId !== undefined) {
		ctx.store.tasks.set(ctx.store.taskKey(app.corpId, agentId, taskId), {
			taskId,
			msgid,
			kind: content.card ? 'template_card' : 'interactive_taskcard',
			cardType: content.card?.cardType,
			keys: content.card?.keys ?? content.taskcard?.keys ?? [],
			menuKeys: content.card?.menuKeys ?? [],
			agentId,
			corpId: app.corpId,
		});
	}
	ctx.store.addMessage({
		msgid,
		body: ctx.recordBodies ? content.body : undefined,
		responseCode,
		taskId,
		kind: 'app',
		agentId,
		corpId: app.corpId,
		at: now,
		recalled: false,
	});
	if (duplicateCheck) ctx.store.recentBodies.set(duplicateKey, { at: now, msgid });

	return ok({
		...(invalid.invaliduser.length ? { invaliduser: invalid.invaliduser.join('|') } : {}),
		...(invalid.invalidparty.length ? { invalidparty: invalid.invalidparty.join('|') } : {}),
		...(invalid.invalidtag.length ? { invalidtag: invalid.invalidtag.join('|') } : {}),
		msgid,
		...(responseCode ? { response_code: responseCode } : {}),
	});
}

/**
 * update_template_card (94888). response_code: unknown or expired → 40058, already used → 42022.
 * Per the doc a callback card "can be updated to any kind of template card", so the new card's type is free;
 * button.replace_name only for the three interactive kinds.
 */
const updateTemplateCard: Route = {
	needsToken: true,
	handle(ctx) {
		const app = appOf(ctx);
		const body = jsonBody(ctx);
		const agentId = checkAgentId(ctx, body.agentid);
		const userids = listIds(body.userids, 'userids');
		const partyids = listIds(body.partyids, 'partyids');
		const tagids = listIds(body.tagids, 'tagids');
		const atall = intIn(body, 'atall', 'atall', [0, 1]) === 1;
		const recipients: Recipients = { all: atall, users: userids, parties: partyids, tags: tagids };
		checkRecipientCounts(recipients);

		const code = requiredString(body, 'response_code', 'response_code');
		const record = ctx.store.responseCodes.get(code);
		if (!record || record.corpId !== app.corpId || record.agentId !== agentId) fail(40058, 'invalid response_code');
		if (record.used) fail(42022, 'each response_code can be used once');
		if (record.expiresAt <= ctx.store.now()) fail(40058, 'response_code expired (valid 72 hours)');

		const hasButton = body.button !== undefined;
		const hasCard = body.template_card !== undefined;
		if (hasButton === hasCard) fail(40058, 'give either button.replace_name or template_card');
		if (hasButton) {
			const button = objectField(body, 'button', 'button');
			requiredString(button, 'replace_name', 'button.replace_name');
			if (!record.interactive) fail(40058, `button.replace_name is not allowed for a ${record.cardType} card`);
		} else {
			validateTemplateCard(objectField(body, 'template_card', 'template_card'), 'update');
		}
		const invalid = atall ? [] : userids.filter((id) => !isKnownUser(id, ctx.store.contacts)).map((id) => id.toLowerCase());
		if (!atall && invalid.length === userids.length && partyids.every((id) => !isKnownDepartment(id, ctx.store.contacts)) && tagids.every((id) => !isKnownTag(id, ctx.store.contacts))) {
			fail(81013);
		}
		record.used = true;
		return ok({ invaliduser: invalid });
	},
};

/** Legacy task card update (91579): 42016 unknown task_id, 42019 missing key, 42017 unknown key, 42015 other app. */
const updateTaskcard: Route = {
	needsToken: true,
	handle(ctx) {
		const app = appOf(ctx);
		const body = jsonBody(ctx);
		const agentId = checkAgentId(ctx, body.agentid);
		const userids = listIds(arrayField(body, 'userids', 'userids', true), 'userids');
		if (userids.length === 0) fail(82001, 'userids is empty');
		if (userids.length > 1000) fail(40032, `${userids.length} users, at most 1000`);
		const taskId = requiredString(body, 'task_id', 'task_id', 42014);
		const task = ctx.store.tasks.get(ctx.store.taskKey(app.corpId, agentId, taskId));
		if (!task) {
			const elsewhere = [...ctx.store.tasks.values()].some((entry) => entry.taskId === taskId && entry.corpId === app.corpId);
			fail(elsewhere ? 42015 : 42016, `task_id "${taskId}"`);
		}
		if (task.kind !== 'interactive_taskcard') fail(42016, `task_id "${taskId}" is a template card; use update_template_card`);
		const clickedKey = requiredString(body, 'clicked_key', 'clicked_key', 42019);
		if (!task.keys.includes(clickedKey)) fail(42017, `clicked_key "${clickedKey}"`);
		maxBytes(optionalString(body, 'replace_name', 'replace_name'), 18, 'replace_name');
		return ok({ invaliduser: userids.filter((id) => !isKnownUser(id, ctx.store.contacts)).map((id) => id.toLowerCase()) });
	},
};

/** recall (94867): only app messages of this app from the last 24 hours; anything else → 40058 with a reason. */
const recall: Route = {
	needsToken: true,
	handle(ctx) {
		const app = appOf(ctx);
		const msgid = requiredString(jsonBody(ctx), 'msgid', 'msgid');
		const message = ctx.store.messagesById.get(msgid);
		if (!message || message.kind !== 'app' || message.corpId !== app.corpId || message.agentId !== app.agentId) {
			fail(40058, `invalid msgid "${msgid}"`);
		}
		if (message.recalled) fail(40058, 'message already recalled');
		if (ctx.store.now() - message.at > RECALL_WINDOW_MS) fail(40058, 'messages can only be recalled within 24 hours');
		message.recalled = true;
		return ok();
	},
};

export const messageRoutes: Record<string, Route> = {
	'/cgi-bin/message/send': send,
	'/cgi-bin/message/update_template_card': updateTemplateCard,
	'/cgi-bin/message/update_taskcard': updateTaskcard,
	'/cgi-bin/message/recall': recall,
};
