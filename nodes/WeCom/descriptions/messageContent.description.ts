/**
 * The message content fields shared by Message → Send (message/send) and App Chat → Send (appchat/send).
 * One list parameterised by target, so both operations show the same fields and helpers/messageContent.ts reads
 * the same parameter names for both.
 */
import type { IDisplayOptions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { updateDisplayOptions } from '../helpers/displayOptions';
import { MESSAGE_CONTENT_TYPES, type ContentTarget } from '../helpers/messageContent';
import {
	DESCRIPTION_MAX_BYTES,
	MARKDOWN_MAX_BYTES,
	MAX_ARTICLES,
	MINIPROGRAM_KEY_MAX_CHARS,
	MINIPROGRAM_MAX_ITEMS,
	MINIPROGRAM_TITLE_MAX_CHARS,
	MINIPROGRAM_TITLE_MIN_CHARS,
	MINIPROGRAM_VALUE_MAX_CHARS,
	MPNEWS_AUTHOR_MAX_BYTES,
	MPNEWS_DIGEST_MAX_BYTES,
	TASK_ID_MAX_BYTES,
	TASKCARD_BUTTON_KEY_MAX_BYTES,
	TASKCARD_BUTTON_NAME_MAX_BYTES,
	TASKCARD_MAX_BUTTONS,
	TEXT_MAX_BYTES,
	TEXTCARD_BTNTXT_MAX_CHARS,
	TEXTCARD_DESCRIPTION_MAX,
	TEXTCARD_TITLE_MAX,
	TITLE_MAX_BYTES,
} from '../helpers/messageLimits';
import { MEDIA_RULES, PERMANENT_IMAGE_RULE } from '../helpers/media';

const MEDIA_TYPES = ['image', 'voice', 'video', 'file'];

/** Shows a field only for the given message types. */
function forTypes(msgtypes: string[], properties: INodeProperties[]): INodeProperties[] {
	return properties.map((property) => ({
		...property,
		displayOptions: { ...property.displayOptions, show: { ...property.displayOptions?.show, msgtype: msgtypes } },
	}));
}

function msgtypeSelector(target: ContentTarget): INodeProperties {
	const options: INodePropertyOptions[] = MESSAGE_CONTENT_TYPES.filter((type) => type.targets.includes(target)).map(
		({ name, value, description }) => ({ name, value, description }),
	);
	return {
		displayName: 'Message Type',
		name: 'msgtype',
		type: 'options',
		noDataExpression: true,
		options,
		default: 'text',
		description: 'The WeCom msgtype to send',
	};
}

const textFields = (target: ContentTarget): INodeProperties[] => [
	{
		displayName: 'Content',
		name: 'textContent',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		description: `Text of the message, at most ${TEXT_MAX_BYTES} bytes in UTF-8 (a Chinese character counts 3). New lines and &lt;a href="..."&gt; links are allowed. Longer text fails unless the option Truncate Long Text is on.`,
	},
	...(target === 'appChat'
		? [
				{
					displayName: 'Mention User IDs',
					name: 'mentionedList',
					type: 'string',
					default: '',
					placeholder: 'zhangsan|lisi or @all',
					description: 'User IDs (账号) to @mention in the chat, separated by "|", commas or spaces; @all mentions everyone',
				} as INodeProperties,
			]
		: []),
];

const mediaFields: INodeProperties[] = [
	{
		displayName: 'Media Source',
		name: 'mediaSource',
		type: 'options',
		options: [
			{ name: 'Input Binary Field (Upload First)', value: 'binary', description: 'Upload the file from an input binary field, then send it' },
			{ name: 'Existing Media ID', value: 'mediaId', description: 'A media_id from an earlier upload (valid 3 days)' },
		],
		default: 'binary',
		description: `${MEDIA_RULES.image.label}. ${MEDIA_RULES.voice.label}. ${MEDIA_RULES.video.label}. ${MEDIA_RULES.file.label}.`,
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		displayOptions: { show: { mediaSource: ['binary'] } },
		hint: 'The name of the input binary field holding the file; size and format are checked before uploading',
	},
	{
		displayName: 'Media ID',
		name: 'mediaId',
		type: 'string',
		default: '',
		required: true,
		displayOptions: { show: { mediaSource: ['mediaId'] } },
		description: 'The media_id of temporary media of the same kind, e.g. from the Media → Upload operation',
	},
];

const videoFields: INodeProperties[] = [
	{
		displayName: 'Video Title',
		name: 'videoTitle',
		type: 'string',
		default: '',
		description: `Optional title, at most ${TITLE_MAX_BYTES} bytes in UTF-8`,
	},
	{
		displayName: 'Video Description',
		name: 'videoDescription',
		type: 'string',
		default: '',
		description: `Optional description, at most ${DESCRIPTION_MAX_BYTES} bytes in UTF-8`,
	},
];

const textcardFields = (target: ContentTarget): INodeProperties[] => {
	const unit = target === 'message' ? 'characters' : 'bytes in UTF-8';
	return [
		{
			displayName: 'Title',
			name: 'textcardTitle',
			type: 'string',
			default: '',
			required: true,
			description: `At most ${TEXTCARD_TITLE_MAX} ${unit}`,
		},
		{
			displayName: 'Description',
			name: 'textcardDescription',
			type: 'string',
			typeOptions: { rows: 4 },
			default: '',
			required: true,
			description: `At most ${TEXTCARD_DESCRIPTION_MAX} ${unit}. Supports &lt;div class="gray|normal|highlight"&gt; to colour lines.`,
		},
		{
			displayName: 'URL',
			name: 'textcardUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://example.com/approval/42',
			description: 'Page opened when the card is tapped (http or https, at most 2048 bytes)',
		},
		{
			displayName: 'Button Text',
			name: 'textcardButtonText',
			type: 'string',
			default: '',
			placeholder: '详情',
			description: `Text of the link at the bottom, at most ${TEXTCARD_BTNTXT_MAX_CHARS} characters; WeCom shows 详情 when empty`,
		},
	];
};

const newsFields = (target: ContentTarget): INodeProperties[] => [
	{
		displayName: 'Articles',
		name: 'newsArticles',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		default: {},
		placeholder: 'Add Article',
		description: `1 to ${MAX_ARTICLES} articles (图文); the first is shown large`,
		options: [
			{
				displayName: 'Article',
				name: 'article',
				values: [
					{ displayName: 'Description', name: 'description', type: 'string', default: '', description: `At most ${DESCRIPTION_MAX_BYTES} bytes in UTF-8` },
					...(target === 'message'
						? ([
								{
									displayName: 'Mini Program App ID',
									name: 'appid',
									type: 'string',
									default: '',
									description: 'Open a mini program linked to the corp instead of the URL (needs the page path too)',
								},
								{
									displayName: 'Mini Program Page Path',
									name: 'pagepath',
									type: 'string',
									default: '',
									placeholder: 'pages/index',
									description: 'Page of the mini program, at most 128 bytes',
								},
							] as INodeProperties[])
						: []),
					{
						displayName: 'Picture From Binary Field',
						name: 'picBinaryPropertyName',
						type: 'string',
						default: '',
						placeholder: 'picture',
						description: `Optional: an input binary field to upload as a permanent image (media/uploadimg) and use instead of Picture URL. ${PERMANENT_IMAGE_RULE.label}.`,
					},
					{
						displayName: 'Picture URL',
						name: 'picurl',
						type: 'string',
						default: '',
						description: 'JPG or PNG; 1068×455 (large) and 150×150 (small) look best',
					},
					{ displayName: 'Title', name: 'title', type: 'string', default: '', required: true, description: `At most ${TITLE_MAX_BYTES} bytes in UTF-8` },
					{
						displayName: 'URL',
						name: 'url',
						type: 'string',
						default: '',
						placeholder: 'https://example.com/report',
						description:
							target === 'message'
								? 'Page opened on click (at most 2048 bytes); required unless a mini program is given'
								: 'Page opened on click (at most 2048 bytes)',
					},
				],
			},
		],
	},
];

const mpnewsFields: INodeProperties[] = [
	{
		displayName: 'Articles',
		name: 'mpnewsArticles',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		default: {},
		placeholder: 'Add Article',
		description: `1 to ${MAX_ARTICLES} articles stored by WeCom (图文消息 mpnews), opened inside WeCom`,
		options: [
			{
				displayName: 'Article',
				name: 'article',
				values: [
					{ displayName: 'Author', name: 'author', type: 'string', default: '', description: `At most ${MPNEWS_AUTHOR_MAX_BYTES} bytes` },
					{
						displayName: 'Content',
						name: 'content',
						type: 'string',
						typeOptions: { rows: 6 },
						default: '',
						required: true,
						description: 'HTML body of the article, at most 666 K bytes',
					},
					{
						displayName: 'Digest',
						name: 'digest',
						type: 'string',
						default: '',
						description: `Summary shown in the message, at most ${MPNEWS_DIGEST_MAX_BYTES} bytes`,
					},
					{
						displayName: 'Source URL',
						name: 'contentSourceUrl',
						type: 'string',
						default: '',
						description: 'Opened by 阅读原文 (read the original) at the bottom of the article',
					},
					{
						displayName: 'Thumbnail Binary Field',
						name: 'thumbBinaryPropertyName',
						type: 'string',
						default: 'data',
						displayOptions: { show: { thumbSource: ['binary'] } },
						description: 'Input binary field holding the cover image; articles naming the same field share one upload',
					},
					{
						displayName: 'Thumbnail Media ID',
						name: 'thumbMediaId',
						type: 'string',
						default: '',
						displayOptions: { show: { thumbSource: ['mediaId'] } },
						description: 'The media_id of an image uploaded earlier',
					},
					{
						displayName: 'Thumbnail Source',
						name: 'thumbSource',
						type: 'options',
						options: [
							{ name: 'Input Binary Field (Upload First)', value: 'binary' },
							{ name: 'Existing Media ID', value: 'mediaId' },
						],
						default: 'binary',
						description: `Cover image, uploaded as temporary image media. ${MEDIA_RULES.image.label}.`,
					},
					{ displayName: 'Title', name: 'title', type: 'string', default: '', required: true, description: `At most ${TITLE_MAX_BYTES} bytes in UTF-8` },
				],
			},
		],
	},
];

const markdownFields: INodeProperties[] = [
	{
		displayName: 'Content',
		name: 'markdownContent',
		type: 'string',
		typeOptions: { rows: 6 },
		default: '',
		required: true,
		description: `WeCom markdown: headings, bold, links, \`code\`, quotes and &lt;font color="info|comment|warning"&gt;. At most ${MARKDOWN_MAX_BYTES} bytes. Only the WeCom client renders it (WeChat shows it as unsupported).`,
	},
];

const miniprogramFields: INodeProperties[] = [
	{
		displayName: 'Mini Program App ID',
		name: 'miniprogramAppid',
		type: 'string',
		default: '',
		required: true,
		description: 'The appid of a mini program linked to the corp (关联小程序)',
	},
	{
		displayName: 'Page',
		name: 'miniprogramPage',
		type: 'string',
		default: '',
		placeholder: 'pages/index?userid=zhangsan',
		description: 'Page opened on tap; empty opens nothing',
	},
	{
		displayName: 'Title',
		name: 'miniprogramTitle',
		type: 'string',
		default: '',
		required: true,
		description: `${MINIPROGRAM_TITLE_MIN_CHARS} to ${MINIPROGRAM_TITLE_MAX_CHARS} characters`,
	},
	{
		displayName: 'Description',
		name: 'miniprogramDescription',
		type: 'string',
		default: '',
		description: `Optional, ${MINIPROGRAM_TITLE_MIN_CHARS} to ${MINIPROGRAM_TITLE_MAX_CHARS} characters`,
	},
	{
		displayName: 'Emphasise First Item',
		name: 'miniprogramEmphasisFirstItem',
		type: 'boolean',
		default: false,
		description: 'Whether to show the first content item large',
	},
	{
		displayName: 'Content Items',
		name: 'miniprogramContentItems',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		default: {},
		placeholder: 'Add Item',
		description: `At most ${MINIPROGRAM_MAX_ITEMS} key/value lines`,
		options: [
			{
				displayName: 'Item',
				name: 'item',
				values: [
					{ displayName: 'Key', name: 'key', type: 'string', default: '', description: `At most ${MINIPROGRAM_KEY_MAX_CHARS} characters` },
					{ displayName: 'Value', name: 'value', type: 'string', default: '', description: `At most ${MINIPROGRAM_VALUE_MAX_CHARS} characters` },
				],
			},
		],
	},
];

const taskcardFields: INodeProperties[] = [
	{
		displayName: 'Title',
		name: 'taskcardTitle',
		type: 'string',
		default: '',
		required: true,
		description: `At most ${TITLE_MAX_BYTES} bytes in UTF-8`,
	},
	{
		displayName: 'Description',
		name: 'taskcardDescription',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		description: `Optional, at most ${DESCRIPTION_MAX_BYTES} bytes in UTF-8`,
	},
	{
		displayName: 'URL',
		name: 'taskcardUrl',
		type: 'string',
		default: '',
		description: 'Optional page opened when the card is tapped',
	},
	{
		displayName: 'Task ID',
		name: 'taskcardTaskId',
		type: 'string',
		default: '',
		description: `Unique per app (letters, digits and _-@, at most ${TASK_ID_MAX_BYTES} bytes). Leave empty to generate one; it is in the output for Update Task Card and the taskcard_click event.`,
	},
	{
		displayName: 'Buttons',
		name: 'taskcardButtons',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		default: {},
		placeholder: 'Add Button',
		description: `1 to ${TASKCARD_MAX_BUTTONS} buttons`,
		options: [
			{
				displayName: 'Button',
				name: 'button',
				values: [
					{ displayName: 'Bold', name: 'is_bold', type: 'boolean', default: false, description: 'Whether the button text is bold' },
					{
						displayName: 'Colour',
						name: 'color',
						type: 'options',
						options: [
							{ name: 'Blue', value: 'blue' },
							{ name: 'Red', value: 'red' },
						],
						default: 'blue',
					},
					{
						displayName: 'Key',
						name: 'key',
						type: 'string',
						default: '',
						required: true,
						description: `Sent back as EventKey on click; letters, digits and _-@, at most ${TASKCARD_BUTTON_KEY_MAX_BYTES} bytes`,
					},
					{ displayName: 'Name', name: 'name', type: 'string', default: '', required: true, description: `At most ${TASKCARD_BUTTON_NAME_MAX_BYTES} bytes` },
					{
						displayName: 'Name After Click',
						name: 'replace_name',
						type: 'string',
						default: '',
						placeholder: '已批准',
						description: 'Text the button shows once clicked',
					},
				],
			},
		],
	},
];

const rawFields: INodeProperties[] = [
	{
		displayName: 'Message JSON',
		name: 'rawJson',
		type: 'json',
		default: '{\n  "msgtype": "text",\n  "text": { "content": "Hello" }\n}',
		required: true,
		description:
			'Either the whole body (with "msgtype" and its object) or only the msgtype-specific object together with Raw Message Type. Recipients, agentid and the options of this node are added on top.',
	},
	{
		displayName: 'Raw Message Type',
		name: 'rawMsgtype',
		type: 'string',
		default: '',
		placeholder: 'markdown_v2',
		description: 'Only when the JSON holds just the msgtype-specific object: the msgtype it belongs to',
	},
];

/**
 * The content fields for `target`, each shown for its msgtype. `extra` adds fields from other modules
 * (the template card builder) already carrying their own msgtype condition.
 */
export function messageContentProperties(
	target: ContentTarget,
	displayOptions: IDisplayOptions,
	extra: INodeProperties[] = [],
): INodeProperties[] {
	const supported = new Set(MESSAGE_CONTENT_TYPES.filter((type) => type.targets.includes(target)).map((type) => type.value));
	const only = (msgtype: string, properties: INodeProperties[]): INodeProperties[] =>
		supported.has(msgtype) ? forTypes([msgtype], properties) : [];
	const properties: INodeProperties[] = [
		msgtypeSelector(target),
		...only('text', textFields(target)),
		...forTypes(MEDIA_TYPES.filter((type) => supported.has(type)), mediaFields),
		...only('video', videoFields),
		...only('textcard', textcardFields(target)),
		...only('news', newsFields(target)),
		...only('mpnews', mpnewsFields),
		...only('markdown', markdownFields),
		...only('miniprogram_notice', miniprogramFields),
		...only('interactive_taskcard', taskcardFields),
		...only('raw', rawFields),
	];
	return [...updateDisplayOptions(displayOptions, properties), ...extra];
}

