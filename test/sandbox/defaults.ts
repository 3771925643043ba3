/** Fixed sandbox credentials: safe to print and share, they only open this local imitation of WeCom. */
export const SANDBOX_DEFAULTS = {
	corpId: 'wwsandbox00000001',
	corpSecret: 'sandbox-secret-4Qm8Zr2Xv7Tn1Lp9Kd3Hs6Wb0Yc5Ja',
	agentId: 1000002,
	robotKey: '5f2c9a1e-7b3d-4e6f-8a0b-1c2d3e4f5a6b',
	callbackToken: 'sandboxToken2024',
	// 43 base64 characters that decode (with a trailing '=') to exactly 32 bytes, as WeCom requires.
	encodingAESKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
	tokenLifetimeSeconds: 7200,
} as const;

export type SandboxDefaults = typeof SANDBOX_DEFAULTS;
