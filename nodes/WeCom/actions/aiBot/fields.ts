import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { AiBotLimitError, checkContent } from '../../../shared/aibot/limits';
import { validateTemplateCard } from '../../helpers/templateCard/validate';

export const replyToField: INodeProperties = {
	displayName: 'Reply To',
	name: 'replyTo',
	type: 'json',
	default: "={{ $('WeCom AI Bot Trigger').item.json.replyTo }}",
	required: true,
	description:
		"The replyTo object of the WeCom AI Bot Trigger's item (mode, bot, req_id, stream, response_url). Change the node name in the expression if your trigger is called differently.",
};

export function cardField(name: string, displayName: string, example: string): INodeProperties {
	return {
		displayName,
		name,
		type: 'json',
		default: example,
		required: true,
		description: 'The template_card object as WeCom documents it (card_type, main_title, button_list, task_id …)',
	};
}

export const BUTTON_CARD_EXAMPLE =
	'{\n  "card_type": "button_interaction",\n  "main_title": { "title": "Approve the request?" },\n  "task_id": "task-001",\n  "button_list": [\n    { "text": "Approve", "style": 1, "key": "approve" },\n    { "text": "Reject", "style": 2, "key": "reject" }\n  ]\n}';

/** The card parameter as an object, checked against WeCom's card rules. */
export function readCard(ctx: IExecuteFunctions, itemIndex: number, name: string, defaults: Record<string, unknown> = {}): Record<string, unknown> {
	const raw = ctx.getNodeParameter(name, itemIndex) as unknown;
	let card: unknown = raw;
	if (typeof raw === 'string') {
		try {
			card = JSON.parse(raw);
		} catch {
			throw new NodeOperationError(ctx.getNode(), 'The template card is not valid JSON', { itemIndex });
		}
	}
	if (typeof card !== 'object' || card === null || Array.isArray(card)) {
		throw new NodeOperationError(ctx.getNode(), 'The template card must be a JSON object like {"card_type": "text_notice", …}', { itemIndex });
	}
	const withDefaults: Record<string, unknown> = { ...card };
	for (const [key, value] of Object.entries(defaults)) if (withDefaults[key] === undefined || withDefaults[key] === '') withDefaults[key] = value;
	const problems = aiBotCardProblems(withDefaults);
	if (problems.length > 0) {
		throw new NodeOperationError(ctx.getNode(), `The template card breaks WeCom's card rules: ${problems.join('; ')}`, {
			itemIndex,
			description: 'The robot\'s cards have the same structure as application cards (page 101032): fix the fields named above.',
		});
	}
	return withDefaults;
}

/**
 * WeCom's rules for a robot's template card (page 101032: the same TemplateCard as application messages, so the
 * application card validator applies): required parts per card type, list lengths, key and task_id formats.
 * A card that replaces a clicked one is a whole new card, so it is checked like one that is sent.
 */
export function aiBotCardProblems(card: Record<string, unknown>): string[] {
	return validateTemplateCard(card as IDataObject);
}

/** Runs a limit check and turns its AiBotLimitError into the item's NodeOperationError. */
export function limitGuard<T>(ctx: IExecuteFunctions, itemIndex: number, check: () => T): T {
	let failure: unknown;
	try {
		return check();
	} catch (error) {
		failure = error;
	}
	if (failure instanceof AiBotLimitError) throw new NodeOperationError(ctx.getNode(), failure.message, { itemIndex });
	throw failure;
}

/** The Message Type (markdown or template card) choice with its Content and Card fields, as `typeName` chooses. */
export function markdownOrCardFields(typeName: string): INodeProperties[] {
	return [
		{
			displayName: 'Message Type',
			name: typeName,
			type: 'options',
			options: [
				{ name: 'Markdown', value: 'markdown' },
				{ name: 'Template Card', value: 'template_card' },
			],
			default: 'markdown',
		},
		{
			displayName: 'Content',
			name: 'content',
			type: 'string',
			typeOptions: { rows: 4 },
			default: '',
			required: true,
			displayOptions: { show: { [typeName]: ['markdown'] } },
			description: 'Markdown, at most 20480 bytes',
		},
		{ ...cardField('card', 'Template Card (JSON)', BUTTON_CARD_EXAMPLE), displayOptions: { show: { [typeName]: ['template_card'] } } },
	];
}

/** {msgtype: markdown, markdown} or {msgtype: template_card, template_card}, checked against WeCom's limits. */
export function readMarkdownOrCard(ctx: IExecuteFunctions, itemIndex: number, typeName: string): IDataObject {
	if (ctx.getNodeParameter(typeName, itemIndex) !== 'markdown') return { msgtype: 'template_card', template_card: readCard(ctx, itemIndex, 'card') };
	const content = ctx.getNodeParameter('content', itemIndex) as string;
	if (content.trim() === '') throw new NodeOperationError(ctx.getNode(), 'The content is empty', { itemIndex });
	limitGuard(ctx, itemIndex, () => checkContent(content, 'Content'));
	return { msgtype: 'markdown', markdown: { content } };
}
