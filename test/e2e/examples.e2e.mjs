// The example workflows (examples/*.json) in a real n8n: every file imports unchanged through n8n's CLI and
// uses only node types and versions n8n knows; then the demo scenario (the same code as `npm run demo`)
// runs the alert, file and approval-card examples against the WeCom sandbox, and we check what WeCom got.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { packageTarball } from './lib/package.mjs';
import { runDemoScenario, startDemo, WECOM_PATHS } from '../../tools/demo/scenario.mjs';
import { DEMO_WORKFLOWS, loadExamples } from '../../tools/demo/workflows.mjs';

const examples = loadExamples();
// Imported as the files are; only an ID is added (n8n's CLI would generate one) so the test can find them.
const rawImports = examples.map(({ file, workflow }, i) => ({ file, workflow: { ...structuredClone(workflow), id: `exampleRawWf${String(i).padStart(4, '0')}` } }));

let demo;
let result;

before(async () => {
	demo = await startDemo({ packageTarball: await packageTarball(), extraWorkflows: rawImports.map((r) => r.workflow), log: Boolean(process.env.E2E_N8N_LOG) });
});

after(async () => {
	await demo?.stop();
});

test('the examples folder holds at least the three documented workflows', () => {
	const files = examples.map((e) => e.file);
	for (const f of Object.values(DEMO_WORKFLOWS).map((w) => w.file)) assert.ok(files.includes(f), `examples/${f} is missing`);
});

test('each example is an n8n export with sticky notes and credentials left for the user to select', () => {
	for (const { file, workflow } of examples) {
		assert.equal(typeof workflow.name, 'string', file);
		assert.ok(Array.isArray(workflow.nodes) && workflow.nodes.length > 0, file);
		assert.equal(typeof workflow.connections, 'object', file);
		assert.ok(workflow.nodes.some((n) => n.type === 'n8n-nodes-base.stickyNote' && n.parameters.content.length > 100), `${file} has no explaining sticky note`);
		const names = new Set(workflow.nodes.map((n) => n.name));
		// main and AI connections (ai_languageModel, ai_memory …) alike
		for (const [from, outputs] of Object.entries(workflow.connections)) {
			assert.ok(names.has(from), `${file}: connection from unknown node ${from}`);
			for (const target of Object.values(outputs).flat(2)) assert.ok(names.has(target.node), `${file}: connection to unknown node ${target.node}`);
		}
		for (const node of workflow.nodes) {
			for (const [type, ref] of Object.entries(node.credentials ?? {})) {
				assert.match(ref.id, /^REPLACE_WITH_/, `${file}: ${node.name}'s ${type} must be a placeholder`);
				assert.ok(ref.name, `${file}: ${node.name}'s ${type} needs a name`);
			}
		}
	}
});

test('n8n imported every example file unchanged, and knows each node type and version in them', async () => {
	const types = await (await demo.n8n.rest('/types/nodes.json')).json();
	const known = new Set(types.flatMap((t) => (Array.isArray(t.version) ? t.version : [t.version]).map((v) => `${t.name}@${v}`)));
	for (const { file, workflow } of rawImports) {
		const res = await demo.n8n.rest(`/rest/workflows/${workflow.id}`);
		assert.equal(res.status, 200, `${file} was not imported`);
		const stored = (await res.json()).data;
		assert.equal(stored.name, workflow.name);
		assert.deepEqual(stored.nodes.map((n) => n.name).sort(), workflow.nodes.map((n) => n.name).sort(), file);
		for (const node of workflow.nodes) assert.ok(known.has(`${node.type}@${node.typeVersion}`), `${file}: n8n does not know ${node.type} version ${node.typeVersion}`);
	}
});

test('the demo scenario runs: URL verified, alert and file sent, card sent, clicked and updated', async () => {
	result = await runDemoScenario(demo);
	assert.equal(result.verify.status, 200);
});

test('alert example: a colored markdown application message and a group-robot post reached the sandbox', async () => {
	assert.ok(result, 'scenario did not run');
	const [send] = (await demo.control.requests(WECOM_PATHS.send)).filter((r) => r.json?.msgtype === 'markdown');
	assert.equal(send.json.touser, 'zhangsan|lisi');
	assert.match(send.json.markdown.content, /<font color="warning">CRITICAL<\/font> payments-api/);
	assert.match(send.json.markdown.content, /Host: <font color="comment">pay-03<\/font>/);
	assert.equal(send.answer.errcode, 0);
	const [robot] = await demo.control.requests(WECOM_PATHS.robot);
	assert.match(robot.json.markdown.content, /<font color="warning">CRITICAL<\/font> payments-api/);
	assert.equal(robot.answer.errcode, 0);
});

test('file example: the downloaded file was uploaded byte for byte and sent to department 2', async () => {
	assert.ok(result, 'scenario did not run');
	assert.equal(demo.fileServer.downloads(), 1);
	const [upload] = await demo.control.requests(WECOM_PATHS.upload);
	assert.equal(upload.query.type, 'file');
	assert.equal(upload.answer.media_id, result.file.mediaId);
	assert.equal(result.file.filename, 'weekly-report.csv');
	assert.ok(result.file.sameBytes, 'the sandbox stored different bytes than the file server served');
	const [send] = (await demo.control.requests(WECOM_PATHS.send)).filter((r) => r.json?.msgtype === 'file');
	assert.deepEqual({ toparty: send.json.toparty, file: send.json.file }, { toparty: '2', file: { media_id: result.file.mediaId } });
});

test('approval example: the click reached the trigger and the card was updated with its ResponseCode', async () => {
	assert.ok(result, 'scenario did not run');
	const [card] = (await demo.control.requests(WECOM_PATHS.send)).filter((r) => r.json?.msgtype === 'template_card');
	assert.equal(card.json.touser, 'zhangsan');
	assert.equal(card.json.template_card.card_type, 'button_interaction');
	assert.deepEqual(card.json.template_card.button_list.map((b) => b.key), ['approve', 'reject']);
	assert.equal(card.json.template_card.task_id, result.card.taskId);

	assert.equal(result.click.status, 200);
	assert.match(result.update.event.ResponseCode, /./);
	assert.deepEqual(
		{ Event: result.update.event.Event, EventKey: result.update.event.EventKey, TaskId: result.update.event.TaskId, FromUserName: result.update.event.FromUserName, ResponseCode: result.update.event.ResponseCode },
		{ Event: 'template_card_event', EventKey: 'approve', TaskId: result.card.taskId, FromUserName: 'zhangsan', ResponseCode: result.click.responseCode },
	);
	const updates = await demo.control.requests(WECOM_PATHS.update);
	assert.equal(updates.length, 1);
	assert.equal(updates[0].json.response_code, result.click.responseCode);
	assert.deepEqual(updates[0].json.button, { replace_name: 'Approved by zhangsan' });
	assert.deepEqual(updates[0].json.userids, ['zhangsan']);
	assert.equal(updates[0].answer.errcode, 0);

	const [execution] = await demo.n8n.executions({ ids: [result.update.executionId] });
	assert.equal(execution.mode, 'webhook');
	assert.equal(execution.status, 'success');
	assert.equal(execution.data['Update card'][0].errcode, 0);
});
