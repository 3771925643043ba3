/**
 * The WeCom error table: every code issue 2 lists has an English explanation and a fix, the NodeApiError the transport
 * builds carries code, errmsg and explanation, and the retry/refresh sets agree with the table's flags.
 */
import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { RETRYABLE_ERRCODES, TOKEN_ERRCODES, WECOM_ERRORS, describeWeComError, formatWeComError } from '../../nodes/shared/errorCodes';
import { scrubErrmsg, weComErrorToNodeApiError } from '../../nodes/WeCom/transport/errors';

const REQUIRED = [
	-1, 40001, 40003, 40004, 40005, 40006, 40007, 40009, 40011, 40013, 40014, 40056, 40058, 41001, 42001, 43004, 44004, 45002, 45009,
	45033, 48002, 60011, 60020, 81013, 82001, 93000, 93004, 93008, 301002,
];
/** App chat (群聊会话) codes the node can meet: invalid/unknown chat, name, owner, members, not created by the app. */
const APP_CHAT = [86001, 86003, 86004, 86005, 86006, 86007, 86008, 86215, 86216, 86217];
/** Contacts (通讯录) codes: permissions, missing or duplicate users, departments and tags. */
const CONTACTS = [
	40031, 40066, 40068, 40070, 40071, 46004, 48009, 60003, 60004, 60005, 60006, 60007, 60008, 60009, 60102, 60103, 60104, 60105, 60106, 60110,
	60111, 60112, 60123, 60129, 60132, 81002, 81011,
];

const node: INode = { id: 'n1', name: 'WeCom', type: 'weCom', typeVersion: 1, position: [0, 0], parameters: {} };
const CJK = /[\u3000-\u9fff\uff00-\uffef]/;

describe('WeCom error table', () => {
	it.each([...REQUIRED, ...APP_CHAT, ...CONTACTS])('%i has an English meaning and fix', (code) => {
		const info = describeWeComError(code);
		expect(info).toBeDefined();
		// Chinese is allowed only as WeCom's own term in parentheses, or to name a console menu.
		const meaning = String(info?.meaning).replace(/\([^)]*\)/g, '');
		expect(meaning).not.toMatch(CJK);
		expect(meaning).toMatch(/[a-z]{3,}/);
		expect(info?.fix).toMatch(/^[A-Z].*[a-z]{3,}.*\.$/s);
	});

	it('every entry is complete, and the refresh/retry sets match its flags', () => {
		for (const [code, info] of Object.entries(WECOM_ERRORS)) {
			expect({ code, meaning: info.meaning.length > 5, fix: info.fix.length > 5 }).toEqual({ code, meaning: true, fix: true });
			expect({ code, token: TOKEN_ERRCODES.has(Number(code)) }).toEqual({ code, token: info.tokenProblem === true });
			expect({ code, retry: RETRYABLE_ERRCODES.has(Number(code)) }).toEqual({ code, retry: info.retryable === true });
		}
		expect([...TOKEN_ERRCODES].sort()).toEqual([40014, 41001, 42001]);
		expect([...RETRYABLE_ERRCODES].sort((a, b) => a - b)).toEqual([-1, 45009, 45033]);
	});

	it.each(REQUIRED)('the NodeApiError for %i carries the code, WeCom\'s errmsg and the explanation', (code) => {
		const errmsg = `something about ${code}, hint: [1700000000_1_abc], from ip: 203.0.113.9, more info at https://open.work.weixin.qq.com/devtool/query?e=${code}`;
		const error = weComErrorToNodeApiError(node, { errcode: code, errmsg }, { endpoint: 'message/send', itemIndex: 2 }, 0);
		const info = describeWeComError(code);

		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(`WeCom ${code}: ${info?.meaning}`);
		expect(error.description).toContain(String(info?.fix));
		// WeCom's errmsg is kept (it names the offending field) without the opaque hint.
		expect(error.description).toContain(`WeCom said: something about ${code}, from ip: 203.0.113.9`);
		expect(error.description).not.toContain('hint:');
		expect(error.httpCode).toBe(String(code));
		expect(error.errorResponse).toMatchObject({ errcode: code, errmsg, endpoint: 'message/send' } as JsonObject);
		expect(error.context.itemIndex).toBe(2);
	});

	it('says how many attempts were made when retries ran out', () => {
		const error = weComErrorToNodeApiError(node, { errcode: 45009, errmsg: 'api freq out of limit' }, { endpoint: 'message/send' }, 3);
		expect(error.description).toMatch(/Gave up after 4 attempts\.$/);
	});

	it('an unknown code still shows the code and WeCom\'s errmsg', () => {
		expect(formatWeComError(12345, 'some new failure')).toEqual({ message: 'WeCom 12345: some new failure', description: 'WeCom said: some new failure' });
		const error = weComErrorToNodeApiError(node, { errcode: 12345, errmsg: 'some new failure' }, { endpoint: 'x' }, 0);
		expect(error.message).toBe('WeCom 12345: some new failure');
		expect(error.errorResponse).toMatchObject({ errcode: 12345, errmsg: 'some new failure' });
		expect(formatWeComError(12345)).toEqual({ message: 'WeCom 12345: unknown error', description: '' });
	});

	it('scrubErrmsg removes the token a call used and any access_token=/key= value from errmsg', () => {
		const token = 'tok_9f8e7d6c5b4a';
		const body = { errcode: 40058, errmsg: `bad field near ${token}; url ?access_token=other123&key=robotkey` };
		const clean = scrubErrmsg(body, [token]);
		expect(clean.errmsg).toBe('bad field near ***; url ?access_token=***&key=***');
		expect(clean.errcode).toBe(40058);
		const untouched = { errcode: 0, errmsg: 'ok' };
		expect(scrubErrmsg(untouched, [token])).toBe(untouched);
		const buffer = Buffer.from('binary');
		expect(scrubErrmsg(buffer, [token])).toBe(buffer);
	});
});
