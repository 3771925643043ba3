import { fail } from './errors';
import { charCount, isRecord, utf8Bytes } from './util';

/** Small readers for JSON bodies: they throw WeCom errors naming the field. */

export function objectField(parent: Record<string, unknown>, key: string, path: string, missingCode = 40063): Record<string, unknown> {
	const value = parent[key];
	if (value === undefined || value === null) fail(missingCode, `${path} missing`);
	if (!isRecord(value)) fail(40058, `${path} must be an object`);
	return value;
}

export function optionalObject(parent: Record<string, unknown>, key: string, path: string): Record<string, unknown> | undefined {
	const value = parent[key];
	if (value === undefined || value === null) return undefined;
	if (!isRecord(value)) fail(40058, `${path} must be an object`);
	return value;
}

export function optionalString(parent: Record<string, unknown>, key: string, path: string): string | undefined {
	const value = parent[key];
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'string') fail(40058, `${path} must be a string`);
	return value;
}

export function requiredString(parent: Record<string, unknown>, key: string, path: string, missingCode = 40063): string {
	const value = optionalString(parent, key, path);
	if (value === undefined || value === '') fail(missingCode, `${path} missing`);
	return value;
}

export function arrayField(parent: Record<string, unknown>, key: string, path: string, required: boolean): unknown[] {
	const value = parent[key];
	if (value === undefined || value === null) {
		if (required) fail(40063, `${path} missing`);
		return [];
	}
	if (!Array.isArray(value)) fail(40058, `${path} must be an array`);
	return value;
}

export function recordsIn(list: unknown[], path: string): Array<Record<string, unknown>> {
	return list.map((entry, index) => {
		if (!isRecord(entry)) fail(40058, `${path}[${index}] must be an object`);
		return entry;
	});
}

/** Integers may come as numbers or numeric strings (WeCom accepts both). */
export function optionalInt(parent: Record<string, unknown>, key: string, path: string): number | undefined {
	const value = parent[key];
	if (value === undefined || value === null || value === '') return undefined;
	const number = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
	if (typeof number !== 'number' || !Number.isInteger(number)) fail(40058, `${path} must be an integer`);
	return number;
}

export function intIn(parent: Record<string, unknown>, key: string, path: string, allowed: number[]): number | undefined {
	const value = optionalInt(parent, key, path);
	if (value !== undefined && !allowed.includes(value)) fail(40058, `${path} must be one of ${allowed.join(', ')}`);
	return value;
}

export function maxBytes(value: string | undefined, limit: number, path: string, code = 45002): void {
	if (value !== undefined && utf8Bytes(value) > limit) fail(code, `${path} is ${utf8Bytes(value)} bytes, limit ${limit} bytes`);
}

export function maxChars(value: string | undefined, limit: number, path: string, code = 45002): void {
	if (value !== undefined && charCount(value) > limit) fail(code, `${path} is ${charCount(value)} characters, limit ${limit}`);
}

export function countBetween(list: unknown[], min: number, max: number, path: string, code = 40058): void {
	if (list.length < min || list.length > max) fail(code, `${path} has ${list.length} entries, allowed ${min}..${max}`);
}

export function httpUrl(value: string | undefined, path: string): void {
	if (value !== undefined && !/^https?:\/\/\S+$/i.test(value)) fail(40058, `${path} must be an http(s) URL`);
}

export function unique(values: string[], path: string, code = 40058): void {
	const seen = new Set<string>();
	for (const value of values) {
		if (seen.has(value)) fail(code, `${path} "${value}" is duplicated`);
		seen.add(value);
	}
}
