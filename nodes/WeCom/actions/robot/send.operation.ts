import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { updateDisplayOptions } from '../../helpers/displayOptions';
import { sendRobotMessage, type RateLimitMode } from '../../helpers/robotDelivery';
import { ROBOT_MESSAGES_PER_MINUTE } from '../../helpers/robotRateLimit';
import { ROBOT_MESSAGE_TYPES, rawMessage, type RobotMessageType } from './messageTypes';
import { templateCard } from './templateCard';

const MESSAGE_TYPES: RobotMessageType[] = [...ROBOT_MESSAGE_TYPES, templateCard, rawMessage];

const properties: INodeProperties[] = [
	{
		displayName: 'Message Type',
		name: 'messageType',
		type: 'options',
		noDataExpression: true,
		options: MESSAGE_TYPES.map(({ name, value, description }) => ({ name, value, description })),
		default: 'text',
	},
	...MESSAGE_TYPES.flatMap((type) =>
		type.fields.map((field) => ({
			...field,
			displayOptions: { ...field.displayOptions, show: { ...field.displayOptions?.show, messageType: [type.value] } },
		})),
	),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'When Rate Limited',
				name: 'whenRateLimited',
				type: 'options',
				options: [
					{
						name: 'Fail With a Clear Error',
						value: 'fail',
						description: `Fail the item when the robot has taken ${ROBOT_MESSAGES_PER_MINUTE} messages in the last minute (WeCom 45009)`,
					},
					{
						name: 'Wait and Retry',
						value: 'wait',
						description: 'Pace the items to the robot\'s limit and wait for a free slot (at most about a minute per item)',
					},
				],
				default: 'fail',
				description: `Each group robot accepts at most ${ROBOT_MESSAGES_PER_MINUTE} messages a minute`,
			},
		],
	},
];

/**
 * One after the other: a robot takes 20 messages a minute (its pacing waits for free slots in order), and people read
 * the group in the order the posts arrive.
 */
export const sequential = true;

export const description = updateDisplayOptions({ show: { resource: ['robot'], operation: ['send'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const messageType = this.getNodeParameter('messageType', itemIndex) as string;
	const type = MESSAGE_TYPES.find((entry) => entry.value === messageType);
	if (!type) {
		throw new NodeOperationError(this.getNode(), `The message type "${messageType}" is not supported for group robots`, { itemIndex });
	}
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const mode: RateLimitMode = options.whenRateLimited === 'wait' ? 'wait' : 'fail';
	const message = await type.build(this, itemIndex);
	const answer = await sendRobotMessage(this, itemIndex, message.body, mode);
	const json: IDataObject = { ...answer, msgtype: message.body.msgtype };
	if (message.uploaded) {
		json.media_id = message.uploaded.media_id;
		json.filename = message.uploaded.filename;
	}
	return [{ json }];
}
