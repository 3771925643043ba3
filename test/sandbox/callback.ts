import { createHash, randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

import { decrypt, encrypt } from '@wecom/crypto';

import type { CallbackOptions, EncryptedCallback, HttpResult, SandboxCallbackConfig } from './types';

/**
 * WeCom's side of callbacks (path 90930/90968): encrypts with @wecom/crypto and signs with our own SHA-1,
 * deliberately independent from nodes/shared/crypto.ts so the trigger is checked against a second implementation.
 */
export function sign(token: string, timestamp: string, nonce: string, encrypted: string): string {
	return createHash('sha1').update([token, timestamp, nonce, encrypted].sort().join('')).digest('hex');
}

export function cdata(value: string): string {
	return `<![CDATA[${value.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}

export function randomNonce(): string {
	return String(1_000_000_000 + (randomBytes(4).readUInt32BE(0) % 9_000_000_000));
}

export function encryptCallback(
	config: SandboxCallbackConfig,
	agentId: number,
	innerXml: string,
	nowMs: number,
	opts: CallbackOptions = {},
): EncryptedCallback {
	const timestamp = opts.timestamp ?? String(Math.floor(nowMs / 1000));
	const nonce = opts.nonce ?? randomNonce();
	const encrypted = encrypt(config.encodingAESKey, innerXml, config.receiveId);
	const body =
		`<xml><ToUserName>${cdata(config.receiveId)}</ToUserName>` +
		`<AgentID>${cdata(String(agentId))}</AgentID>` +
		`<Encrypt>${cdata(encrypted)}</Encrypt></xml>`;
	return { query: { msg_signature: sign(config.token, timestamp, nonce, encrypted), timestamp, nonce }, body };
}

function xmlField(xml: string, tag: string): string | undefined {
	const match = new RegExp(`<${tag}>\\s*(?:<!\\[CDATA\\[([\\s\\S]*?)\\]\\]>|([^<]*))\\s*</${tag}>`).exec(xml);
	return match ? (match[1] ?? match[2]) : undefined;
}

/** Decrypts a passive reply (<xml><Encrypt/><MsgSignature/><TimeStamp/><Nonce/></xml>) and checks its signature. */
export function decryptReply(config: SandboxCallbackConfig, body: string): { message: string; signatureValid: boolean } {
	const encrypted = xmlField(body, 'Encrypt');
	if (!encrypted) throw new Error('The reply has no <Encrypt> element; it is not an encrypted passive reply.');
	const signature = xmlField(body, 'MsgSignature') ?? '';
	const timestamp = xmlField(body, 'TimeStamp') ?? '';
	const nonce = xmlField(body, 'Nonce') ?? '';
	const { message, id } = decrypt(config.encodingAESKey, encrypted);
	if (id !== config.receiveId) throw new Error(`The reply was encrypted for receive ID "${id}", expected "${config.receiveId}".`);
	return { message, signatureValid: sign(config.token, timestamp, nonce, encrypted) === signature };
}

/** Plain HTTP(S) call to the trigger, with WeCom's 5-second answer window. */
export function httpCall(method: 'GET' | 'POST', url: string, body?: string, timeoutMs = 5000, contentType = 'text/xml; charset=utf-8'): Promise<HttpResult> {
	return new Promise((resolve, reject) => {
		const target = new URL(url);
		const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
		const request = send(
			target,
			{
				method,
				headers: body !== undefined ? { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) } : {},
				timeout: timeoutMs,
			},
			(response) => {
				const chunks: Buffer[] = [];
				response.on('data', (chunk: Buffer) => chunks.push(chunk));
				response.on('end', () =>
					resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: { ...response.headers } }),
				);
				response.on('error', reject);
			},
		);
		request.on('timeout', () => request.destroy(new Error(`No answer from ${target.origin}${target.pathname} within ${timeoutMs} ms (WeCom gives up after 5 s).`)));
		request.on('error', reject);
		request.end(body);
	});
}

export function withQuery(url: string, query: Record<string, string>): string {
	const target = new URL(url);
	for (const [key, value] of Object.entries(query)) target.searchParams.set(key, value);
	return target.toString();
}
