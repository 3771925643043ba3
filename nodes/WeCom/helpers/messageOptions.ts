/**
 * The Options collection entries shared by Message → Send and App Chat → Send, and how they become body keys.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ContentTarget } from './messageContent';
import { DUPLICATE_CHECK_DEFAULT_SECONDS, DUPLICATE_CHECK_MAX_SECONDS, MAX_USERS_PER_SEND, TEXT_MAX_BYTES } from './messageLimits';

export function safeOption(target: ContentTarget): INodeProperties {
	return {
		displayName: 'Safe (保密消息)',
		name: 'safe',
		type: 'options',
		options: [
			{ name: 'Shareable (0)', value: 0 },
			{ name: 'Confidential With Watermark (1)', value: 1 },
			...(target === 'message' ? [{ name: 'Share Inside the Company Only (2, MPNews Only)', value: 2 }] : []),
		],
		default: 0,
		description:
			'Whether recipients may forward the message. WeCom applies it to text, image, video, file and mpnews; news cannot be confidential. For files, 1 needs txt, pdf, Office, xml or image files.',
	};
}

export const truncateLongTextOption: INodeProperties = {
	displayName: 'Truncate Long Text',
	name: 'truncateLongText',
	type: 'boolean',
	default: false,
	description: `Whether to cut text and markdown longer than ${TEXT_MAX_BYTES} bytes to the limit (the output then has truncated: true) instead of failing. WeCom itself would cut text silently.`,
};

/** Options of Message → Send only. */
export const messageSendOptions: INodeProperties[] = [
	{
		displayName: 'Agent ID',
		name: 'agentId',
		type: 'number',
		default: 0,
		description: "The app's AgentId; 0 uses the Agent ID of the credential. The credential's secret must belong to this app.",
	},
	{
		displayName: 'Duplicate Check Interval (Seconds)',
		name: 'duplicateCheckInterval',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: DUPLICATE_CHECK_MAX_SECONDS },
		default: DUPLICATE_CHECK_DEFAULT_SECONDS,
		description: `Used with Enable Duplicate Check: identical messages within this many seconds are not delivered again (at most ${DUPLICATE_CHECK_MAX_SECONDS}, 4 hours)`,
	},
	{
		displayName: 'Enable Duplicate Check',
		name: 'enableDuplicateCheck',
		type: 'boolean',
		default: false,
		description: 'Whether WeCom drops a message identical to one sent within the interval (重复消息检查)',
	},
	{
		displayName: 'Enable ID Translation',
		name: 'enableIdTrans',
		type: 'boolean',
		default: false,
		description: 'Whether to translate $userName=ID$ and $departmentName=ID$ placeholders (ID 转译, mainly for third-party apps)',
	},
	{
		displayName: 'Fail on Partial Delivery',
		name: 'failOnPartialDelivery',
		type: 'boolean',
		default: false,
		description:
			'Whether to fail the item when WeCom reports invalid or unlicensed recipients, instead of listing them in the output. The valid recipients have received the message either way.',
	},
	safeOption('message'),
	{
		displayName: 'Split Large User Lists',
		name: 'splitLargeUserLists',
		type: 'boolean',
		default: false,
		description: `Whether to send to more than ${MAX_USERS_PER_SEND} user IDs in batches of ${MAX_USERS_PER_SEND} (one request each, merged into one output item). Departments and tags go with the first batch only, so they receive it once. Not for task cards or template cards with a task_id, which must be unique per send.`,
	},
	truncateLongTextOption,
];

/** safe, enable_id_trans and duplicate-check keys for the body; only what differs from WeCom's defaults. */
export function deliveryOptionKeys(ctx: IExecuteFunctions, itemIndex: number, options: IDataObject): IDataObject {
	const keys: IDataObject = {};
	const safe = Number(options.safe ?? 0);
	if (safe) keys.safe = safe;
	if (options.enableIdTrans === true) keys.enable_id_trans = 1;
	if (options.enableDuplicateCheck === true) {
		const interval = Number(options.duplicateCheckInterval ?? DUPLICATE_CHECK_DEFAULT_SECONDS);
		if (!Number.isInteger(interval) || interval < 1 || interval > DUPLICATE_CHECK_MAX_SECONDS) {
			throw new NodeOperationError(
				ctx.getNode(),
				`Duplicate Check Interval is ${String(options.duplicateCheckInterval)}; WeCom accepts whole seconds from 1 to ${DUPLICATE_CHECK_MAX_SECONDS} (4 hours)`,
				{ itemIndex },
			);
		}
		keys.enable_duplicate_check = 1;
		keys.duplicate_check_interval = interval;
	}
	return keys;
}
