/**
 * The response form, shown with n8n's own `form-trigger` page (res.render in n8n's webhook server) and read back
 * from its POST (multipart/form-data with fields `field-0`, `field-1` …; n8n parses it into body.data).
 * The render data is the subset of what n8n's Form node hands the template that a plain form uses.
 */
import type { FormFieldsParameter, IDataObject } from 'n8n-workflow';
import { jsonParse } from 'n8n-workflow';

export interface FormPage {
	title: string;
	description: string;
	buttonLabel: string;
}

interface FormInput extends IDataObject {
	id: string;
	errorId: string;
	label: string;
	inputRequired: string;
	defaultValue: string;
	placeholder?: string;
}

export const FREE_TEXT_FIELDS: FormFieldsParameter = [{ fieldLabel: 'Response', fieldType: 'textarea', requiredField: true }];

function fieldName(field: FormFieldsParameter[number]): string {
	return String(field.fieldLabel ?? field.fieldName ?? '');
}

/** The data n8n's `form-trigger` template renders. */
export function formRenderData(page: FormPage, fields: FormFieldsParameter): IDataObject {
	const inputs: FormInput[] = fields.map((field, index) => {
		const input: FormInput = {
			id: `field-${index}`,
			errorId: `error-field-${index}`,
			label: fieldName(field),
			inputRequired: field.requiredField ? 'form-required' : '',
			defaultValue: String(field.defaultValue ?? ''),
			placeholder: field.placeholder,
		};
		const options = (field.fieldOptions?.values ?? []).map((entry) => String(entry.option));
		if (field.fieldType === 'checkbox' || field.fieldType === 'radio' || field.multiselect) {
			input.isMultiSelect = true;
			input.multiSelectOptions = options.map((label, position) => ({ id: `option${position}_${input.id}`, label }));
			if (field.fieldType === 'radio') input.radioSelect = 'radio';
		} else if (field.fieldType === 'dropdown') {
			input.isSelect = true;
			input.selectOptions = options;
		} else if (field.fieldType === 'textarea') {
			input.isTextarea = true;
		} else {
			input.isInput = true;
			input.type = field.fieldType ?? 'text';
		}
		return input;
	});
	return {
		testRun: false,
		formTitle: page.title,
		formDescription: page.description,
		formDescriptionMetadata: page.description.replace(/<\/?[^>]+(>|$)/g, '').slice(0, 150) || 'n8n form',
		formSubmittedHeader: 'Got it, thanks',
		formSubmittedText: 'This page can be closed now',
		n8nWebsiteLink: 'https://n8n.io/?utm_source=n8n-internal&utm_medium=form-trigger',
		formFields: inputs,
		appendAttribution: false,
		buttonLabel: page.buttonLabel,
	};
}

/** The answers of a posted form, keyed by field label, typed like n8n's Form node does (numbers, lists). */
export function formAnswers(fields: FormFieldsParameter, posted: IDataObject): IDataObject {
	const answers: IDataObject = {};
	for (const [index, field] of fields.entries()) {
		const name = fieldName(field);
		let value = posted[`field-${index}`];
		if (value === undefined || value === null) {
			answers[name] = null;
			continue;
		}
		if (Array.isArray(value) && value.length === 1 && field.fieldType !== 'checkbox') value = value[0];
		if (field.fieldType === 'number') value = Number(value);
		if (field.fieldType === 'text' || field.fieldType === 'email') value = String(value).trim();
		if ((field.multiselect || field.fieldType === 'checkbox' || field.fieldType === 'radio') && typeof value === 'string') {
			value = jsonParse<IDataObject | string[] | string>(value, { fallbackValue: [value] });
			if (field.fieldType === 'radio' && Array.isArray(value)) value = value[0];
		}
		answers[name] = value as IDataObject[keyof IDataObject];
	}
	return answers;
}

/** Fields that are required but were posted empty (the form page checks them too; a hand-made POST may not). */
export function missingRequired(fields: FormFieldsParameter, posted: IDataObject): string[] {
	return fields
		.filter((field, index) => {
			if (!field.requiredField) return false;
			const value = posted[`field-${index}`];
			return value === undefined || value === null || String(value).trim() === '' || value === '[]';
		})
		.map(fieldName);
}
