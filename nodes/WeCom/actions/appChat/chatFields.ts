/**
 * Checks and fields shared by the app chat (群聊会话) operations.
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { APPCHAT_CHATID_MAX_CHARS, APPCHAT_CHATID_PATTERN, APPCHAT_NAME_MAX_CHARS } from '../../helpers/messageLimits';
import { assertMaxChars, assertRequired } from '../../helpers/text';

export const chatIdField: INodeProperties = {
	displayName: 'Chat ID',
	name: 'chatId',
	type: 'string',
	default: '',
	required: true,
	placeholder: '={{ $json.chatid }}',
	description: 'The chatid returned by Create; only chats created by this app through the API can be used',
};

/** A chatid as WeCom accepts it: letters and digits, at most 32 characters. */
export function checkChatId(ctx: IExecuteFunctions, itemIndex: number, chatId: string, field = 'Chat ID'): void {
	assertRequired(ctx, field, chatId, itemIndex);
	assertMaxChars(ctx, field, chatId, APPCHAT_CHATID_MAX_CHARS, itemIndex);
	if (!APPCHAT_CHATID_PATTERN.test(chatId)) {
		throw new NodeOperationError(ctx.getNode(), `${field} "${chatId.slice(0, 40)}" may hold only letters and digits`, { itemIndex });
	}
}

/** WeCom cuts longer names silently; fail instead so nothing is lost unnoticed. */
export function checkChatName(ctx: IExecuteFunctions, itemIndex: number, name: string): void {
	assertMaxChars(ctx, 'Chat Name', name, APPCHAT_NAME_MAX_CHARS, itemIndex);
}
