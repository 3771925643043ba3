import axios, { type AxiosInstance } from 'axios';

import type { WeComLimitOptions } from './rateLimiter';
import type {
	ApprovalActOptions,
	ApprovalActResult,
	CallbackOptions,
	ClickCardOptions,
	ClickCardResult,
	EncryptedCallback,
	HttpResult,
	RecordedRequest,
	SandboxApproval,
	SandboxMessage,
	SandboxState,
	VerifyUrlResult,
} from './types';
import type { SeedSpec, SmartsheetSnapshot } from './smartsheetControl';
import type { BrowserResult, CardView } from './userView';

/** Drives a sandbox in another process through its /__sandbox HTTP controls (same names as WeComSandbox). */
export class SandboxClient {
	private readonly http: AxiosInstance;

	constructor(readonly url: string) {
		this.http = axios.create({ baseURL: `${url.replace(/\/+$/, '')}/__sandbox`, timeout: 15000, validateStatus: () => true });
	}

	private async call<T>(method: 'GET' | 'POST', action: string, data?: unknown, params?: Record<string, string>): Promise<T> {
		const response = await this.http.request<T & { error?: string }>({ method, url: `/${action}`, data, params });
		if (response.status !== 200) throw new Error(`Sandbox control ${action} failed (${response.status}): ${response.data?.error ?? ''}`);
		return response.data;
	}

	state(): Promise<SandboxState> {
		return this.call('GET', 'state');
	}
	async requests(path?: string): Promise<RecordedRequest[]> {
		return (await this.call<{ requests: RecordedRequest[] }>('GET', 'requests', undefined, path ? { path } : undefined)).requests;
	}
	requestsTo(path: string): Promise<RecordedRequest[]> {
		return this.requests(path);
	}
	async gettokenCount(): Promise<number> {
		return (await this.state()).gettokenCount;
	}
	async messages(): Promise<SandboxMessage[]> {
		return (await this.call<{ messages: SandboxMessage[] }>('GET', 'messages')).messages;
	}
	async media(mediaId: string): Promise<{ type: string; filename: string; contentType: string; data: Buffer } | undefined> {
		const response = await this.http.get<{ type: string; filename: string; contentType: string; base64: string }>('/media', { params: { media_id: mediaId } });
		if (response.status === 404) return undefined;
		const { type, filename, contentType, base64 } = response.data;
		return { type, filename, contentType, data: Buffer.from(base64, 'base64') };
	}
	async reset(): Promise<void> {
		await this.call('POST', 'reset');
	}
	async expireTokens(): Promise<void> {
		await this.call('POST', 'expire-tokens');
	}
	async invalidateTokens(): Promise<void> {
		await this.call('POST', 'invalidate-tokens');
	}
	async injectError(path: string, errcode: number, times = 1, errmsg?: string): Promise<void> {
		await this.call('POST', 'inject', { path, errcode, times, errmsg });
	}
	async injectHttpStatus(path: string, status: number, times = 1): Promise<void> {
		await this.call('POST', 'inject-status', { path, status, times });
	}
	async dropConnection(path: string, times = 1): Promise<void> {
		await this.call('POST', 'drop', { path, times });
	}
	async setDelay(path: string, ms: number, jitter = 0): Promise<void> {
		await this.call('POST', 'delay', { path, ms, jitter });
	}
	async setRateLimit(path: string, limit: number, windowMs: number, blockMs = 0): Promise<void> {
		await this.call('POST', 'rate-limit', { path, limit, windowMs, blockMs });
	}
	async enforceWeComLimits(options: WeComLimitOptions | false): Promise<void> {
		await this.call('POST', 'wecom-limits', options === false ? { enabled: false } : options);
	}
	/** In-flight API requests now and at most; `reset` starts counting the maximum afresh. */
	async inFlight(reset = false): Promise<{ inFlight: number; maxInFlight: number }> {
		return await this.call(reset ? 'POST' : 'GET', 'in-flight');
	}
	encryptCallback(xml: string, opts: CallbackOptions = {}): Promise<EncryptedCallback> {
		return this.call('POST', 'encrypt', { xml, ...opts });
	}
	/** url may be omitted when the sandbox was started with callback.url. */
	postCallback(url: string | undefined, xml: string, opts: CallbackOptions = {}): Promise<HttpResult> {
		return this.call('POST', 'callback', { url, xml, ...opts });
	}
	verifyCallbackUrl(url?: string): Promise<VerifyUrlResult> {
		return this.call('POST', 'verify-url', { url });
	}
	decryptReply(body: string): Promise<{ message: string; signatureValid: boolean }> {
		return this.call('POST', 'decrypt-reply', { body });
	}
	clickCard(opts: ClickCardOptions): Promise<ClickCardResult> {
		return this.call('POST', 'click', opts);
	}
	/** A smart sheet document made by a person (not by the app); shared with the given agent IDs. */
	smartsheetSeed(spec: SeedSpec): Promise<SmartsheetSnapshot> {
		return this.call('POST', 'smartsheet/seed', spec);
	}
	smartsheetDoc(docid: string): Promise<SmartsheetSnapshot> {
		return this.call('GET', 'smartsheet/doc', undefined, { docid });
	}
	async smartsheetDocs(): Promise<SmartsheetSnapshot[]> {
		return (await this.call<{ docs: SmartsheetSnapshot[] }>('GET', 'smartsheet/docs')).docs;
	}
	async smartsheetShare(docid: string, agentId: number, shared = true): Promise<void> {
		await this.call('POST', 'smartsheet/share', { docid, agentId, shared });
	}
	/** Sets 文档 → 可调用接口的应用 (null: every app may call the document APIs). */
	async smartsheetDocApiApps(agentIds: number[] | null): Promise<void> {
		await this.call('POST', 'smartsheet/doc-api-apps', { agentIds });
	}
	/** Turns on 接收外部数据 for a sheet: its webhook key and path. */
	smartsheetWebhook(docid: string, sheetId?: string): Promise<{ key: string; path: string }> {
		return this.call('POST', 'smartsheet/webhook', { docid, sheetId });
	}
	async cards(): Promise<CardView[]> {
		return (await this.call<{ cards: CardView[] }>('GET', 'cards')).cards;
	}
	openLink(url: string, options: { method?: 'GET' | 'POST'; form?: Record<string, string>; userAgent?: string } = {}): Promise<BrowserResult> {
		return this.call('POST', 'open-link', { url, ...options });
	}
	async approvals(): Promise<SandboxApproval[]> {
		return (await this.call<{ approvals: SandboxApproval[] }>('GET', 'approvals')).approvals;
	}
	async actOnApprovals(opts: ApprovalActOptions): Promise<ApprovalActResult[]> {
		return (await this.call<{ results: ApprovalActResult[] }>('POST', 'approval-act', opts)).results;
	}
}
