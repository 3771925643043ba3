/**
 * Get Many's filters → WeCom's filter_spec (pure). Conditions name fields by ID and carry a value of the kind the
 * field's type needs: string_value (text-like; select option IDs), number_value, bool_value, user_value,
 * date_time_value (a day given as milliseconds, or today / yesterday / tomorrow).
 */
import { CellValueError, listOf, optionsOf, toBoolean, toMillis, toNumber, typeLabel, type SheetField } from './cells';

export const FILTER_OPERATORS = {
	is: 'OPERATOR_IS',
	isNot: 'OPERATOR_IS_NOT',
	contains: 'OPERATOR_CONTAINS',
	doesNotContain: 'OPERATOR_DOES_NOT_CONTAIN',
	greater: 'OPERATOR_IS_GREATER',
	greaterOrEqual: 'OPERATOR_IS_GREATER_OR_EQUAL',
	less: 'OPERATOR_IS_LESS',
	lessOrEqual: 'OPERATOR_IS_LESS_OR_EQUAL',
	isEmpty: 'OPERATOR_IS_EMPTY',
	isNotEmpty: 'OPERATOR_IS_NOT_EMPTY',
} as const;

export type FilterOperator = keyof typeof FILTER_OPERATORS;

const NUMERIC = new Set(['FIELD_TYPE_NUMBER', 'FIELD_TYPE_CURRENCY', 'FIELD_TYPE_PERCENTAGE', 'FIELD_TYPE_PROGRESS']);
const DATES = new Set(['FIELD_TYPE_DATE_TIME', 'FIELD_TYPE_CREATED_TIME', 'FIELD_TYPE_MODIFIED_TIME']);
const USERS = new Set(['FIELD_TYPE_USER', 'FIELD_TYPE_CREATED_USER', 'FIELD_TYPE_MODIFIED_USER']);
const RELATIVE_DAYS: Record<string, string> = {
	today: 'DATE_TIME_TYPE_TODAY',
	yesterday: 'DATE_TIME_TYPE_YESTERDAY',
	tomorrow: 'DATE_TIME_TYPE_TOMORROW',
	'past 7 days': 'DATE_TIME_TYPE_THE_PAST_7_DAYS',
	'next 7 days': 'DATE_TIME_TYPE_THE_NEXT_7_DAYS',
};

const ORDER_ONLY = new Set<FilterOperator>(['greater', 'greaterOrEqual', 'less', 'lessOrEqual']);
const TEXT_ONLY = new Set<FilterOperator>(['contains', 'doesNotContain']);

function refuse(field: SheetField, operator: FilterOperator): never {
	throw new CellValueError(field.field_title, `The filter "${operator}" does not apply to column "${field.field_title}" (${typeLabel(field.field_type)})`);
}

export function buildCondition(field: SheetField, operator: FilterOperator, value: unknown): Record<string, unknown> {
	const base = { field_id: field.field_id, field_type: field.field_type, operator: FILTER_OPERATORS[operator] };
	if (!base.operator) throw new CellValueError(field.field_title, `Unknown filter operator "${String(operator)}"`);
	if (operator === 'isEmpty' || operator === 'isNotEmpty') return base;
	const type = field.field_type;
	if (NUMERIC.has(type)) {
		if (TEXT_ONLY.has(operator)) refuse(field, operator);
		return { ...base, number_value: { value: toNumber(field, value) } };
	}
	if (type === 'FIELD_TYPE_CHECKBOX') {
		if (operator !== 'is' && operator !== 'isNot') refuse(field, operator);
		return { ...base, bool_value: { value: toBoolean(field, value) } };
	}
	if (DATES.has(type)) {
		if (TEXT_ONLY.has(operator)) refuse(field, operator);
		const relative = typeof value === 'string' ? RELATIVE_DAYS[value.trim().toLowerCase()] : undefined;
		if (relative) return { ...base, date_time_value: { type: relative } };
		return { ...base, date_time_value: { type: 'DATE_TIME_TYPE_DETAIL_DATE', value: [String(toMillis(field, value))] } };
	}
	if (ORDER_ONLY.has(operator)) refuse(field, operator);
	if (USERS.has(type)) return { ...base, user_value: { value: listOf(value).map((entry) => String(entry).trim()) } };
	if (type === 'FIELD_TYPE_SELECT' || type === 'FIELD_TYPE_SINGLE_SELECT') {
		const options = optionsOf(field);
		const ids = listOf(value).map((entry) => {
			const text = String(entry).trim();
			const option = options.find((candidate) => candidate.text === text || candidate.id === text);
			if (!option) {
				throw new CellValueError(field.field_title, `Column "${field.field_title}" has no option "${text}" to filter by; its options are ${options.map((candidate) => `"${candidate.text}"`).join(', ') || '(none)'}`);
			}
			return option.id;
		});
		return { ...base, string_value: { value: ids } };
	}
	if (value === undefined || value === null || (typeof value === 'object' && !Array.isArray(value))) {
		throw new CellValueError(field.field_title, `The filter on column "${field.field_title}" needs a text value`);
	}
	return { ...base, string_value: { value: Array.isArray(value) ? value.map(String) : [String(value)] } };
}

export interface FilterInput {
	column: string;
	operator: FilterOperator;
	value?: unknown;
}

export function buildFilterSpec(fields: Map<string, SheetField>, conditions: FilterInput[], matchAll: boolean): Record<string, unknown> {
	return {
		conjunction: matchAll ? 'CONJUNCTION_AND' : 'CONJUNCTION_OR',
		conditions: conditions.map((condition) => {
			const field = fields.get(condition.column) ?? [...fields.values()].find((entry) => entry.field_id === condition.column);
			if (!field) throw new CellValueError(condition.column, `The sheet has no column "${condition.column}" to filter by`);
			return buildCondition(field, condition.operator, condition.value);
		}),
	};
}
