import type { INodeProperties } from 'n8n-workflow';

import { READ_HINT, readUserId, userLocator } from '../../helpers/contacts';
import { updateDisplayOptions } from '../../helpers/displayOptions';
import { callEndpoint } from '../../helpers/endpoint';

const properties: INodeProperties[] = [{ ...userLocator(), hint: READ_HINT }];

export const description = updateDisplayOptions({ show: { resource: ['user'], operation: ['get'] } }, properties);

/** Reads a member (读取成员, user/get). Apps created after 2022-06-20 get no mobile, email, avatar, gender, address. */
export const execute = callEndpoint({ method: 'GET', endpoint: 'user/get', request: (ctx, i) => ({ userid: readUserId(ctx, i) }) });
