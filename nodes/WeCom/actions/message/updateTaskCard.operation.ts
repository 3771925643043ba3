import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { resolveAgentId } from '../../helpers/agentId';
import { updateDisplayOptions } from '../../helpers/displayOptions';
import { parseIdList, splitPipeList } from '../../helpers/idList';
import { isValidTaskId } from '../../helpers/messageContent';
import { TASK_ID_MAX_BYTES, TASKCARD_BUTTON_KEY_MAX_BYTES, TASKCARD_BUTTON_NAME_MAX_BYTES, UPDATE_TASKCARD_MAX_USERS } from '../../helpers/messageLimits';
import { assertMaxBytes, assertMaxCount, assertRequired } from '../../helpers/text';
import { weComApiRequest } from '../../transport';

const properties: INodeProperties[] = [
	{
		displayName:
			'Task cards (任务卡片) are WeCom\'s legacy interactive messages; WeCom now points to template cards and Update Template Card instead',
		name: 'taskCardLegacyNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'User IDs',
		name: 'userIds',
		type: 'string',
		default: '',
		required: true,
		placeholder: '={{ $json.FromUserName }}',
		description: `Members whose card is updated (at most ${UPDATE_TASKCARD_MAX_USERS}). Separate IDs with "|", commas or spaces, or give an array.`,
	},
	{
		displayName: 'Task ID',
		name: 'taskId',
		type: 'string',
		default: '',
		required: true,
		placeholder: '={{ $json.task_id }}',
		description: 'The task_id of the task card (from the send output or the taskcard_click event\'s TaskId)',
	},
	{
		displayName: 'Clicked Button Key',
		name: 'clickedKey',
		type: 'string',
		default: '',
		required: true,
		placeholder: '={{ $json.EventKey }}',
		description: 'The key of the button to show as chosen (clicked_key); must be one of the card\'s button keys',
		hint: 'The button then shows its "Name After Click" text and the card can no longer be clicked',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Agent ID',
				name: 'agentId',
				type: 'number',
				default: 0,
				description: 'The app that sent the card; 0 uses the Agent ID of the credential',
			},
			{
				displayName: 'Replace Name',
				name: 'replaceName',
				type: 'string',
				default: '',
				description: `Text the clicked button shows instead of its name (replace_name, at most ${TASKCARD_BUTTON_NAME_MAX_BYTES} bytes). WeCom's documentation has named both clicked_key and replace_name for this call; both are sent when this is set.`,
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['message'], operation: ['updateTaskCard'] } }, properties);

/** Marks a legacy task card (任务卡片) as clicked for the given users (message/update_taskcard). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const userids = parseIdList(this.getNodeParameter('userIds', itemIndex, ''));
	const taskId = String(this.getNodeParameter('taskId', itemIndex, '')).trim();
	const clickedKey = String(this.getNodeParameter('clickedKey', itemIndex, '')).trim();
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	if (userids.includes('@all')) {
		throw new NodeOperationError(this.getNode(), 'Update Task Card needs user IDs; @all is not accepted', { itemIndex });
	}
	assertMaxCount(this, 'User IDs', userids.length, UPDATE_TASKCARD_MAX_USERS, itemIndex, 1);
	assertRequired(this, 'Task ID', taskId, itemIndex);
	if (!isValidTaskId(taskId)) {
		throw new NodeOperationError(this.getNode(), `Task ID "${taskId.slice(0, 40)}" is not valid`, {
			itemIndex,
			description: `WeCom accepts letters, digits and _-@ only, at most ${TASK_ID_MAX_BYTES} bytes.`,
		});
	}
	assertRequired(this, 'Clicked Button Key', clickedKey, itemIndex);
	assertMaxBytes(this, 'Clicked Button Key', clickedKey, TASKCARD_BUTTON_KEY_MAX_BYTES, itemIndex);
	const replaceName = String(options.replaceName ?? '');
	if (replaceName) assertMaxBytes(this, 'Replace Name', replaceName, TASKCARD_BUTTON_NAME_MAX_BYTES, itemIndex);
	const agentid = await resolveAgentId(this, itemIndex, options.agentId);
	const body: IDataObject = { userids, agentid, task_id: taskId, clicked_key: clickedKey };
	if (replaceName) body.replace_name = replaceName;
	const answer = await weComApiRequest.call(this, { method: 'POST', endpoint: 'message/update_taskcard', body, itemIndex });
	const json: IDataObject = { task_id: taskId, clicked_key: clickedKey, invaliduser: splitPipeList(answer.invaliduser) };
	if (replaceName) json.replace_name = replaceName;
	return [{ json }];
}
