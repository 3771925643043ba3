/**
 * What WeCom posts to an app's callback URL (接收消息与事件): the names of every message and event type,
 * and the normalisation of the parsed XML into the JSON a workflow receives.
 */
import type { IDataObject, INodePropertyOptions } from 'n8n-workflow';

import type { XmlNode, XmlObject } from '../shared/xml';

interface CallbackKind {
	/** Filter value: "message.<MsgType>" or "event.<Event>" with WeCom's exact spelling. */
	value: string;
	name: string;
	description: string;
}

const MESSAGES: CallbackKind[] = [
	{ value: 'message.text', name: 'Message: Text (文本消息)', description: 'A user sent text to the app' },
	{ value: 'message.image', name: 'Message: Image (图片消息)', description: 'Carries PicUrl and MediaId' },
	{ value: 'message.voice', name: 'Message: Voice (语音消息)', description: 'Carries MediaId and Format' },
	{ value: 'message.video', name: 'Message: Video (视频消息)', description: 'Carries MediaId and ThumbMediaId' },
	{ value: 'message.location', name: 'Message: Location (位置消息)', description: 'Location_X, Location_Y, Scale, Label' },
	{ value: 'message.link', name: 'Message: Link (链接消息)', description: 'Title, Description, Url, PicUrl' },
];

const EVENTS: CallbackKind[] = [
	{ value: 'event.subscribe', name: 'Event: Subscribe (成员关注)', description: 'A member followed the app' },
	{ value: 'event.unsubscribe', name: 'Event: Unsubscribe (取消关注)', description: 'A member unfollowed the app' },
	{ value: 'event.enter_agent', name: 'Event: Enter App (进入应用)', description: 'A member opened the app' },
	{ value: 'event.LOCATION', name: 'Event: Report Location (上报地理位置)', description: 'Latitude, Longitude, Precision' },
	{ value: 'event.batch_job_result', name: 'Event: Batch Job Result (异步任务完成)', description: 'BatchJob with JobId, JobType, ErrCode' },
	{ value: 'event.change_contact', name: 'Event: Contact Change (通讯录变更)', description: 'ChangeType create_user, update_user, delete_user, create_party, update_party, delete_party, update_tag' },
	{ value: 'event.click', name: 'Event: Menu Click (点击菜单拉取消息)', description: 'EventKey of the menu item' },
	{ value: 'event.view', name: 'Event: Menu Link (点击菜单跳转链接)', description: 'EventKey holds the URL' },
	{ value: 'event.scancode_push', name: 'Event: Scan Code Push (扫码推事件)', description: 'ScanCodeInfo' },
	{ value: 'event.scancode_waitmsg', name: 'Event: Scan Code Wait (扫码推事件且弹出提示)', description: 'ScanCodeInfo' },
	{ value: 'event.pic_sysphoto', name: 'Event: System Camera (弹出系统拍照发图)', description: 'SendPicsInfo' },
	{ value: 'event.pic_photo_or_album', name: 'Event: Camera or Album (弹出拍照或者相册发图)', description: 'SendPicsInfo' },
	{ value: 'event.pic_weixin', name: 'Event: WeCom Album (弹出微信相册发图器)', description: 'SendPicsInfo' },
	{ value: 'event.location_select', name: 'Event: Location Select (弹出地理位置选择器)', description: 'SendLocationInfo' },
	{ value: 'event.open_approval_change', name: 'Event: Open Approval Change (审批状态通知)', description: 'ApprovalInfo of a third-party approval' },
	{ value: 'event.sys_approval_change', name: 'Event: Approval Change (审批申请状态变化)', description: 'ApprovalInfo of a WeCom approval' },
	{ value: 'event.share_agent_change', name: 'Event: Shared App Change (共享应用事件)', description: 'The app was shared or unshared' },
	{ value: 'event.share_chain_change', name: 'Event: Upstream/Downstream Change (上下游共享应用事件)', description: 'Shared app change across the chain' },
	{ value: 'event.template_card_event', name: 'Event: Template Card Click (模板卡片事件)', description: 'A button, vote or selection on a template card: EventKey, TaskId, CardType, ResponseCode, SelectedItems' },
	{ value: 'event.template_card_menu_event', name: 'Event: Template Card Menu (模板卡片右上角菜单事件)', description: 'A card action menu entry: EventKey, TaskId, CardType, ResponseCode' },
	{ value: 'event.taskcard_click', name: 'Event: Task Card Click (任务卡片事件)', description: 'A legacy task card button: EventKey, TaskId' },
];

export const CALLBACK_KINDS: readonly CallbackKind[] = [...MESSAGES, ...EVENTS];

export const OTHER_KIND = 'other';

export const CALLBACK_KIND_OPTIONS: INodePropertyOptions[] = [
	...CALLBACK_KINDS.map(({ value, name, description }) => ({ value, name, description })),
	{ value: OTHER_KIND, name: 'Other (未列出的类型)', description: 'Any message or event type not listed, e.g. one WeCom adds later' },
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

/**
 * Parsed XML → workflow JSON. WeCom's names are kept; lists that WeCom wraps in container elements become arrays
 * whatever their length, so expressions like {{$json.SelectedItems[0].OptionIds}} work for one or many entries.
 */
export function normalizeCallback(parsed: XmlObject): IDataObject {
	const fields = toJson(parsed) as IDataObject;
	if (parsed.SelectedItems !== undefined) {
		fields.SelectedItems = listOf(parsed.SelectedItems, 'SelectedItem').map((item) => {
			const entry = toJson(item) as IDataObject;
			if (typeof item === 'object' && !Array.isArray(item) && item.OptionIds !== undefined) {
				entry.OptionIds = listOf(item.OptionIds, 'OptionId').map((id) => (typeof id === 'string' ? id : ''));
			}
			return entry;
		});
	}
	const pics = parsed.SendPicsInfo;
	if (typeof pics === 'object' && !Array.isArray(pics) && pics.PicList !== undefined) {
		(fields.SendPicsInfo as IDataObject).PicList = listOf(pics.PicList, 'item').map(toJson) as IDataObject[];
	}
	return fields;
}

/** Entries of a container element: <Items><Item/>…</Items> → [Item, …]; an empty container → []. */
function listOf(container: XmlNode, childName: string): XmlNode[] {
	if (typeof container !== 'object' || Array.isArray(container)) return [];
	const entries = container[childName];
	if (entries === undefined) return [];
	return Array.isArray(entries) ? entries : [entries];
}

function toJson(node: XmlNode): IDataObject | string | Array<IDataObject | string> {
	if (typeof node === 'string') return node;
	if (Array.isArray(node)) return node.map((entry) => toJson(entry) as IDataObject | string);
	const result: IDataObject = {};
	for (const [key, value] of Object.entries(node)) result[key] = toJson(value);
	return result;
}

/**
 * The identity of a callback across WeCom's retries: messages by MsgId; events by sender, time and what the event
 * is about (a template-card click also carries a ResponseCode unique to that click).
 */
export function dedupeKey(fields: IDataObject): string {
	if (typeof fields.MsgId === 'string' && fields.MsgId !== '') return `msg:${fields.MsgId}`;
	const parts = ['FromUserName', 'CreateTime', 'Event', 'ChangeType', 'UserID', 'EventKey', 'TaskId', 'ResponseCode', 'JobId'].map(
		(name) => (typeof fields[name] === 'string' ? (fields[name] as string) : ''),
	);
	const job = fields.BatchJob as IDataObject | undefined;
	if (job && typeof job.JobId === 'string') parts.push(job.JobId);
	return `evt:${parts.join('|')}`;
}
