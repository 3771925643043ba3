// Looks for secrets (access tokens, app secrets, robot keys, EncodingAESKeys) where n8n keeps what a
// run left behind: its stored executions, every file of its user folder (database, WAL, event logs,
// binary data) and its console output. Failure reports name the secret and the place, never the value.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

/**
 * @typedef {{ name: string; value: string }} Secret
 * @typedef {{ where: string; text: string }} Source
 */

/** The spellings a secret could take in a URL, JSON or log line. */
function spellings(value) {
	return [...new Set([value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1)])];
}

/**
 * @param {Secret[]} secrets
 * @param {Source[]} sources
 * @returns {{ secret: string; where: string; context: string }[]}
 */
export function findLeaks(secrets, sources) {
	const leaks = [];
	for (const { where, text } of sources) {
		for (const { name, value } of secrets) {
			if (!value || value.length < 8) throw new Error(`Secret ${name} is too short to search for meaningfully`);
			for (const spelling of spellings(value)) {
				const at = text.indexOf(spelling);
				if (at < 0) continue;
				const context = text.slice(Math.max(0, at - 80), at + spelling.length + 80).split(spelling).join(`<${name}>`);
				leaks.push({ secret: name, where, context: context.replace(/[^\x20-\x7e\u4e00-\u9fff]/g, '.') });
				break;
			}
		}
	}
	return leaks;
}

async function* files(dir) {
	for (const entry of await readdir(dir, { withFileTypes: true })) {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) yield* files(path);
		else if (entry.isFile()) yield path;
	}
}

/**
 * Every file n8n wrote under its user folder, as text (latin1 keeps bytes 1:1, so ASCII secrets are found
 * in SQLite pages as well as in JSON). Our installed package is skipped: it is code, not run output.
 * @returns {Promise<Source[]>}
 */
export async function userFolderSources(userFolder) {
	const sources = [];
	for await (const path of files(userFolder)) {
		const rel = relative(userFolder, path);
		if (rel.startsWith(join('.n8n', 'nodes'))) continue;
		sources.push({ where: `user folder: ${rel}`, text: (await readFile(path)).toString('latin1') });
	}
	return sources;
}

/**
 * Everything a finished run of `n8n` left: parsed executions (with run data), raw files and logs.
 * @param {import('../../../tools/n8n/instance.mjs').N8nInstance} n8n
 * @param {Source[]} [extra] e.g. the output of `n8n execute` processes
 * @returns {Promise<{ sources: Source[]; executions: object[] }>}
 */
export async function runArtifacts(n8n, extra = []) {
	const executions = await n8n.executions({ withData: true });
	const sources = [
		...executions.map((e) => ({ where: `execution ${e.id} (${e.workflowId}, ${e.status})`, text: JSON.stringify(e) })),
		...(await userFolderSources(n8n.userFolder)),
		{ where: 'n8n start output', text: n8n.logs() },
		...extra,
	];
	return { sources, executions };
}

/** Human-readable list for an assertion message (secret names and places only). */
export function describeLeaks(leaks) {
	return leaks.map((l) => `${l.secret} in ${l.where}: …${l.context}…`).join('\n');
}
