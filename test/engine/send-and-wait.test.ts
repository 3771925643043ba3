/**
 * Send and Wait for Response through n8n-core's real engine: the execution sends a card and waits; the sandbox
 * "user" opens the links the card carried (real HTTP to the harness's waiting-webhook server, which checks the URL
 * signatures as n8n 2.41 does) or posts forms like n8n's form page; native card buttons go through a WeCom Trigger
 * served by the harness's webhook server.
 */
import type { IDataObject } from 'n8n-workflow';
import { SEND_AND_WAIT_OPERATION } from 'n8n-workflow';

import { CredentialStore, startWaitingServer, type WaitingServer } from '../harness';
import type { WorkflowDefinition, WorkflowNode } from '../harness/runWorkflow';
import { startWebhookServer, type WebhookServer } from '../harness/webhookServer';
import { SANDBOX_DEFAULTS, startSandbox, type WeComSandbox } from '../sandbox';
import type { CardView } from '../sandbox/userView';
import { buildCardKey, cardKeySecretOf, signForwardedClick } from '../../nodes/shared/cardAnswerKey';
import { WeCom } from '../../nodes/WeCom/WeCom.node';
import { setRetryPolicy } from '../../nodes/WeCom/transport/retryPolicy';
import { AES_KEY, CORP_ID, TOKEN, TRIGGER } from './triggerKit';

const NODE = 'Ask';

let sandbox: WeComSandbox;
let waiting: WaitingServer;
let credentials: CredentialStore;
let apiId: string;
let robotId: string;
let callbackId: string;

beforeAll(async () => {
	setRetryPolicy({ baseDelayMs: 5, maxDelayMs: 20 });
	sandbox = await startSandbox({ callback: { token: TOKEN, encodingAESKey: AES_KEY, receiveId: CORP_ID } });
	credentials = new CredentialStore();
	apiId = credentials.add('weComApi', {
		corpId: SANDBOX_DEFAULTS.corpId,
		corpSecret: SANDBOX_DEFAULTS.corpSecret,
		agentId: String(SANDBOX_DEFAULTS.agentId),
		baseUrl: sandbox.url,
	});
	robotId = credentials.add('weComWebhookApi', { webhookKey: SANDBOX_DEFAULTS.robotKey, baseUrl: sandbox.url });
	callbackId = credentials.add('weComCallbackApi', { token: TOKEN, encodingAESKey: AES_KEY, receiveId: CORP_ID });
	waiting = await startWaitingServer({ credentials });
});
afterAll(async () => {
	await waiting.close();
	await sandbox.close();
});
beforeEach(() => sandbox.reset());

function askWorkflow(parameters: Record<string, unknown>, resource: 'message' | 'robot' = 'message'): WorkflowDefinition {
	const ask: WorkflowNode = {
		id: 'ask-node-id',
		name: NODE,
		type: 'n8n-nodes-wecom-kit.weCom',
		typeVersion: 1,
		position: [200, 0],
		webhookId: 'ask-webhook',
		parameters: {
			resource,
			operation: SEND_AND_WAIT_OPERATION,
			...(resource === 'message' ? { toUser: 'zhangsan' } : {}),
			subject: 'Expense 4711',
			message: 'Approve 1,280 CNY for the Shanghai trip?',
			...parameters,
		},
		credentials:
			resource === 'message'
				? { weComApi: { id: apiId, name: 'WeCom' }, weComCallbackApi: { id: callbackId, name: 'Callback' } }
				: { weComWebhookApi: { id: robotId, name: 'Robot' } },
	};
	return {
		nodes: [
			{ id: 'input', name: 'Input', type: 'test.input', typeVersion: 1, position: [0, 0], parameters: { items: [{ json: { expense: 4711 } }] } },
			ask,
			{ id: 'after', name: 'After', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [400, 0], parameters: {} },
		],
		connections: {
			Input: { main: [[{ node: NODE, type: 'main', index: 0 }]] },
			[NODE]: { main: [[{ node: 'After', type: 'main', index: 0 }]] },
		},
	};
}

const DOUBLE = { approvalOptions: { values: { approvalType: 'double', approveLabel: '同意 Approve', disapproveLabel: '驳回 Decline' } } };

function onlyCard(): CardView {
	const cards = sandbox.cards();
	expect(cards).toHaveLength(1);
	return cards[0];
}

function link(card: CardView, title: string): string {
	const found = card.links.find((entry) => entry.title === title);
	if (!found) throw new Error(`No link "${title}" on the card (links: ${card.links.map((entry) => entry.title).join(', ')})`);
	return found.url;
}

async function startWaiting(parameters: Record<string, unknown>, resource: 'message' | 'robot' = 'message') {
	const started = await waiting.start(askWorkflow(parameters, resource));
	expect(started.error).toBeUndefined();
	expect(waiting.status(started.executionId)).toBe('waiting');
	expect(started.executedNodes()).toEqual(['Input', NODE]);
	return started;
}

function viewData(body: string): IDataObject {
	const json = /<script type="application\/json" id="view-data">(.*)<\/script>/s.exec(body)?.[1];
	return json ? (JSON.parse(json) as IDataObject) : {};
}

describe('description', () => {
	const { description } = new WeCom();

	it("declares n8n's send-and-wait webhooks and the sendAndWait operation for both resources", () => {
		expect(description.webhooks).toEqual(
			['GET', 'POST'].map((httpMethod) => ({
				name: 'default',
				httpMethod,
				responseMode: 'onReceived',
				responseData: '',
				path: '={{ $nodeId }}',
				restartWebhook: true,
				isFullPath: true,
			})),
		);
		const operations = description.properties.filter((property) => property.name === 'operation');
		const withSendAndWait = operations.filter((property) =>
			(property.options ?? []).some((option) => 'value' in option && option.value === SEND_AND_WAIT_OPERATION),
		);
		expect(withSendAndWait.map((property) => property.displayOptions?.show?.resource)).toEqual([['message'], ['robot']]);
	});

	it("meets n8n 2.41's conditions for the Human review tool (hasSendAndWaitOperation)", () => {
		expect(description.name.endsWith('Tool')).toBe(false);
		expect(description.webhooks?.length).toBeGreaterThan(0);
		// The HitlTool hides these and replaces `message`; our fields must use the same names.
		for (const name of ['message', 'responseType', 'approvalOptions']) {
			const fields = description.properties.filter((property) => property.name === name);
			expect(fields.length).toBeGreaterThan(0);
			for (const field of fields) expect(field.displayOptions?.show?.operation).toEqual([SEND_AND_WAIT_OPERATION]);
		}
	});
});

describe('approval by links (application message)', () => {
	it('sends a card with Approve and Decline links, waits, and resumes approved from the Approve link', async () => {
		const started = await startWaiting(DOUBLE);
		expect(started.run.waitTill?.getTime()).toBe(new Date('3000-01-01T00:00:00.000Z').getTime());
		const card = onlyCard();
		expect(card).toMatchObject({ source: 'app', cardType: 'text_notice', title: 'Expense 4711', text: 'Approve 1,280 CNY for the Shanghai trip?' });
		expect(card.to.touser).toBe('zhangsan');
		expect(card.links.map((entry) => entry.title)).toEqual(['同意 Approve', '驳回 Decline', 'card']);
		for (const entry of card.links) expect(entry.url.startsWith(`${waiting.waitingBaseUrl}/${started.executionId}/ask-node-id?`)).toBe(true);

		// The card body opens the choices, it does not answer.
		const choices = await sandbox.openLink(link(card, 'card'));
		expect(choices.status).toBe(200);
		expect(choices.body).toContain('同意 Approve');
		expect(waiting.status(started.executionId)).toBe('waiting');

		const opened = await sandbox.openLink(link(card, '同意 Approve'));
		expect(opened.status).toBe(200);
		expect(opened.body).toContain('Got it, thanks');
		const done = await waiting.finished(started.executionId);
		expect(done.error).toBeUndefined();
		expect(done.executedNodes()).toEqual(['Input', NODE, 'After']);
		const [item] = done.output('After');
		expect(item.json.data).toMatchObject({ approved: true, answeredVia: 'link' });
		expect(typeof (item.json.data as IDataObject).respondedAt).toBe('string');

		// A late click on either link changes nothing and says so (n8n's "No action required").
		const late = await sandbox.openLink(link(card, '驳回 Decline'));
		expect(late.body).toContain('data-n8n-view="send-and-wait-no-action-required"');
		expect(waiting.latest(started.executionId)?.output('After')[0].json.data).toMatchObject({ approved: true });
	});

	it('resumes declined from the Decline link', async () => {
		const started = await startWaiting(DOUBLE);
		await sandbox.openLink(link(onlyCard(), '驳回 Decline'));
		const done = await waiting.finished(started.executionId);
		expect(done.output('After')[0].json.data).toMatchObject({ approved: false });
	});

	it('refuses links whose signature does not match (401, still waiting)', async () => {
		const started = await startWaiting(DOUBLE);
		const approve = new URL(link(onlyCard(), '同意 Approve'));
		const tampered = new URL(approve);
		tampered.searchParams.set('approved', 'false');
		const forged = await sandbox.openLink(tampered.toString());
		expect(forged.status).toBe(401);
		expect(forged.body).toContain('form-invalid-token');
		const unsigned = new URL(approve);
		unsigned.searchParams.delete('signature');
		expect((await sandbox.openLink(unsigned.toString())).status).toBe(401);
		expect(waiting.status(started.executionId)).toBe('waiting');
		await sandbox.openLink(approve.toString());
		expect((await waiting.finished(started.executionId)).output('After')[0].json.data).toMatchObject({ approved: true });
	});

	it('gives an empty page to link-preview robots without answering', async () => {
		const started = await startWaiting({});
		const card = onlyCard();
		expect(card.links.map((entry) => entry.title)).toEqual(['Approve', 'card']);
		const preview = await sandbox.openLink(link(card, 'Approve'), { userAgent: 'Slackbot-LinkExpanding 1.0' });
		expect(preview.body).toBe('');
		expect(waiting.status(started.executionId)).toBe('waiting');
	});
});

describe('timeouts', () => {
	it('waits until the limit and then outputs the input items; later links say it is too late', async () => {
		const before = Date.now();
		const started = await startWaiting({ options: { limitWaitTime: { values: { limitType: 'afterTimeInterval', resumeAmount: 45, resumeUnit: 'minutes' } } } });
		const waitTill = started.run.waitTill?.getTime() ?? 0;
		expect(waitTill).toBeGreaterThanOrEqual(before + 45 * 60_000);
		expect(waitTill).toBeLessThanOrEqual(Date.now() + 45 * 60_000);
		const timedOut = await waiting.timeOut(started.executionId);
		expect(timedOut.error).toBeUndefined();
		expect(timedOut.output('After').map((item) => item.json)).toEqual([{ expense: 4711 }]);
		expect(waiting.status(started.executionId)).toBe('finished');
		const late = await sandbox.openLink(link(onlyCard(), 'Approve'));
		expect(late.body).toContain('send-and-wait-no-action-required');
	});

	it('waits until a given date', async () => {
		const at = '2031-05-04T03:02:01.000Z';
		const started = await startWaiting({ options: { limitWaitTime: { values: { limitType: 'atSpecifiedTime', maxDateAndTime: at } } } });
		expect(started.run.waitTill?.toISOString()).toBe(at);
	});
});

describe('free text and custom forms', () => {
	it("renders n8n's form page and resumes with the text posted", async () => {
		const started = await startWaiting({ responseType: 'freeText', options: { messageButtonLabel: 'Answer', responseFormTitle: 'Your view' } });
		const card = onlyCard();
		expect(card.links.map((entry) => entry.title)).toEqual(['Answer', 'card']);
		const form = await sandbox.openLink(link(card, 'Answer'));
		expect(form.body).toContain('data-n8n-view="form-trigger"');
		expect(viewData(form.body)).toMatchObject({
			formTitle: 'Your view',
			formDescription: 'Approve 1,280 CNY for the Shanghai trip?',
			buttonLabel: 'Submit',
			formFields: [{ id: 'field-0', label: 'Response', isTextarea: true, inputRequired: 'form-required' }],
		});
		const empty = await sandbox.openLink(link(card, 'Answer'), { form: { 'field-0': '' } });
		expect(empty.body).toContain('Please fill in: Response');
		expect(waiting.status(started.executionId)).toBe('waiting');
		const posted = await sandbox.openLink(link(card, 'Answer'), { form: { 'field-0': '可以，但请附上发票' } });
		expect(posted.status).toBe(200);
		const done = await waiting.finished(started.executionId);
		expect(done.output('After')[0].json.data).toMatchObject({ text: '可以，但请附上发票', answeredVia: 'form' });
	});

	it('resumes with the typed fields of a custom form defined in the node', async () => {
		const started = await startWaiting({
			responseType: 'customForm',
			formFields: {
				values: [
					{ fieldLabel: 'Amount', fieldType: 'number', requiredField: true },
					{ fieldLabel: 'Cost Center', fieldType: 'dropdown', fieldOptions: { values: [{ option: 'R&D' }, { option: 'Sales' }] } },
					{ fieldLabel: 'Notes', fieldType: 'text' },
				],
			},
		});
		const url = link(onlyCard(), 'Respond');
		const form = await sandbox.openLink(url);
		expect(viewData(form.body).formFields).toMatchObject([
			{ id: 'field-0', label: 'Amount', isInput: true, type: 'number' },
			{ id: 'field-1', label: 'Cost Center', isSelect: true, selectOptions: ['R&D', 'Sales'] },
			{ id: 'field-2', label: 'Notes', isInput: true },
		]);
		await sandbox.openLink(url, { form: { 'field-0': '1280', 'field-1': 'Sales', 'field-2': '  trip  ' } });
		const done = await waiting.finished(started.executionId);
		expect(done.output('After')[0].json.data).toMatchObject({ Amount: 1280, 'Cost Center': 'Sales', Notes: 'trip' });
	});

	it('takes the form as JSON and refuses unusable JSON before sending', async () => {
		const started = await startWaiting({
			responseType: 'customForm',
			defineForm: 'json',
			jsonOutput: JSON.stringify([{ fieldLabel: 'Reason', fieldType: 'textarea', requiredField: true }]),
		});
		await sandbox.openLink(link(onlyCard(), 'Respond'), { form: { 'field-0': 'Budget is fine' } });
		expect((await waiting.finished(started.executionId)).output('After')[0].json.data).toMatchObject({ Reason: 'Budget is fine' });

		sandbox.reset();
		const broken = await waiting.start(askWorkflow({ responseType: 'customForm', defineForm: 'json', jsonOutput: '{"not": "a list"}' }));
		expect(broken.error?.message).toMatch(/form fields JSON|custom form has no fields/);
		expect(sandbox.cards()).toHaveLength(0);
	});
});

describe('group robot', () => {
	it('posts a link card into the group and resumes from its link', async () => {
		const started = await startWaiting(DOUBLE, 'robot');
		const card = onlyCard();
		expect(card).toMatchObject({ source: 'robot', cardType: 'text_notice', title: 'Expense 4711' });
		await sandbox.openLink(link(card, '同意 Approve'));
		const done = await waiting.finished(started.executionId);
		expect(done.output('After')[0].json.data).toMatchObject({ approved: true, answeredVia: 'link' });
	});
});

describe('native card buttons through a WeCom Trigger', () => {
	let triggerServer: WebhookServer;
	const path = 'wecom-answers';
	const secret = cardKeySecretOf({ token: TOKEN, encodingAESKey: AES_KEY })!;

	beforeAll(async () => {
		triggerServer = await startWebhookServer({
			credentials,
			workflow: {
				nodes: [
					{
						id: 'trigger',
						name: TRIGGER,
						type: 'n8n-nodes-wecom-kit.weComTrigger',
						typeVersion: 1,
						position: [0, 0],
						parameters: { path, events: ['message.text'] },
						credentials: { weComCallbackApi: { id: callbackId, name: 'Callback' } },
					},
				],
				connections: {},
			},
		});
	});
	afterAll(async () => await triggerServer.close());

	const BUTTONS = { answerWith: 'buttons', ...DOUBLE, cardUpdate: { approvedText: '已同意 Approved' } };

	it('resumes on one tap, with who answered, and updates the card for everyone', async () => {
		const started = await startWaiting(BUTTONS);
		const card = onlyCard();
		expect(card.cardType).toBe('button_interaction');
		expect(card.links).toEqual([]);
		expect(card.buttons.map((button) => button.text)).toEqual(['同意 Approve', '驳回 Decline']);
		const approveKey = card.buttons[0].key;
		expect(approveKey).toMatch(/^wkh1\.a\.[0-9a-f]{32}\./);
		expect(approveKey).not.toContain(AES_KEY);
		expect(Buffer.byteLength(approveKey)).toBeLessThanOrEqual(1024);

		const click = await sandbox.clickCard({ url: triggerServer.url(path), taskId: card.taskId, userId: 'zhangsan', eventKey: approveKey });
		expect(click).toMatchObject({ status: 200, body: '' });
		const done = await waiting.finished(started.executionId);
		expect(done.output('After')[0].json.data).toMatchObject({ approved: true, answeredVia: 'card', userId: 'zhangsan', taskId: card.taskId, cardUpdated: true });
		const [updated] = sandbox.cards();
		expect(updated.buttonsReplacedBy).toBe('已同意 Approved by zhangsan');
		expect(updated.updates).toMatchObject([{ responseCode: click.responseCode, atall: true }]);
		// The trigger's own workflow never started for it (it listens to texts, and card answers are consumed).
		expect(triggerServer.executions).toHaveLength(0);

		// WeCom's retry of the same callback is ignored; a later tap by someone else is told it is too late.
		expect(await sandbox.postCallback(triggerServer.url(path), click.xml)).toMatchObject({ status: 200, body: '' });
		const late = await sandbox.clickCard({ url: triggerServer.url(path), taskId: card.taskId, userId: 'lisi', eventKey: card.buttons[1].key });
		expect(sandbox.decryptReply(late.body).message).toContain('<ReplaceName><![CDATA[No longer waiting]]></ReplaceName>');
		expect(waiting.latest(started.executionId)?.output('After')[0].json.data).toMatchObject({ approved: true, userId: 'zhangsan' });
		expect(triggerServer.errors).toEqual([]);
	});

	it('resumes declined from the Decline button', async () => {
		const started = await startWaiting(BUTTONS);
		const card = onlyCard();
		await sandbox.clickCard({ url: triggerServer.url(path), taskId: card.taskId, userId: 'lisi', eventKey: card.buttons[1].key });
		const done = await waiting.finished(started.executionId);
		expect(done.output('After')[0].json.data).toMatchObject({ approved: false, userId: 'lisi' });
		expect(sandbox.cards()[0].buttonsReplacedBy).toBe('Declined by lisi');
	});

	it('refuses forged keys, keys moved to another card, forged forwards and replays; nothing resumes', async () => {
		const started = await startWaiting(BUTTONS);
		const card = onlyCard();
		const [approve, decline] = card.buttons.map((button) => button.key);
		const resumeUrl = Buffer.from(approve.split('.')[3], 'base64url').toString('utf8');
		const clickXml = (eventKey: string, taskId = card.taskId ?? '', user = 'mallory') =>
			`<xml><ToUserName><![CDATA[${CORP_ID}]]></ToUserName><FromUserName><![CDATA[${user}]]></FromUserName>` +
			`<CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[event]]></MsgType>` +
			`<Event><![CDATA[template_card_event]]></Event><EventKey><![CDATA[${eventKey}]]></EventKey>` +
			`<TaskId><![CDATA[${taskId}]]></TaskId><CardType><![CDATA[button_interaction]]></CardType>` +
			`<ResponseCode><![CDATA[code-${Math.random()}]]></ResponseCode><AgentID>${SANDBOX_DEFAULTS.agentId}</AgentID></xml>`;

		// 1. The decline key with the approve answer (MAC no longer matches).
		await sandbox.postCallback(triggerServer.url(path), clickXml(decline.replace('wkh1.d.', 'wkh1.a.')));
		// 2. A key signed with another callback secret.
		const other = cardKeySecretOf({ token: 'othertoken', encodingAESKey: 'b'.repeat(43) })!;
		await sandbox.postCallback(triggerServer.url(path), clickXml(buildCardKey(other, 'a', card.taskId ?? '', resumeUrl)));
		// 3. The genuine key reported for another card's task_id.
		await sandbox.postCallback(triggerServer.url(path), clickXml(approve, 'another-task'));
		expect(waiting.status(started.executionId)).toBe('waiting');

		// 4. Forwards that did not come from the trigger: no proof, a proof with another secret, an old click.
		const forward = async (click: object): Promise<IDataObject> => {
			const response = await fetch(resumeUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ weComCardClick: click }) });
			return (await response.json()) as IDataObject;
		};
		const base = { key: approve, taskId: card.taskId ?? '', userId: 'mallory', responseCode: 'x', createTime: Math.floor(Date.now() / 1000) };
		expect(await forward({ ...base, proof: '0'.repeat(64) })).toMatchObject({ weComKit: 'refused' });
		expect(await forward(signForwardedClick(other, base))).toMatchObject({ weComKit: 'refused' });
		expect(await forward(signForwardedClick(secret, { ...base, createTime: base.createTime - 3600 }))).toMatchObject({ weComKit: 'refused', reason: 'the click is too old' });
		expect(waiting.status(started.executionId)).toBe('waiting');
		expect(sandbox.cards()[0].updates).toEqual([]);

		// 5. The genuine tap still works; replaying its forward afterwards finds nobody waiting.
		const genuine = signForwardedClick(secret, { ...base, userId: 'zhangsan' });
		expect(await forward(genuine)).toMatchObject({ weComKit: 'answered', approved: true, userId: 'zhangsan' });
		await waiting.finished(started.executionId);
		const replay = await sandbox.openLink(resumeUrl, { method: 'POST' });
		expect(replay.body).toContain('send-and-wait-no-action-required');
	});

	it("refuses a genuine click of one execution's card handed to another waiting execution", async () => {
		const first = await startWaiting(BUTTONS);
		const [firstCard] = sandbox.cards();
		const second = await startWaiting(BUTTONS);
		const secondCard = sandbox.cards()[1];
		const keyOf = (card: CardView) => card.buttons[0].key;
		const resumeOf = (card: CardView) => Buffer.from(keyOf(card).split('.')[3], 'base64url').toString('utf8');
		expect(resumeOf(secondCard)).toContain(`/${second.executionId}/`);

		// Everything about the click is genuine (signed with the right secret), only the target is the other execution.
		const click = signForwardedClick(secret, {
			key: keyOf(firstCard),
			taskId: firstCard.taskId ?? '',
			userId: 'zhangsan',
			responseCode: 'code-1',
			createTime: Math.floor(Date.now() / 1000),
		});
		const response = await fetch(resumeOf(secondCard), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ weComCardClick: click }) });
		expect(await response.json()).toMatchObject({ weComKit: 'refused', reason: 'the button key belongs to another execution' });
		expect(waiting.status(first.executionId)).toBe('waiting');
		expect(waiting.status(second.executionId)).toBe('waiting');
		expect(sandbox.cards().flatMap((card) => card.updates)).toEqual([]);
	});

	it('needs the callback credential to sign buttons', async () => {
		const workflow = askWorkflow(BUTTONS);
		const ask = workflow.nodes[1];
		ask.credentials = { weComApi: { id: apiId, name: 'WeCom' } };
		const run = await waiting.start(workflow);
		expect(run.error?.message).toMatch(/Callback API credential|credentials/i);
		expect(sandbox.cards()).toHaveLength(0);
	});
});
