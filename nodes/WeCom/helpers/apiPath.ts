/**
 * The path of an API Request: relative to /cgi-bin/, no scheme, host, `..` or hand-made access_token. The credential
 * decides where requests go and adds the token; a path must not be able to send the token elsewhere.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

const SEGMENT = /^[A-Za-z0-9_.~-]+$/;

export interface ApiPath {
	/** e.g. 'agent/get' */
	endpoint: string;
	/** Query parameters written into the path after '?'. */
	qs: IDataObject;
}

export function parseApiPath(ctx: IExecuteFunctions, raw: string, itemIndex: number): ApiPath {
	const fail = (message: string, description: string): never => {
		throw new NodeOperationError(ctx.getNode(), message, { itemIndex, description });
	};
	const text = raw.trim();
	if (!text) fail('Path is empty', 'Enter the API path under /cgi-bin/, e.g. agent/get or user/list_id.');
	if (/^[a-z][a-z0-9+.-]*:/i.test(text) || text.startsWith('//') || text.includes('\\')) {
		fail(
			`Path "${text}" is not a path under /cgi-bin/`,
			'Enter only the part after /cgi-bin/ (e.g. agent/get). The host comes from the credential\'s API Base URL, so the access token never goes to another server.',
		);
	}
	const [pathPart, queryPart = ''] = text.split(/\?(.*)/s, 2);
	const trimmed = pathPart.replace(/^\/+/, '').replace(/^cgi-bin\/+/i, '');
	let decoded = trimmed;
	try {
		decoded = decodeURIComponent(trimmed);
	} catch {
		fail(`Path "${text}" is not valid URL encoding`, 'Use plain path segments such as user/get.');
	}
	const segments = decoded.split('/');
	if (segments.some((segment) => segment === '..' || segment === '.')) {
		fail(`Path "${text}" contains "." or ".." segments`, 'Paths must stay under /cgi-bin/; write the endpoint directly, e.g. department/list.');
	}
	if (segments.length === 0 || segments.some((segment) => !SEGMENT.test(segment))) {
		fail(`Path "${text}" is not a WeCom API path`, 'Use segments of letters, digits, "_", "-" and ".", separated by "/", e.g. externalcontact/groupchat/list.');
	}
	const qs: IDataObject = {};
	for (const [key, value] of new URLSearchParams(queryPart)) qs[key] = value;
	assertNoToken(ctx, Object.keys(qs), itemIndex);
	return { endpoint: segments.join('/'), qs };
}

/** access_token is the credential's job: refuse it wherever a user might type it. */
export function assertNoToken(ctx: IExecuteFunctions, names: string[], itemIndex: number): void {
	if (names.some((name) => name.trim().toLowerCase() === 'access_token')) {
		throw new NodeOperationError(ctx.getNode(), 'Do not pass access_token yourself', {
			itemIndex,
			description:
				'The WeCom API credential adds the access_token to every request, shares it between executions and refreshes it when WeCom rejects it. Remove the access_token parameter.',
		});
	}
}
