/**
 * What a send-and-wait run needs from its parameters: the wait limit (n8n's configureWaitTillDate rules), the
 * answers offered (labels, approve/decline), and the form fields of Custom Form (from the node's fields or JSON,
 * checked when the message is sent so a form that cannot be built never goes out).
 */
import type { FormFieldsParameter, IDataObject, IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';
import { NodeOperationError, WAIT_INDEFINITELY, tryToParseJsonToFormFields } from 'n8n-workflow';

export type ResponseType = 'approval' | 'freeText' | 'customForm';

export interface AnswerLink {
	label: string;
	approved: boolean;
}

export interface SendAndWaitConfig {
	title: string;
	message: string;
	responseType: ResponseType;
	/** The answers the card offers: one (approve, or respond for forms) or two (approve and decline). */
	answers: AnswerLink[];
}

const UNIT_MS: Record<string, number> = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 };

/** When the execution stops waiting: WAIT_INDEFINITELY without a limit. */
export function waitTillDate(ctx: IExecuteFunctions): Date {
	const limit = ctx.getNodeParameter('options.limitWaitTime.values', 0, {}) as IDataObject;
	if (Object.keys(limit).length === 0) return WAIT_INDEFINITELY;
	let date: Date;
	if ((limit.limitType ?? 'afterTimeInterval') === 'afterTimeInterval') {
		const amount = Number(limit.resumeAmount ?? 1);
		const unit = UNIT_MS[String(limit.resumeUnit ?? 'hours')];
		date = new Date(Date.now() + amount * (unit ?? Number.NaN));
	} else {
		date = new Date(String(limit.maxDateAndTime ?? ''));
	}
	if (Number.isNaN(date.getTime())) {
		throw new NodeOperationError(ctx.getNode(), 'Could not configure Limit Wait Time', {
			description: 'Give an amount and a unit (minutes, hours, days), or a valid date and time.',
		});
	}
	return date;
}

export function readConfig(ctx: IExecuteFunctions): SendAndWaitConfig {
	const responseType = ctx.getNodeParameter('responseType', 0, 'approval') as ResponseType;
	const title = String(ctx.getNodeParameter('subject', 0, '') ?? '').trim() || 'Approval required';
	const message = String(ctx.getNodeParameter('message', 0, '') ?? '')
		.trim()
		.replace(/\\n/g, '\n')
		.replace(/<br>/g, '\n');
	if (!message) throw new NodeOperationError(ctx.getNode(), 'The Message is empty', { description: 'Write what the person is asked to answer.' });
	const config: SendAndWaitConfig = { title, message, responseType, answers: [] };
	if (responseType === 'freeText' || responseType === 'customForm') {
		const label = String(ctx.getNodeParameter('options.messageButtonLabel', 0, 'Respond') ?? '') || 'Respond';
		config.answers.push({ label, approved: true });
		if (responseType === 'customForm') formFields(ctx, 0);
		return config;
	}
	const approval = ctx.getNodeParameter('approvalOptions.values', 0, {}) as IDataObject;
	const approveLabel = String(approval.approveLabel ?? '') || 'Approve';
	config.answers.push({ label: approveLabel, approved: true });
	if (approval.approvalType === 'double') config.answers.push({ label: String(approval.disapproveLabel ?? '') || 'Decline', approved: false });
	return config;
}

/** The Custom Form fields, from the node's Form Elements or from JSON (n8n's Form node format). */
export function formFields(ctx: IExecuteFunctions | IWebhookFunctions, itemIndex = 0): FormFieldsParameter {
	const read = (name: string, fallback: unknown, options?: { rawExpressions?: boolean }): unknown =>
		'getInputData' in ctx ? ctx.getNodeParameter(name, itemIndex, fallback, options) : ctx.getNodeParameter(name, fallback, options);
	const defineForm = read('defineForm', 'fields') as string;
	let fields: FormFieldsParameter;
	if (defineForm === 'json') {
		try {
			fields = tryToParseJsonToFormFields(read('jsonOutput', '[]'));
		} catch (error) {
			throw new NodeOperationError(ctx.getNode(), `The form fields JSON is not usable: ${(error as Error).message}`, {
				description: 'Give an array like [{"fieldLabel": "Amount", "fieldType": "number", "requiredField": true}].',
			});
		}
	} else {
		fields = read('formFields.values', []) as FormFieldsParameter;
	}
	if (!Array.isArray(fields) || fields.length === 0) {
		throw new NodeOperationError(ctx.getNode(), 'The custom form has no fields', { description: 'Add at least one form element.' });
	}
	for (const [index, field] of fields.entries()) {
		if (!field.fieldLabel && !field.fieldName) {
			throw new NodeOperationError(ctx.getNode(), `Form field ${index + 1} has no label`, { description: 'Every field needs a Field Label.' });
		}
	}
	return fields;
}
