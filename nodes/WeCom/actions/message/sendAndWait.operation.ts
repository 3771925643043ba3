import type { ICredentialDataDecryptedObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, SEND_AND_WAIT_OPERATION } from 'n8n-workflow';

import { cardKeySecretOf } from '../../../shared/cardAnswerKey';
import { recipientProperties } from '../../descriptions/recipients.description';
import { resolveAgentId } from '../../helpers/agentId';
import { assertRecipients, readRecipients, recipientBatches } from '../../helpers/recipients';
import { buttonCard, linkCard } from '../../helpers/sendAndWait/card';
import { readConfig, waitTillDate } from '../../helpers/sendAndWait/config';
import { sendAndWaitProperties } from '../../helpers/sendAndWait/properties';
import { CALLBACK_CREDENTIAL } from '../../helpers/sendAndWait/webhook';
import { weComApiRequest } from '../../transport';

const SHOW = { show: { resource: ['message'], operation: [SEND_AND_WAIT_OPERATION] } };

export const description: INodeProperties[] = [
	...sendAndWaitProperties('message', recipientProperties(SHOW), true),
	{
		displayName: 'Card After the Answer',
		name: 'cardUpdate',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show: { ...SHOW.show, responseType: ['approval'], answerWith: ['buttons'] } },
		description: 'What every recipient\'s card shows once someone answered, e.g. "Approved by zhangsan"',
		options: [
			{ displayName: 'Approved Text', name: 'approvedText', type: 'string', default: 'Approved' },
			{ displayName: 'Declined Text', name: 'declinedText', type: 'string', default: 'Declined' },
		],
	},
];

/**
 * Sends one card (for the first input item, like n8n's own send-and-wait nodes) and puts the execution to wait.
 * On the answer n8n resumes the node with the webhook's output; on a timeout it outputs the input items.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const config = readConfig(this);
	const waitTill = waitTillDate(this);
	const recipients = readRecipients(this, 0);
	assertRecipients(this, 0, recipients, false);
	const [addressing] = recipientBatches(recipients);
	const agentid = await resolveAgentId(this, 0);
	const buttons = config.responseType === 'approval' && this.getNodeParameter('answerWith', 0, 'links') === 'buttons';

	let card;
	if (buttons) {
		const credential = await this.getCredentials<ICredentialDataDecryptedObject>(CALLBACK_CREDENTIAL, 0).catch(() => undefined);
		const secret = cardKeySecretOf(credential);
		if (!secret) {
			throw new NodeOperationError(this.getNode(), 'Card buttons need the WeCom Callback API credential of the app', {
				description: "Select the same WeCom Callback API credential the app's WeCom Trigger uses: it signs the buttons so that only that trigger can answer.",
			});
		}
		card = buttonCard(this, config, secret);
	} else {
		card = linkCard(this, config, { robot: false });
	}

	await weComApiRequest.call(this, {
		method: 'POST',
		endpoint: 'message/send',
		body: { ...addressing, msgtype: 'template_card', agentid, template_card: card },
		itemIndex: 0,
	});
	await this.putExecutionToWait(waitTill);
	return [this.getInputData()];
}
