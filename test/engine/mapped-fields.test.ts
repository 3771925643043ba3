/**
 * The mapped-field fast path (nodes/WeCom/helpers/mappedFields.ts) against n8n's own getNodeParameter in n8n-core's
 * real engine: for every parameter value shape and every kind of item value, the wrapped context must answer exactly
 * what n8n answers, and it must stop asking n8n's expression engine only where the answer is the item's own field.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { WorkflowExpression } from 'n8n-workflow/dist/cjs/workflow-expression';

import { mappedJsonField, withMappedFields } from '../../nodes/WeCom/helpers/mappedFields';
import { WeCom } from '../../nodes/WeCom/WeCom.node';
import { CredentialStore, inputWorkflow, nodeTypes, runWorkflow, setupEngine } from '../harness';

const PARAMETERS: Record<string, unknown> = {
	dotted: '={{ $json.user }}',
	spaced: '={{$json.user}}',
	bracketDouble: '={{ $json["full name"] }}',
	bracketSingle: "={{ $json['full name'] }}",
	numberField: '={{ $json.count }}',
	boolField: '={{ $json.flag }}',
	nullField: '={{ $json.nothing }}',
	missingField: '={{ $json.absent }}',
	objectField: '={{ $json.address }}',
	arrayField: '={{ $json.tags }}',
	nested: '={{ $json.address.city }}',
	template: '=Hi {{ $json.user }}',
	twoFields: '={{ $json.user }}{{ $json.count }}',
	computed: '={{ $json.user.toUpperCase() }}',
	otherItem: "={{ $('Input').item.json.user }}",
	plain: 'zhangsan',
	numberParameter: 7,
	asNumber: '={{ $json.countText }}',
	mixedNumber: '={{ $json.mixed }}',
};

const ITEMS = [
	{ user: 'zhangsan', 'full name': '张三 Zhang', count: 3, countText: '3', mixed: 3, flag: true, nothing: null, address: { city: '深圳' }, tags: ['a', 'b'] },
	{ user: '', 'full name': '', count: 0, mixed: '4', flag: false, nothing: null, address: {}, tags: [] },
	{ user: 'lisi', count: -1.5, countText: '-2', address: { city: 'Beijing' } },
	{ 'full name': 'only a name' },
];

/** Asks both contexts for every parameter of every item (in a second pass too, after the first check). */
class Probe implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Mapped fields probe',
		name: 'test.mappedFieldsProbe',
		group: ['transform'],
		version: 1,
		description: 'Compares the mapped-field fast path with getNodeParameter (test)',
		defaults: { name: 'Probe' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			...Object.keys(PARAMETERS)
				.filter((name) => !['numberParameter', 'asNumber', 'mixedNumber'].includes(name))
				.map((name) => ({ displayName: name, name, type: 'string' as const, default: '' })),
			{ displayName: 'Number Parameter', name: 'numberParameter', type: 'number', default: 0 },
			// A declared type n8n converts to: the fast answer (the text '3') differs from n8n's (3), so the check must turn
			// the fast path off.
			{ displayName: 'As Number', name: 'asNumber', type: 'string', default: '', validateType: 'number' },
			// A number first (n8n answers it unchanged), then a text n8n converts: the check is made per value type.
			{ displayName: 'Mixed Number', name: 'mixedNumber', type: 'string', default: '', validateType: 'number' },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const fast = withMappedFields(this);
		const out: INodeExecutionData[] = [];
		for (let pass = 0; pass < 2; pass++) {
			for (let itemIndex = 0; itemIndex < this.getInputData().length; itemIndex++) {
				for (const name of Object.keys(PARAMETERS)) {
					const read = (ctx: IExecuteFunctions) => {
						try {
							return { value: ctx.getNodeParameter(name, itemIndex, 'fallback') as unknown };
						} catch (error) {
							return { error: (error as Error).message };
						}
					};
					out.push({ json: { pass, itemIndex, name, general: read(this), fast: read(fast) } as never });
				}
			}
		}
		return [out];
	}
}

describe('mapped fields read from the item', () => {
	beforeAll(() => {
		setupEngine();
		nodeTypes.register('test.mappedFieldsProbe', new Probe());
	});

	it("relies on no WeCom property declaring validateType (n8n's only conversion of a primitive parameter value)", () => {
		const withValidation: string[] = [];
		const walk = (properties: unknown[]) => {
			for (const property of properties as Array<{ name?: string; validateType?: unknown; options?: unknown[]; values?: unknown[] }>) {
				if (property.validateType !== undefined) withValidation.push(String(property.name));
				if (Array.isArray(property.options)) walk(property.options);
				if (Array.isArray(property.values)) walk(property.values);
			}
		};
		const { properties } = new WeCom().description;
		walk(properties);
		expect(properties.length).toBeGreaterThan(100);
		expect(withValidation).toEqual([]);
	});

	it('recognises exactly the shapes n8n writes for a dragged field', () => {
		expect(mappedJsonField('={{ $json.user }}')).toBe('user');
		expect(mappedJsonField('={{$json.user_id2}}')).toBe('user_id2');
		expect(mappedJsonField('={{ $json["full name"] }}')).toBe('full name');
		expect(mappedJsonField("={{ $json['销售额'] }}")).toBe('销售额');
		for (const other of ['{{ $json.user }}', '=Hi {{ $json.user }}', '={{ $json.a.b }}', '={{ $json.user }} ', '={{ $json["a\\"b"] }}', '={{ $json[0] }}', '={{ $item(0).$json.user }}', 'plain', 7, null, undefined]) {
			expect(mappedJsonField(other)).toBeUndefined();
		}
	});

	it('answers what getNodeParameter answers, for every shape and value, item after item', async () => {
		const result = await runWorkflow({
			credentials: new CredentialStore(),
			workflow: inputWorkflow({ id: 'p', name: 'Probe', type: 'test.mappedFieldsProbe', parameters: PARAMETERS }, ITEMS.map((json) => ({ json }))),
		});
		expect(result.error).toBeUndefined();
		const rows = result.output('Probe').map((item) => item.json as { pass: number; itemIndex: number; name: string; general: unknown; fast: unknown });
		expect(rows).toHaveLength(2 * ITEMS.length * Object.keys(PARAMETERS).length);
		for (const row of rows) expect({ ...row, fast: row.fast }).toEqual({ ...row, fast: row.general });
		// The checks mean something: n8n answered these with the item's values, and turned the text into a number.
		const general = (name: string, itemIndex: number) => (rows.find((row) => row.name === name && row.itemIndex === itemIndex)?.general as { value?: unknown }).value;
		expect(general('dotted', 0)).toBe('zhangsan');
		expect(general('bracketDouble', 0)).toBe('张三 Zhang');
		expect(general('numberField', 2)).toBe(-1.5);
		expect(general('boolField', 1)).toBe(false);
		expect(general('asNumber', 0)).toBe(3);
		expect(general('asNumber', 2)).toBe(-2);
		expect(general('mixedNumber', 1)).toBe(4);
	});

	it('asks the expression engine once per parameter for mapped fields, and every time for anything else', async () => {
		const evaluated = new Map<string, number>();
		const original = WorkflowExpression.prototype.resolveSimpleParameterValue;
		const spy = jest.spyOn(WorkflowExpression.prototype, 'resolveSimpleParameterValue').mockImplementation(function (this: WorkflowExpression, ...args) {
			const [value] = args;
			if (typeof value === 'string' && value.startsWith('=')) evaluated.set(value, (evaluated.get(value) ?? 0) + 1);
			return original.apply(this, args);
		});
		try {
			const items = Array.from({ length: 50 }, (_, n) => ({ json: { user: `user${n}`, countText: String(n) } }));
			await runWorkflow({
				credentials: new CredentialStore(),
				workflow: inputWorkflow({ id: 'p', name: 'Probe', type: 'test.mappedFieldsProbe', parameters: { dotted: PARAMETERS.dotted, template: PARAMETERS.template, asNumber: PARAMETERS.asNumber } }, items),
			});
		} finally {
			spy.mockRestore();
		}
		// Each read happens twice per item and pass (the general context, then the wrapped one).
		const reads = 2 * 50;
		// dotted: n8n for the general reads, plus one check by the fast path.
		expect(evaluated.get(PARAMETERS.dotted as string)).toBe(reads + 1);
		// A template is always n8n's: general and wrapped reads both evaluate.
		expect(evaluated.get(PARAMETERS.template as string)).toBe(2 * reads);
		// asNumber failed its check (n8n converts the text to a number), so the wrapped reads went back to n8n.
		expect(evaluated.get(PARAMETERS.asNumber as string)).toBe(2 * reads);
	});
});
