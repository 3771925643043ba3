import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, ResourceMapperValue } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { buildContents, isEmptyValue, readList, type ApplyContent, type ApprovalValueError, type ConvertOptions } from '../../helpers/approval/convert';
import type { ApprovalTemplate } from '../../helpers/approval/template';
import { updateDisplayOptions } from '../../helpers/displayOptions';
import { readBinaryFile, uploadTemporaryMedia } from '../../helpers/media';
import { readLocator } from '../../helpers/resourceLocator';
import { weComApiRequest } from '../../transport';
import { loadTemplate, templateIdField } from './template';

/** Limits of oa/applyevent (page 91853). */
export const MAX_SUMMARY_LINES = 3;
export const MAX_SUMMARY_CHARS = 20;
export const MAX_FILES = 6;

const mapped = { show: { inputMode: ['mapper'] } };

const fields: INodeProperties[] = [
	templateIdField,
	{
		displayName: 'Input Mode',
		name: 'inputMode',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Map Controls', value: 'mapper', description: 'Fill the template\'s controls field by field' },
			{ name: 'Raw JSON', value: 'json', description: 'Send your own oa/applyevent body' },
		],
		default: 'mapper',
	},
	{
		displayName: 'Controls',
		name: 'controls',
		type: 'resourceMapper',
		noDataExpression: true,
		default: { mappingMode: 'defineBelow', value: null },
		required: true,
		displayOptions: mapped,
		typeOptions: {
			loadOptionsDependsOn: ['templateId.value'],
			resourceMapper: {
				resourceMapperMethod: 'getApprovalControls',
				mode: 'add',
				fieldWords: { singular: 'control', plural: 'controls' },
				addAllFields: true,
				multiKeyMatch: false,
				supportAutoMap: true,
				noFieldsError: 'This template has no controls that take a value, or the template ID is wrong.',
			},
		},
		description:
			"The template's controls (控件). Selectors take an option's text or key, dates ISO text or Unix seconds, contacts user/department IDs, files the names of binary properties (uploaded first), tables an array of row objects keyed by column title.",
	},
	{
		displayName: 'Applicant User ID',
		name: 'creatorUserId',
		type: 'string',
		default: '',
		required: true,
		displayOptions: mapped,
		placeholder: 'zhangsan',
		description: 'Who applies (申请人, creator_userid): a member in the app\'s visible range',
	},
	{
		displayName: 'Approvers',
		name: 'approverSource',
		type: 'options',
		displayOptions: mapped,
		options: [
			{ name: 'From the Template', value: 'template', description: 'The flow set for the template in the admin console (use_template_approver 1)' },
			{ name: 'Set Here', value: 'custom', description: 'Approvers, cc and handlers listed below (process.node_list)' },
		],
		default: 'template',
	},
	{
		displayName: 'Approval Flow',
		name: 'process',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Node',
		default: {},
		displayOptions: { show: { inputMode: ['mapper'], approverSource: ['custom'] } },
		description: 'The nodes of the flow, in order',
		options: [
			{
				name: 'node',
				displayName: 'Node',
				values: [
					{
						displayName: 'Type',
						name: 'type',
						type: 'options',
						options: [
							{ name: 'Approver (审批人)', value: 1 },
							{ name: 'CC (抄送人)', value: 2 },
							{ name: 'Handler (办理人)', value: 3 },
						],
						default: 1,
					},
					{
						displayName: 'When Several',
						name: 'relation',
						type: 'options',
						displayOptions: { show: { type: [1, 3] } },
						options: [
							{ name: 'All Must Agree (会签)', value: 1 },
							{ name: 'Any One (或签)', value: 2 },
							{ name: 'One After Another (依次)', value: 3 },
						],
						default: 2,
					},
					{ displayName: 'User IDs', name: 'userIds', type: 'string', default: '', placeholder: 'lisi, wangwu' },
				],
			},
		],
	},
	{
		displayName: 'Summary Lines',
		name: 'summary',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, maxValue: MAX_SUMMARY_LINES },
		placeholder: 'Add Line',
		default: {},
		displayOptions: mapped,
		description: 'Up to 3 lines of at most 20 characters shown on the approval card (摘要). Empty: the template name.',
		options: [{ name: 'line', displayName: 'Line', values: [{ displayName: 'Text', name: 'text', type: 'string', default: '' }] }],
	},
	{
		displayName: 'Options',
		name: 'submitOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: mapped,
		options: [
			{
				displayName: 'Applicant Department ID',
				name: 'chooseDepartment',
				type: 'string',
				default: '',
				description: 'For applicants in several departments: the department the approval is filed for (choose_department)',
			},
			{
				displayName: 'Time Zone',
				name: 'timeZone',
				type: 'string',
				default: '',
				placeholder: 'Asia/Shanghai',
				description: "Zone for dates written without an offset; empty: the workflow's time zone",
			},
		],
	},
	{
		displayName: 'Body (JSON)',
		name: 'body',
		type: 'json',
		default: '{\n  "creator_userid": "zhangsan",\n  "use_template_approver": 1,\n  "apply_data": { "contents": [] },\n  "summary_list": [{ "summary_info": [{ "text": "Expense", "lang": "zh_CN" }] }]\n}',
		displayOptions: { show: { inputMode: ['json'] } },
		description: 'The oa/applyevent body as WeCom documents it (page 91853). template_id is taken from Template when missing.',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['approval'], operation: ['submit'] } }, fields);

function userError(ctx: IExecuteFunctions, itemIndex: number, message: string, description: string): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), message, { itemIndex, description });
}

/** Values to convert: the mapped fields, or (auto-map) the input item's fields named like a control. */
function mappedValues(ctx: IExecuteFunctions, itemIndex: number, template: ApprovalTemplate): IDataObject {
	const mapping = ctx.getNodeParameter('controls', itemIndex, {}) as Partial<ResourceMapperValue>;
	if (mapping.mappingMode !== 'autoMapInputData') return { ...(mapping.value ?? {}) };
	const known = new Set(template.controls.flatMap((control) => [control.id, control.title, ...control.titles.map((title) => title.text)]));
	const json = ctx.getInputData()[itemIndex]?.json ?? {};
	return Object.fromEntries(Object.entries(json).filter(([key]) => known.has(key)));
}

/** File controls: the binary properties named in their value, uploaded as temporary files (media/upload). */
async function uploadFiles(ctx: IExecuteFunctions, itemIndex: number, template: ApprovalTemplate, values: IDataObject): Promise<Record<string, string[]>> {
	const wanted = new Map(Object.entries(fileNames(template, values)));
	const total = [...wanted.values()].reduce((sum, names) => sum + names.length, 0);
	if (total > MAX_FILES) throw userError(ctx, itemIndex, `${total} files given; WeCom takes at most ${MAX_FILES} per application`, 'Attach fewer files, or zip them into one.');
	const fileIds: Record<string, string[]> = {};
	for (const [controlId, names] of wanted) {
		fileIds[controlId] = [];
		for (const name of names) {
			const file = await readBinaryFile(ctx, itemIndex, name);
			fileIds[controlId].push((await uploadTemporaryMedia(ctx, 'file', file, itemIndex)).media_id);
		}
	}
	return fileIds;
}

function processNodes(ctx: IExecuteFunctions, itemIndex: number): IDataObject[] {
	const collection = ctx.getNodeParameter('process', itemIndex, {}) as { node?: Array<{ type?: number; relation?: number; userIds?: unknown }> };
	const nodes = (collection.node ?? []).map((node, index) => {
		const userid = readList(node.userIds);
		if (userid.length === 0) throw userError(ctx, itemIndex, `Approval Flow node ${index + 1} has no user IDs`, 'Give one or more user IDs per node.');
		const type = Number(node.type ?? 1);
		return type === 2 ? { type, userid } : { type, apv_rel: Number(node.relation ?? 2), userid };
	});
	if (!nodes.some((node) => node.type === 1)) {
		throw userError(ctx, itemIndex, 'The approval flow needs at least one approver node', 'Add a node of type Approver (审批人), or use the template\'s approvers.');
	}
	return nodes;
}

function summaryList(ctx: IExecuteFunctions, itemIndex: number, template: ApprovalTemplate): IDataObject[] {
	const collection = ctx.getNodeParameter('summary', itemIndex, {}) as { line?: Array<{ text?: unknown }> };
	const lines = (collection.line ?? []).map((line) => String(line.text ?? '').trim()).filter((line) => line !== '');
	if (lines.length === 0) lines.push(Array.from(template.name || 'Approval').slice(0, MAX_SUMMARY_CHARS).join(''));
	if (lines.length > MAX_SUMMARY_LINES) throw userError(ctx, itemIndex, `${lines.length} summary lines; WeCom shows at most ${MAX_SUMMARY_LINES}`, 'Remove lines.');
	for (const line of lines) {
		const length = Array.from(line).length;
		if (length > MAX_SUMMARY_CHARS) {
			throw userError(ctx, itemIndex, `Summary line "${line}" has ${length} characters; WeCom allows ${MAX_SUMMARY_CHARS}`, 'Shorten the line (摘要 lines hold 20 characters).');
		}
	}
	return lines.map((text) => ({ summary_info: [{ text, lang: 'zh_CN' }] }));
}

function rawBody(ctx: IExecuteFunctions, itemIndex: number, templateId: string): IDataObject {
	const raw = ctx.getNodeParameter('body', itemIndex, '{}') as unknown;
	let body: unknown = raw;
	if (typeof raw === 'string') {
		try {
			body = JSON.parse(raw);
		} catch (error) {
			throw userError(ctx, itemIndex, 'Body (JSON) is not valid JSON', (error as Error).message);
		}
	}
	if (typeof body !== 'object' || body === null || Array.isArray(body)) throw userError(ctx, itemIndex, 'Body (JSON) must be a JSON object', 'Give the oa/applyevent body.');
	return { template_id: templateId, ...(body as IDataObject) };
}

/** Submits an application (oa/applyevent) and returns its approval number. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const templateId = readLocator(this, 'templateId', itemIndex, 'Template');
	if (this.getNodeParameter('inputMode', itemIndex, 'mapper') === 'json') {
		const answer = await weComApiRequest.call(this, { method: 'POST', endpoint: 'oa/applyevent', body: rawBody(this, itemIndex, templateId), itemIndex });
		return [{ json: { sp_no: String(answer.sp_no ?? ''), template_id: templateId } }];
	}

	const creator = String(this.getNodeParameter('creatorUserId', itemIndex, '') ?? '').trim();
	if (!creator) throw userError(this, itemIndex, 'Applicant User ID is empty', 'Give the user ID (账号) of the member who applies.');
	const template = await loadTemplate(this, templateId, itemIndex);
	const values = mappedValues(this, itemIndex, template);
	const options = this.getNodeParameter('submitOptions', itemIndex, {}) as IDataObject;
	const timeZone = String(options.timeZone || this.getTimezone() || 'Asia/Shanghai');
	const summary = summaryList(this, itemIndex, template);
	const useTemplate = this.getNodeParameter('approverSource', itemIndex, 'template') === 'template';
	const process = useTemplate ? undefined : processNodes(this, itemIndex);

	const convertOptions = { timeZone, nowSeconds: Math.floor(Date.now() / 1000) };
	// Check every value before uploading anything, then convert again with the uploaded files' media IDs.
	convertContents(this, itemIndex, template, values, { ...convertOptions, fileIds: fileNames(template, values) });
	const fileIds = await uploadFiles(this, itemIndex, template, values);
	const contents = convertContents(this, itemIndex, template, values, { ...convertOptions, fileIds });

	const body: IDataObject = {
		creator_userid: creator,
		template_id: templateId,
		use_template_approver: useTemplate ? 1 : 0,
		...(process ? { process: { node_list: process } } : {}),
		...(options.chooseDepartment ? { choose_department: Number(options.chooseDepartment) } : {}),
		apply_data: { contents: contents as unknown as IDataObject[] },
		summary_list: summary,
	};
	const answer = await weComApiRequest.call(this, { method: 'POST', endpoint: 'oa/applyevent', body, itemIndex });
	const uploaded = contents.filter((content) => content.control === 'File').flatMap((content) => (content.value.files as IDataObject[]).map((file) => file.file_id));
	return [{ json: { sp_no: String(answer.sp_no ?? ''), template_id: templateId, ...(uploaded.length ? { file_ids: uploaded as string[] } : {}) } }];
}

function convertContents(ctx: IExecuteFunctions, itemIndex: number, template: ApprovalTemplate, values: IDataObject, options: ConvertOptions): ApplyContent[] {
	try {
		return buildContents(template, values, options);
	} catch (error) {
		throw userError(ctx, itemIndex, (error as Error).message, (error as ApprovalValueError).description ?? '');
	}
}

/** Per File control, the binary property names mapped to it (also the stand-in media IDs of the dry run). */
function fileNames(template: ApprovalTemplate, values: IDataObject): Record<string, string[]> {
	const result: Record<string, string[]> = {};
	for (const control of template.controls.filter((entry) => entry.type === 'File')) {
		const key = [control.id, control.title, ...control.titles.map((title) => title.text)].find((candidate) => !isEmptyValue(values[candidate]));
		if (key !== undefined) result[control.id] = readList(values[key]);
	}
	return result;
}
