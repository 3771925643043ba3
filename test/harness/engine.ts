/**
 * One-time DI setup so n8n-core's real execution engine runs inside jest.
 *
 * n8n-core resolves its collaborators from `@n8n/di`'s Container at call time. In the n8n CLI these are built
 * from env config, a database and the `~/.n8n` folder; here we register small, side-effect-free instances so that
 * nothing touches the disk, the network (other than the nodes' own requests) or a database.
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Logger } from '@n8n/backend-common';
import { OutboundHttp } from '@n8n/backend-network';
import { Container } from '@n8n/di';
import {
	BinaryDataConfig,
	BinaryDataService,
	ErrorReporter,
	ExecutionContextHookRegistry,
	ExecutionContextService,
	InstanceSettings,
} from 'n8n-core';
import { LoggerProxy } from 'n8n-workflow';

type LogFn = (message: string, meta?: unknown) => void;

/** Errors n8n-core reported through ErrorReporter (the CLI sends these to Sentry); handy when debugging a test. */
export const reportedErrors: unknown[] = [];

const debug = process.env.HARNESS_DEBUG === '1';

function makeLogger(): Logger {
	const log =
		(level: string): LogFn =>
		(message, meta) => {
			// eslint-disable-next-line no-console
			if (debug) console.log(`[n8n ${level}] ${message}`, meta ?? '');
		};
	const logger = {
		error: log('error'),
		warn: log('warn'),
		info: log('info'),
		debug: log('debug'),
		scoped: () => logger,
	};
	return logger as unknown as Logger;
}

let done = false;

/** Registers everything n8n-core asks the Container for. Safe to call many times (a no-op after the first). */
export function setupEngine(): void {
	if (done) return;
	done = true;

	const logger = makeLogger();
	Container.set(Logger, logger);
	LoggerProxy.init(logger);

	const errorReporter = {
		error: (error: unknown) => {
			reportedErrors.push(error);
			// eslint-disable-next-line no-console
			if (debug) console.log('[n8n ErrorReporter]', error);
		},
		warn: () => undefined,
		info: () => undefined,
	};
	Container.set(ErrorReporter, errorReporter as unknown as ErrorReporter);

	// The real InstanceSettings reads/creates ~/.n8n/config (encryption key). Nodes only see instanceId, the HMAC
	// secret for signed resume URLs and the n8n folder (file helpers), so a plain object is enough.
	const n8nFolder = join(tmpdir(), 'n8n-harness');
	mkdirSync(n8nFolder, { recursive: true });
	const instanceSettings = {
		instanceId: 'harness-instance',
		hostId: 'main-harness',
		instanceType: 'main',
		instanceRole: 'leader',
		isLeader: true,
		isFollower: false,
		isWorker: false,
		isMultiMain: false,
		isSingleMain: true,
		n8nFolder,
		staticCacheDir: join(n8nFolder, 'cache'),
		customExtensionDir: join(n8nFolder, 'custom'),
		encryptionKey: 'harness-encryption-key',
		hmacSignatureSecret: 'harness-hmac-secret',
	};
	Container.set(InstanceSettings, instanceSettings as unknown as InstanceSettings);

	// Binary data in "default" mode: BinaryDataService has no manager for it, so `store()` keeps the bytes inline as
	// base64 in IBinaryData.data (no `id`), exactly like n8n with N8N_DEFAULT_BINARY_DATA_MODE=default. No init() needed.
	const binaryDataConfig = { mode: 'default', availableModes: ['default'], localStoragePath: n8nFolder, signingSecret: 'harness' };
	Container.set(BinaryDataConfig, binaryDataConfig as unknown as BinaryDataConfig);
	Container.set(
		BinaryDataService,
		new BinaryDataService(binaryDataConfig as unknown as BinaryDataConfig, errorReporter as unknown as ErrorReporter, logger),
	);

	// n8n-core's httpRequest / httpRequestWithAuthentication go through OutboundHttp.requests().request(). With SSRF
	// protection disabled (n8n's default) the protection service is never consulted, so it can be left out.
	Container.set(
		OutboundHttp,
		new OutboundHttp(undefined as never, { enabled: false } as never, logger as never),
	);

	// establishExecutionContext() runs at the start of every execution; with no hooks registered and no encrypted
	// runtime credentials the cipher is never used.
	const cipher = {
		encryptV2: async () => {
			throw new Error('The test harness has no cipher');
		},
		decryptV2: async () => {
			throw new Error('The test harness has no cipher');
		},
	};
	const hookRegistry = new ExecutionContextHookRegistry(undefined as never, logger);
	Container.set(ExecutionContextHookRegistry, hookRegistry);
	Container.set(ExecutionContextService, new ExecutionContextService(logger, hookRegistry, cipher as never));
}
