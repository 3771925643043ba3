/**
 * Turns what users put in an ID field into a clean list: arrays (from expressions), or strings separated by
 * "|" (WeCom's own separator), commas (also full-width "，"), semicolons, spaces or new lines.
 * Duplicates are dropped, order is kept.
 */
export function parseIdList(value: unknown): string[] {
	const parts: string[] = [];
	const visit = (entry: unknown): void => {
		if (entry === undefined || entry === null) return;
		if (Array.isArray(entry)) {
			entry.forEach(visit);
			return;
		}
		if (typeof entry === 'object') {
			// Resource-locator style objects and {id}/{userid} items from a previous node.
			const record = entry as Record<string, unknown>;
			visit(record.value ?? record.userid ?? record.id);
			return;
		}
		for (const piece of String(entry).split(/[|,，;；\s]+/)) {
			const trimmed = piece.trim();
			if (trimmed) parts.push(trimmed);
		}
	};
	visit(value);
	return [...new Set(parts)];
}

/** Splits a list into chunks of at most `size` entries. */
export function chunk<T>(list: T[], size: number): T[][] {
	const chunks: T[][] = [];
	for (let start = 0; start < list.length; start += size) chunks.push(list.slice(start, start + size));
	return chunks;
}

/** WeCom answers invalid recipients as "a|b|c"; outputs carry arrays. */
export function splitPipeList(value: unknown): string[] {
	if (Array.isArray(value)) return value.map(String).filter((entry) => entry !== '');
	if (typeof value !== 'string' || value === '') return [];
	return value.split('|').filter((entry) => entry !== '');
}
