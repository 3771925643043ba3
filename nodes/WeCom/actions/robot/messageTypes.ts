/**
 * The group robot's message types (path 91770): each entry holds its UI fields and the body builder reading them,
 * so the fields and the body cannot drift apart. Validation runs before any HTTP call.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { parseIdList } from '../../helpers/idList';
import { readBinaryFile } from '../../helpers/media';
import { robotImagePayload, uploadRobotMedia, type RobotMediaType, type RobotUpload } from '../../helpers/robotMedia';
import { assertMaxBytes, assertMaxCount, assertRequired } from '../../helpers/text';

export interface RobotMessage {
	body: IDataObject;
	/** Set when the node uploaded a file or voice message first. */
	uploaded?: RobotUpload & { filename: string };
}

export interface RobotMessageType {
	name: string;
	value: string;
	description: string;
	/** Fields shown for this type (their displayOptions are added by the send operation). */
	fields: INodeProperties[];
	build(ctx: IExecuteFunctions, itemIndex: number): Promise<RobotMessage>;
}

export const TEXT_MAX_BYTES = 2048;
export const MARKDOWN_MAX_BYTES = 4096;
export const NEWS_MIN_ARTICLES = 1;
export const NEWS_MAX_ARTICLES = 8;
export const NEWS_TITLE_MAX_BYTES = 128;
export const NEWS_DESCRIPTION_MAX_BYTES = 512;

const param = (ctx: IExecuteFunctions, name: string, itemIndex: number, fallback: unknown = ''): unknown =>
	ctx.getNodeParameter(name, itemIndex, fallback);

const text: RobotMessageType = {
	name: 'Text (文本)',
	value: 'text',
	description: 'Plain text, optionally @mentioning members',
	fields: [
		{
			displayName: 'Content',
			name: 'textContent',
			type: 'string',
			typeOptions: { rows: 4 },
			default: '',
			required: true,
			description: `Text of the message, at most ${TEXT_MAX_BYTES} bytes in UTF-8 (a Chinese character counts 3)`,
		},
		{
			displayName: 'Mention User IDs',
			name: 'mentionedList',
			type: 'string',
			default: '',
			placeholder: 'zhangsan, lisi or @all',
			description: 'User IDs (账号) to @mention, separated by commas, "|" or spaces; @all mentions everyone. Also accepts an array from an expression.',
		},
		{
			displayName: 'Mention Mobile Numbers',
			name: 'mentionedMobileList',
			type: 'string',
			default: '',
			placeholder: '13800001111, @all',
			description: 'Mobile numbers of members to @mention when you do not know their user IDs; @all mentions everyone',
		},
	],
	async build(ctx, i) {
		const content = String(param(ctx, 'textContent', i));
		assertRequired(ctx, 'Content', content, i);
		assertMaxBytes(ctx, 'Content', content, TEXT_MAX_BYTES, i);
		const body: IDataObject = { content };
		const mentioned = parseIdList(param(ctx, 'mentionedList', i));
		const mobiles = parseIdList(param(ctx, 'mentionedMobileList', i));
		if (mentioned.length) body.mentioned_list = mentioned;
		if (mobiles.length) body.mentioned_mobile_list = mobiles;
		return { body: { msgtype: 'text', text: body } };
	},
};

const markdownField = (name: string, hint: string): INodeProperties => ({
	displayName: 'Content',
	name,
	type: 'string',
	typeOptions: { rows: 6 },
	default: '',
	required: true,
	description: `${hint} At most ${MARKDOWN_MAX_BYTES} bytes in UTF-8`,
});

const markdown: RobotMessageType = {
	name: 'Markdown',
	value: 'markdown',
	description: 'WeCom markdown with font colours (info, comment, warning) and member mentions',
	fields: [
		markdownField(
			'markdownContent',
			'Headings, bold, links, `code`, quotes, &lt;font color="info|comment|warning"&gt; colours and &lt;@userid&gt; mentions.',
		),
	],
	async build(ctx, i) {
		const content = String(param(ctx, 'markdownContent', i));
		assertRequired(ctx, 'Content', content, i);
		assertMaxBytes(ctx, 'Content', content, MARKDOWN_MAX_BYTES, i);
		return { body: { msgtype: 'markdown', markdown: { content } } };
	},
};

const markdownV2: RobotMessageType = {
	name: 'Markdown V2',
	value: 'markdown_v2',
	description: 'Newer markdown with lists, tables, images and dividers (no font colours or mentions)',
	fields: [markdownField('markdownV2Content', 'Headings, lists, tables, images, dividers, nested quotes and code blocks; no font colours or @mentions (clients before 4.1.36 show plain text).')],
	async build(ctx, i) {
		const content = String(param(ctx, 'markdownV2Content', i));
		assertRequired(ctx, 'Content', content, i);
		assertMaxBytes(ctx, 'Content', content, MARKDOWN_MAX_BYTES, i);
		return { body: { msgtype: 'markdown_v2', markdown_v2: { content } } };
	},
};

const image: RobotMessageType = {
	name: 'Image (图片)',
	value: 'image',
	description: 'A JPG or PNG image from a binary property, at most 2 MB',
	fields: [
		{
			displayName: 'Input Binary Field',
			name: 'imageBinaryPropertyName',
			type: 'string',
			default: 'data',
			required: true,
			hint: 'The name of the input binary field holding the image',
			description: 'JPG or PNG, at most 2 MB; the node sends it as base64 with its MD5',
		},
	],
	async build(ctx, i) {
		const file = await readBinaryFile(ctx, i, String(param(ctx, 'imageBinaryPropertyName', i, 'data')));
		return { body: { msgtype: 'image', image: robotImagePayload(ctx, file, i) } };
	},
};

const news: RobotMessageType = {
	name: 'News (图文)',
	value: 'news',
	description: 'One to eight link cards with title, description and picture',
	fields: [
		{
			displayName: 'Articles',
			name: 'articles',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true, sortable: true },
			default: {},
			placeholder: 'Add Article',
			description: `${NEWS_MIN_ARTICLES} to ${NEWS_MAX_ARTICLES} articles; the first one is shown large`,
			options: [
				{
					displayName: 'Article',
					name: 'article',
					values: [
						{ displayName: 'Title', name: 'title', type: 'string', default: '', required: true, description: `At most ${NEWS_TITLE_MAX_BYTES} bytes in UTF-8` },
						{ displayName: 'Description', name: 'description', type: 'string', default: '', description: `At most ${NEWS_DESCRIPTION_MAX_BYTES} bytes in UTF-8` },
						{
							displayName: 'URL',
							name: 'url',
							type: 'string',
							default: '',
							required: true,
							placeholder: 'https://example.com/report',
							description: 'Page opened when the article is clicked',
						},
						{
							displayName: 'Picture URL',
							name: 'picurl',
							type: 'string',
							default: '',
							description: 'JPG or PNG; large picture 1068×455, small 150×150 look best',
						},
					],
				},
			],
		},
	],
	async build(ctx, i) {
		const collection = param(ctx, 'articles', i, {}) as { article?: IDataObject[] };
		const entries = collection.article ?? [];
		assertMaxCount(ctx, 'Articles', entries.length, NEWS_MAX_ARTICLES, i, NEWS_MIN_ARTICLES);
		const articles = entries.map((entry, index) => {
			const title = String(entry.title ?? '');
			const url = String(entry.url ?? '');
			assertRequired(ctx, `Article ${index + 1} Title`, title, i);
			assertRequired(ctx, `Article ${index + 1} URL`, url, i);
			assertMaxBytes(ctx, `Article ${index + 1} Title`, title, NEWS_TITLE_MAX_BYTES, i);
			const article: IDataObject = { title, url };
			if (entry.description) {
				article.description = String(entry.description);
				assertMaxBytes(ctx, `Article ${index + 1} Description`, article.description, NEWS_DESCRIPTION_MAX_BYTES, i);
			}
			if (entry.picurl) article.picurl = String(entry.picurl);
			return article;
		});
		return { body: { msgtype: 'news', news: { articles } } };
	},
};

function mediaFields(type: RobotMediaType): INodeProperties[] {
	const rule = type === 'file' ? 'any format, 5 bytes to 20 MB' : 'AMR, at most 2 MB and 60 seconds';
	return [
		{
			displayName: 'Source',
			name: `${type}Source`,
			type: 'options',
			options: [
				{ name: 'Binary Field (Upload First)', value: 'binary', description: `Upload from an input binary field (${rule}), then send` },
				{ name: 'Media ID', value: 'mediaId', description: 'A media_id from an earlier robot upload (valid 3 days)' },
			],
			default: 'binary',
		},
		{
			displayName: 'Input Binary Field',
			name: `${type}BinaryPropertyName`,
			type: 'string',
			default: 'data',
			required: true,
			hint: `The name of the input binary field holding the ${type === 'file' ? 'file' : 'AMR voice recording'}`,
			displayOptions: { show: { [`${type}Source`]: ['binary'] } },
		},
		{
			displayName: 'Media ID',
			name: `${type}MediaId`,
			type: 'string',
			default: '',
			required: true,
			description: "A media_id from the 'Upload Media' operation of this same robot; app media IDs do not work here",
			displayOptions: { show: { [`${type}Source`]: ['mediaId'] } },
		},
	];
}

function mediaMessage(type: RobotMediaType, name: string, description: string): RobotMessageType {
	return {
		name,
		value: type,
		description,
		fields: mediaFields(type),
		async build(ctx, i) {
			if (param(ctx, `${type}Source`, i, 'binary') === 'mediaId') {
				const mediaId = String(param(ctx, `${type}MediaId`, i)).trim();
				assertRequired(ctx, 'Media ID', mediaId, i);
				return { body: { msgtype: type, [type]: { media_id: mediaId } } };
			}
			const file = await readBinaryFile(ctx, i, String(param(ctx, `${type}BinaryPropertyName`, i, 'data')));
			const uploaded = await uploadRobotMedia(ctx, type, file, i);
			return {
				body: { msgtype: type, [type]: { media_id: uploaded.media_id } },
				uploaded: { ...uploaded, filename: file.filename },
			};
		},
	};
}

export const rawMessage: RobotMessageType = {
	name: 'Raw JSON',
	value: 'raw',
	description: 'Any robot message body, for message types or fields this node does not cover',
	fields: [
		{
			displayName: 'Message JSON',
			name: 'rawJson',
			type: 'json',
			default: '{\n  "msgtype": "text",\n  "text": { "content": "hello" }\n}',
			required: true,
			description: 'The whole body of webhook/send, including msgtype',
		},
	],
	async build(ctx, i) {
		const body = parseJsonObject(ctx, 'Message JSON', param(ctx, 'rawJson', i, '{}'), i);
		if (typeof body.msgtype !== 'string' || !body.msgtype) {
			throw new NodeOperationError(ctx.getNode(), 'Message JSON needs a "msgtype" string', {
				itemIndex: i,
				description: 'For example {"msgtype": "text", "text": {"content": "hello"}}',
			});
		}
		return { body };
	},
};

export function parseJsonObject(ctx: IExecuteFunctions, field: string, value: unknown, itemIndex: number): IDataObject {
	let parsed: unknown = value;
	if (typeof value === 'string') {
		try {
			parsed = JSON.parse(value) as unknown;
		} catch (error) {
			throw new NodeOperationError(ctx.getNode(), `${field} is not valid JSON: ${(error as Error).message}`, { itemIndex });
		}
	}
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
		throw new NodeOperationError(ctx.getNode(), `${field} must be a JSON object`, { itemIndex });
	}
	return parsed as IDataObject;
}

/** The guided message types; the send operation adds the template card and raw JSON. */
export const ROBOT_MESSAGE_TYPES: RobotMessageType[] = [
	text,
	markdown,
	markdownV2,
	image,
	news,
	mediaMessage('file', 'File (文件)', 'A file uploaded to the robot, or an existing robot media_id'),
	mediaMessage('voice', 'Voice (语音)', 'An AMR voice recording uploaded to the robot, or an existing robot media_id'),
];
