/**
 * A short, secret-free description of a failed HTTP call. Axios errors carry the request config
 * (URL with access_token or corpsecret in the query), so only the code, status and host-free text are kept.
 */
export function describeNetworkError(error: unknown): string {
	if (typeof error !== 'object' || error === null) return String(error);
	const e = error as { code?: unknown; message?: unknown; httpCode?: unknown; response?: { status?: unknown }; cause?: { code?: unknown } };
	const code = typeof e.code === 'string' ? e.code : typeof e.cause?.code === 'string' ? e.cause.code : undefined;
	const status = e.response?.status ?? e.httpCode;
	const parts: string[] = [];
	// n8n puts a socket error's code into httpCode too: only a three-digit status is an HTTP status.
	if (/^\d{3}$/.test(String(status ?? ''))) parts.push(`HTTP ${String(status)}`);
	if (code && !parts.includes(code)) parts.push(code);
	if (parts.length === 0 && typeof e.message === 'string') parts.push(redactSecrets(e.message));
	return parts.join(' ') || 'network error';
}

/** Removes access tokens, secrets and robot keys from any text that may contain a URL. */
export function redactSecrets(text: string): string {
	return text.replace(/((?:access_token|corpsecret|key|secret)=)[^&\s"']+/gi, '$1***');
}

/** Network failures worth repeating: the request may not have reached WeCom, or WeCom's edge failed. */
export function isTransientNetworkError(error: unknown): boolean {
	if (typeof error !== 'object' || error === null) return false;
	const e = error as { code?: unknown; httpCode?: unknown; response?: { status?: unknown }; cause?: { code?: unknown } };
	const code = typeof e.code === 'string' ? e.code : typeof e.cause?.code === 'string' ? e.cause.code : '';
	if (['ECONNRESET', 'ETIMEDOUT', 'ECONNABORTED', 'EPIPE', 'EAI_AGAIN', 'ECONNREFUSED', 'ESOCKETTIMEDOUT'].includes(code)) {
		return true;
	}
	const status = Number(e.response?.status ?? e.httpCode);
	return status >= 500 && status <= 599;
}
