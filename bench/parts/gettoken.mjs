// Benchmark 1: gettoken calls per 10,000 sends across 4 concurrent executions over a simulated 6 hours.
//
// Simulated time: Date.now in this process is replaced by a step clock that starts at the real time and moves
// only when the sandbox has answered a message/send, by 6 h / sends (2.16 s for 10,000). Our credential
// (expiry = time of the gettoken request + expires_in), the transport's staleness check (Date.now() >= expiry) and
// the sandbox's token lifetime (its `now` option = the same Date.now) all read that one clock, so 6 simulated hours
// of token lifetimes (7200 s, WeCom's default) pass during the run, whatever the real speed. Real time does not leak
// in: the clock stands still between sends, so the figure is the same on a fast or a slow machine.
import { fmt, log, quick, report, row } from '../lib/stats.mjs';

const SIMULATED_MS = 6 * 3600 * 1000;
const EXECUTIONS = 4;
const SENDS = quick ? 2000 : 10000;
const STEP_MS = SIMULATED_MS / SENDS;
const LIFETIME_S = 7200;

const realNow = Date.now.bind(Date);
const start = realNow();
let simulated = 0;
Date.now = () => start + simulated;

const { loadKit, addApiCredential, textSendWorkflow, expectSuccess } = await import('../lib/engine.mjs');
const kit = loadKit();
const sandbox = await kit.startSandbox({ now: () => Date.now(), tokenLifetimeSeconds: LIFETIME_S, recordBodies: false });

// Advance the clock after the sandbox has handled each message/send (setImmediate: the request being handled still
// sees the time it arrived at).
const push = sandbox.requests.push.bind(sandbox.requests);
let sends = 0;
sandbox.requests.push = (...entries) => {
	for (const entry of entries) {
		if (entry.path === '/cgi-bin/message/send') {
			sends++;
			setImmediate(() => (simulated += STEP_MS));
		}
	}
	return push(...entries);
};

try {
	const store = new kit.CredentialStore();
	const credentialId = addApiCredential(kit, store, sandbox);
	const perExecution = SENDS / EXECUTIONS;
	const realStart = realNow();
	const results = await kit.runMany(
		Array.from({ length: EXECUTIONS }, (_, e) => ({
			workflow: textSendWorkflow(credentialId, perExecution, { name: `bench tokens ${e}`, prefix: `exec${e}` }),
			credentials: store,
			timeoutMs: 15 * 60 * 1000,
		})),
	);
	const realMs = realNow() - realStart;
	let items = 0;
	for (const result of results) items += expectSuccess(result).length;
	const gettoken = sandbox.gettokenCount();
	const rejected = sandbox.requests.filter((entry) => entry.answer && [40014, 42001, 41001].includes(Number(entry.answer.errcode))).length;
	const simulatedHours = simulated / 3600000;
	const minimum = Math.ceil(SIMULATED_MS / (LIFETIME_S * 1000));
	const per10k = (gettoken * 10000) / SENDS;
	const minPer10k = (minimum * 10000) / SENDS;
	log(`gettoken: ${gettoken} for ${sends} sends (${items} items ok) over ${simulatedHours.toFixed(2)} simulated h; token rejections ${rejected}; credential updates persisted ${store.updateCount('weComApi')}; real ${(realMs / 1000).toFixed(1)} s`);
	report('gettoken', [
		row(
			`gettoken calls per ${fmt.int(10000)} sends (4 concurrent executions, simulated 6 h)`,
			`${fmt.n1(per10k)}${SENDS !== 10000 ? ` (${gettoken} for ${fmt.int(SENDS)} sends)` : ''}`,
			`${fmt.n1(minPer10k)} (theoretical minimum: 6 h / ${LIFETIME_S} s)`,
			fmt.ratio(per10k / minPer10k),
			'= minimum',
			gettoken <= minimum,
			`${rejected} sends answered 42001/40014 (refreshed and retried); ${store.updateCount('weComApi')} token writes to the stored credential`,
		),
	], { gettoken, sends, items, rejected, simulatedHours, minimum, realMs, credentialWrites: store.updateCount('weComApi') });
} finally {
	await sandbox.close();
}
