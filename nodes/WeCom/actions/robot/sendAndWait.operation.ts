import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { sendRobotMessage } from '../../helpers/robotDelivery';
import { linkCard } from '../../helpers/sendAndWait/card';
import { readConfig, waitTillDate } from '../../helpers/sendAndWait/config';
import { sendAndWaitProperties } from '../../helpers/sendAndWait/properties';

export const description: INodeProperties[] = sendAndWaitProperties('robot', [], false);

/**
 * Posts one card into the robot's group (links to n8n's approval page or form) and puts the execution to wait.
 * Group robots cannot send button cards, and WeCom does not tell who opened a link.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const config = readConfig(this);
	const waitTill = waitTillDate(this);
	const card = linkCard(this, config, { robot: true });
	await sendRobotMessage(this, 0, { msgtype: 'template_card', template_card: card }, 'fail');
	await this.putExecutionToWait(waitTill);
	return [this.getInputData()];
}
