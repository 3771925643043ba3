/**
 * What a user meets in n8n's editor, for every node and credential package.json declares (so a new node or credential
 * is held to it without anyone adding it here): a codex n8n reads (aliases such as 企业微信 and WeChat Work, categories,
 * docs links), trigger events with `action` texts (the node picker's event names), documentation links to README
 * sections that exist, and a canvas subtitle made of display names rather than parameter values.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { ICredentialType, INode, INodeProperties, INodePropertyOptions, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { shortName } from '../../nodes/shared/subtitle';

const root = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
	name: string;
	homepage: string;
	n8n: { nodes: string[]; credentials: string[] };
};
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const repoUrl = pkg.homepage.replace(/#.*$/, '');

/** Words a WeCom user types into the node picker first; every node must be found by them. */
const REQUIRED_ALIASES = ['企业微信', '企微', 'WeChat Work', 'wechat', 'weixin', 'wxwork', 'qywx'];

/** dist/nodes/WeCom/WeCom.node.js → nodes/WeCom/WeCom.node (the TypeScript source, loaded by ts-jest). */
const sourceOf = (distPath: string): string => join(root, distPath.replace(/^dist\//, '').replace(/\.js$/, ''));

function loadClass<T>(distPath: string): T {
	const module = require(sourceOf(distPath)) as Record<string, new () => T>;
	const [Class] = Object.values(module);
	return new Class();
}

const nodes = pkg.n8n.nodes.map((path) => ({ path, description: loadClass<INodeType>(path).description as INodeTypeDescription }));
const credentials = pkg.n8n.credentials.map((path) => ({ path, type: loadClass<ICredentialType>(path) }));

/** GitHub's heading anchors (github-slugger): lower case, punctuation dropped (CJK kept), spaces → hyphens, repeats numbered. */
function readmeAnchors(markdown: string): Set<string> {
	const anchors = new Set<string>();
	const counts = new Map<string, number>();
	let inFence = false;
	for (const line of markdown.split('\n')) {
		if (line.startsWith('```')) inFence = !inFence;
		const heading = !inFence && /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
		if (!heading) continue;
		const text = heading[1].replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
		const slug = text
			.toLowerCase()
			.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
			.replace(/ /g, '-');
		const seen = counts.get(slug) ?? 0;
		counts.set(slug, seen + 1);
		anchors.add(seen === 0 ? slug : `${slug}-${seen}`);
	}
	return anchors;
}
const anchors = readmeAnchors(readme);

function expectReadmeLink(url: string | undefined, what: string): void {
	expect({ what, url: url?.startsWith(`${repoUrl}#`) ? 'ok' : url }).toEqual({ what, url: 'ok' });
	const anchor = decodeURIComponent(url!.slice(repoUrl.length + 1));
	expect({ what, anchor, inReadme: anchors.has(anchor) }).toEqual({ what, anchor, inReadme: true });
}

describe('readmeAnchors (GitHub heading slugs)', () => {
	it('drops punctuation, keeps Chinese and numbers repeats', () => {
		const found = readmeAnchors('# A\n## WeCom API (`weComApi`)\n### Message (应用消息) — credential *WeCom API*\n```\n# not a heading\n```\n## A\n');
		expect([...found]).toEqual(['a', 'wecom-api-wecomapi', 'message-应用消息--credential-wecom-api', 'a-1']);
	});
});

describe.each(nodes)('node $path', ({ path, description }) => {
	const codexPath = sourceOf(path) + '.json';

	it('has a codex file next to it with aliases, categories and README docs links', () => {
		expect(existsSync(codexPath)).toBe(true);
		const codex = JSON.parse(readFileSync(codexPath, 'utf8'));
		expect(codex.node).toBe(`${pkg.name}.${description.name}`);
		expect(codex.categories?.length).toBeGreaterThan(0);
		const aliases = (codex.alias ?? []).map((alias: string) => alias.toLowerCase());
		expect(REQUIRED_ALIASES.filter((alias) => !aliases.includes(alias.toLowerCase()))).toEqual([]);
		expectReadmeLink(codex.resources?.primaryDocumentation?.[0]?.url, `${description.name} codex primaryDocumentation`);
		expectReadmeLink(codex.resources?.credentialDocumentation?.[0]?.url, `${description.name} codex credentialDocumentation`);
	});

	it('links its Docs button to a README section', () => {
		expectReadmeLink(description.documentationUrl, `${description.name}.documentationUrl`);
	});

	it('gives every trigger event and every operation an action text', () => {
		// The property n8n's node picker turns into a trigger's events (editor-ui: displayName Event, Events or Trigger On).
		const events = description.group.includes('trigger')
			? description.properties.filter((property) => ['event', 'events', 'trigger on'].includes(property.displayName.toLowerCase()))
			: [];
		if (description.group.includes('trigger')) expect(events.length).toBeGreaterThan(0);
		const operations = description.properties.filter((property) => property.name === 'operation');
		const missing = [...events, ...operations].flatMap((property) =>
			((property.options ?? []) as INodePropertyOptions[]).filter((option) => !option.action).map((option) => `${property.name}: ${option.name}`),
		);
		expect(missing).toEqual([]);
	});

	it('shows display names, not parameter values, in its canvas subtitle', () => {
		const subtitle = description.subtitle ?? '';
		const evaluate = (parameters: Record<string, unknown>): unknown => {
			const node: INode = { id: 'n', name: 'N', type: `${pkg.name}.${description.name}`, typeVersion: 1, position: [0, 0], parameters: parameters as INode['parameters'] };
			const nodeTypes = { getByName: () => ({ description }), getByNameAndVersion: () => ({ description }), getKnownTypes: () => ({}) };
			const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: nodeTypes as never });
			return workflow.expression.getSimpleParameterValue(node, subtitle, 'internal', {});
		};
		const resource = description.properties.find((property) => property.name === 'resource');
		if (resource) {
			const wrong: string[] = [];
			for (const option of (resource.options ?? []) as INodePropertyOptions[]) {
				const operation = description.properties.find(
					(property) => property.name === 'operation' && (property.displayOptions?.show?.resource ?? []).includes(option.value),
				);
				for (const op of (operation?.options ?? []) as INodePropertyOptions[]) {
					const expected = `${shortName(op.name)}: ${shortName(option.name)}`;
					const shown = evaluate({ resource: option.value, operation: op.value });
					if (shown !== expected) wrong.push(`${String(option.value)}/${String(op.value)} shows ${JSON.stringify(shown)}, expected ${expected}`);
				}
			}
			expect(wrong).toEqual([]);
		}
		// Any options parameter the subtitle reads must come out as words, not as its raw value.
		const referenced = description.properties.filter(
			(property): property is INodeProperties & { options: INodePropertyOptions[] } =>
				property.type === 'options' && subtitle.includes(`$parameter["${property.name}"]`),
		);
		for (const property of referenced) {
			for (const option of property.options) {
				if (option.name === String(option.value)) continue;
				expect({ [property.name]: option.value, shown: evaluate({ [property.name]: option.value, resource: resource?.default, operation: undefined }) }).not.toEqual({
					[property.name]: option.value,
					shown: option.value,
				});
			}
		}
	});
});

describe.each(credentials)('credential $path', ({ type }) => {
	it('links its Docs to a README section', () => {
		expectReadmeLink(type.documentationUrl, `${type.name}.documentationUrl`);
	});
});

describe('fixed collections and collections that add entries', () => {
	/** "Choose..." is what n8n writes on an add button without a placeholder. */
	function withoutPlaceholder(properties: INodeProperties[], trail: string): string[] {
		return properties.flatMap((property) => {
			const here = `${trail} → ${property.displayName}`;
			const own = (property.type === 'fixedCollection' || property.type === 'collection') && !property.placeholder ? [here] : [];
			const nested = ((property.options ?? []) as Array<{ values?: INodeProperties[] } & Partial<INodeProperties>>).flatMap((option) => [
				...(option.values ? withoutPlaceholder(option.values, here) : []),
				...('type' in option && option.type ? withoutPlaceholder([option as INodeProperties], here) : []),
			]);
			return [...own, ...nested];
		});
	}

	it.each(nodes)('$path has a placeholder on every add button', ({ description }) => {
		expect(withoutPlaceholder(description.properties, description.name)).toEqual([]);
	});
});
