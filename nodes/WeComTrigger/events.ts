/**
 * What WeCom posts to an app's callback URL (接收消息与事件): the names of every message and event type,
 * and the normalisation of the parsed XML into the JSON a workflow receives.
 */
import { createHash } from 'node:crypto';

import type { IDataObject, INodePropertyOptions } from 'n8n-workflow';

import type { XmlNode, XmlObject } from '../shared/xml';

interface CallbackKind {
	/** Filter value: "message.<MsgType>" or "event.<Event>" with WeCom's exact spelling. */
	value: string;
	name: string;
	/** What the trigger does, in words: n8n's node picker lists it as the trigger's event (without it n8n shows "On " + the name, start-cased). */
	action: string;
	description: string;
}

const MESSAGES: CallbackKind[] = [
	{ value: 'message.text', name: 'Message: Text (文本消息)', action: 'On text message (文本消息)', description: 'A user sent text to the app' },
	{ value: 'message.image', name: 'Message: Image (图片消息)', action: 'On image message (图片消息)', description: 'Carries PicUrl and MediaId' },
	{ value: 'message.voice', name: 'Message: Voice (语音消息)', action: 'On voice message (语音消息)', description: 'Carries MediaId and Format' },
	{ value: 'message.video', name: 'Message: Video (视频消息)', action: 'On video message (视频消息)', description: 'Carries MediaId and ThumbMediaId' },
	{ value: 'message.location', name: 'Message: Location (位置消息)', action: 'On location message (位置消息)', description: 'Location_X, Location_Y, Scale, Label' },
	{ value: 'message.link', name: 'Message: Link (链接消息)', action: 'On link message (链接消息)', description: 'Title, Description, URL and picture URL' },
];

const EVENTS: CallbackKind[] = [
	{ value: 'event.subscribe', name: 'Event: Subscribe (成员关注)', action: 'On member subscribing to the app (成员关注)', description: 'A member followed the app' },
	{ value: 'event.unsubscribe', name: 'Event: Unsubscribe (取消关注)', action: 'On member unsubscribing from the app (取消关注)', description: 'A member unfollowed the app' },
	{ value: 'event.enter_agent', name: 'Event: Enter App (进入应用)', action: 'On member entering the app (进入应用)', description: 'A member opened the app' },
	{ value: 'event.LOCATION', name: 'Event: Report Location (上报地理位置)', action: 'On location report (上报地理位置)', description: 'Latitude, Longitude, Precision' },
	{ value: 'event.batch_job_result', name: 'Event: Batch Job Result (异步任务完成)', action: 'On batch job finished (异步任务完成)', description: 'BatchJob with JobId, JobType, ErrCode' },
	{
		value: 'event.change_contact',
		name: 'Event: Contact Change (通讯录变更)',
		action: 'On contact change (通讯录变更)',
		description: 'A user, department or tag changed (ChangeType create_user, update_user, delete_user, create_party, update_party, delete_party, update_tag), plus contactChange (clean JSON); narrow with Only Contact Change Types',
	},
	{ value: 'event.click', name: 'Event: Menu Click (点击菜单拉取消息)', action: 'On menu click (点击菜单拉取消息)', description: 'EventKey of the menu item' },
	{ value: 'event.view', name: 'Event: Menu Link (点击菜单跳转链接)', action: 'On menu link opened (点击菜单跳转链接)', description: 'EventKey holds the URL' },
	{ value: 'event.view_miniprogram', name: 'Event: Menu Mini Program (点击菜单跳转小程序)', action: 'On menu mini program opened (点击菜单跳转小程序)', description: 'EventKey holds the mini program page' },
	{ value: 'event.scancode_push', name: 'Event: Scan Code Push (扫码推事件)', action: 'On code scanned (扫码推事件)', description: 'ScanCodeInfo' },
	{ value: 'event.scancode_waitmsg', name: 'Event: Scan Code Wait (扫码推事件且弹出提示)', action: 'On code scanned with prompt (扫码推事件且弹出提示)', description: 'ScanCodeInfo' },
	{ value: 'event.pic_sysphoto', name: 'Event: System Camera (弹出系统拍照发图)', action: 'On photo taken with the camera (弹出系统拍照发图)', description: 'SendPicsInfo' },
	{ value: 'event.pic_photo_or_album', name: 'Event: Camera or Album (弹出拍照或者相册发图)', action: 'On photo from camera or album (弹出拍照或者相册发图)', description: 'SendPicsInfo' },
	{ value: 'event.pic_weixin', name: 'Event: WeCom Album (弹出微信相册发图器)', action: 'On photo from the WeCom album (弹出微信相册发图器)', description: 'SendPicsInfo' },
	{ value: 'event.location_select', name: 'Event: Location Select (弹出地理位置选择器)', action: 'On location selected (弹出地理位置选择器)', description: 'SendLocationInfo' },
	{ value: 'event.open_approval_change', name: 'Event: Open Approval Change (审批状态通知)', action: 'On third-party approval status change (审批状态通知)', description: 'ApprovalInfo of a third-party approval' },
	{
		value: 'event.sys_approval_change',
		name: 'Event: Approval Change (审批申请状态变化)',
		action: 'On approval status change (审批状态变化)',
		description: 'An approval was submitted, agreed, rejected, revoked or commented: ApprovalInfo, plus approval (clean JSON with status names)',
	},
	{ value: 'event.share_agent_change', name: 'Event: Shared App Change (共享应用事件)', action: 'On shared app change (共享应用事件)', description: 'The app was shared or unshared' },
	{ value: 'event.share_chain_change', name: 'Event: Upstream/Downstream Change (上下游共享应用事件)', action: 'On upstream/downstream shared app change (上下游共享应用事件)', description: 'Shared app change across the chain' },
	{ value: 'event.template_card_event', name: 'Event: Template Card Click (模板卡片事件)', action: 'On template card click (模板卡片事件)', description: 'A button, vote or selection on a template card: EventKey, TaskId, CardType, ResponseCode, SelectedItems' },
	{ value: 'event.template_card_menu_event', name: 'Event: Template Card Menu (模板卡片右上角菜单事件)', action: 'On template card menu click (模板卡片右上角菜单事件)', description: 'A card action menu entry: EventKey, TaskId, CardType, ResponseCode' },
	{ value: 'event.taskcard_click', name: 'Event: Task Card Click (任务卡片事件)', action: 'On task card click (任务卡片事件)', description: 'A legacy task card button: EventKey, TaskId' },
	{ value: 'event.inactive_alert', name: 'Event: Inactive App Warning (长期未使用应用停用预警)', action: 'On inactive app warning (长期未使用应用停用预警)', description: 'EffectTime: when the unused app will be disabled' },
	{ value: 'event.close_inactive_agent', name: 'Event: Inactive App Disabled (长期未使用应用临时停用)', action: 'On inactive app disabled (长期未使用应用临时停用)', description: 'The app was disabled for lack of use' },
	{ value: 'event.reopen_inactive_agent', name: 'Event: Inactive App Re-Enabled (长期未使用应用重新启用)', action: 'On inactive app re-enabled (长期未使用应用重新启用)', description: 'An admin re-enabled the app' },
	{ value: 'event.low_active_alert', name: 'Event: Low Activity Warning (应用低活跃预警)', action: 'On low activity warning (应用低活跃预警)', description: 'EffectTime: when access to customer data will be limited' },
	{ value: 'event.low_active', name: 'Event: Low Activity (低活跃应用)', action: 'On app becoming low activity (低活跃应用)', description: 'The app became a low-activity app' },
	{ value: 'event.active_restored', name: 'Event: Activity Restored (低活跃应用活跃恢复)', action: 'On app activity restored (低活跃应用活跃恢复)', description: 'The app is active again' },
];

export const CALLBACK_KINDS: readonly CallbackKind[] = [...MESSAGES, ...EVENTS];

export const OTHER_KIND = 'other';

export const CALLBACK_KIND_OPTIONS: INodePropertyOptions[] = [
	...CALLBACK_KINDS.map(({ value, name, action, description }) => ({ value, name, action, description })),
	{ value: OTHER_KIND, name: 'Other (未列出的类型)', action: 'On any other message or event (未列出的类型)', description: 'Any message or event type not listed, e.g. one WeCom adds later' },
];

/** "message.text", "event.template_card_event", or "other" for what is not listed. */
export function callbackKind(fields: IDataObject): string {
	const msgType = typeof fields.MsgType === 'string' ? fields.MsgType : '';
	const kind = msgType === 'event' ? `event.${String(fields.Event ?? '')}` : `message.${msgType}`;
	return CALLBACK_KINDS.some((known) => known.value === kind) ? kind : OTHER_KIND;
}

export interface CallbackFilters {
	kinds: string[];
	eventKeys: string[];
	taskIds: string[];
}

/** An empty list means "all". EventKey/TaskId filters only let through callbacks that carry a matching value. */
export function matchesFilters(fields: IDataObject, filters: CallbackFilters): boolean {
	if (filters.kinds.length > 0 && !filters.kinds.includes(callbackKind(fields))) return false;
	if (filters.eventKeys.length > 0 && !filters.eventKeys.includes(String(fields.EventKey ?? ''))) return false;
	if (filters.taskIds.length > 0 && !filters.taskIds.includes(String(fields.TaskId ?? ''))) return false;
	return true;
}

/** Container elements WeCom wraps lists in, and the tag of their entries: <SelectedItems><SelectedItem/>…</SelectedItems>. */
const LIST_CONTAINERS: ReadonlyMap<string, string> = new Map([
	['SelectedItems', 'SelectedItem'],
	['OptionIds', 'OptionId'],
	['PicList', 'item'],
	['ApprovalNodes', 'ApprovalNode'],
	['Items', 'Item'],
	['NotifyNodes', 'NotifyNode'],
	['ExtAttr', 'Item'],
]);

/** Elements that repeat without a container (sys_approval_change's ApprovalInfo): always arrays, even of one. */
const REPEATED = new Set(['SpRecord', 'Details', 'Notifyer', 'Comments']);

/**
 * Parsed XML → workflow JSON. WeCom's names are kept; lists become arrays whatever their length, so expressions like
 * {{$json.SelectedItems[0].OptionIds[0]}} work for one entry as for many. SelectedItems becomes
 * [{ QuestionKey, OptionIds: string[] }, …]. Legacy events spell AgentId; AgentID is added so one name always works.
 * Works in place: `parsed` (a fresh parse result, used by nothing else) becomes the returned object, which spares
 * copying every field of every callback into new objects.
 */
export function normalizeCallback(parsed: XmlObject): IDataObject {
	const fields = normalizeNode(parsed) as IDataObject;
	if (fields.AgentID === undefined && typeof fields.AgentId === 'string') fields.AgentID = fields.AgentId;
	return fields;
}

type JsonNode = IDataObject | string | JsonNode[];

function normalizeNode(node: XmlNode): JsonNode {
	if (typeof node === 'string') return node;
	if (Array.isArray(node)) {
		for (let index = 0; index < node.length; index++) node[index] = normalizeNode(node[index]) as XmlNode;
		return node as JsonNode[];
	}
	// Object.keys and an indexed loop: the same own keys in the same order as Object.entries, without a pair per key.
	const keys = Object.keys(node);
	for (let index = 0; index < keys.length; index++) {
		const key = keys[index];
		const value = node[key];
		const entryTag = LIST_CONTAINERS.get(key);
		let json: JsonNode;
		if (entryTag !== undefined) json = normalizeNode(listOf(value, entryTag));
		else if (REPEATED.has(key)) json = normalizeNode(Array.isArray(value) ? value : [value]);
		else if (typeof value === 'string') continue;
		else json = normalizeNode(value);
		// Replacing an existing own property keeps its place in the key order.
		if (json !== value) setField(node as IDataObject, key, json);
	}
	return node as IDataObject;
}

/** Tag names are the sender's: one named __proto__ must become a field, not the object's prototype. */
function setField(target: IDataObject, key: string, value: JsonNode): void {
	if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
	else target[key] = value as IDataObject;
}

/** Entries of a container element: <Items><Item/>…</Items> → [Item, …]; an empty container → []. */
function listOf(container: XmlNode, childName: string): XmlNode[] {
	if (Array.isArray(container)) return container.flatMap((entry) => listOf(entry, childName));
	if (typeof container !== 'object') return [];
	const entries = container[childName];
	if (entries === undefined) return [];
	return Array.isArray(entries) ? entries : [entries];
}

/**
 * The identity of a callback across WeCom's retries. Messages: MsgId. Events: WeCom suggests sender + CreateTime, but
 * "sys" sends many events in the same second (two approvals, two contact changes), so the event's whole content is
 * part of the key; a retry resends the same content, so it still matches.
 */
export function dedupeKey(fields: IDataObject): string {
	if (typeof fields.MsgId === 'string' && fields.MsgId !== '') return `msg:${fields.MsgId}`;
	const digest = createHash('sha1').update(stableJson(fields)).digest('hex');
	return `evt:${String(fields.FromUserName ?? '')}|${String(fields.CreateTime ?? '')}|${digest}`;
}

function stableJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
	if (value !== null && typeof value === 'object') {
		const entries = Object.keys(value as IDataObject)
			.sort()
			.map((key) => `${JSON.stringify(key)}:${stableJson((value as IDataObject)[key])}`);
		return `{${entries.join(',')}}`;
	}
	return JSON.stringify(value) ?? 'null';
}
