// Sends through a real n8n: one workflow per resource (Message text + markdown + template card over
// several items, media uploaded from binary data then sent by media_id, app chat create + send, group
// robot text + markdown) and a continue-on-fail item with a WeCom error, each run with n8n's own CLI
// (`n8n execute --id`, a separate n8n process). Every test checks both sides: the exact bodies the
// WeCom sandbox received, and what n8n stored for the execution. Finally no secret is left in
// n8n's stored data, files or logs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { packageTarball, startN8n, startSandbox } from './lib/n8n.mjs';
import { sandboxControl, sandboxDefaults } from '../sandbox/control-client.mjs';
import { describeLeaks, findLeaks, runArtifacts } from './lib/redaction.mjs';
import {
	base64ToFile,
	codeItems,
	linearWorkflow,
	manualTrigger,
	weComApiCredential,
	weComCallbackCredential,
	weComNode,
	weComRobotCredential,
	workflow,
	workflowId,
} from './lib/workflows.mjs';

const D = sandboxDefaults();
const SEND = '/cgi-bin/message/send';
const UPLOAD = '/cgi-bin/media/upload';
const ROBOT = '/cgi-bin/webhook/send';
// Tiny files with the magic bytes WeCom (and our node) check for each media type.
const JPG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0e2e-jpeg-body')]);
const PDF = Buffer.from('%PDF-1.4 an e2e report');
// Found in the stored executions if the redaction scan reads the right data (it must not be vacuous);
// ASCII, because files are scanned byte for byte.
const CANARY = 'e2e-canary-7f3a9c41';

const IDS = {
	message: workflowId('sendsMessage'),
	media: workflowId('sendsMedia'),
	appChat: workflowId('sendsAppChat'),
	robot: workflowId('sendsRobot'),
	continueOnFail: workflowId('sendsContinue'),
};

let sandbox;
let sb;
let n8n;
const cliOutputs = [];

/** Runs a workflow with `n8n execute` and returns the stored execution and the sandbox requests it made. */
async function execute(id) {
	const before = (await sb.state()).requestCount;
	const execution = await n8n.execute(id);
	cliOutputs.push({ where: `n8n execute --id=${id} output`, text: execution.cliOutput });
	assert.ok(execution.cliOk, `n8n execute --id=${id} failed (exit ${execution.exitCode}):\n${execution.cliLog.slice(-3000)}`);
	assert.equal(execution.status, 'success', JSON.stringify(execution.error));
	assert.equal(execution.mode, 'cli');
	const requests = (await sb.requests()).slice(before);
	const to = (path) => requests.filter((r) => r.path === path);
	return { execution, requests, to, bodies: (path) => to(path).map((r) => r.json) };
}

before(async () => {
	sandbox = await startSandbox();
	sb = sandboxControl(sandbox.url);
	const app = weComApiCredential('sendsWeComApp001', 'WeCom app (sandbox)', {
		corpId: D.corpId,
		corpSecret: D.corpSecret,
		agentId: String(D.agentId),
		baseUrl: sandbox.url,
	});
	// The whole webhook address, as users paste it; the credential keeps only the key.
	const robot = weComRobotCredential('sendsWeComRobot1', 'WeCom robot (sandbox)', {
		webhookKey: `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${D.robotKey}`,
		baseUrl: sandbox.url,
	});
	// Unused by these workflows: stored so the scan shows its AES key never leaves the credential store.
	const callback = weComCallbackCredential('sendsWeComCallbk', 'WeCom callback (sandbox)', {
		token: D.callbackToken,
		encodingAESKey: D.encodingAESKey,
		receiveId: D.corpId,
	});

	const people = [
		{ user: 'zhangsan', n: 1, text: `${CANARY} 你好 zhangsan` },
		{ user: 'lisi', n: 2, text: 'Build #2 passed' },
		{ user: 'wangwu|zhaoliu', n: 3, text: 'Build #3 <a href="https://example.com/b/3">failed</a>' },
	];
	const item = (field) => `={{ $('Items').item.json.${field} }}`;
	const message = linearWorkflow({
		id: IDS.message,
		name: 'E2E sends: message text, markdown, template card',
		nodes: [
			manualTrigger(),
			codeItems('Items', people),
			weComNode('Text', { resource: 'message', operation: 'send', toUser: item('user'), msgtype: 'text', textContent: item('text') }, { credential: app.ref }),
			weComNode(
				'Markdown',
				{ resource: 'message', operation: 'send', toUser: item('user'), msgtype: 'markdown', markdownContent: `={{ '**Build** #' + $('Items').item.json.n + ' <font color="info">done</font>' }}` },
				{ credential: app.ref },
			),
			weComNode(
				'Card',
				{
					resource: 'message',
					operation: 'send',
					toUser: item('user'),
					msgtype: 'template_card',
					cardType: 'button_interaction',
					cardMainTitle: `={{ 'Leave request 请假申请 #' + $('Items').item.json.n }}`,
					cardButtons: {
						items: [
							{ text: '同意 Approve', style: 1, key: 'approve' },
							{ text: '驳回 Reject', style: 3, key: 'reject' },
						],
					},
				},
				{ credential: app.ref },
			),
		],
	});

	const media = workflow({
		id: IDS.media,
		name: 'E2E sends: media from binary, sent by media_id',
		nodes: [
			manualTrigger(),
			codeItems('Photo', [{ b64: JPG.toString('base64') }]),
			base64ToFile('Photo to file', { sourceProperty: 'b64', fileName: 'photo.jpg', mimeType: 'image/jpeg' }),
			weComNode('Upload image', { resource: 'media', operation: 'upload', mediaType: 'image', binaryPropertyName: 'data' }, { credential: app.ref }),
			weComNode('Send image', { resource: 'message', operation: 'send', toUser: 'zhangsan', msgtype: 'image', mediaSource: 'mediaId', mediaId: '={{ $json.media_id }}' }, { credential: app.ref }),
			codeItems('Report', [{ b64: PDF.toString('base64') }]),
			base64ToFile('Report to file', { sourceProperty: 'b64', fileName: '周报.pdf', mimeType: 'application/pdf' }),
			weComNode('Upload file', { resource: 'media', operation: 'upload', mediaType: 'file', binaryPropertyName: 'data' }, { credential: app.ref }),
			weComNode('Send file', { resource: 'message', operation: 'send', toUser: 'lisi', msgtype: 'file', mediaSource: 'mediaId', mediaId: '={{ $json.media_id }}' }, { credential: app.ref }),
		],
		edges: [
			['Start', 'Photo'],
			['Photo', 'Photo to file'],
			['Photo to file', 'Upload image'],
			['Upload image', 'Send image'],
			['Start', 'Report'],
			['Report', 'Report to file'],
			['Report to file', 'Upload file'],
			['Upload file', 'Send file'],
		],
	});

	const appChat = linearWorkflow({
		id: IDS.appChat,
		name: 'E2E sends: app chat create and send',
		nodes: [
			manualTrigger(),
			weComNode('Create chat', { resource: 'appChat', operation: 'create', name: '故障处理群', userList: 'zhangsan|lisi|wangwu', owner: 'zhangsan', chatId: 'e2eops01' }, { credential: app.ref }),
			weComNode('Send to chat', { resource: 'appChat', operation: 'send', chatId: '={{ $json.chatid }}', msgtype: 'text', textContent: '请处理 incident 42', mentionedList: 'lisi' }, { credential: app.ref }),
			weComNode('Markdown to chat', { resource: 'appChat', operation: 'send', chatId: "={{ $('Create chat').item.json.chatid }}", msgtype: 'markdown', markdownContent: '**恢复** <font color="info">OK</font>' }, { credential: app.ref }),
		],
	});

	const robotWorkflow = linearWorkflow({
		id: IDS.robot,
		name: 'E2E sends: group robot text and markdown',
		nodes: [
			manualTrigger(),
			codeItems('Alerts', [{ host: 'db-1', cpu: 95 }, { host: 'web-2', cpu: 91 }]),
			weComNode(
				'Robot text',
				{ resource: 'robot', operation: 'send', messageType: 'text', textContent: '={{ "服务器告警 " + $json.host + ": CPU " + $json.cpu + "%" }}', mentionedList: 'zhangsan|@all', mentionedMobileList: '13800001111' },
				{ credential: robot.ref },
			),
			weComNode(
				'Robot markdown',
				{ resource: 'robot', operation: 'send', messageType: 'markdown', markdownContent: `={{ '**告警** <font color="warning">' + $('Alerts').item.json.host + '</font>' }}` },
				{ credential: robot.ref },
			),
		],
	});

	const continueOnFail = linearWorkflow({
		id: IDS.continueOnFail,
		name: 'E2E sends: continue on fail with a WeCom error',
		nodes: [
			manualTrigger(),
			codeItems('Items', [{ user: 'zhangsan', text: 'first' }, { user: 'lisi', text: 'second' }, { user: 'wangwu', text: 'third' }]),
			weComNode('Send', { resource: 'message', operation: 'send', toUser: '={{ $json.user }}', msgtype: 'text', textContent: '={{ $json.text }}' }, { credential: app.ref, continueOnFail: true }),
		],
	});

	n8n = await startN8n({
		packageTarball: await packageTarball(),
		credentials: [app.record, robot.record, callback.record],
		workflows: [message, media, appChat, robotWorkflow, continueOnFail],
		env: { N8N_LOG_LEVEL: 'debug' }, // the most n8n would ever write about a request
		log: Boolean(process.env.E2E_N8N_LOG),
	});
});

after(async () => {
	await n8n?.stop();
	await sandbox?.stop();
});

test('Message: text, markdown and a button template card for each of three items', async () => {
	const { execution, bodies } = await execute(IDS.message);
	const agentid = D.agentId;
	const users = ['zhangsan', 'lisi', 'wangwu|zhaoliu'];
	const texts = [`${CANARY} 你好 zhangsan`, 'Build #2 passed', 'Build #3 <a href="https://example.com/b/3">failed</a>'];

	const sent = bodies(SEND);
	assert.equal(sent.length, 9, 'three text, three markdown, three card sends');
	assert.deepEqual(
		sent.filter((b) => b.msgtype === 'text'),
		users.map((touser, i) => ({ touser, msgtype: 'text', agentid, text: { content: texts[i] } })),
	);
	assert.deepEqual(
		sent.filter((b) => b.msgtype === 'markdown'),
		users.map((touser, i) => ({ touser, msgtype: 'markdown', agentid, markdown: { content: `**Build** #${i + 1} <font color="info">done</font>` } })),
	);

	const cards = execution.data.Card;
	assert.equal(cards.length, 3);
	const taskIds = cards.map((c) => c.task_id);
	for (const id of taskIds) assert.match(id, /^[0-9A-Za-z_\-@]{1,128}$/);
	assert.equal(new Set(taskIds).size, 3, 'every card of the batch has its own task_id');
	assert.deepEqual(
		sent.filter((b) => b.msgtype === 'template_card'),
		users.map((touser, i) => ({
			touser,
			msgtype: 'template_card',
			agentid,
			template_card: {
				card_type: 'button_interaction',
				main_title: { title: `Leave request 请假申请 #${i + 1}` },
				button_list: [
					{ type: 0, text: '同意 Approve', style: 1, key: 'approve' },
					{ type: 0, text: '驳回 Reject', style: 3, key: 'reject' },
				],
				task_id: taskIds[i],
			},
		})),
	);

	// What n8n stored: every node's items carry WeCom's msgid; the cards also their response_code.
	const messages = await sb.messages();
	const byMsgid = new Map(messages.map((m) => [m.msgid, m]));
	for (const node of ['Text', 'Markdown', 'Card']) {
		const items = execution.data[node];
		assert.equal(items.length, 3, `${node} output`);
		for (const [i, out] of items.entries()) {
			assert.equal(typeof out.msgid, 'string');
			const delivered = byMsgid.get(out.msgid);
			assert.ok(delivered, `${node} item ${i}: msgid ${out.msgid} is not one the sandbox issued`);
			assert.equal(delivered.body.touser, users[i], `${node} item ${i} is paired with input item ${i}`);
		}
	}
	for (const [i, card] of cards.entries()) {
		assert.equal(card.msgtype, 'template_card');
		assert.equal(card.response_code, byMsgid.get(card.msgid).responseCode, `card ${i} response_code`);
		assert.equal(byMsgid.get(card.msgid).taskId, taskIds[i]);
	}
});

test('Media: an image and a file from binary data are uploaded, then sent by the returned media_id', async () => {
	const { execution, to, bodies } = await execute(IDS.media);
	const uploads = to(UPLOAD);
	assert.deepEqual(
		uploads.map((u) => u.query.type).sort(),
		['file', 'image'],
	);
	for (const [node, sendNode, type, bytes, filename, touser] of [
		['Upload image', 'Send image', 'image', JPG, 'photo.jpg', 'zhangsan'],
		['Upload file', 'Send file', 'file', PDF, '周报.pdf', 'lisi'],
	]) {
		const [uploaded] = execution.data[node];
		assert.equal(execution.data[node].length, 1);
		assert.equal(uploaded.type, type);
		assert.equal(uploaded.filename, filename);
		assert.equal(uploaded.size, bytes.length);
		assert.equal(typeof uploaded.media_id, 'string');
		const stored = await sb.media(uploaded.media_id);
		assert.ok(stored, `${node}: media_id ${uploaded.media_id} unknown to the sandbox`);
		assert.ok(stored.data.equals(bytes), `${node}: the sandbox received other bytes than the binary data`);
		assert.equal(stored.filename, filename);

		const body = bodies(SEND).find((b) => b.msgtype === type);
		assert.deepEqual(body, { touser, msgtype: type, agentid: D.agentId, [type]: { media_id: uploaded.media_id } });
		const [sent] = execution.data[sendNode];
		assert.equal(sent.msgtype, type);
		assert.equal(typeof sent.msgid, 'string');
	}
	// each upload happened before the send using its media_id
	for (const type of ['image', 'file']) {
		const upload = uploads.find((u) => u.query.type === type);
		const send = to(SEND).find((s) => s.json.msgtype === type);
		assert.ok(upload.seq < send.seq, `${type} uploaded before it was sent`);
	}
});

test('App chat: create a chat, then send text and markdown into it', async () => {
	const { execution, bodies } = await execute(IDS.appChat);
	assert.deepEqual(bodies('/cgi-bin/appchat/create'), [{ name: '故障处理群', owner: 'zhangsan', userlist: ['zhangsan', 'lisi', 'wangwu'], chatid: 'e2eops01' }]);
	assert.deepEqual(execution.data['Create chat'], [{ chatid: 'e2eops01', name: '故障处理群', owner: 'zhangsan', userlist: ['zhangsan', 'lisi', 'wangwu'] }]);
	assert.deepEqual(bodies('/cgi-bin/appchat/send'), [
		{ chatid: 'e2eops01', msgtype: 'text', text: { content: '请处理 incident 42', mentioned_list: ['lisi'] } },
		{ chatid: 'e2eops01', msgtype: 'markdown', markdown: { content: '**恢复** <font color="info">OK</font>' } },
	]);
	assert.deepEqual(execution.data['Send to chat'], [{ chatid: 'e2eops01', msgtype: 'text', sent: true }]);
	assert.deepEqual(execution.data['Markdown to chat'], [{ chatid: 'e2eops01', msgtype: 'markdown', sent: true }]);
});

test('Group robot: text with mentions and markdown, per item, with the key taken from the pasted URL', async () => {
	const { execution, to, bodies } = await execute(IDS.robot);
	assert.deepEqual(bodies(ROBOT), [
		{ msgtype: 'text', text: { content: '服务器告警 db-1: CPU 95%', mentioned_list: ['zhangsan', '@all'], mentioned_mobile_list: ['13800001111'] } },
		{ msgtype: 'text', text: { content: '服务器告警 web-2: CPU 91%', mentioned_list: ['zhangsan', '@all'], mentioned_mobile_list: ['13800001111'] } },
		{ msgtype: 'markdown', markdown: { content: '**告警** <font color="warning">db-1</font>' } },
		{ msgtype: 'markdown', markdown: { content: '**告警** <font color="warning">web-2</font>' } },
	]);
	for (const request of to(ROBOT)) assert.deepEqual(request.query, { key: D.robotKey });
	assert.equal(execution.data['Robot text'].length, 2);
	assert.equal(execution.data['Robot markdown'].length, 2);
	for (const out of [...execution.data['Robot text'], ...execution.data['Robot markdown']]) assert.equal(out.errcode, 0);
	assert.deepEqual(execution.data['Robot text'].map((o) => o.msgtype), ['text', 'text']);
	assert.deepEqual(execution.data['Robot markdown'].map((o) => o.msgtype), ['markdown', 'markdown']);
});

test('Continue on fail: the item WeCom refuses becomes an error item, the others are sent', async () => {
	// WeCom refuses the next message/send once: 60011, the app may not message that user. No retry fixes it.
	await sb.injectError(SEND, 60011, 1);
	const { execution, to } = await execute(IDS.continueOnFail);
	const sends = to(SEND);
	assert.equal(sends.length, 3, 'no retry of a refusal a retry cannot fix');
	assert.equal(sends[0].answer.errcode, 60011);
	const out = execution.data.Send;
	assert.equal(out.length, 3, 'no item vanished');
	assert.equal(out[0].errcode, 60011);
	assert.match(String(out[0].error), /60011/);
	assert.equal(out[0].msgid, undefined);
	for (const ok of out.slice(1)) assert.equal(typeof ok.msgid, 'string');
	const delivered = (await sb.messages()).map((m) => m.body.text?.content);
	assert.ok(delivered.includes('second') && delivered.includes('third') && !delivered.includes('first'));
	// paired with the right input items, so a later node can tell which one failed
	const run = execution.runData.Send.at(-1).data.main[0];
	assert.deepEqual(run.map((item) => item.pairedItem), [{ item: 0 }, { item: 1 }, { item: 2 }]);
});

test('no access token, app secret, robot key or AES key in stored executions, n8n files or logs', async () => {
	const tokens = await sb.issuedTokens();
	assert.ok(tokens.length >= 1, 'the sandbox issued a token');
	const secrets = [
		...tokens.map((value, i) => ({ name: `access token #${i + 1}`, value })),
		{ name: 'app secret', value: D.corpSecret },
		{ name: 'robot key', value: D.robotKey },
		{ name: 'EncodingAESKey', value: D.encodingAESKey },
		{ name: 'callback token', value: D.callbackToken },
	];
	const { sources, executions } = await runArtifacts(n8n, cliOutputs);
	assert.equal(executions.length, Object.keys(IDS).length);
	// The scan reads real data: the canary text sent in the first workflow is found in the execution,
	// in the database files and in the CLI output, where the secrets must not be.
	const canarySeen = findLeaks([{ name: 'canary', value: CANARY }], sources).map((l) => l.where);
	assert.ok(canarySeen.some((w) => w.startsWith('execution ')), 'canary in the parsed executions');
	assert.ok(canarySeen.some((w) => w.includes('database.sqlite')), 'canary in the database files');
	const leaks = findLeaks(secrets, sources);
	assert.equal(leaks.length, 0, `secrets found:\n${describeLeaks(leaks)}`);
});
