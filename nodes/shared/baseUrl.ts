export const DEFAULT_BASE_URL = 'https://qyapi.weixin.qq.com';

/**
 * Accepts "https://qyapi.weixin.qq.com", a proxy such as "http://10.0.0.5:8080/wecom/", or a URL that already ends in
 * "/cgi-bin"; returns it without trailing slash and without "/cgi-bin" so endpoints can be appended uniformly.
 */
export function normalizeBaseUrl(value: unknown): string {
	const raw = typeof value === 'string' && value.trim() !== '' ? value.trim() : DEFAULT_BASE_URL;
	return raw.replace(/\/+$/, '').replace(/\/cgi-bin$/i, '');
}

export function apiUrl(baseUrl: unknown, endpoint: string): string {
	return `${normalizeBaseUrl(baseUrl)}/cgi-bin/${endpoint.replace(/^\/+/, '')}`;
}
