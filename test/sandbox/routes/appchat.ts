import { randomBytes } from 'node:crypto';

import { isKnownUser } from '../directory';
import { fail } from '../errors';
import { arrayField, optionalString, requiredString } from '../fields';
import { validateMessageContent } from '../messageContent';
import type { ChatRecord } from '../state';
import { charCount, randomId } from '../util';
import { appOf, jsonBody, ok, type Route, type RouteContext } from './context';

/** App group chats (90244-90248); errors use WeCom's 86xxx codes. */

function members(ctx: RouteContext, list: unknown[], field: string): string[] {
	const ids = list.map((id) => {
		if (typeof id !== 'string' || id.trim() === '') fail(86216, `${field} holds an empty or non-string user ID`);
		return id.trim().toLowerCase();
	});
	const unknown = ids.filter((id) => !isKnownUser(id, ctx.store.contacts));
	if (unknown.length) fail(86216, `unknown users in ${field}: ${unknown.join('|')}`);
	return [...new Set(ids)];
}

function checkSize(userlist: string[]): void {
	if (userlist.length < 2 || userlist.length > 2000) fail(86006, `a chat needs 2 to 2000 members, got ${userlist.length}`);
}

/** The chat, if it exists and was created by the calling app. */
function chatOf(ctx: RouteContext, chatid: string | undefined): ChatRecord {
	if (!chatid) fail(86201);
	const chat = ctx.store.chats.get(chatid);
	if (!chat) fail(86003, `chatid "${chatid}"`);
	const app = appOf(ctx);
	if (chat.corpId !== app.corpId || chat.agentId !== app.agentId) fail(86008);
	return chat;
}

/** Names longer than 50 characters are cut (90245: "超过将截断"). */
function chatName(name: string | undefined): string {
	return name === undefined ? '' : Array.from(name).slice(0, 50).join('');
}

const create: Route = {
	needsToken: true,
	handle(ctx) {
		const app = appOf(ctx);
		const body = jsonBody(ctx);
		const userlist = members(ctx, arrayField(body, 'userlist', 'userlist', true), 'userlist');
		checkSize(userlist);
		const ownerInput = optionalString(body, 'owner', 'owner');
		const owner = ownerInput ? ownerInput.toLowerCase() : userlist[randomBytes(2).readUInt16BE(0) % userlist.length];
		if (!userlist.includes(owner)) fail(86207, `owner "${owner}" must be in userlist`);
		let chatid = optionalString(body, 'chatid', 'chatid');
		if (chatid !== undefined && chatid !== '') {
			if (charCount(chatid) > 32) fail(86205, 'chatid is at most 32 characters');
			if (!/^[0-9a-zA-Z]+$/.test(chatid)) fail(86001, 'chatid may only contain 0-9, a-z and A-Z');
			if (ctx.store.chats.has(chatid)) fail(86215, `chatid "${chatid}" already exists`);
		} else {
			chatid = `wr${randomId(18).replace(/[^0-9a-zA-Z]/g, 'x')}`;
		}
		ctx.store.chats.set(chatid, {
			chatid,
			name: chatName(optionalString(body, 'name', 'name')),
			owner,
			userlist,
			agentId: app.agentId,
			corpId: app.corpId,
		});
		return ok({ chatid });
	},
};

const update: Route = {
	needsToken: true,
	handle(ctx) {
		const body = jsonBody(ctx);
		const chat = chatOf(ctx, optionalString(body, 'chatid', 'chatid'));
		const add = members(ctx, arrayField(body, 'add_user_list', 'add_user_list', false), 'add_user_list');
		const remove = arrayField(body, 'del_user_list', 'del_user_list', false).map((id) => String(id).toLowerCase());
		const notMembers = remove.filter((id) => !chat.userlist.includes(id));
		if (notMembers.length) fail(86216, `not in the chat: ${notMembers.join('|')}`);
		const userlist = [...new Set([...chat.userlist.filter((id) => !remove.includes(id)), ...add])];
		checkSize(userlist);
		const ownerInput = optionalString(body, 'owner', 'owner');
		const owner = ownerInput ? ownerInput.toLowerCase() : chat.owner;
		if (!userlist.includes(owner)) fail(86207, `owner "${owner}" must be a member`);
		const name = optionalString(body, 'name', 'name');
		Object.assign(chat, { userlist, owner, ...(name !== undefined ? { name: chatName(name) } : {}) });
		return ok();
	},
};

const get: Route = {
	needsToken: true,
	handle(ctx) {
		const chat = chatOf(ctx, ctx.query.chatid);
		return ok({ chat_info: { chatid: chat.chatid, name: chat.name, owner: chat.owner, userlist: [...chat.userlist], chat_type: 0 } });
	},
};

/** appchat/send: same bodies as app messages minus template cards, miniprogram_notice and task cards (40008). */
const send: Route = {
	needsToken: true,
	handle(ctx) {
		const app = appOf(ctx);
		const body = jsonBody(ctx);
		const chat = chatOf(ctx, requiredString(body, 'chatid', 'chatid', 86201));
		const content = validateMessageContent(body, 'appchat', ctx.store, app.corpId);
		ctx.store.addMessage({
			msgid: `appchat-${randomId(24)}`,
			body: ctx.recordBodies ? content.body : undefined,
			kind: 'appchat',
			agentId: chat.agentId,
			corpId: chat.corpId,
			at: ctx.store.now(),
			recalled: false,
		});
		return ok();
	},
};

export const appchatRoutes: Record<string, Route> = {
	'/cgi-bin/appchat/create': create,
	'/cgi-bin/appchat/update': update,
	'/cgi-bin/appchat/get': get,
	'/cgi-bin/appchat/send': send,
};
