// Benchmark 4: requests WeCom receives for one 10,000-user broadcast with "Split Large User Lists" on (WeCom takes
// at most 1,000 users per message/send, so 10 is the minimum).
import { addApiCredential, expectSuccess, loadKit } from '../lib/engine.mjs';
import { log, report, row } from '../lib/stats.mjs';

const USERS = 10000;
const kit = loadKit();
const sandbox = await kit.startSandbox({ recordBodies: true });
try {
	const store = new kit.CredentialStore();
	const credentialId = addApiCredential(kit, store, sandbox);
	const users = Array.from({ length: USERS }, (_, n) => `user${n}`);
	const result = await kit.runWorkflow({
		workflow: kit.inputWorkflow(
			{
				id: '2',
				name: 'WeCom',
				type: 'n8n-nodes-wecom-kit.weCom',
				parameters: {
					resource: 'message',
					operation: 'send',
					toUser: '={{ $json.users }}',
					msgtype: 'text',
					textContent: 'Maintenance tonight 22:00-23:00',
					options: { splitLargeUserLists: true },
				},
				credentials: { weComApi: { id: credentialId, name: 'WeCom (bench)' } },
			},
			[{ json: { users } }],
			{ name: 'bench broadcast' },
		),
		credentials: store,
		timeoutMs: 120000,
	});
	const [item] = expectSuccess(result);
	const sends = sandbox.requestsTo('/cgi-bin/message/send');
	const delivered = new Set(sends.flatMap((entry) => String(entry.json?.touser ?? '').split('|')));
	const minimum = Math.ceil(USERS / 1000);
	log(`${sends.length} message/send requests, ${delivered.size} distinct users addressed, output requests=${item.json.requests}`);
	report('broadcast', [
		row(
			'Requests for a 10,000-user broadcast (split option on)',
			`${sends.length} requests`,
			`${minimum} (WeCom: ≤ 1,000 users per request)`,
			`${(sends.length / minimum).toFixed(2)}×`,
			'10',
			sends.length === 10 && delivered.size === USERS,
			`${delivered.size.toLocaleString('en-US')} distinct users addressed, merged into ${expectSuccess(result).length} output item`,
		),
	], { requests: sends.length, users: delivered.size });
} finally {
	await sandbox.close();
}
