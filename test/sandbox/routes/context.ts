import { fail } from '../errors';
import type { MultipartPart } from '../multipart';
import type { RateLimiter } from '../rateLimiter';
import type { SandboxStore } from '../state';
import type { SandboxApp, WeComAnswer } from '../types';

/** What a route handler sees of one request. */
export interface RouteContext {
	store: SandboxStore;
	limiter: RateLimiter;
	method: string;
	path: string;
	query: Record<string, string>;
	/** Parsed JSON body; undefined when absent; 'invalid' when it did not parse as a JSON object. */
	json: Record<string, unknown> | undefined | 'invalid';
	parts?: MultipartPart[];
	baseUrl: string;
	/** Whether message bodies are kept (off in benchmarks). */
	recordBodies: boolean;
	/** The app behind access_token (set by the server for every route that needs a token). */
	app?: SandboxApp;
	range?: string;
	/** Sandbox clock when the request arrived. */
	at: number;
}

export type RouteResult =
	| { kind: 'json'; answer: WeComAnswer }
	| { kind: 'binary'; status: number; headers: Record<string, string>; data: Buffer };

export interface Route {
	/** false for gettoken and webhook/* (key instead of token). */
	needsToken: boolean;
	handle(ctx: RouteContext): RouteResult;
}

export function ok(extra: Record<string, unknown> = {}): RouteResult {
	return { kind: 'json', answer: { errcode: 0, errmsg: 'ok', ...extra } };
}

/** The JSON body, or 47001 (WeCom adds "Warning: wrong json format." to errmsg). */
export function jsonBody(ctx: RouteContext): Record<string, unknown> {
	if (ctx.json === undefined || ctx.json === 'invalid') fail(47001, 'Warning: wrong json format.');
	return ctx.json;
}

export function appOf(ctx: RouteContext): SandboxApp {
	if (!ctx.app) throw new Error('route needs a token but none was resolved');
	return ctx.app;
}

/**
 * agentid must be the token's app: 40056 when missing or unknown, 301002 when it names another app of the corp
 * ("not allow operate another agent with this accesstoken").
 */
export function checkAgentId(ctx: RouteContext, value: unknown): number {
	const app = appOf(ctx);
	const agentId = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
	if (agentId === undefined || agentId === null || agentId === '') fail(40056, 'agentid missing');
	if (typeof agentId !== 'number' || !Number.isInteger(agentId)) fail(40056, 'agentid must be an integer');
	if (agentId === app.agentId) return agentId;
	if (ctx.store.apps.some((other) => other.corpId === app.corpId && other.agentId === agentId)) fail(301002);
	fail(40056, `agentid ${agentId} is not an app of corp ${app.corpId}`);
}
