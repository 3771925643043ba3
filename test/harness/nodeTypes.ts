/**
 * INodeTypes for the engine: our package's nodes (imported lazily from the TypeScript sources, under both the
 * package-prefixed name n8n uses, e.g. `n8n-nodes-wecom-kit.weCom`, and the short `weCom`), the harness's test nodes
 * and the self-test fixtures.
 */
import type { IDataObject, INodeType, INodeTypes, IVersionedNodeType } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { fixtureNodeTypes } from './fixtures/nodes';
import { TestInput, TestNoOp } from './testNodes';

export const PACKAGE_PREFIX = 'n8n-nodes-wecom-kit.';

type Loader = () => INodeType | IVersionedNodeType;

const packageLoaders: Record<string, Loader> = {
	weCom: () => new (require('../../nodes/WeCom/WeCom.node').WeCom)(),
	weComTrigger: () => new (require('../../nodes/WeComTrigger/WeComTrigger.node').WeComTrigger)(),
	weComAiBotTrigger: () => new (require('../../nodes/WeComAiBotTrigger/WeComAiBotTrigger.node').WeComAiBotTrigger)(),
};

export class HarnessNodeTypes implements INodeTypes {
	private readonly types = new Map<string, INodeType | IVersionedNodeType>();

	constructor() {
		const noOp = new TestNoOp();
		this.register('test.input', new TestInput());
		this.register('n8n-nodes-base.noOp', noOp);
		this.register('test.noOp', noOp);
		for (const fixture of fixtureNodeTypes) this.register(fixture.description.name, fixture);
	}

	/** Adds a node type under a name (a test may register its own fixture). */
	register(name: string, type: INodeType | IVersionedNodeType): void {
		this.types.set(name, type);
	}

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		const known = this.types.get(nodeType);
		if (known) return known;
		const short = nodeType.startsWith(PACKAGE_PREFIX) ? nodeType.slice(PACKAGE_PREFIX.length) : nodeType;
		const load = packageLoaders[short];
		if (!load) throw new Error(`The test harness knows no node type "${nodeType}" (known: ${Object.keys(this.getKnownTypes()).join(', ')})`);
		let type: INodeType | IVersionedNodeType;
		try {
			type = load();
		} catch (error) {
			throw new Error(`Could not load node type "${nodeType}" from nodes/: ${(error as Error).message}`);
		}
		this.types.set(short, type);
		this.types.set(PACKAGE_PREFIX + short, type);
		return type;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
	}

	getKnownTypes(): IDataObject {
		const names = [...this.types.keys(), ...Object.keys(packageLoaders).flatMap((short) => [short, PACKAGE_PREFIX + short])];
		return Object.fromEntries(names.map((name) => [name, { className: name, sourcePath: '' }]));
	}
}

/** The shared instance every harness run uses. */
export const nodeTypes = new HarnessNodeTypes();
