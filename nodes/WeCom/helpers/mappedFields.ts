/**
 * Mapped fields without a trip through n8n's expression engine.
 *
 * When a user drags an input field onto a parameter, n8n's editor writes `{{ $json.field }}` (or `{{ $json["a b"] }}`)
 * as its whole value. n8n 2.x evaluates every such expression in a V8 isolate: about 1-1.5 ms of n8n's CPU per field
 * and item in 2.41, more than the rest of a send costs us. For that one shape the answer is the input item's own field,
 * so the node reads it from the item instead, and keeps n8n's evaluation for everything else.
 *
 * Equivalence is not assumed: the first time a parameter takes the fast path in a run with a value of a given type
 * (string, number, boolean), n8n's own getNodeParameter is asked too, and if the two differ in any way (another
 * meaning of `$json` in some context, a conversion n8n applies to that parameter) the fast path is off for that
 * parameter for the rest of the run. Only top-level parameters read without options qualify, and only when the item's
 * field holds a string, number or boolean: n8n does nothing more to such values (cleanupParameterData leaves
 * primitives alone, and schema validation only converts or refuses them for properties with `validateType`, which
 * the WeCom node does not declare; a unit test keeps it so).
 */
import type { IExecuteFunctions } from 'n8n-workflow';

/** `={{ $json.name }}`, `={{ $json["a b"] }}` or `={{ $json['a b'] }}`, nothing else around it. */
const PURE_JSON_FIELD = /^=\{\{\s*\$json(?:\.([A-Za-z_$][\w$]*)|\[\s*(?:"([^"\\]*)"|'([^'\\]*)')\s*\])\s*\}\}$/;

/** The input field a parameter value maps as a whole, or undefined when it is anything else. */
export function mappedJsonField(raw: unknown): string | undefined {
	if (typeof raw !== 'string') return undefined;
	const match = PURE_JSON_FIELD.exec(raw);
	if (!match) return undefined;
	return match[1] ?? match[2] ?? match[3];
}

type FieldValue = string | number | boolean;

function primitiveField(json: unknown, field: string): FieldValue | undefined {
	if (typeof json !== 'object' || json === null || !Object.prototype.hasOwnProperty.call(json, field)) return undefined;
	const value = (json as Record<string, unknown>)[field];
	return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : undefined;
}

/**
 * The node run's context with getNodeParameter answering mapped fields from the input items. Everything else, and
 * every other member, is the context's own. One wrapper per node run: keyed caches (credentials) see one object.
 */
export function withMappedFields(ctx: IExecuteFunctions): IExecuteFunctions {
	const items = ctx.getInputData();
	const parameters = ctx.getNode().parameters;
	/** Per parameter: its mapped field while the fast path is allowed, null once it is not (or never was). */
	const fields = new Map<string, string | null>();
	/** `name:type` pairs whose fast answer was compared with n8n's once. */
	const checked = new Set<string>();
	const getNodeParameter = ((name: string, itemIndex: number, fallbackValue?: unknown, options?: unknown) => {
		const general = () => (ctx.getNodeParameter as (...args: unknown[]) => unknown).call(ctx, name, itemIndex, fallbackValue, options);
		if (options !== undefined || name.includes('.')) return general();
		let field = fields.get(name);
		if (field === undefined) {
			field = mappedJsonField(parameters[name]) ?? null;
			fields.set(name, field);
		}
		if (field === null) return general();
		const fast = primitiveField(items[itemIndex]?.json, field);
		if (fast === undefined) return general();
		const kind = `${name}:${typeof fast}`;
		if (checked.has(kind)) return fast;
		const answer = general();
		checked.add(kind);
		if (answer !== fast) fields.set(name, null);
		return answer;
	}) as IExecuteFunctions['getNodeParameter'];
	return new Proxy(ctx, {
		get(target, key, receiver) {
			if (key === 'getNodeParameter') return getNodeParameter;
			return Reflect.get(target, key, receiver) as unknown;
		},
	});
}
