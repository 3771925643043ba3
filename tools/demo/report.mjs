// The friendly text `npm run demo` prints once the scenario has run.
import { DEMO_WORKFLOWS } from './workflows.mjs';

const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;

/** @param {Awaited<ReturnType<typeof import('./scenario.mjs').startDemo>>} demo */
export function formatReport(demo, result, { interactive, startupMs }) {
	const { n8n, sandbox, owner, workflows } = demo;
	const link = (key) => `${n8n.url}/workflow/${DEMO_WORKFLOWS[key].id}`;
	const lines = [
		'',
		`WeCom kit demo: everything ran against the local WeCom sandbox (ready in ${secs(startupMs)}, scenario ${secs(result.ms)})`,
		'',
		`  n8n        ${n8n.url}`,
		`  Log in     ${owner.email} / ${owner.password}`,
		`  Sandbox    ${sandbox.url}   (imitates qyapi.weixin.qq.com on this machine; no WeCom account needed)`,
		'',
		'What happened',
		`  ✔ WeCom-style URL verification of the trigger's production URL ${result.verify.url} passed`,
		`  ✔ Alert: markdown application message to ${result.alert.touser} (msgid ${result.alert.msgid}) and a group-robot markdown post`,
		`  ✔ File: ${result.file.filename} (${result.file.size} bytes) downloaded, uploaded as ${result.file.mediaId} and sent to department ${result.file.toparty} (msgid ${result.file.msgid})`,
		`  ✔ Approval card "${result.card.title}" sent to ${result.card.to} (msgid ${result.card.msgid}, task_id ${result.card.taskId})`,
		`  ✔ ${result.click.userId} clicked "${result.click.buttonText}": the sandbox posted an encrypted template_card_event to the WeCom Trigger`,
		`  ✔ The trigger's execution ${result.update.executionId} updated the card: the buttons now read "${result.update.replaceName}"`,
		`  (${result.gettokenCount} gettoken call(s) for all of it: the token is cached in the credential)`,
		'',
		'Open in n8n',
		`  ${workflows.approval.name}`,
		`      ${link('approval')}`,
		`  ${workflows.alert.name}`,
		`      ${link('alert')}`,
		`  ${workflows.file.name}`,
		`      ${link('file')}`,
		`  Executions: ${n8n.url}/home/executions  (the runs above: ${[result.alert.executionId, result.file.executionId, result.card.executionId, result.update.executionId].join(', ')})`,
		`  Credentials "WeCom API (sandbox)", "WeCom Callback (sandbox)", "WeCom Group Robot (sandbox)" point at the sandbox.`,
	];
	if (interactive) {
		lines.push(
			'',
			'Try it yourself',
			'  Open the approval workflow and click "Execute workflow": the sandbox clicks each new card 2 s after it',
			'  arrives (approve, then reject, alternately) and a new execution of the trigger path appears.',
			`  What the sandbox received: ${sandbox.url}/__sandbox/messages`,
			'',
			'Press Ctrl-C to stop n8n and the sandbox.',
		);
	}
	return lines.join('\n');
}
