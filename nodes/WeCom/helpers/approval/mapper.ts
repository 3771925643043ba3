/**
 * The resource mapper's fields for an approval template: one field per control that takes a value, with an n8n type
 * that fits the control, WeCom's type in the label, and the template's required mark. Pure.
 */
import type { FieldType, ResourceMapperField } from 'n8n-workflow';

import { VALUELESS_CONTROLS, type ApprovalControl, type ApprovalTemplate } from './template';

function fieldType(control: ApprovalControl): FieldType {
	switch (control.type) {
		case 'Number':
		case 'Money':
			return 'number';
		case 'Date':
			return 'dateTime';
		case 'Selector':
			return control.selectorType === 'multi' ? 'string' : 'options';
		case 'Table':
			return 'array';
		case 'Location':
		case 'Vacation':
		case 'Attendance':
		case 'BankAccount':
			return 'object';
		default:
			return 'string';
	}
}

/** What the label says after the title: WeCom's control type and how to fill it. */
export function typeHint(control: ApprovalControl): string {
	const options = (control.options ?? []).map((option) => option.text).join(', ');
	switch (control.type) {
		case 'Date':
			return control.dateType === 'hour' ? 'Date, with time' : 'Date';
		case 'DateRange':
			return 'DateRange: begin ~ end';
		case 'Selector':
			return control.selectorType === 'multi' ? `Selector, several of: ${options}` : 'Selector, one option';
		case 'Contact':
			return control.contactMode === 'department' ? 'Contact: department IDs' : 'Contact: user IDs';
		case 'File':
			return 'File: binary property names';
		case 'Table':
			return `Table: rows of ${(control.children ?? []).map((child) => child.title).join(', ')}`;
		case 'RelatedApproval':
			return 'RelatedApproval: approval numbers';
		case 'Vacation':
			return `Vacation: {type, begin, end}; types ${(control.vacationTypes ?? []).map((type) => type.name).join(', ')}`;
		default:
			return control.type;
	}
}

export function mapperFields(template: ApprovalTemplate): ResourceMapperField[] {
	return template.controls
		.filter((control) => !VALUELESS_CONTROLS.has(control.type))
		.map((control) => {
			const type = fieldType(control);
			const field: ResourceMapperField = {
				id: control.id,
				displayName: `${control.title} (${typeHint(control)})`,
				required: control.required,
				defaultMatch: false,
				canBeUsedToMatch: false,
				display: true,
				type,
			};
			if (type === 'options') field.options = (control.options ?? []).map((option) => ({ name: option.text || option.key, value: option.key }));
			return field;
		});
}
