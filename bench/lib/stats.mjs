// Small measuring helpers shared by the benchmark parts.
import { performance } from 'node:perf_hooks';

export const now = () => performance.now();

/** Percentile (0..100) of numbers, nearest-rank on a sorted copy. */
export function percentile(values, p) {
	if (values.length === 0) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
	return sorted[rank];
}

export function median(values) {
	return percentile(values, 50);
}

/** Times `fn` (async) and returns elapsed ms. */
export async function timed(fn) {
	const start = now();
	await fn();
	return now() - start;
}

export const fmt = {
	int: (n) => Math.round(n).toLocaleString('en-US'),
	n1: (n) => n.toFixed(1),
	n2: (n) => n.toFixed(2),
	ms: (n) => `${n.toFixed(2)} ms`,
	us: (n) => `${n.toFixed(0)} µs`,
	ratio: (n) => `${n.toFixed(2)}×`,
};

/** A result row as bench/run.mjs prints it. `met` is true/false, or null when the row has no target. */
export function row(benchmark, figure, baseline, ratio, target, met, note) {
	return { benchmark, figure, baseline, ratio, target: target ?? '—', met: met ?? null, note: note ?? '' };
}

/** WeCom waits 5 s for a callback's answer; a latency row meets it when the p99 is under it. */
const CALLBACK_LIMIT_MS = 5000;

/**
 * The p50 and p99 rows of a callback latency, ours against a baseline (both arrays of ms), judged by WeCom's 5 s limit
 * on the p99. `labels` are the two rows' benchmark texts; `note` goes on the p50 row.
 */
export function latencyRows(labels, ours, baseline, note) {
	const p99Met = percentile(ours, 99) < CALLBACK_LIMIT_MS;
	const at = (q) => [fmt.ms(percentile(ours, q)), fmt.ms(percentile(baseline, q)), fmt.ratio(percentile(ours, q) / percentile(baseline, q))];
	return [row(labels.p50, ...at(50), '< 5,000 ms (WeCom’s limit)', p99Met, note), row(labels.p99, ...at(99), '< 5,000 ms', p99Met)];
}

/** Parts print their rows as the last stdout line so run.mjs can collect them. */
export function report(part, rows, details = {}) {
	process.stdout.write(`\nBENCH_RESULT ${JSON.stringify({ part, rows, details })}\n`);
}

export const quick = process.argv.includes('--quick');

export function log(...args) {
	process.stderr.write(`${args.join(' ')}\n`);
}
