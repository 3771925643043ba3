/**
 * Template cards (模板卡片) for group robots: only text_notice and news_notice, built with the shared card builder
 * (prefix 'robotCard'). Robots have no click callbacks, so the action menu and task ID parts are left out.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { buildTemplateCard, templateCardProperties } from '../../helpers/templateCard';
import type { RobotMessageType } from './messageTypes';

export const ROBOT_CARD_TYPES = ['text_notice', 'news_notice'];

const CARD_OPTIONS = { prefix: 'robotCard', allowedCardTypes: ROBOT_CARD_TYPES, excludeParts: ['action_menu', 'task_id'] };

export const templateCard: RobotMessageType = {
	name: 'Template Card (模板卡片)',
	value: 'template_card',
	description: 'A text notice (文本通知型) or news notice (图文展示型) card',
	// The send operation adds the messageType condition and the resource/operation conditions.
	fields: templateCardProperties({}, CARD_OPTIONS),
	async build(ctx: IExecuteFunctions, i: number) {
		const { card } = await buildTemplateCard(ctx, i, CARD_OPTIONS);
		return { body: { msgtype: 'template_card', template_card: card as IDataObject } };
	},
};
