/**
 * Message → Update Template Card (更新模版卡片消息, message/update_template_card, path 94888): with a response_code
 * from a send's output or a click event, either turn the card's buttons into one disabled button with a text
 * (button.replace_name) or replace the whole card.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { resolveAgentId } from '../../helpers/agentId';
import { updateDisplayOptions } from '../../helpers/displayOptions';
import { parseIdList, splitPipeList } from '../../helpers/idList';
import { MAX_PARTIES_PER_SEND, MAX_TAGS_PER_SEND, MAX_USERS_PER_SEND } from '../../helpers/messageLimits';
import { buildTemplateCard, templateCardProperties } from '../../helpers/templateCard';
import { weComApiRequest } from '../../transport';

const SHOW = { show: { resource: ['message'], operation: ['updateTemplateCard'] } };

/** Prefix of the new card's builder parameters (the send builder uses 'card'). */
export const NEW_CARD_PREFIX = 'newCard';

const ID_HINT = 'Separate IDs with "|", commas, spaces or new lines, or give an array with an expression';

const properties: INodeProperties[] = [
	{
		displayName: 'Response Code',
		name: 'responseCode',
		type: 'string',
		default: '',
		required: true,
		placeholder: '={{ $json.response_code }}',
		description: 'The response_code that allows this update',
		hint:
			"Take response_code from a Send's output, or ResponseCode from the WeCom Trigger's click event (template_card_event). Each code works once, within 72 hours.",
	},
	{
		displayName: 'Update Mode',
		name: 'updateMode',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Replace Button Text',
				value: 'replaceButton',
				description: 'The buttons become one grey, disabled button with your text (button interaction, vote and multiple choice cards)',
			},
			{
				name: 'Replace Whole Card',
				value: 'replaceCard',
				description: 'Show a new card instead of the old one',
			},
		],
		default: 'replaceButton',
	},
	{
		displayName: 'Button Text',
		name: 'replaceName',
		type: 'string',
		default: '',
		required: true,
		placeholder: '已处理 Approved',
		description: 'Text of the disabled button (button.replace_name)',
		displayOptions: { show: { updateMode: ['replaceButton'] } },
	},
	{
		displayName:
			'A card that calls back (button, vote or multiple choice, or a notice card sent with an action menu) can be replaced by a card of any type. The update does not take a task ID.',
		name: 'replaceCardNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { updateMode: ['replaceCard'] } },
	},
	...updateDisplayOptions({ show: { updateMode: ['replaceCard'] } }, templateCardProperties({}, { prefix: NEW_CARD_PREFIX, forUpdate: true })),
	{
		displayName: 'Update For',
		name: 'updateFor',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Everyone Who Received the Card', value: 'all', description: 'All recipients of the original card (atall)' },
			{ name: 'Specific Users, Departments or Tags', value: 'specific' },
		],
		default: 'all',
		description: 'Whose copy of the card changes',
	},
	{
		displayName: 'User IDs',
		name: 'updateUserIds',
		type: 'string',
		default: '',
		placeholder: '={{ $json.FromUserName }}',
		displayOptions: { show: { updateFor: ['specific'] } },
		description: `Account IDs of members (userids), at most ${MAX_USERS_PER_SEND}. ${ID_HINT}.`,
	},
	{
		displayName: 'Department Names or IDs',
		name: 'updateDepartmentIds',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: 'getDepartments' },
		default: [],
		displayOptions: { show: { updateFor: ['specific'] } },
		description: 'Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
		hint: `Departments (partyids), at most ${MAX_PARTIES_PER_SEND}`,
	},
	{
		displayName: 'Tag Names or IDs',
		name: 'updateTagIds',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: 'getTags' },
		default: [],
		displayOptions: { show: { updateFor: ['specific'] } },
		description: 'Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
		hint: `Tags (tagids), at most ${MAX_TAGS_PER_SEND}`,
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
				description: "The app (agentid) that sent the card; 0 uses the credential's Agent ID",
			},
			{
				displayName: 'Enable ID Translation',
				name: 'enableIdTrans',
				type: 'boolean',
				default: false,
				description: 'Whether to translate $userName=…$ style placeholders (enable_id_trans)',
			},
		],
	},
];

export const description: INodeProperties[] = updateDisplayOptions(SHOW, properties);

function fail(ctx: IExecuteFunctions, itemIndex: number, message: string, description?: string): never {
	throw new NodeOperationError(ctx.getNode(), message, { itemIndex, ...(description ? { description } : {}) });
}

/** Department and tag IDs are integers in this API. */
function numericIds(ctx: IExecuteFunctions, itemIndex: number, label: string, value: unknown, limit: number): number[] {
	const ids = parseIdList(value);
	if (ids.length > limit) fail(ctx, itemIndex, `${label} has ${ids.length} entries; WeCom accepts at most ${limit}`);
	return ids.map((id) => {
		const number = Number(id);
		if (!Number.isInteger(number) || number < 0) fail(ctx, itemIndex, `${label}: "${id}" is not a numeric ID`);
		return number;
	});
}

function targets(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	if (ctx.getNodeParameter('updateFor', itemIndex, 'all') === 'all') return { atall: 1 };
	const users = parseIdList(ctx.getNodeParameter('updateUserIds', itemIndex, ''));
	if (users.length > MAX_USERS_PER_SEND) {
		fail(ctx, itemIndex, `User IDs has ${users.length} entries; WeCom accepts at most ${MAX_USERS_PER_SEND} per update`);
	}
	const parties = numericIds(ctx, itemIndex, 'Departments', ctx.getNodeParameter('updateDepartmentIds', itemIndex, []), MAX_PARTIES_PER_SEND);
	const tags = numericIds(ctx, itemIndex, 'Tags', ctx.getNodeParameter('updateTagIds', itemIndex, []), MAX_TAGS_PER_SEND);
	if (!users.length && !parties.length && !tags.length) {
		fail(ctx, itemIndex, 'No one to update the card for', 'Give user IDs, departments or tags, or choose "Everyone Who Received the Card".');
	}
	const body: IDataObject = {};
	if (users.length) body.userids = users;
	if (parties.length) body.partyids = parties;
	if (tags.length) body.tagids = tags;
	return body;
}

const INVALID_PARAMETER = 40058;

/** On this endpoint an "invalid parameter" is most often the response_code itself: say so. */
function explainCodeError(error: unknown): unknown {
	if (error instanceof NodeApiError && Number((error.errorResponse as IDataObject | undefined)?.errcode) === INVALID_PARAMETER) {
		error.description = `${error.description ?? ''} On update_template_card this usually means the response_code is unknown, older than 72 hours, or belongs to another app (Agent ID): use the response_code of this app's send or of the latest click.`.trim();
	}
	return error;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	// Everything is read and checked before the request: a response_code is spent by the first accepted call.
	const responseCode = String(this.getNodeParameter('responseCode', itemIndex, '') ?? '').trim();
	if (!responseCode) {
		fail(
			this,
			itemIndex,
			'Response Code is required',
			"Map response_code from a Send's output or ResponseCode from the WeCom Trigger; an expression may have resolved to an empty value.",
		);
	}
	const mode = this.getNodeParameter('updateMode', itemIndex) as string;
	const addressing = targets(this, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const agentid = await resolveAgentId(this, itemIndex, options.agentId);

	const body: IDataObject = { ...addressing, agentid, response_code: responseCode };
	if (options.enableIdTrans === true) body.enable_id_trans = 1;
	const json: IDataObject = { mode, response_code: responseCode };

	if (mode === 'replaceButton') {
		const replaceName = String(this.getNodeParameter('replaceName', itemIndex, '') ?? '').trim();
		if (!replaceName) fail(this, itemIndex, 'Button Text is required', 'The text shown on the disabled button, e.g. 已处理 Approved.');
		body.button = { replace_name: replaceName };
		json.replace_name = replaceName;
	} else if (mode === 'replaceCard') {
		const { card } = await buildTemplateCard(this, itemIndex, { prefix: NEW_CARD_PREFIX, forUpdate: true });
		body.template_card = card;
		json.card_type = card.card_type;
		json.template_card = card;
	} else {
		fail(this, itemIndex, `The update mode "${mode}" is not supported`);
	}

	let answer: IDataObject;
	try {
		answer = await weComApiRequest.call(this, { method: 'POST', endpoint: 'message/update_template_card', body, itemIndex });
	} catch (error) {
		throw explainCodeError(error);
	}
	return [{ json: { ...json, errcode: answer.errcode ?? 0, errmsg: answer.errmsg ?? 'ok', invaliduser: splitPipeList(answer.invaliduser) } }];
}
