import type { INodeProperties } from 'n8n-workflow';

/** The column picker (by title) of the chosen sheet. */
export function columnPicker(name: string, displayName: string, multiple: boolean): INodeProperties {
	return {
		displayName,
		name,
		type: multiple ? 'multiOptions' : 'options',
		typeOptions: { loadOptionsMethod: 'getSheetColumns', loadOptionsDependsOn: ['document.value', 'sheet.value'] },
		default: multiple ? [] : '',
		required: true,
		description: 'Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
	};
}
