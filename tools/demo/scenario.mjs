// The demo in two calls, shared by `npm run demo` (tools/demo.mjs) and test/e2e/examples.e2e.mjs:
//   const demo = await startDemo();          sandbox + local file server + real n8n with our package,
//                                             demo credentials and the example workflows, trigger published
//   const result = await runDemoScenario(demo); alert, file and approval-card examples against the sandbox
//   await demo.stop();
import { startN8n } from '../n8n/instance.mjs';
import { freePort } from '../n8n/ports.mjs';
import { delay } from '../n8n/wait.mjs';
import { startSandbox } from '../../test/e2e/lib/sandbox.mjs';
import { startFileServer } from './fileServer.mjs';
import { sandboxControl, sandboxDefaults } from '../../test/sandbox/control-client.mjs';
import { DEMO_WORKFLOWS, demoCredentials, demoWorkflows, triggerPath } from './workflows.mjs';

export const DEMO_OWNER = Object.freeze({ email: 'demo@example.com', password: 'WeComKit-demo-1', firstName: 'WeCom', lastName: 'Demo' });
const FINISHED = new Set(['success', 'error', 'crashed', 'canceled']);

export const WECOM_PATHS = Object.freeze({
	send: '/cgi-bin/message/send',
	update: '/cgi-bin/message/update_template_card',
	upload: '/cgi-bin/media/upload',
	robot: '/cgi-bin/webhook/send',
	gettoken: '/cgi-bin/gettoken',
});

/**
 * @param {{ port?: number; sandboxPort?: number; log?: boolean; packageTarball: string;
 *   extraWorkflows?: object[]; say?: (line: string) => void }} opts
 */
export async function startDemo(opts) {
	const say = opts.say ?? (() => {});
	const timings = {};
	const started = Date.now();
	const stoppers = [];
	const stop = async () => {
		for (const s of stoppers.splice(0).reverse()) await s().catch(() => {});
	};
	try {
		// n8n's port first: the trigger's production URL (the sandbox's callback URL) depends on it.
		const port = opts.port ?? (await freePort());
		const fileServer = await startFileServer();
		stoppers.push(() => fileServer.close());
		const workflows = demoWorkflows({ fileUrl: fileServer.fileUrl });
		const callbackUrl = `http://127.0.0.1:${port}/webhook/${triggerPath(workflows.approval)}`;

		let t = Date.now();
		say('starting the WeCom sandbox');
		const sandbox = await startSandbox({ port: opts.sandboxPort, callbackUrl, log: opts.log });
		stoppers.push(() => sandbox.stop());
		timings.sandbox = Date.now() - t;

		t = Date.now();
		say(`starting n8n on port ${port} with the package, 3 credentials and ${Object.keys(workflows).length} example workflows`);
		const n8n = await startN8n({
			port,
			packageTarball: opts.packageTarball,
			credentials: demoCredentials(sandbox.url, sandboxDefaults()),
			workflows: [...Object.values(workflows), ...(opts.extraWorkflows ?? [])],
			activate: [DEMO_WORKFLOWS.approval.id],
			owner: DEMO_OWNER,
			log: opts.log,
		});
		stoppers.push(() => n8n.stop());
		await waitForWebhookRegistered(callbackUrl, n8n);
		timings.n8n = Date.now() - t;
		timings.total = Date.now() - started;
		return { n8n, sandbox, control: sandboxControl(sandbox.url), fileServer, workflows, callbackUrl, owner: DEMO_OWNER, timings, stop };
	} catch (e) {
		await stop();
		throw e;
	}
}

/**
 * n8n answers /healthz/readiness before it has activated published workflows (a few seconds later), so
 * wait until the trigger's production URL is served by the workflow rather than n8n's "not registered" 404.
 * The trigger itself answers an unsigned GET with a 4xx of its own, which is what we wait for.
 */
async function waitForWebhookRegistered(url, n8n, timeoutMs = 60_000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const res = await fetch(url, { signal: AbortSignal.timeout(5000) }).catch(() => undefined);
		const body = res ? await res.text() : '';
		if (res && !(res.status === 404 && body.includes('is not registered'))) return;
		if (Date.now() > deadline) {
			throw new Error(`n8n did not register the WeCom Trigger's production webhook ${url} within ${timeoutMs} ms\n--- n8n output ---\n${n8n.logs().slice(-4000)}`);
		}
		await delay(250);
	}
}

/** Finished executions of a workflow with the given mode, newest last (light: no data). */
async function finishedRuns(n8n, workflowId, mode) {
	return (await n8n.executions({ workflowId, withData: false })).filter((e) => e.mode === mode && FINISHED.has(e.status));
}

function assertOk(condition, message) {
	if (!condition) throw new Error(message);
}

function failedExecution(execution, what) {
	const err = execution.error;
	return new Error(`${what} (execution ${execution.id}) ended with status ${execution.status}${err ? `: ${err.message ?? ''} ${err.description ?? ''}`.trimEnd() : ''}`);
}

/** Runs a manual example through `n8n execute` and returns its execution; throws unless it succeeded. */
async function runExample(n8n, id, what) {
	const execution = await n8n.execute(id);
	if (execution.status !== 'success') throw failedExecution(execution, what);
	return execution;
}

/**
 * The demo scenario: URL verification as WeCom does it, the alert and file examples, then the approval card
 * sent, clicked by the sandbox and updated by the triggered workflow. Throws with a clear reason on any step;
 * returns what happened (for the report and the e2e assertions).
 * @param {Awaited<ReturnType<typeof startDemo>>} demo
 * @param {{ say?: (line: string) => void; clickTimeoutMs?: number }} [opts]
 */
export async function runDemoScenario(demo, opts = {}) {
	const say = opts.say ?? (() => {});
	const { n8n, control } = demo;
	const ids = { alert: DEMO_WORKFLOWS.alert.id, approval: DEMO_WORKFLOWS.approval.id, file: DEMO_WORKFLOWS.file.id };
	const started = Date.now();
	const result = {};

	// 1. WeCom checks a callback URL before saving it: signed GET with an encrypted echostr.
	say(`verifying the callback URL ${demo.callbackUrl} as WeCom does`);
	const verify = await control.verifyUrl();
	assertOk(verify.ok, `The trigger's production URL failed WeCom's URL verification: HTTP ${verify.status}, answered ${JSON.stringify(verify.body.slice(0, 200))} (expected the decrypted echostr)`);
	result.verify = { url: demo.callbackUrl, status: verify.status };

	// 2. Alert and file examples (independent: run side by side, each in its own `n8n execute`).
	say('running the alert and file examples');
	const [alertRun, fileRun] = await Promise.all([runExample(n8n, ids.alert, 'The alert example'), runExample(n8n, ids.file, 'The file example')]);
	const sends = await control.requests(WECOM_PATHS.send);
	const markdown = sends.find((r) => r.json?.msgtype === 'markdown');
	assertOk(markdown?.answer?.errcode === 0, `The sandbox received no successful markdown message (sends: ${sends.map((r) => r.json?.msgtype).join(', ') || 'none'})`);
	const robot = (await control.requests(WECOM_PATHS.robot)).find((r) => r.json?.msgtype === 'markdown');
	assertOk(robot?.answer?.errcode === 0, 'The group robot received no successful markdown message');
	result.alert = {
		executionId: alertRun.id,
		touser: markdown.json.touser,
		content: markdown.json.markdown.content,
		msgid: markdown.answer.msgid,
		robotContent: robot.json.markdown.content,
	};

	const fileSend = sends.find((r) => r.json?.msgtype === 'file');
	assertOk(fileSend?.answer?.errcode === 0, 'The sandbox received no successful file message');
	const mediaId = fileSend.json.file.media_id;
	const media = await control.media(mediaId);
	assertOk(media, `The file message names media ${mediaId}, which was never uploaded`);
	result.file = {
		executionId: fileRun.id,
		toparty: fileSend.json.toparty,
		mediaId,
		filename: media.filename,
		size: media.data.length,
		sameBytes: media.data.equals(demo.fileServer.content),
		msgid: fileSend.answer.msgid,
	};

	// 3. The approval card: send (manual path of the workflow), click (sandbox), update (trigger path).
	say('sending the approval card');
	const sendRun = await runExample(n8n, ids.approval, 'Sending the approval card');
	const sent = sendRun.data?.['Send approval card']?.[0];
	assertOk(sent?.msgid && sent?.task_id, `The card send returned no msgid/task_id: ${JSON.stringify(sent)}`);
	const cardRequest = (await control.requests(WECOM_PATHS.send)).find((r) => r.json?.template_card?.task_id === sent.task_id);
	const approver = cardRequest?.json?.touser;
	const button = cardRequest?.json?.template_card?.button_list?.[0];
	assertOk(approver && button?.key, 'The sandbox did not record the approval card with its buttons');
	result.card = { executionId: sendRun.id, msgid: sent.msgid, taskId: sent.task_id, to: approver, title: cardRequest.json.template_card.main_title?.title };

	const before = (await finishedRuns(n8n, ids.approval, 'webhook')).length;
	say(`${approver} clicks "${button.text}" (the sandbox posts an encrypted template_card_event)`);
	const click = await control.clickCard({ taskId: sent.task_id, userId: approver, eventKey: button.key });
	assertOk(click.status === 200, `The trigger answered the click with HTTP ${click.status}: ${click.body.slice(0, 200)}`);
	result.click = { userId: approver, eventKey: button.key, buttonText: button.text, responseCode: click.responseCode, status: click.status };

	const deadline = Date.now() + (opts.clickTimeoutMs ?? 30_000);
	let runs;
	while ((runs = await finishedRuns(n8n, ids.approval, 'webhook')).length <= before) {
		if (Date.now() > deadline) throw new Error(`The click started no finished execution of "${demo.workflows.approval.name}" within ${opts.clickTimeoutMs ?? 30_000} ms`);
		await delay(250);
	}
	const [clickRun] = await n8n.executions({ ids: [runs[runs.length - 1].id] });
	if (clickRun.status !== 'success') throw failedExecution(clickRun, 'The card-click execution');
	const update = (await control.requests(WECOM_PATHS.update)).find((r) => r.json?.response_code === click.responseCode);
	assertOk(update?.answer?.errcode === 0, `The sandbox recorded no successful card update with the click's ResponseCode (answer: ${JSON.stringify(update?.answer)})`);
	result.update = {
		executionId: clickRun.id,
		event: clickRun.data?.['On card click']?.[0],
		replaceName: update.json.button?.replace_name,
		userids: update.json.userids,
		responseCode: update.json.response_code,
	};
	result.gettokenCount = (await control.state()).gettokenCount;
	result.ms = Date.now() - started;
	return result;
}

/**
 * Interactive mode helper: clicks every new interactive card the sandbox receives (e.g. when the user runs the
 * approval workflow from the editor), alternating the first and second button, so the trigger path runs.
 * @returns {() => void} stop watching
 */
export function autoClickNewCards(demo, { after = 2000, say = () => {}, skipTaskIds = [] } = {}) {
	const seen = new Set(skipTaskIds);
	let count = 0;
	let stopped = false;
	const tick = async () => {
		try {
			for (const m of await demo.control.messages()) {
				const card = m.body?.template_card;
				if (!m.taskId || seen.has(m.taskId) || card?.card_type !== 'button_interaction') continue;
				seen.add(m.taskId);
				const buttons = (card.button_list ?? []).filter((b) => b.key);
				const button = buttons[count++ % Math.max(1, buttons.length)];
				const userId = String(m.body.touser ?? 'zhangsan').split('|')[0];
				if (!button) continue;
				await delay(after);
				const click = await demo.control.clickCard({ taskId: m.taskId, userId, eventKey: button.key });
				say(`sandbox: ${userId} clicked "${button.text}" on card ${m.taskId} → trigger answered HTTP ${click.status}`);
			}
		} catch (e) {
			if (!stopped) say(`sandbox auto-click: ${e.message}`);
		}
		if (!stopped) timer = setTimeout(tick, 1000);
	};
	let timer = setTimeout(tick, 1000);
	return () => {
		stopped = true;
		clearTimeout(timer);
	};
}
