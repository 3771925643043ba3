import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { assertNoToken, parseApiPath } from '../../helpers/apiPath';
import { updateDisplayOptions } from '../../helpers/displayOptions';
import { readBinaryFile } from '../../helpers/media';
import { weComApiCall, type WeComApiCall } from '../../transport';

const properties: INodeProperties[] = [
	{
		displayName: 'Method',
		name: 'method',
		type: 'options',
		options: [
			{ name: 'GET', value: 'GET' },
			{ name: 'POST', value: 'POST' },
		],
		default: 'GET',
		description: 'The HTTP method WeCom documents for the endpoint',
	},
	{
		displayName: 'Path',
		name: 'path',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'agent/get',
		description: "The endpoint under /cgi-bin/, as in WeCom's documentation (e.g. agent/get, externalcontact/list)",
		hint: 'The credential adds the host and the access_token (and refreshes it when WeCom rejects it)',
	},
	{
		displayName: 'Send Query Parameters',
		name: 'sendQuery',
		type: 'boolean',
		default: false,
	},
	{
		displayName: 'Query Parameters',
		name: 'queryParameters',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Parameter',
		default: { parameters: [{ name: '', value: '' }] },
		displayOptions: { show: { sendQuery: [true] } },
		options: [
			{
				displayName: 'Parameter',
				name: 'parameters',
				values: [
					{ displayName: 'Name', name: 'name', type: 'string', default: '' },
					{ displayName: 'Value', name: 'value', type: 'string', default: '' },
				],
			},
		],
	},
	{
		displayName: 'Send Body',
		name: 'sendBody',
		type: 'boolean',
		default: false,
		displayOptions: { show: { method: ['POST'] } },
	},
	{
		displayName: 'Body Content',
		name: 'bodyContent',
		type: 'options',
		options: [
			{ name: 'JSON', value: 'json', description: 'A JSON object, written or built with an expression' },
			{ name: 'Fields', value: 'fields', description: 'Name/value pairs sent as one JSON object' },
			{ name: 'File Upload (Multipart)', value: 'multipart', description: 'A binary field sent as multipart/form-data' },
		],
		default: 'json',
		displayOptions: { show: { method: ['POST'], sendBody: [true] } },
	},
	{
		displayName: 'JSON',
		name: 'jsonBody',
		type: 'json',
		default: '{}',
		displayOptions: { show: { method: ['POST'], sendBody: [true], bodyContent: ['json'] } },
	},
	{
		displayName: 'Body Fields',
		name: 'bodyFields',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Field',
		default: { fields: [{ name: '', value: '' }] },
		displayOptions: { show: { method: ['POST'], sendBody: [true], bodyContent: ['fields'] } },
		hint: 'Values are sent as they come: an expression such as {{ 1000002 }} sends a number, typed text a string',
		options: [
			{
				displayName: 'Field',
				name: 'fields',
				values: [
					{ displayName: 'Name', name: 'name', type: 'string', default: '' },
					{ displayName: 'Value', name: 'value', type: 'string', default: '' },
				],
			},
		],
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		displayOptions: { show: { method: ['POST'], sendBody: [true], bodyContent: ['multipart'] } },
		hint: 'The input binary field holding the file to upload',
	},
	{
		displayName: 'Form Field Name',
		name: 'uploadFieldName',
		type: 'string',
		default: 'media',
		displayOptions: { show: { method: ['POST'], sendBody: [true], bodyContent: ['multipart'] } },
		description: 'The multipart part name the endpoint expects (WeCom\'s media endpoints use "media")',
	},
	{
		displayName: 'File Name',
		name: 'uploadFileName',
		type: 'string',
		default: '',
		placeholder: 'report.pdf',
		displayOptions: { show: { method: ['POST'], sendBody: [true], bodyContent: ['multipart'] } },
		description: "The file name sent with the part; empty uses the binary data's own name",
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Put Output File in Field',
				name: 'outputBinaryField',
				type: 'string',
				default: 'data',
				description: 'When WeCom answers with a file instead of JSON, the output binary field to put it in',
			},
			{
				displayName: 'Split Into Items',
				name: 'splitField',
				type: 'string',
				default: '',
				placeholder: 'userlist',
				description: 'The name of an array in the answer to output as one item per entry (e.g. userlist, taglist); empty outputs the whole answer as one item',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['apiRequest'], operation: ['request'] } }, properties);

/** Any WeCom endpoint through the node's transport (shared token, refresh on 42001, error table, retries, redaction). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const call = await buildCall(this, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const answer = await weComApiCall.call(this, call);
	if (answer.kind === 'file') {
		const field = String(options.outputBinaryField ?? '').trim() || 'data';
		const mimeType = answer.contentType.split(';')[0].trim();
		const fileName = answer.filename ?? call.endpoint.split('/').pop() ?? 'file';
		const binary = await this.helpers.prepareBinaryData(answer.data, fileName, mimeType && mimeType !== 'application/octet-stream' ? mimeType : undefined);
		return [{ json: { fileName: binary.fileName ?? fileName, mimeType: binary.mimeType, fileSize: answer.data.length }, binary: { [field]: binary } }];
	}
	const splitField = String(options.splitField ?? '').trim();
	if (!splitField) return [{ json: answer.body }];
	const list = answer.body[splitField];
	if (!Array.isArray(list)) {
		throw new NodeOperationError(this.getNode(), `The answer has no array "${splitField}" to split into items`, {
			itemIndex,
			description: `WeCom answered the fields ${Object.keys(answer.body).join(', ')}. Clear "Split Into Items" to get the whole answer.`,
		});
	}
	return list.map((entry) => ({ json: isObject(entry) ? entry : { value: entry as IDataObject[keyof IDataObject] } }));
}

async function buildCall(ctx: IExecuteFunctions, itemIndex: number): Promise<WeComApiCall> {
	const method = ctx.getNodeParameter('method', itemIndex) as 'GET' | 'POST';
	const path = parseApiPath(ctx, String(ctx.getNodeParameter('path', itemIndex, '')), itemIndex);
	const qs: IDataObject = { ...path.qs };
	if (ctx.getNodeParameter('sendQuery', itemIndex, false)) {
		const pairs = namedValues(ctx.getNodeParameter('queryParameters.parameters', itemIndex, []));
		assertNoToken(ctx, pairs.map(([name]) => name), itemIndex);
		for (const [name, value] of pairs) qs[name] = value;
	}
	const call: WeComApiCall = { method, endpoint: path.endpoint, qs, itemIndex };
	if (method !== 'POST' || !ctx.getNodeParameter('sendBody', itemIndex, false)) return call;
	const content = ctx.getNodeParameter('bodyContent', itemIndex, 'json') as string;
	if (content === 'multipart') {
		const file = await readBinaryFile(ctx, itemIndex, String(ctx.getNodeParameter('binaryPropertyName', itemIndex, 'data')));
		const fileName = String(ctx.getNodeParameter('uploadFileName', itemIndex, '')).trim();
		if (fileName) file.filename = fileName;
		call.upload = file;
		call.uploadField = String(ctx.getNodeParameter('uploadFieldName', itemIndex, 'media')).trim() || 'media';
	} else if (content === 'fields') {
		call.body = Object.fromEntries(namedValues(ctx.getNodeParameter('bodyFields.fields', itemIndex, [])));
	} else {
		call.body = jsonObject(ctx, ctx.getNodeParameter('jsonBody', itemIndex, '{}'), itemIndex);
	}
	return call;
}

function namedValues(raw: unknown): Array<[string, IDataObject[keyof IDataObject]]> {
	const list = Array.isArray(raw) ? (raw as IDataObject[]) : [];
	return list
		.map((entry): [string, IDataObject[keyof IDataObject]] => [String(entry.name ?? '').trim(), entry.value])
		.filter(([name]) => name !== '');
}

function jsonObject(ctx: IExecuteFunctions, raw: unknown, itemIndex: number): IDataObject {
	let value = raw;
	if (typeof raw === 'string') {
		try {
			value = raw.trim() === '' ? {} : (JSON.parse(raw) as unknown);
		} catch (error) {
			throw new NodeOperationError(ctx.getNode(), 'The JSON body is not valid JSON', { itemIndex, description: (error as Error).message });
		}
	}
	if (!isObject(value)) throw new NodeOperationError(ctx.getNode(), 'The JSON body must be a JSON object ({ … })', { itemIndex });
	return value;
}

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
