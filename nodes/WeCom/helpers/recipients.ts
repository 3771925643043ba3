/**
 * Recipients of app messages: reading the fields of descriptions/recipients.description.ts, WeCom's limits
 * (1000 users, 100 departments, 100 tags per request), splitting large user lists into requests, and merging
 * the answers into one result.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { chunk, parseIdList, splitPipeList } from './idList';
import { MAX_PARTIES_PER_SEND, MAX_TAGS_PER_SEND, MAX_USERS_PER_SEND } from './messageLimits';

export interface Recipients {
	all: boolean;
	users: string[];
	parties: string[];
	tags: string[];
}

export interface RecipientLimits {
	users: number;
	parties: number;
	tags: number;
}

export const SEND_LIMITS: RecipientLimits = { users: MAX_USERS_PER_SEND, parties: MAX_PARTIES_PER_SEND, tags: MAX_TAGS_PER_SEND };

/** Reads toAll / toUser / toParty / toTag. "@all" typed as a user ID also means everyone. */
export function readRecipients(ctx: IExecuteFunctions, itemIndex: number): Recipients {
	const all = ctx.getNodeParameter('toAll', itemIndex, false) === true;
	if (all) return { all: true, users: [], parties: [], tags: [] };
	const users = parseIdList(ctx.getNodeParameter('toUser', itemIndex, ''));
	if (users.includes('@all')) return { all: true, users: [], parties: [], tags: [] };
	return {
		all: false,
		users,
		parties: parseIdList(ctx.getNodeParameter('toParty', itemIndex, [])),
		tags: parseIdList(ctx.getNodeParameter('toTag', itemIndex, [])),
	};
}

/**
 * What is wrong with the recipients, or undefined. With `splitUsers`, the user limit does not apply
 * (the list is sent in several requests); the department and tag limits always do.
 */
export function recipientProblem(recipients: Recipients, splitUsers: boolean, limits: RecipientLimits = SEND_LIMITS): string | undefined {
	if (recipients.all) return undefined;
	const { users, parties, tags } = recipients;
	if (!users.length && !parties.length && !tags.length) {
		return 'No recipients: give user IDs, departments or tags, or send to everyone (@all)';
	}
	if (users.length > limits.users && !splitUsers) {
		return `User IDs has ${users.length} entries; WeCom accepts at most ${limits.users} per request. Turn on the option Split Large User Lists to send in batches.`;
	}
	if (parties.length > limits.parties) {
		return `Departments has ${parties.length} entries; WeCom accepts at most ${limits.parties} per request. Send to a parent department instead.`;
	}
	if (tags.length > limits.tags) return `Tags has ${tags.length} entries; WeCom accepts at most ${limits.tags} per request`;
	return undefined;
}

export function assertRecipients(ctx: IExecuteFunctions, itemIndex: number, recipients: Recipients, splitUsers: boolean): void {
	const problem = recipientProblem(recipients, splitUsers);
	if (problem) throw new NodeOperationError(ctx.getNode(), problem, { itemIndex });
}

/**
 * The addressing part of each request. Users are cut into batches of at most `limits.users`; departments and
 * tags go with the first request only, so nobody in them receives the message twice (a member who is both in
 * the user list and in a department may still, as with any single WeCom request that names both).
 */
export function recipientBatches(recipients: Recipients, limits: RecipientLimits = SEND_LIMITS): IDataObject[] {
	if (recipients.all) return [{ touser: '@all' }];
	const userBatches = recipients.users.length ? chunk(recipients.users, limits.users) : [[]];
	return userBatches.map((users, index) => {
		const addressing: IDataObject = {};
		if (users.length) addressing.touser = users.join('|');
		if (index === 0 && recipients.parties.length) addressing.toparty = recipients.parties.join('|');
		if (index === 0 && recipients.tags.length) addressing.totag = recipients.tags.join('|');
		return addressing;
	});
}

export interface DeliveryResult {
	msgid?: string;
	msgids: string[];
	response_code?: string;
	invaliduser: string[];
	invalidparty: string[];
	invalidtag: string[];
	unlicenseduser: string[];
}

/** Merges message/send answers (one or several batches): msgids in order, invalid lists concatenated without repeats. */
export function mergeDeliveryAnswers(answers: IDataObject[]): DeliveryResult {
	const merged: DeliveryResult = { msgids: [], invaliduser: [], invalidparty: [], invalidtag: [], unlicenseduser: [] };
	const add = (list: string[], value: unknown): void => {
		for (const entry of splitPipeList(value)) if (!list.includes(entry)) list.push(entry);
	};
	for (const answer of answers) {
		if (answer.msgid !== undefined && answer.msgid !== '') merged.msgids.push(String(answer.msgid));
		if (merged.response_code === undefined && typeof answer.response_code === 'string' && answer.response_code) {
			merged.response_code = answer.response_code;
		}
		add(merged.invaliduser, answer.invaliduser);
		add(merged.invalidparty, answer.invalidparty);
		add(merged.invalidtag, answer.invalidtag);
		add(merged.unlicenseduser, answer.unlicenseduser);
	}
	if (merged.msgids.length) merged.msgid = merged.msgids[0];
	return merged;
}

/** Invalid recipients as one readable line, or '' when everyone was reached. */
export function partialDeliverySummary(result: DeliveryResult): string {
	const parts: string[] = [];
	const describe = (label: string, list: string[]): void => {
		if (list.length) parts.push(`${list.length} ${label} (${list.slice(0, 10).join(', ')}${list.length > 10 ? ', …' : ''})`);
	};
	describe('invalid users', result.invaliduser);
	describe('invalid departments', result.invalidparty);
	describe('invalid tags', result.invalidtag);
	describe('unlicensed users', result.unlicenseduser);
	return parts.join('; ');
}
