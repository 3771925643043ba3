// Benchmark 3: 5,000 text items through n8n-core's engine (one execution, WeCom node, message/send) versus a bare
// node:http keep-alive loop posting exactly the bodies the node sent (read back from the sandbox's record), one
// request at a time like the node. Both against the same in-process sandbox, in the same run.
import { performance } from 'node:perf_hooks';

import { barePoster, getJson } from '../lib/bareHttp.mjs';
import { connections } from '../lib/connections.mjs';
import { addApiCredential, expectSuccess, loadKit, nodeTime, textSendWorkflow } from '../lib/engine.mjs';
import { fmt, log, quick, report, row } from '../lib/stats.mjs';

const ITEMS = quick ? 1000 : 5000;
const WARMUP = quick ? 200 : 500;
const TARGET = 0.8;

const kit = loadKit();
const sandbox = await kit.startSandbox({ recordBodies: true });
try {
	const store = new kit.CredentialStore();
	const credentialId = addApiCredential(kit, store, sandbox);
	const runEngine = async (count, prefix) => {
		const workflow = textSendWorkflow(credentialId, count, { prefix });
		const started = performance.now();
		const result = await kit.runWorkflow({ workflow, credentials: store, timeoutMs: 10 * 60 * 1000 });
		const wallMs = performance.now() - started;
		const output = expectSuccess(result);
		if (output.length !== count) throw new Error(`expected ${count} output items, got ${output.length}`);
		return { wallMs, nodeMs: nodeTime(result) };
	};
	const { access_token: token } = await getJson(
		`${sandbox.url}/cgi-bin/gettoken?corpid=${kit.SANDBOX_DEFAULTS.corpId}&corpsecret=${kit.SANDBOX_DEFAULTS.corpSecret}`,
	);
	const path = `/cgi-bin/message/send?access_token=${encodeURIComponent(token)}`;
	const runBare = async (bodies) => {
		const poster = barePoster(sandbox.url, { keepAlive: true });
		const started = performance.now();
		for (const body of bodies) await poster.post(path, body);
		const ms = performance.now() - started;
		poster.close();
		return ms;
	};

	// Warm-up (JIT, token), then the measured engine run; its recorded bodies feed the bare loop. (No sandbox.reset():
	// it would also revoke the token.)
	await runEngine(WARMUP, 'warm');
	await runBare(sandbox.requestsTo('/cgi-bin/message/send').map((entry) => entry.json));
	let mark = sandbox.requests.length;
	const sendsSince = (from) => sandbox.requests.slice(from).filter((entry) => entry.path === '/cgi-bin/message/send');
	const beforeEngine = connections();
	const engine = await runEngine(ITEMS, 'alert');
	const engineConnections = connections() - beforeEngine;
	const bodies = sendsSince(mark).map((entry) => entry.json);
	if (bodies.length !== ITEMS) throw new Error(`sandbox recorded ${bodies.length} sends, expected ${ITEMS}`);
	const bareMs = await runBare(bodies);
	// A second engine run and bare run, to show the spread between runs on this machine.
	mark = sandbox.requests.length;
	const engine2 = await runEngine(ITEMS, 'again');
	const bare2Ms = await runBare(bodies);
	if (sendsSince(mark).length !== 2 * ITEMS) throw new Error('the second runs did not send exactly once per item');

	const engineRate = ITEMS / (Math.min(engine.wallMs, engine2.wallMs) / 1000);
	const bareRate = ITEMS / (Math.min(bareMs, bare2Ms) / 1000);
	const ratio = engineRate / bareRate;
	log(
		`engine: ${fmt.int(engine.wallMs)} ms / ${fmt.int(engine2.wallMs)} ms wall (WeCom node ${fmt.int(engine.nodeMs)} / ${fmt.int(engine2.nodeMs)} ms), ` +
			`${engineConnections} TCP connections; bare: ${fmt.int(bareMs)} / ${fmt.int(bare2Ms)} ms`,
	);
	report('throughput', [
		row(
			`${fmt.int(ITEMS)} text items through the engine (one execution) vs bare HTTP loop, items/s`,
			`${fmt.int(engineRate)} items/s`,
			`${fmt.int(bareRate)} items/s`,
			fmt.n2(ratio),
			`≥ ${TARGET}`,
			ratio >= TARGET,
			`best of 2 runs each; whole execution ${fmt.int(engine.wallMs)}/${fmt.int(engine2.wallMs)} ms, bare ${fmt.int(bareMs)}/${fmt.int(bare2Ms)} ms; node ${engineConnections} TCP connections for ${ITEMS} sends`,
		),
	], { items: ITEMS, engine, engine2, bareMs, bare2Ms, engineRate, bareRate, ratio, engineConnections });
} finally {
	await sandbox.close();
}
