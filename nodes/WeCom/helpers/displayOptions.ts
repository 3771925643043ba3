import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

/** Adds `show` conditions (resource/operation) to each property, merging with conditions it already has. */
export function updateDisplayOptions(displayOptions: IDisplayOptions, properties: INodeProperties[]): INodeProperties[] {
	return properties.map((property) => ({
		...property,
		displayOptions: {
			...property.displayOptions,
			show: { ...displayOptions.show, ...property.displayOptions?.show },
			...(property.displayOptions?.hide || displayOptions.hide
				? { hide: { ...displayOptions.hide, ...property.displayOptions?.hide } }
				: {}),
		},
	}));
}
