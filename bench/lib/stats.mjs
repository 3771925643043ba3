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

/** Parts print their rows as the last stdout line so run.mjs can collect them. */
export function report(part, rows, details = {}) {
	process.stdout.write(`\nBENCH_RESULT ${JSON.stringify({ part, rows, details })}\n`);
}

export const quick = process.argv.includes('--quick');

export function log(...args) {
	process.stderr.write(`${args.join(' ')}\n`);
}
