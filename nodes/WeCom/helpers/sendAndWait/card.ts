/**
 * The card a person answers: a text_notice template card whose links open the execution's signed resume URLs
 * (app messages and group robots), or a button_interaction card whose buttons carry signed keys for a WeCom
 * Trigger (app messages with native buttons). Checked against WeCom's card rules before it is sent.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { buildCardKey, type CardKeySecret } from '../../../shared/cardAnswerKey';
import { generateTaskId } from '../templateCard/build';
import { validateTemplateCard } from '../templateCard/validate';
import type { SendAndWaitConfig } from './config';

/** WeCom shows about this much of a sub title; longer text is cut with an ellipsis. */
const SUB_TITLE_MAX_CHARS = 500;
const MAIN_TITLE_MAX_CHARS = 36;

function cut(text: string, max: number): string {
	const chars = [...text];
	return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

function head(config: SendAndWaitConfig): IDataObject {
	return {
		source: { desc: 'n8n' },
		main_title: { title: cut(config.title, MAIN_TITLE_MAX_CHARS) },
		sub_title_text: cut(config.message, SUB_TITLE_MAX_CHARS),
	};
}

function checked(ctx: IExecuteFunctions, card: IDataObject, allowedCardTypes?: string[]): IDataObject {
	const problems = validateTemplateCard(card, { allowedCardTypes });
	if (problems.length) {
		throw new NodeOperationError(ctx.getNode(), `The answer card cannot be sent: ${problems[0]}`, {
			description: problems.join('; '),
		});
	}
	return card;
}

/** Link URLs for each answer (approval: ?approved=true|false; forms: the form page) and for the card body. */
export function answerLinks(ctx: IExecuteFunctions, config: SendAndWaitConfig): { links: Array<{ title: string; url: string }>; cardUrl: string } {
	const links = config.answers.map((answer) => ({
		title: answer.label,
		url: ctx.getSignedResumeUrl({ approved: answer.approved ? 'true' : 'false' }),
	}));
	// Tapping the card itself must not answer: for approvals it opens a page with the choices.
	const cardUrl = config.responseType === 'approval' ? ctx.getSignedResumeUrl({ view: 'choices' }) : links[0].url;
	return { links, cardUrl };
}

/** text_notice with one jump-list entry per answer. */
export function linkCard(ctx: IExecuteFunctions, config: SendAndWaitConfig, options: { robot: boolean }): IDataObject {
	const { links, cardUrl } = answerLinks(ctx, config);
	const card: IDataObject = {
		card_type: 'text_notice',
		...head(config),
		jump_list: links.map((link) => ({ type: 1, title: link.title, url: link.url })),
		card_action: { type: 1, url: cardUrl },
	};
	if (!options.robot) card.task_id = generateTaskId();
	return checked(ctx, card, options.robot ? ['text_notice', 'news_notice'] : undefined);
}

/** button_interaction whose buttons carry keys only this app's WeCom Trigger can check. */
export function buttonCard(ctx: IExecuteFunctions, config: SendAndWaitConfig, secret: CardKeySecret): IDataObject {
	const taskId = generateTaskId();
	const resumeUrl = ctx.getSignedResumeUrl({ answeredVia: 'card' });
	const buttons = config.answers.map((answer) => ({
		text: answer.label,
		style: answer.approved ? 1 : 2,
		key: buildCardKey(secret, answer.approved ? 'a' : 'd', taskId, resumeUrl),
	}));
	const card: IDataObject = { card_type: 'button_interaction', ...head(config), task_id: taskId, button_list: buttons };
	return checked(ctx, card);
}
