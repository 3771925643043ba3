import { cdata } from './callback';
import { INTERACTIVE_CARD_TYPES } from './templateCard';
import type { SandboxStore, TaskRecord } from './state';
import type { ClickCardOptions } from './types';

/**
 * Builds the event WeCom posts when a user clicks a card the app sent (path 90240): template_card_event
 * (or template_card_menu_event for an action-menu entry) with a fresh single-use ResponseCode, or
 * taskcard_click for a legacy task card. Throws when no such card was sent or the key is not on it.
 */
export function buildClickXml(store: SandboxStore, opts: ClickCardOptions): { xml: string; responseCode: string } {
	const task = findTask(store, opts);
	const createTime = String(Math.floor(store.now() / 1000));
	const head =
		`<xml><ToUserName>${cdata(task.corpId)}</ToUserName>` +
		`<FromUserName>${cdata(opts.userId)}</FromUserName>` +
		`<CreateTime>${createTime}</CreateTime>` +
		`<MsgType>${cdata('event')}</MsgType>`;

	if (task.kind === 'interactive_taskcard') {
		if (!task.keys.includes(opts.eventKey)) throw new Error(`Task card ${task.taskId} has no button "${opts.eventKey}" (keys: ${task.keys.join(', ')}).`);
		const xml =
			head +
			`<Event>${cdata('taskcard_click')}</Event>` +
			`<EventKey>${cdata(opts.eventKey)}</EventKey>` +
			`<TaskId>${cdata(task.taskId)}</TaskId>` +
			`<AgentID>${task.agentId}</AgentID></xml>`;
		return { xml, responseCode: '' };
	}

	const menu = task.menuKeys.includes(opts.eventKey);
	if (!menu && !task.keys.includes(opts.eventKey)) {
		throw new Error(`Card ${task.taskId} has no clickable key "${opts.eventKey}" (keys: ${[...task.keys, ...task.menuKeys].join(', ') || 'none'}).`);
	}
	const cardType = task.cardType ?? 'button_interaction';
	const responseCode = store.newResponseCode({
		msgid: task.msgid,
		cardType,
		interactive: INTERACTIVE_CARD_TYPES.includes(cardType),
		agentId: task.agentId,
		corpId: task.corpId,
	});
	const selected = (opts.selectedItems ?? [])
		.map(
			(item) =>
				`<SelectedItem><QuestionKey>${cdata(item.questionKey)}</QuestionKey><OptionIds>` +
				item.optionIds.map((id) => `<OptionId>${cdata(id)}</OptionId>`).join('') +
				'</OptionIds></SelectedItem>',
		)
		.join('');
	const xml =
		head +
		`<Event>${cdata(menu ? 'template_card_menu_event' : 'template_card_event')}</Event>` +
		`<EventKey>${cdata(opts.eventKey)}</EventKey>` +
		`<TaskId>${cdata(task.taskId)}</TaskId>` +
		`<CardType>${cdata(cardType)}</CardType>` +
		`<ResponseCode>${cdata(responseCode)}</ResponseCode>` +
		`<AgentID>${task.agentId}</AgentID>` +
		(menu ? '' : `<SelectedItems>${selected}</SelectedItems>`) +
		'</xml>';
	return { xml, responseCode };
}

function findTask(store: SandboxStore, opts: ClickCardOptions): TaskRecord {
	const tasks = [...store.tasks.values()];
	if (opts.taskId !== undefined) {
		const task = tasks.find((entry) => entry.taskId === opts.taskId);
		if (!task) throw new Error(`No card with task_id "${opts.taskId}" was sent through the sandbox (reset() forgets cards).`);
		return task;
	}
	if (opts.msgid !== undefined) {
		const task = tasks.find((entry) => entry.msgid === opts.msgid);
		if (!task) throw new Error(`Message ${opts.msgid} is not a clickable card (cards need a task_id to call back).`);
		return task;
	}
	throw new Error('clickCard needs taskId or msgid of a card sent earlier.');
}
