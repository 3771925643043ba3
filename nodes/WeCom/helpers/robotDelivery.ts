/**
 * Posts one group robot message with the robot's 20-a-minute rule in mind:
 * - 'fail': send at once; a 45009 becomes an error that explains the rule and the way out;
 * - 'wait': wait for a free slot in the local window first, and after a 45009 (sends from elsewhere) wait and
 *   try again, at most `maxWaitMs` in total for the item.
 */
import type { IDataObject, IExecuteFunctions, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { WECOM_ROBOT_CREDENTIAL, extractRobotKey, weComRobotRequest } from '../transport/robot';
import {
	ROBOT_MESSAGES_PER_MINUTE,
	confirmRobotSend,
	getRobotRatePolicy,
	msAfterRateLimited,
	msUntilFreeSlot,
	recordRobotSend,
	releaseRobotSend,
	robotWindowKey,
} from './robotRateLimit';

export type RateLimitMode = 'fail' | 'wait';

const RATE_LIMITED = 45009;

/** The window key of the robot this item posts to (hashed webhook key). */
export async function robotWindowKeyFor(ctx: IExecuteFunctions, itemIndex: number): Promise<string> {
	const credentials = await ctx.getCredentials(WECOM_ROBOT_CREDENTIAL, itemIndex);
	return robotWindowKey(extractRobotKey(credentials.webhookKey));
}

export async function sendRobotMessage(
	ctx: IExecuteFunctions,
	itemIndex: number,
	body: IDataObject,
	mode: RateLimitMode,
): Promise<IDataObject> {
	const windowKey = await robotWindowKeyFor(ctx, itemIndex);
	const policy = getRobotRatePolicy();
	let waited = 0;
	for (;;) {
		if (mode === 'wait') {
			const pause = msUntilFreeSlot(windowKey);
			if (pause > 0) {
				if (waited + pause > policy.maxWaitMs) throw rateLimitError(ctx, itemIndex, mode, waited);
				await sleep(pause);
				waited += pause;
				continue;
			}
		}
		const slot = recordRobotSend(windowKey);
		try {
			const answer = await weComRobotRequest.call(ctx, { endpoint: 'webhook/send', body, itemIndex });
			confirmRobotSend(windowKey, slot);
			return answer;
		} catch (error) {
			releaseRobotSend(windowKey, slot);
			if (errcodeOfError(error) !== RATE_LIMITED) throw asNodeError(ctx, error, itemIndex);
			if (mode === 'fail') throw rateLimitError(ctx, itemIndex, mode, waited);
			const pause = Math.min(msAfterRateLimited(windowKey), policy.maxWaitMs - waited);
			if (pause <= 0) throw rateLimitError(ctx, itemIndex, mode, waited);
			await sleep(pause);
			waited += pause;
		}
	}
}

export function errcodeOfError(error: unknown): number | undefined {
	const response = (error as { errorResponse?: { errcode?: unknown } } | undefined)?.errorResponse;
	const code = response?.errcode;
	return code === undefined || code === null ? undefined : Number(code);
}

/** The transport throws n8n errors already; anything else is wrapped so it still names the item. */
function asNodeError(ctx: IExecuteFunctions, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
}

function rateLimitError(ctx: IExecuteFunctions, itemIndex: number, mode: RateLimitMode, waitedMs: number): NodeApiError {
	const seconds = Math.round(waitedMs / 1000);
	const message = `WeCom 45009: this group robot already received ${ROBOT_MESSAGES_PER_MINUTE} messages in the last minute (机器人发送频率超过限制)`;
	const description =
		mode === 'fail'
			? `Each group robot (群机器人) accepts at most ${ROBOT_MESSAGES_PER_MINUTE} messages a minute, counting every workflow that uses its webhook. ` +
				"Set the option 'When Rate Limited' to 'Wait and Retry' so the node paces the items, send fewer messages (e.g. combine them into one), or spread them over several robots."
			: `Each group robot (群机器人) accepts at most ${ROBOT_MESSAGES_PER_MINUTE} messages a minute. The node waited ${seconds} s for a free slot and gave up; ` +
				'other workflows or systems probably post to the same robot. Send fewer messages or spread them over several robots.';
	return new NodeApiError(ctx.getNode(), { errcode: RATE_LIMITED, errmsg: 'api freq out of limit', endpoint: 'webhook/send' } as JsonObject, {
		message,
		description,
		httpCode: String(RATE_LIMITED),
		itemIndex,
	});
}
