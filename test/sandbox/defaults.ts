/**
 * Fixed sandbox credentials: safe to print and share, they only open this local imitation of WeCom.
 * The values live in fixed-credentials.json so the plain-JavaScript tools (demo, e2e, bench) read the same ones.
 * The EncodingAESKey is 43 base64 characters that decode (with a trailing '=') to exactly 32 bytes, as WeCom requires.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SandboxDefaults {
	readonly corpId: string;
	readonly corpSecret: string;
	/** The contacts sync secret (通讯录同步) of the same corp. */
	readonly contactsSecret: string;
	readonly agentId: number;
	readonly robotKey: string;
	readonly callbackToken: string;
	readonly encodingAESKey: string;
	readonly tokenLifetimeSeconds: number;
}

export const SANDBOX_DEFAULTS: SandboxDefaults = Object.freeze(JSON.parse(readFileSync(join(__dirname, 'fixed-credentials.json'), 'utf8')) as SandboxDefaults);
