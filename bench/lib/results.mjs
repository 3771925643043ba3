// Stored benchmark results: each part's last result lives in bench/results/<part>.json, and bench/results.md is rebuilt
// from all of them, so re-measuring one part (`npm run bench -- --only <part> --write`) keeps every other part's figures,
// each marked with the date it was measured and the machine load it was measured under.
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';

/** What a stored result says about the machine; the load average is taken by run.mjs around the part. */
export function machine(repoRoot) {
	const cpus = os.cpus();
	let n8nCore = 'unknown';
	try {
		n8nCore = JSON.parse(readFileSync(join(repoRoot, 'node_modules', 'n8n-core', 'package.json'), 'utf8')).version;
	} catch {
		// A tree without node_modules still gets its figures stored; only this one line is then unknown.
	}
	return {
		cpu: cpus[0]?.model ?? 'unknown',
		cores: cpus.length,
		ramGiB: Number((os.totalmem() / 2 ** 30).toFixed(1)),
		os: `${os.type()} ${os.release()} (${os.arch()})`,
		node: process.version,
		n8nCore,
	};
}

export function storePart(dir, result) {
	mkdirSync(dir, { recursive: true });
	writeFileSync(join(dir, `${result.part}.json`), `${JSON.stringify(result, null, '\t')}\n`);
}

/** Stored results in the order of PARTS; stored files of parts no longer registered are reported, not shown. */
export function loadParts(dir, parts) {
	const stored = new Map();
	if (existsSync(dir)) {
		for (const file of readdirSync(dir).filter((name) => name.endsWith('.json'))) {
			const result = JSON.parse(readFileSync(join(dir, file), 'utf8'));
			stored.set(result.part, result);
		}
	}
	const orphans = [...stored.keys()].filter((name) => !parts.some((part) => part.name === name));
	return { results: parts.filter((part) => stored.has(part.name)).map((part) => stored.get(part.name)), missing: parts.filter((part) => !stored.has(part.name)), orphans };
}

const escape = (text) => String(text).replace(/\|/g, '\\|');
const met = (value) => (value === true ? 'yes' : value === false ? '**no**' : '—');
const day = (iso) => String(iso).slice(0, 10);
const load = (values) => (values ? values.map((v) => Number(v).toFixed(2)).join(' / ') : '—');

function transportBreakdown(results) {
	const breakdown = results.find((result) => result.part === 'transport')?.details?.breakdown;
	if (!breakdown) return [];
	return [
		"## Where a send's time goes (transport part)",
		'',
		'| path (same body, same sandbox, sequential) | mean µs/call | p50 µs | CPU µs/call (bench process incl. sandbox) | TCP connections / calls |',
		'| --- | --- | --- | --- | --- |',
		...breakdown.map((entry) => `| ${entry.path} | ${entry.meanUs.toFixed(0)} | ${entry.p50Us.toFixed(0)} | ${entry.cpuUsPerCall.toFixed(0)} | ${entry.connections} / ${entry.calls} |`),
		'',
	];
}

/** A part may add its own tables: `details.sections` = [{ title, lines: [markdown…] }]. */
function partSections(results) {
	return results.flatMap((result) =>
		(result.details?.sections ?? []).flatMap((section) => [`## ${section.title} (${result.part} part)`, '', ...section.lines, '']),
	);
}

export function renderMarkdown({ results, missing, parts, n8nVersion }) {
	const rows = results.flatMap((result) => result.rows.map((entry) => ({ ...entry, result })));
	const machines = new Map(results.map((result) => [JSON.stringify({ ...result.machine, node: undefined, n8nCore: undefined }), result.machine]));
	const n8nNode = results.find((result) => result.details?.n8nNodeVersion)?.details.n8nNodeVersion;
	const methodOf = (result) => parts.find((part) => part.name === result.part)?.method;
	return [
		'# Benchmark results',
		'',
		'Rebuilt by bench/run.mjs from the last stored result of every part (bench/results/<part>.json): `npm run bench` measures all parts, `npm run bench -- --only <part> --write` re-measures one and keeps the others. Each row says the day it was measured; the load average it was measured under is in the per-part table below. Every figure is measured next to its baseline in the same run of its part, on 127.0.0.1 only, against the WeCom sandbox (test/sandbox).',
		'',
		'| benchmark | figure | baseline | ratio | target | met? | measured |',
		'| --- | --- | --- | --- | --- | --- | --- |',
		...rows.map(
			(entry) =>
				`| ${escape(entry.benchmark)} | ${escape(entry.figure)} | ${escape(entry.baseline)} | ${escape(entry.ratio)} | ${escape(entry.target)} | ${met(entry.met)} | ${day(entry.result.date)}${entry.result.quick ? ' (quick)' : ''} |`,
		),
		'',
		...(missing.length ? [`**No stored result yet:** ${missing.map((part) => part.name).join(', ')}`, ''] : []),
		'## Notes per figure',
		'',
		...rows.filter((entry) => entry.note).map((entry) => `- **${escape(entry.benchmark)}**: ${entry.note}`),
		'',
		...transportBreakdown(results),
		...partSections(results),
		'## Machine',
		'',
		...[...machines.values()].flatMap((m) => [`- CPU: ${m.cpu}, ${m.cores} logical cores; RAM: ${m.ramGiB} GiB; OS: ${m.os}`]),
		`- Node (bench process, engine harness, sandbox): ${[...new Set(results.map((result) => result.machine.node))].join(', ')}; n8n-core (harness) ${[...new Set(results.map((result) => result.machine.n8nCore))].join(', ')}`,
		`- Node (real n8n): ${n8nNode ?? '(no real-n8n part stored)'}; n8n ${n8nVersion}`,
		'- The machine is shared: figures measured under load are noisier, ratios (figure and baseline measured in the same run) less so.',
		'',
		'| part | measured (UTC) | wall time | load average 1/5/15 min at start | at end | mode |',
		'| --- | --- | --- | --- | --- | --- |',
		...results.map(
			(result) =>
				`| ${result.part} | ${String(result.date).replace('T', ' ').slice(0, 16)} | ${Math.round(result.seconds)} s | ${load(result.loadStart)} | ${load(result.loadEnd)} | ${result.quick ? 'quick (reduced counts)' : 'full'}${result.imported ? `; ${result.imported}` : ''} |`,
		),
		'',
		'## Method',
		'',
		'- Each part runs in its own Node process; the sandbox runs in the bench process (its CPU time is inside both the figure and the baseline of every in-process comparison).',
		...results.filter(methodOf).map((result) => `- **${result.part}**: ${methodOf(result)}`),
		'',
	].join('\n');
}
