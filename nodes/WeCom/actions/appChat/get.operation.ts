import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { updateDisplayOptions } from '../../helpers/displayOptions';
import { weComApiRequest } from '../../transport';
import { chatIdField, checkChatId } from './chatFields';

export const description = updateDisplayOptions({ show: { resource: ['appChat'], operation: ['get'] } }, [chatIdField] as INodeProperties[]);

/** Reads a chat's name, owner and members (appchat/get). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const chatid = String(this.getNodeParameter('chatId', itemIndex, '')).trim();
	checkChatId(this, itemIndex, chatid);
	const answer = await weComApiRequest.call(this, { method: 'GET', endpoint: 'appchat/get', qs: { chatid }, itemIndex });
	const info = (answer.chat_info ?? {}) as IDataObject;
	return [{ json: { ...info } }];
}
