/**
 * Shared helpers for the WeCom Trigger engine tests: a one-trigger workflow served by the harness's webhook server,
 * raw HTTP with keep-alive, and an independent signer (the official @wecom/crypto package) for forged requests.
 */
import { Agent, request } from 'node:http';

import { encrypt as officialEncrypt, getSignature } from '@wecom/crypto';
import type { IDataObject } from 'n8n-workflow';

import { CredentialStore } from '../harness';
import { startWebhookServer, type WebhookServer } from '../harness/webhookServer';
import type { WorkflowDefinition } from '../harness/runWorkflow';
import { SANDBOX_DEFAULTS } from '../sandbox';

export const TOKEN = SANDBOX_DEFAULTS.callbackToken;
export const AES_KEY = SANDBOX_DEFAULTS.encodingAESKey;
export const CORP_ID = SANDBOX_DEFAULTS.corpId;
export const TRIGGER = 'WeCom Trigger';

export const keepAlive = new Agent({ keepAlive: true, maxSockets: 16 });

export interface RawResult {
	status: number;
	body: string;
	headers: Record<string, string | string[] | undefined>;
}

/** One HTTP request; `query` is appended as given, so tests can repeat or drop parameters. */
export async function send(
	method: 'GET' | 'POST',
	url: string,
	query: string,
	body?: string | Buffer,
	contentType = 'text/xml',
): Promise<RawResult> {
	const target = new URL(url);
	return await new Promise<RawResult>((resolve, reject) => {
		const req = request(
			{
				agent: keepAlive,
				method,
				host: target.hostname,
				port: target.port,
				path: `${target.pathname}${query ? `?${query}` : ''}`,
				headers: body === undefined ? {} : { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) },
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (chunk: Buffer) => chunks.push(chunk));
				res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
				res.on('error', reject);
			},
		);
		req.on('error', reject);
		if (body !== undefined) req.write(body);
		req.end();
	});
}

export function queryString(params: Record<string, string>): string {
	return new URLSearchParams(params).toString();
}

/** A callback encrypted and signed by the official package, for any receive ID, token or key. */
export function officialCallback(
	innerXml: string,
	options: { receiveId?: string; token?: string; encodingAESKey?: string; timestamp?: string; nonce?: string } = {},
): { query: Record<string, string>; body: string; encrypted: string } {
	const timestamp = options.timestamp ?? String(Math.floor(Date.now() / 1000));
	const nonce = options.nonce ?? String(Math.floor(Math.random() * 1e9));
	const encrypted = officialEncrypt(options.encodingAESKey ?? AES_KEY, innerXml, options.receiveId ?? CORP_ID);
	const signature = getSignature(options.token ?? TOKEN, timestamp, nonce, encrypted);
	return {
		query: { msg_signature: signature, timestamp, nonce },
		body: `<xml><ToUserName><![CDATA[${CORP_ID}]]></ToUserName><AgentID><![CDATA[${SANDBOX_DEFAULTS.agentId}]]></AgentID><Encrypt><![CDATA[${encrypted}]]></Encrypt></xml>`,
		encrypted,
	};
}

export function sign(timestamp: string, nonce: string, encrypted: string, token: string = TOKEN): string {
	return getSignature(token, timestamp, nonce, encrypted);
}

let pathCounter = 0;

export interface TriggerSetup {
	server: WebhookServer;
	url: string;
	credentials: CredentialStore;
}

/** Serves a workflow with only the WeCom Trigger (given parameters) through the harness's webhook server. */
export async function startTrigger(
	parameters: IDataObject = {},
	credentialData: IDataObject = { token: TOKEN, encodingAESKey: AES_KEY, receiveId: CORP_ID },
): Promise<TriggerSetup> {
	const credentials = new CredentialStore();
	const credentialId = credentials.add('weComCallbackApi', credentialData);
	const path = `wecom-${++pathCounter}-${Date.now()}`;
	const workflow: WorkflowDefinition = {
		nodes: [
			{
				id: 'trigger-node',
				name: TRIGGER,
				type: 'n8n-nodes-wecom-kit.weComTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: { path, ...parameters },
				credentials: { weComCallbackApi: { id: credentialId, name: 'WeCom callback' } },
			},
		],
		connections: {},
	};
	const server = await startWebhookServer({ workflow, credentials });
	return { server, url: server.url(path), credentials };
}

/** Inner callback XML as WeCom writes it: strings in CDATA, numbers bare. */
export function innerXml(fields: Record<string, string | number>, extraXml = ''): string {
	const parts = Object.entries(fields).map(([name, value]) =>
		typeof value === 'number' ? `<${name}>${value}</${name}>` : `<${name}><![CDATA[${value}]]></${name}>`,
	);
	return `<xml>${parts.join('')}${extraXml}</xml>`;
}
