// What n8n has persisted into a credential, read back through n8n's own CLI
// (`export:credentials --decrypted`): the REST API blanks password and hidden fields, so it cannot
// show whether pre-authentication stored a token. The export file holds secrets: it lives in a
// private temp folder that is removed straight after reading.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { TEST_ENCRYPTION_KEY } from '../../../tools/n8n/instance.mjs';
import { freePort } from '../../../tools/n8n/ports.mjs';
import { prepareN8n } from '../../../tools/n8n/prepare.mjs';

/** Just what a one-shot CLI command needs to open the instance's database and decrypt its credentials. */
async function cliEnv(nodeBin, userFolder) {
	const env = {};
	for (const [k, v] of Object.entries(process.env)) if (!/^(npm_|N8N_|DB_)/i.test(k)) env[k] = v;
	return {
		...env,
		PATH: `${dirname(nodeBin)}:${process.env.PATH}`,
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
		DB_TYPE: 'sqlite',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_DISABLED_MODULES: 'mcp-registry',
		N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
		N8N_RUNNERS_MODE: 'internal',
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_LOG_LEVEL: 'warn',
	};
}

/**
 * The decrypted data n8n stores for credential `id` of a running (or stopped) instance.
 * @param {{ userFolder: string }} n8n an instance from startN8n()
 * @returns {Promise<Record<string, unknown>>}
 */
export async function storedCredentialData(n8n, id) {
	const paths = await prepareN8n({ quiet: true });
	const dir = await mkdtemp(join(tmpdir(), 'n8n-cred-export-'));
	const file = join(dir, 'credential.json');
	const env = await cliEnv(paths.nodeBin, n8n.userFolder);
	try {
		await new Promise((resolve, reject) => {
			execFile(
				paths.nodeBin,
				[paths.n8nBin, 'export:credentials', `--id=${id}`, '--decrypted', `--output=${file}`],
				{ cwd: n8n.userFolder, env, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
				(err, stdout, stderr) => (err ? reject(new Error(`n8n export:credentials --id=${id} failed: ${(stdout + stderr).slice(-3000)}`)) : resolve()),
			);
		});
		const exported = JSON.parse(await readFile(file, 'utf8'));
		const record = (Array.isArray(exported) ? exported : [exported]).find((c) => c.id === id);
		if (!record) throw new Error(`n8n export:credentials returned no credential ${id}`);
		return record.data;
	} finally {
		await rm(dir, { recursive: true, force: true });
	}
}
