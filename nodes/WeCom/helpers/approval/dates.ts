/**
 * Reading the dates people and systems write ("2026-12-01", "2026-12-01 09:30", ISO with offset, Unix seconds or
 * milliseconds) as Unix seconds, in a given IANA time zone when the text has none. Pure.
 */

const LOCAL = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/;
const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

/** The offset of `timeZone` from UTC at `utcMs`, in minutes (e.g. 480 for Asia/Shanghai). */
export function zoneOffsetMinutes(timeZone: string, utcMs: number): number {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
	}).formatToParts(new Date(utcMs));
	const get = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
	const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
	return Math.round((asUtc - Math.floor(utcMs / 1000) * 1000) / 60000);
}

/** Unix seconds of a wall-clock time in `timeZone`. */
function zonedSeconds(fields: number[], timeZone: string): number {
	const [year, month, day, hour, minute, second] = fields;
	const guess = Date.UTC(year, month - 1, day, hour, minute, second);
	let offset = zoneOffsetMinutes(timeZone, guess);
	// Once more at the corrected instant, for times near a DST change.
	offset = zoneOffsetMinutes(timeZone, guess - offset * 60000);
	return Math.floor((guess - offset * 60000) / 1000);
}

/** Unix seconds, or undefined when the value is not a date this reader understands. */
export function readDateSeconds(value: unknown, timeZone: string): number | undefined {
	if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : Math.floor(value.getTime() / 1000);
	if (typeof value === 'number') {
		if (!Number.isFinite(value) || value < 0) return undefined;
		return value >= 1e11 ? Math.floor(value / 1000) : Math.floor(value);
	}
	if (typeof value !== 'string') return undefined;
	const text = value.trim();
	if (/^\d{9,10}$/.test(text)) return Number(text);
	if (/^\d{12,13}$/.test(text)) return Math.floor(Number(text) / 1000);
	if (WITH_OFFSET.test(text)) {
		const ms = Date.parse(text);
		return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
	}
	const match = LOCAL.exec(text);
	if (!match) return undefined;
	const fields = match.slice(1).map((part) => Number(part ?? 0));
	const [year, month, day, hour, minute, second] = fields;
	if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return undefined;
	const check = new Date(Date.UTC(year, month - 1, day));
	if (check.getUTCMonth() !== month - 1) return undefined;
	return zonedSeconds(fields, timeZone);
}

/** The start of the day (00:00 in `timeZone`) that contains `seconds`. */
export function startOfDaySeconds(seconds: number, timeZone: string): number {
	const offset = zoneOffsetMinutes(timeZone, seconds * 1000) * 60;
	return seconds - ((((seconds + offset) % 86400) + 86400) % 86400);
}
