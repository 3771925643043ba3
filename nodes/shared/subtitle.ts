/**
 * The canvas subtitle of a resource/operation node: "Send: Message", "Send: Group Robot". n8n evaluates the subtitle
 * as an expression over the node's parameter values, so `$parameter["operation"] + ": " + $parameter["resource"]`
 * shows internal values ("send: robot"). This builds an expression that looks the pair up in the display names.
 */
import type { INodeProperties } from 'n8n-workflow';

/** "Group Robot (群机器人)" → "Group Robot": the canvas shows a short line, the English name suffices there. */
export function shortName(name: string): string {
	return name.replace(/\s*\([^()]*\)\s*$/, '').trim();
}

/** Every resource/operation pair of the properties with its subtitle, e.g. ["robot:send", "Send: Group Robot"]. */
export function subtitlePairs(properties: INodeProperties[]): Array<[key: string, label: string]> {
	const resource = properties.find((property) => property.name === 'resource');
	const pairs: Array<[string, string]> = [];
	for (const option of resource?.options ?? []) {
		if (!('value' in option)) continue;
		const resourceValue = String(option.value);
		const operation = properties.find(
			(property) => property.name === 'operation' && (property.displayOptions?.show?.resource ?? []).includes(resourceValue),
		);
		for (const op of operation?.options ?? []) {
			if (!('value' in op)) continue;
			pairs.push([`${resourceValue}:${String(op.value)}`, `${shortName(op.name)}: ${shortName(option.name)}`]);
		}
	}
	return pairs;
}

/**
 * Two array literals and an indexOf, not an object literal: n8n's expression syntax is `{{ … }}`, and braces inside it
 * are best avoided. An unknown pair (a value from a newer version) falls back to the operation's value.
 */
export function resourceOperationSubtitle(properties: INodeProperties[]): string {
	const pairs = subtitlePairs(properties);
	const keys = JSON.stringify(pairs.map(([key]) => key));
	const labels = JSON.stringify(pairs.map(([, label]) => label));
	return `={{ ${labels}[${keys}.indexOf($parameter["resource"] + ":" + $parameter["operation"])] || $parameter["operation"] }}`;
}

