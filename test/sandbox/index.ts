/**
 * WeCom sandbox: a local imitation of WeCom's server API (qyapi.weixin.qq.com/cgi-bin/…) on 127.0.0.1 for tests,
 * benchmarks and the demo. It validates requests the way WeCom does, answers with WeCom's error codes, records
 * every call, and plays WeCom's side of callbacks (encrypted, signed POSTs to the trigger).
 */
export { SANDBOX_DEFAULTS } from './defaults';
export { startSandbox } from './server';
export { SandboxClient } from './client';
export type { WeComLimitOptions } from './rateLimiter';
export { APPROVAL_TEMPLATES, EXPENSE_TEMPLATE_ID, LEAVE_TEMPLATE_ID, TRIP_TEMPLATE_ID } from './approvalTemplates';
export type { ContactsAppSettings, ContactDepartment, ContactTag, ContactUser, ContactsState } from './contacts';
export type {
	ApprovalActOptions,
	ApprovalActResult,
	CallbackOptions,
	ClickCardOptions,
	ClickCardResult,
	EncryptedCallback,
	HttpResult,
	RecordedFile,
	RecordedRequest,
	SandboxApp,
	SandboxApproval,
	SandboxCallbackConfig,
	SandboxMessage,
	SandboxOptions,
	SandboxState,
	StoredMedia,
	VerifyUrlResult,
	WeComAnswer,
	WeComSandbox,
} from './types';
