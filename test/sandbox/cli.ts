/**
 * Runs the WeCom sandbox as a process: `npm run sandbox -- --port 8700 [--quiet] [--callback-url URL]
 * [--delay MS [--jitter MS]] [--wecom-limits [--time-scale N]]` (or PORT in the environment).
 * --delay/--jitter: every API answer waits MS ± jitter (uniform), like a WeCom tens of milliseconds away;
 * --wecom-limits: WeCom's documented frequency limits (45009, per corp and API; per-member drops), --time-scale N
 * runs their clock N times faster. Prints the sandbox credentials, which only open this local imitation.
 */
import { SANDBOX_DEFAULTS } from './defaults';
import { startSandbox } from './server';

function argument(name: string): string | undefined {
	const index = process.argv.indexOf(name);
	if (index >= 0) return process.argv[index + 1];
	const inline = process.argv.find((entry) => entry.startsWith(`${name}=`));
	return inline?.slice(name.length + 1);
}

async function main(): Promise<void> {
	const port = Number(argument('--port') ?? process.env.PORT ?? 8700);
	if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Invalid port "${String(argument('--port') ?? process.env.PORT)}".`);
	const quiet = process.argv.includes('--quiet');
	const callbackUrl = argument('--callback-url') ?? process.env.WECOM_CALLBACK_URL;
	const sandbox = await startSandbox({
		port,
		log: !quiet,
		callback: callbackUrl
			? { token: SANDBOX_DEFAULTS.callbackToken, encodingAESKey: SANDBOX_DEFAULTS.encodingAESKey, receiveId: SANDBOX_DEFAULTS.corpId, url: callbackUrl }
			: undefined,
	});
	const delay = Number(argument('--delay') ?? 0);
	const jitter = Number(argument('--jitter') ?? 0);
	if (!Number.isFinite(delay) || delay < 0 || !Number.isFinite(jitter) || jitter < 0) throw new Error('--delay and --jitter take milliseconds (>= 0).');
	if (delay > 0) sandbox.setDelay('*', delay, jitter);
	const timeScale = Number(argument('--time-scale') ?? 1);
	if (process.argv.includes('--wecom-limits')) sandbox.enforceWeComLimits({ timeScale });
	const lines = [
		'WeCom sandbox (local imitation of qyapi.weixin.qq.com) is listening',
		`  Base URL          ${sandbox.url}`,
		`  Corp ID           ${SANDBOX_DEFAULTS.corpId}`,
		`  Corp secret       ${SANDBOX_DEFAULTS.corpSecret}`,
		`  Agent ID          ${SANDBOX_DEFAULTS.agentId}`,
		`  Robot key         ${SANDBOX_DEFAULTS.robotKey}`,
		`  Robot webhook     ${sandbox.url}/cgi-bin/webhook/send?key=${SANDBOX_DEFAULTS.robotKey}`,
		`  Callback token    ${SANDBOX_DEFAULTS.callbackToken}`,
		`  EncodingAESKey    ${SANDBOX_DEFAULTS.encodingAESKey}`,
		...(callbackUrl ? [`  Callback URL      ${callbackUrl}`] : []),
		...(delay > 0 ? [`  Delay             ${delay} ms ± ${jitter} ms per API request`] : []),
		...(process.argv.includes('--wecom-limits') ? [`  Limits            WeCom's frequency limits${timeScale !== 1 ? `, clock ×${timeScale}` : ''}`] : []),
		`  Controls          ${sandbox.url}/__sandbox/state`,
		'Press Ctrl+C to stop.',
	];
	console.log(lines.join('\n'));

	let stopping = false;
	const stop = (signal: string) => {
		if (stopping) return;
		stopping = true;
		console.log(`\n${signal} received, stopping the sandbox.`);
		sandbox.close().then(
			() => process.exit(0),
			() => process.exit(1),
		);
	};
	process.on('SIGINT', () => stop('SIGINT'));
	process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
	console.error(`Sandbox failed to start: ${error instanceof Error ? error.message : String(error)}`);
	process.exit(1);
});
