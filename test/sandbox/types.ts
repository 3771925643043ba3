import type { WeComLimitOptions } from './rateLimiter';
import type { BrowserResult, CardView } from './userView';
import type { AibotSandbox } from './aibot';

/** Public types of the WeCom sandbox (see index.ts). */
import type { ContactsAppSettings, ContactsState } from './contacts';
import type { SmartsheetStore } from './smartsheet';

export interface SandboxApp {
	corpId: string;
	corpSecret: string;
	agentId: number;
	/** 'contacts' for the 通讯录同步 secret (contact writes, no messages); default 'app'. */
	kind?: 'app' | 'contacts';
}

export interface SandboxCallbackConfig {
	token: string;
	encodingAESKey: string;
	/** Receive ID placed after the message in the plaintext: the corp ID for self-built apps. */
	receiveId: string;
	/** Where the trigger listens; used by clickCard/postCallback when no URL is given to the HTTP controls. */
	url?: string;
}

export interface SandboxOptions {
	/** 0 = random free port (default). */
	port?: number;
	tokenLifetimeSeconds?: number;
	/** Millisecond clock used for tokens, codes, recall windows and rate limits; default Date.now. */
	now?: () => number;
	/** Extra apps, added to the default app of SANDBOX_DEFAULTS. */
	apps?: SandboxApp[];
	/** Extra robot keys, added to SANDBOX_DEFAULTS.robotKey. */
	robotKeys?: string[];
	callback?: SandboxCallbackConfig;
	/** Print one line per request to stdout. */
	log?: boolean;
	/** Keep request bodies and answers in `requests` (default true; benchmarks turn it off to save memory). */
	recordBodies?: boolean;
}

/** Shape of every WeCom JSON answer. */
export interface WeComAnswer {
	errcode?: number;
	errmsg?: string;
	[key: string]: unknown;
}

export interface RecordedFile {
	field: string;
	filename: string;
	contentType: string;
	size: number;
	sha256: string;
}

export interface RecordedRequest {
	seq: number;
	method: string;
	/** e.g. '/cgi-bin/message/send' */
	path: string;
	query: Record<string, string>;
	/** Parsed JSON body (undefined for GET, multipart, or when recordBodies is off). */
	json?: unknown;
	/** Same as `json`. */
	body?: unknown;
	files?: RecordedFile[];
	/** JSON answer, or a short description for binary/non-JSON answers; undefined when the socket was dropped. */
	response: unknown;
	/** Same as `response` when it is a JSON object. */
	answer?: WeComAnswer;
	/** HTTP status; 0 when the connection was dropped. */
	status: number;
	/** Sandbox clock (ms) when the request arrived. */
	at: number;
	/** `seq` of the newest request that had arrived when this one was answered (0 until then): what came after its answer. */
	answeredAtSeq?: number;
}

export interface SandboxMessage {
	msgid: string;
	body: unknown;
	responseCode?: string;
	taskId?: string;
	/** 'app' = message/send, 'appchat' = appchat/send. */
	kind: 'app' | 'appchat';
	agentId: number;
	corpId: string;
	at: number;
	recalled: boolean;
	/** Members WeCom dropped this message for (per-member frequency, when the sandbox enforces WeCom's limits). */
	droppedFor?: string[];
}

export interface StoredMedia {
	type: string;
	filename: string;
	contentType: string;
	data: Buffer;
}

export interface CallbackOptions {
	timestamp?: string;
	nonce?: string;
	/** How long to wait for the answer (default WeCom's 5 s); longer for tests on a loaded machine, where timing is a benchmark's job. */
	timeoutMs?: number;
}

export interface EncryptedCallback {
	query: { msg_signature: string; timestamp: string; nonce: string };
	body: string;
}

export interface HttpResult {
	status: number;
	body: string;
	headers: Record<string, string | string[] | undefined>;
}

export interface VerifyUrlResult {
	status: number;
	body: string;
	expected: string;
	ok: boolean;
}

export interface ClickCardOptions {
	url: string;
	taskId?: string;
	msgid?: string;
	userId: string;
	eventKey: string;
	selectedItems?: Array<{ questionKey: string; optionIds: string[] }>;
	/** See CallbackOptions.timeoutMs. */
	timeoutMs?: number;
}

export interface ClickCardResult {
	status: number;
	body: string;
	responseCode: string;
	xml: string;
}

export type ApprovalActionName = 'approve' | 'reject' | 'revoke' | 'comment';

export interface ApprovalActOptions {
	/** One approval number, or several acted on in the same second (a batch approval in WeCom's client). */
	spNo?: string;
	spNos?: string[];
	/** The approver (approve/reject), the applicant (revoke), or anyone (comment). */
	userId: string;
	action: ApprovalActionName;
	/** Approval comment (审批意见) or comment text. */
	speech?: string;
	/** Where to post the sys_approval_change callbacks; default the sandbox's callback URL. false = post nothing. */
	url?: string | false;
}

export interface ApprovalActResult {
	spNo: string;
	/** The application's status afterwards (1 审批中, 2 已通过, 3 已驳回, 4 已撤销, 6 通过后撤销). */
	spStatus: number;
	statuChangeEvent: number;
	xml: string;
	callback?: { status: number; body: string };
}

export interface SandboxApproval {
	spNo: string;
	templateId: string;
	creator: string;
	status: number;
	applyTime: number;
	/** The getapprovaldetail `info` of the instance. */
	detail: Record<string, unknown>;
}

export interface SandboxState {
	url: string;
	gettokenCount: number;
	requestCount: number;
	inFlight: number;
	maxInFlight: number;
	messages: SandboxMessage[];
}

export interface WeComSandbox {
	/** 'http://127.0.0.1:PORT': the credential's API base URL. */
	url: string;
	port: number;
	/** The intelligent robot (long connection on ws://127.0.0.1:PORT, callback mode, response_url): aibot.ts. */
	aibot: AibotSandbox;
	/** Every request except /__sandbox control calls. */
	requests: RecordedRequest[];
	requestsTo(path: string): RecordedRequest[];
	gettokenCount(): number;
	/** The stateful contact directory (users, departments, tags, per-app contacts settings). */
	contacts(): ContactsState;
	/** Changes how an app secret behaves toward the contacts API (visible range, new app, new IP, untrusted IP). */
	configureContactsApp(secret: string, settings: Partial<ContactsAppSettings>): void;
	/** From now on, post an encrypted change_contact callback to `url` after each directory change (undefined: stop). */
	sendContactCallbacks(url: string | undefined): void;
	/** Waits for the change_contact callbacks posted so far; returns how many there were. */
	contactCallbacksSent(): Promise<number>;
	reset(): void;
	expireTokens(): void;
	invalidateTokens(): void;
	injectError(path: string, errcode: number, times?: number, errmsg?: string): void;
	injectHttpStatus(path: string, status: number, times?: number): void;
	dropConnection(path: string, times?: number): void;
	/**
	 * Delays the answers of one path ('*': every API path) by `ms`, plus or minus up to `jitterMs` (uniform), as a
	 * distant WeCom would. 0 turns it off.
	 */
	setDelay(path: string, ms: number, jitterMs?: number): void;
	/** Sliding-window limit for one path (45009 beyond); with `blockMs`, crossing it blocks the path for that long. */
	setRateLimit(path: string, limit: number, windowMs: number, blockMs?: number): void;
	/** Forgets every rate rule, count and block (back to the robots' default limit) and keeps tokens and data. */
	clearRateLimits(): void;
	/** WeCom's documented frequency limits for every API with a token (rateLimiter.ts), or `false` to stop. */
	enforceWeComLimits(options: WeComLimitOptions | false): void;
	/** API requests being handled right now (control calls excluded). */
	inFlight(): number;
	/** The most API requests handled at the same time since the start, reset() or resetMaxInFlight(). */
	maxInFlight(): number;
	resetMaxInFlight(): void;
	messages(): SandboxMessage[];
	media(mediaId: string): StoredMedia | undefined;
	encryptCallback(innerXml: string, opts?: CallbackOptions): EncryptedCallback;
	verifyCallbackUrl(url: string): Promise<VerifyUrlResult>;
	postCallback(url: string, innerXml: string, opts?: CallbackOptions): Promise<HttpResult>;
	decryptReply(body: string): { message: string; signatureValid: boolean };
	clickCard(opts: ClickCardOptions): Promise<ClickCardResult>;
	/** The template cards users were sent (app messages and group robots), with links, buttons and updates. */
	cards(): CardView[];
	/** The user's browser: GET a link a card carried, or POST a form like n8n's form page (multipart). */
	openLink(url: string, options?: { method?: 'GET' | 'POST'; form?: Record<string, string>; userAgent?: string }): Promise<BrowserResult>;
	/** Approval instances submitted through oa/applyevent, oldest first. */
	approvals(): SandboxApproval[];
	/**
	 * Approves, rejects, revokes or comments approvals as a user would in WeCom, then posts one encrypted
	 * sys_approval_change callback per approval, all with the same CreateTime (concurrently, as WeCom does for a batch).
	 */
	actOnApprovals(opts: ApprovalActOptions): Promise<ApprovalActResult[]>;
	/** Documents and smart sheets (智能表格): seed, inspect, share, webhook keys (see smartsheetControl.ts). */
	smartsheet: SmartsheetStore;
	/** The default app's corp ID. */
	corpId: string;
	close(): Promise<void>;
}
