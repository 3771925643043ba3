/**
 * The approval loop end to end through n8n's real engine and webhook path:
 * WeCom → Message → Send (a button_interaction card) → the sandbox simulates a click and posts the encrypted
 * template_card_event to the WeCom Trigger → the triggered workflow (WeCom Trigger → WeCom Update Template Card with
 * response_code = {{$json.ResponseCode}}) updates the card → the sandbox records that update with the click's code.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { CredentialStore, inputWorkflow, runWorkflow } from '../harness';
import { startWebhookServer, type WebhookServer } from '../harness/webhookServer';
import { SANDBOX_DEFAULTS, startSandbox, type WeComSandbox } from '../sandbox';
import { setRetryPolicy } from '../../nodes/WeCom/transport/retryPolicy';
import { AES_KEY, CORP_ID, TOKEN, TRIGGER } from './triggerKit';

/** The card the chain sends; the e2e chain in real n8n sends the same one. */
const APPROVAL_CARD = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'approval-card.json'), 'utf8')) as Record<string, unknown>;

const UPDATE = '/cgi-bin/message/update_template_card';
const TASK_ID = 'chain-approval-1';

describe('template card chain: send → click → trigger → update', () => {
	let sandbox: WeComSandbox;
	let server: WebhookServer | undefined;
	const credentials = new CredentialStore();
	let apiCredentialId: string;
	let callbackCredentialId: string;

	beforeAll(async () => {
		setRetryPolicy({ baseDelayMs: 5, maxDelayMs: 20 });
		sandbox = await startSandbox({ callback: { token: TOKEN, encodingAESKey: AES_KEY, receiveId: CORP_ID } });
		apiCredentialId = credentials.add('weComApi', {
			corpId: SANDBOX_DEFAULTS.corpId,
			corpSecret: SANDBOX_DEFAULTS.corpSecret,
			agentId: String(SANDBOX_DEFAULTS.agentId),
			baseUrl: sandbox.url,
		});
		callbackCredentialId = credentials.add('weComCallbackApi', { token: TOKEN, encodingAESKey: AES_KEY, receiveId: CORP_ID });
	});
	afterAll(async () => {
		await server?.close();
		await sandbox.close();
	});

	it('updates the clicked card with the ResponseCode of the click', async () => {
		// 1. Send the card with the action node.
		const sent = await runWorkflow({
			workflow: inputWorkflow({
				id: 'send',
				name: 'Send Card',
				type: 'n8n-nodes-wecom-kit.weCom',
				parameters: { ...APPROVAL_CARD, cardTaskId: TASK_ID },
				credentials: { weComApi: { id: apiCredentialId, name: 'WeCom' } },
			}),
			credentials,
		});
		expect(sent.error).toBeUndefined();
		const sendOutput = sent.output('Send Card')[0].json;
		expect(sendOutput).toMatchObject({ msgtype: 'template_card', task_id: TASK_ID });
		expect(typeof sendOutput.msgid).toBe('string');

		// 2. The triggered workflow: WeCom Trigger → Update Template Card by the click's ResponseCode.
		const path = `wecom-chain-${Date.now()}`;
		server = await startWebhookServer({
			credentials,
			workflow: {
				nodes: [
					{
						id: 'trigger',
						name: TRIGGER,
						type: 'n8n-nodes-wecom-kit.weComTrigger',
						typeVersion: 1,
						position: [0, 0],
						parameters: { path, events: ['event.template_card_event'], options: { taskIds: TASK_ID } },
						credentials: { weComCallbackApi: { id: callbackCredentialId, name: 'WeCom callback' } },
					},
					{
						id: 'update',
						name: 'Update Card',
						type: 'n8n-nodes-wecom-kit.weCom',
						typeVersion: 1,
						position: [200, 0],
						parameters: {
							resource: 'message',
							operation: 'updateTemplateCard',
							responseCode: '={{ $json.ResponseCode }}',
							updateMode: 'replaceButton',
							replaceName: '={{ $json.EventKey === "approve" ? "已同意 Approved" : "已驳回 Rejected" }}',
							updateFor: 'specific',
							updateUserIds: '={{ $json.FromUserName }}',
						},
						credentials: { weComApi: { id: apiCredentialId, name: 'WeCom' } },
					},
				],
				connections: { [TRIGGER]: { main: [[{ node: 'Update Card', type: 'main', index: 0 }]] } },
			},
		});

		// 3. The user clicks "approve"; the sandbox posts the encrypted template_card_event to the trigger.
		const click = await sandbox.clickCard({ url: server.url(path), taskId: TASK_ID, userId: 'zhangsan', eventKey: 'approve' });
		expect(click.status).toBe(200);
		expect(click.body).toBe('');
		expect(click.responseCode).not.toBe('');
		expect(click.responseCode).not.toBe(sendOutput.response_code);

		// 4. The workflow ran both nodes and the sandbox recorded the update with the click's code.
		const [run] = await server.waitForExecutions(1);
		expect(run.error).toBeUndefined();
		expect(run.executedNodes()).toEqual([TRIGGER, 'Update Card']);
		const event = run.output(TRIGGER)[0].json;
		expect(event).toMatchObject({
			MsgType: 'event',
			Event: 'template_card_event',
			EventKey: 'approve',
			TaskId: TASK_ID,
			CardType: 'button_interaction',
			ResponseCode: click.responseCode,
			FromUserName: 'zhangsan',
			SelectedItems: [],
		});
		const updates = sandbox.requestsTo(UPDATE);
		expect(updates).toHaveLength(1);
		expect(updates[0].json).toMatchObject({
			userids: ['zhangsan'],
			agentid: Number(SANDBOX_DEFAULTS.agentId),
			response_code: click.responseCode,
			button: { replace_name: '已同意 Approved' },
		});
		expect(updates[0].answer).toMatchObject({ errcode: 0 });
		expect(server.errors).toEqual([]);

		// 5. WeCom's retry of the same click starts nothing; the next click (a new code) is the only other execution.
		const retry = await sandbox.postCallback(server.url(path), click.xml);
		expect(retry).toMatchObject({ status: 200, body: '' });
		const second = await sandbox.clickCard({ url: server.url(path), taskId: TASK_ID, userId: 'lisi', eventKey: 'reject' });
		expect(second.status).toBe(200);
		await server.waitForExecutions(2);
		expect(server.executions).toHaveLength(2);
		const allUpdates = sandbox.requestsTo(UPDATE);
		expect(allUpdates).toHaveLength(2);
		expect(allUpdates[1].json).toMatchObject({ userids: ['lisi'], response_code: second.responseCode, button: { replace_name: '已驳回 Rejected' } });
		expect(allUpdates[1].answer).toMatchObject({ errcode: 0 });
	});
});
