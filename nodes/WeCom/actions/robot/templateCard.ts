/**
 * Template cards (模板卡片) for group robots: only text_notice and news_notice.
 * Temporary: a JSON card until the shared card builder (helpers/templateCard.ts) lands.
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { RobotMessageType } from './messageTypes';
import { parseJsonObject } from './messageTypes';

export const ROBOT_CARD_TYPES = ['text_notice', 'news_notice'];

export const templateCard: RobotMessageType = {
	name: 'Template Card (模板卡片)',
	value: 'template_card',
	description: 'A text notice (文本通知型) or news notice (图文展示型) card',
	fields: [
		{
			displayName: 'Card JSON',
			name: 'robotCardJson',
			type: 'json',
			default: '{\n  "card_type": "text_notice",\n  "main_title": { "title": "Title", "desc": "Description" },\n  "card_action": { "type": 1, "url": "https://work.weixin.qq.com" }\n}',
			required: true,
			description: 'The template_card object; card_type text_notice or news_notice',
		},
	],
	async build(ctx: IExecuteFunctions, i: number) {
		const card = parseJsonObject(ctx, 'Card JSON', ctx.getNodeParameter('robotCardJson', i, '{}'), i);
		if (!ROBOT_CARD_TYPES.includes(String(card.card_type))) {
			throw new NodeOperationError(ctx.getNode(), `Group robots send only template cards of type ${ROBOT_CARD_TYPES.join(' or ')}`, {
				itemIndex: i,
				description: `card_type was "${String(card.card_type ?? '')}". Interactive cards need an app message (Message resource).`,
			});
		}
		return { body: { msgtype: 'template_card', template_card: card } };
	},
};
