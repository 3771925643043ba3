import type { INodeProperties } from 'n8n-workflow';

import * as aiBot from './aiBot';
import * as apiRequest from './apiRequest';
import * as appChat from './appChat';
import * as approval from './approval';
import * as department from './department';
import * as media from './media';
import * as message from './message';
import * as robot from './robot';
import * as smartsheet from './smartsheet';
import * as smartsheetDoc from './smartsheetDoc';
import * as smartsheetRecord from './smartsheetRecord';
import * as smartsheetWebhook from './smartsheetWebhook';
import * as tag from './tag';
import * as user from './user';
import type { OperationMap } from './types';

export interface ResourceModule {
	description: INodeProperties[];
	operations: OperationMap;
}

export const resources: Record<string, ResourceModule> = { message, media, appChat, robot, apiRequest, approval, aiBot, user, department, tag, smartsheetDoc, smartsheet, smartsheetRecord, smartsheetWebhook };
