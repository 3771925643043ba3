/**
 * n8n resource locators ("From list" with search, "By ID"), built and read the same way for every resource.
 * The list modes are served by `methods.listSearch.<searchMethod>`.
 */
import type { IExecuteFunctions, INodeProperties, INodeParameterResourceLocator } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

export interface LocatorSpec {
	displayName: string;
	name: string;
	/** The listSearch method that fills "From list". */
	searchMethod: string;
	/** Shown in "By ID", e.g. "zhangsan". */
	idPlaceholder: string;
	description?: string;
	required?: boolean;
	/** A regex the ID must match (checked by the editor). */
	idRegex?: string;
	idRegexError?: string;
}

export function locatorField(spec: LocatorSpec): INodeProperties {
	return {
		displayName: spec.displayName,
		name: spec.name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: spec.required ?? true,
		...(spec.description ? { description: spec.description } : {}),
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: `Select a ${spec.displayName.toLowerCase()}...`,
				typeOptions: { searchListMethod: spec.searchMethod, searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: spec.idPlaceholder,
				...(spec.idRegex
					? { validation: [{ type: 'regex', properties: { regex: spec.idRegex, errorMessage: spec.idRegexError ?? 'Not a valid ID' } }] }
					: {}),
			},
		],
	};
}

/** The chosen ID, trimmed; a plain string (from an expression or an older workflow) is accepted as the ID. */
export function readLocator(ctx: IExecuteFunctions, name: string, itemIndex: number, label: string): string {
	const raw = ctx.getNodeParameter(name, itemIndex, '') as INodeParameterResourceLocator | string | number;
	const value = typeof raw === 'object' && raw !== null ? raw.value : raw;
	const id = String(value ?? '').trim();
	if (!id) throw new NodeOperationError(ctx.getNode(), `${label} is empty`, { itemIndex, description: `Pick a ${label.toLowerCase()} from the list or enter its ID.` });
	return id;
}
