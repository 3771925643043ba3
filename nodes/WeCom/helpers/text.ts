import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** WeCom counts most limits in UTF-8 bytes: a Chinese character is 3 bytes, an emoji 4. */
export function utf8Bytes(value: string): number {
	return Buffer.byteLength(value, 'utf8');
}

/** Characters as a person counts them (code points), for WeCom's limits stated in characters. */
export function charCount(value: string): number {
	return Array.from(value).length;
}

export function assertMaxBytes(ctx: IExecuteFunctions, field: string, value: string, limit: number, itemIndex: number): void {
	const bytes = utf8Bytes(value);
	if (bytes > limit) {
		throw new NodeOperationError(
			ctx.getNode(),
			`${field} is ${bytes} bytes; WeCom allows at most ${limit} bytes (UTF-8: a Chinese character counts 3)`,
			{ itemIndex, description: `Shorten ${field} by ${bytes - limit} bytes.` },
		);
	}
}

export function assertMaxChars(ctx: IExecuteFunctions, field: string, value: string, limit: number, itemIndex: number): void {
	const chars = charCount(value);
	if (chars > limit) {
		throw new NodeOperationError(ctx.getNode(), `${field} has ${chars} characters; WeCom allows at most ${limit}`, {
			itemIndex,
		});
	}
}

export function assertRequired(ctx: IExecuteFunctions, field: string, value: unknown, itemIndex: number): void {
	if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
		throw new NodeOperationError(ctx.getNode(), `${field} is required`, {
			itemIndex,
			description: 'An expression may have resolved to an empty value.',
		});
	}
}

export function assertMaxCount(ctx: IExecuteFunctions, field: string, count: number, limit: number, itemIndex: number, min = 0): void {
	if (count > limit || count < min) {
		const range = min > 0 ? `between ${min} and ${limit}` : `at most ${limit}`;
		throw new NodeOperationError(ctx.getNode(), `${field} has ${count} entries; WeCom accepts ${range}`, { itemIndex });
	}
}
