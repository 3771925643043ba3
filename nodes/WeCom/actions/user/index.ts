import type { INodeProperties } from 'n8n-workflow';

import type { OperationMap } from '../types';
import * as convertToOpenid from './convertToOpenid.operation';
import * as convertToUserid from './convertToUserid.operation';
import * as create from './create.operation';
import * as deleteUser from './delete.operation';
import * as deleteMany from './deleteMany.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as getIdByEmail from './getIdByEmail.operation';
import * as getIdByMobile from './getIdByMobile.operation';
import * as invite from './invite.operation';
import * as update from './update.operation';

export const operations: OperationMap = {
	create,
	get,
	getAll,
	update,
	delete: deleteUser,
	deleteMany,
	getIdByMobile,
	getIdByEmail,
	convertToOpenid,
	convertToUserid,
	invite,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['user'] } },
		options: [
			{ name: 'Convert From OpenID', value: 'convertToUserid', action: 'Convert an open id to a user id', description: 'Openid → user ID (user/convert_to_userid)' },
			{ name: 'Convert to OpenID', value: 'convertToOpenid', action: 'Convert a user id to an open id', description: 'User ID → openid for WeChat Pay (user/convert_to_openid)' },
			{ name: 'Create', value: 'create', action: 'Create a user', description: 'Add a member (user/create); contacts sync secret' },
			{ name: 'Delete', value: 'delete', action: 'Delete a user', description: 'Remove a member (user/delete); contacts sync secret' },
			{ name: 'Delete Many', value: 'deleteMany', action: 'Delete many users', description: 'Remove up to 200 members at once (user/batchdelete); contacts sync secret' },
			{ name: 'Get', value: 'get', action: 'Get a user', description: 'Read a member (user/get)' },
			{ name: 'Get Many', value: 'getAll', action: 'Get many users', description: 'Members of a department, or every user ID (user/list_id)' },
			{ name: 'Get User ID by Email', value: 'getIdByEmail', action: 'Get a user ID by email', description: 'Look up a member by corp or personal email (user/get_userid_by_email)' },
			{ name: 'Get User ID by Mobile', value: 'getIdByMobile', action: 'Get a user ID by mobile', description: 'Look up a member by mobile number (user/getuserid)' },
			{ name: 'Invite', value: 'invite', action: 'Invite users', description: 'Invite members, departments or tags to join WeCom (batch/invite)' },
			{ name: 'Update', value: 'update', action: 'Update a user', description: 'Change a member\'s fields (user/update); contacts sync secret' },
		],
		default: 'get',
	},
	...create.description,
	...get.description,
	...getAll.description,
	...update.description,
	...deleteUser.description,
	...deleteMany.description,
	...getIdByMobile.description,
	...getIdByEmail.description,
	...convertToOpenid.description,
	...convertToUserid.description,
	...invite.description,
];
