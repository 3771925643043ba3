// Benchmark 2: transport overhead per call. Our transport (weComApiRequest: stored token, staleness check, n8n's
// httpRequestWithAuthentication, errcode check) called from inside a node that n8n-core's engine runs, versus a bare
// node:http POST of the same body to the same sandbox endpoint, sequentially, in the same process and run.
import { performance } from 'node:perf_hooks';

import { connections } from '../lib/connections.mjs';
import { barePoster, getJson } from '../lib/bareHttp.mjs';
import { addApiCredential, expectSuccess, loadKit } from '../lib/engine.mjs';
import { fmt, log, median, percentile, quick, report, row } from '../lib/stats.mjs';
import { requireTs } from '../lib/ts.mjs';

const CALLS = quick ? 600 : 3000;
const WARMUP = quick ? 150 : 500;
const ROUNDS = 3;

const kit = loadKit();
const { weComApiRequest } = requireTs('nodes/WeCom/transport');
const agentId = Number(kit.SANDBOX_DEFAULTS.agentId);
const bodyFor = (n) => ({ touser: 'zhangsan', msgtype: 'text', agentid: agentId, text: { content: `alert #${n}: disk usage 91% on host-${n % 50}` } });

/** A minimal node that calls our transport `calls` times and records each call's duration. */
let samples = [];
class TransportLoop {
	description = {
		displayName: 'Bench transport loop',
		name: 'bench.transportLoop',
		group: ['transform'],
		version: 1,
		description: 'Calls weComApiRequest in a loop (benchmark)',
		defaults: { name: 'Loop' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'weComApi', required: true }],
		properties: [
			{ displayName: 'Calls', name: 'calls', type: 'number', default: 1 },
			{ displayName: 'Mode', name: 'mode', type: 'string', default: 'transport' },
		],
	};

	async execute() {
		const calls = this.getNodeParameter('calls', 0);
		const mode = this.getNodeParameter('mode', 0);
		// 'helper' and 'helperAuth' split the transport's cost: n8n's plain httpRequest helper (token put in the query
		// by hand), n8n's httpRequestWithAuthentication (generic auth adds the token), and our whole transport.
		const credentials = mode === 'helper' ? await this.getCredentials('weComApi', 0) : undefined;
		const url = `${sandbox.url}/cgi-bin/message/send`;
		for (let n = 0; n < calls; n++) {
			const started = performance.now();
			if (mode === 'transport') {
				await weComApiRequest.call(this, { method: 'POST', endpoint: 'message/send', body: bodyFor(n), itemIndex: 0 });
			} else if (mode === 'helper') {
				await this.helpers.httpRequest({ method: 'POST', url, qs: { access_token: credentials.accessToken }, body: bodyFor(n), json: true });
			} else {
				await this.helpers.httpRequestWithAuthentication.call(this, 'weComApi', { method: 'POST', url, body: bodyFor(n), json: true });
			}
			samples.push(performance.now() - started);
		}
		return [[{ json: { calls } }]];
	}
}
kit.nodeTypes.register('bench.transportLoop', new TransportLoop());

const sandbox = await kit.startSandbox({ recordBodies: false });
try {
	const store = new kit.CredentialStore();
	const credentialId = addApiCredential(kit, store, sandbox);
	const loop = async (calls, mode = 'transport') => {
		samples = [];
		const result = await kit.runWorkflow({
			workflow: kit.inputWorkflow(
				{ id: '2', name: 'Loop', type: 'bench.transportLoop', parameters: { calls, mode }, credentials: { weComApi: { id: credentialId, name: 'WeCom (bench)' } } },
				[{ json: {} }],
				{ name: 'bench transport' },
			),
			credentials: store,
			timeoutMs: 10 * 60 * 1000,
		});
		expectSuccess(result, 'Loop');
		return samples;
	};

	const { access_token: token } = await getJson(
		`${sandbox.url}/cgi-bin/gettoken?corpid=${kit.SANDBOX_DEFAULTS.corpId}&corpsecret=${kit.SANDBOX_DEFAULTS.corpSecret}`,
	);
	const path = `/cgi-bin/message/send?access_token=${encodeURIComponent(token)}`;
	const bare = async (keepAlive, calls) => {
		const poster = barePoster(sandbox.url, { keepAlive });
		const times = [];
		for (let n = 0; n < calls; n++) {
			const started = performance.now();
			await poster.post(path, bodyFor(n));
			times.push(performance.now() - started);
		}
		poster.close();
		return times;
	};

	// Warm up every path (JIT, sockets), then interleave measured rounds so load drift hits all alike.
	const paths = {
		ours: (calls) => loop(calls, 'transport'),
		helperAuth: (calls) => loop(calls, 'helperAuth'),
		helper: (calls) => loop(calls, 'helper'),
		keep: (calls) => bare(true, calls),
		fresh: (calls) => bare(false, calls),
	};
	const times = {};
	const conn = {};
	const cpu = {};
	for (const [name, run] of Object.entries(paths)) {
		await run(WARMUP);
		times[name] = [];
		conn[name] = 0;
		cpu[name] = 0;
	}
	for (let round = 0; round < ROUNDS; round++) {
		for (const [name, run] of Object.entries(paths)) {
			const before = connections();
			const cpuBefore = process.cpuUsage();
			times[name].push(...(await run(CALLS / ROUNDS)));
			const used = process.cpuUsage(cpuBefore);
			cpu[name] += used.user + used.system;
			conn[name] += connections() - before;
		}
	}
	const { ours, keep, fresh } = times;
	const mean = (values) => values.reduce((sum, value) => sum + value, 0) / values.length;
	const us = (values) => mean(values) * 1000;
	const summary = (values) => `mean ${fmt.us(us(values))}, p50 ${fmt.us(median(values) * 1000)}, p99 ${fmt.us(percentile(values, 99) * 1000)}`;
	const labels = {
		ours: 'our transport (weComApiRequest) via the engine',
		helperAuth: "n8n's httpRequestWithAuthentication alone",
		helper: "n8n's httpRequest alone (token in qs by hand)",
		keep: 'bare node:http, keep-alive',
		fresh: 'bare node:http, new connection per call',
	};
	const breakdown = Object.keys(paths).map((name) => ({
		path: labels[name],
		meanUs: us(times[name]),
		p50Us: median(times[name]) * 1000,
		p99Us: percentile(times[name], 99) * 1000,
		cpuUsPerCall: cpu[name] / times[name].length,
		connections: conn[name],
		calls: times[name].length,
	}));
	for (const entry of breakdown) {
		log(`${entry.path.padEnd(48)} mean ${fmt.us(entry.meanUs)}, p50 ${fmt.us(entry.p50Us)}, p99 ${fmt.us(entry.p99Us)}, CPU ${fmt.us(entry.cpuUsPerCall)}/call, ${entry.connections} TCP connections / ${entry.calls} calls`);
	}
	report('transport', [
		row(
			'Transport overhead per call (our transport via the engine vs bare node:http keep-alive POST, same body)',
			`${fmt.us(us(ours))}/call (overhead +${fmt.us(us(ours) - us(keep))})`,
			`${fmt.us(us(keep))}/call`,
			fmt.ratio(us(ours) / us(keep)),
			'—',
			null,
			`${ours.length} sequential calls each; p50 ${fmt.us(median(ours) * 1000)} vs ${fmt.us(median(keep) * 1000)}; n8n's helper opened ${conn.ours} TCP connections for ${ours.length} calls (bare keep-alive: ${conn.keep})`,
		),
		row(
			'Transport overhead per call vs bare POST on a new connection each (as n8n’s HTTP helper connects)',
			`${fmt.us(us(ours))}/call`,
			`${fmt.us(us(fresh))}/call`,
			fmt.ratio(us(ours) / us(fresh)),
			'—',
			null,
			`overhead beyond connection setup +${fmt.us(us(ours) - us(fresh))}/call`,
		),
	], { calls: ours.length, breakdown });
} finally {
	await sandbox.close();
}
