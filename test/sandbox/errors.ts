import { randomBytes } from 'node:crypto';

/** WeCom's English errmsg base text per errcode (what the real API prints before ", hint: [...]"). */
const BASE_MESSAGES: Record<number, string> = {
	[-1]: 'system busy',
	40001: 'invalid credential, secret is invalid',
	40003: 'invalid userid',
	40004: 'invalid media type',
	40005: 'invalid file type',
	40006: 'invalid file size',
	40007: 'invalid media_id',
	40008: 'invalid message type',
	40009: 'invalid image size',
	40011: 'invalid video size',
	40013: 'invalid corpid',
	40014: 'invalid credential, access_token is invalid or not latest',
	40032: 'invalid userid list size',
	40056: 'invalid agentid',
	40058: 'invalid parameter',
	40063: 'some parameters are empty',
	40074: 'news message not support safe',
	41001: 'access_token missing',
	41002: 'corpid missing',
	41004: 'corpsecret missing',
	41016: 'title missing',
	41033: 'description missing',
	42001: 'access_token expired',
	42014: 'invalid task_id',
	42015: 'task card agent not match',
	42016: 'task_id not exist',
	42017: 'button key not exist',
	42018: 'invalid button key',
	42019: 'button key missing',
	42020: 'button name missing',
	42022: 'response_code has been used',
	44001: 'empty media data',
	44004: 'empty content',
	45002: 'content size out of limit',
	45008: 'article size out of limit',
	45009: 'reach max api daily quota limit',
	45032: 'author size out of limit',
	47001: 'data format error',
	40031: 'invalid userid list',
	40066: 'invalid partyid list',
	40068: 'invalid tagid',
	40070: 'all list invalid',
	40071: 'invalid tag name',
	43004: 'need follow',
	46004: 'user not exist',
	48002: 'api forbidden',
	48009: 'api forbidden for contact sync from new ip',
	60003: 'department not found',
	60004: 'parent department not found',
	60005: 'department contains user',
	60006: 'department contains sub-department',
	60007: 'not allow to delete root department',
	60008: 'department existed',
	60009: 'department name invalid',
	60010: 'department count exceeds limit',
	60011: 'no privilege to access/modify contact/party/agent',
	60020: 'not allow to access from your ip',
	60102: 'userid existed',
	60103: 'mobile invalid',
	60104: 'mobile existed',
	60105: 'email invalid',
	60106: 'email existed',
	60110: 'department size exceeds limit',
	60111: 'userid not found',
	60112: 'user name invalid',
	60123: 'invalid party id',
	60127: 'department id missing',
	60129: 'mobile and email are both empty',
	60132: 'is_leader_in_dept size invalid',
	81002: 'department depth exceeds limit',
	81011: 'no privilege to modify tag',
	81013: 'user & party & tag all invalid',
	82001: 'user & party & tag all empty',
	82002: 'invalid partyid list size',
	82003: 'invalid tagid list size',
	86001: 'invalid chatid',
	86003: 'chatid not found',
	86006: 'invalid chat member count',
	86008: 'chat not created by this app',
	86201: 'chatid missing',
	86205: 'chatid too long',
	86207: 'chat owner not in member list',
	86215: 'chatid already exists',
	86216: 'invalid chat member',
	90201: 'invalid content_item size',
	90202: 'invalid content_item key size',
	90203: 'invalid content_item value size',
	90206: 'miniprogram not linked to corp',
	93000: 'invalid webhook url',
	301017: 'voice file must be AMR',
	301025: 'invalid approval parameter',
	301026: 'get approval template failed',
	301055: 'no permission: user not in app visible range',
	301112: 'time range too large',
	301002: 'not allow operate another agent with this accesstoken',
};

/** A WeCom error answer: thrown by validators, turned into `{errcode, errmsg}` with HTTP 200 by the server. */
export class WeComError extends Error {
	constructor(
		readonly errcode: number,
		readonly detail?: string,
	) {
		super(`${errcode} ${detail ?? ''}`);
	}
}

/** errmsg in WeCom's style: base text, optional detail, then hint / from ip / more-info link. */
export function weComErrmsg(errcode: number, detail?: string): string {
	const base = BASE_MESSAGES[errcode] ?? 'error';
	const hint = `${Math.floor(Date.now() / 1000)}_${randomBytes(2).readUInt16BE(0) % 100}_${randomBytes(16).toString('hex')}`;
	return `${base}${detail ? `: ${detail}` : ''}, hint: [${hint}], from ip: 127.0.0.1, more info at https://open.work.weixin.qq.com/devtool/query?e=${errcode}`;
}

export function errorAnswer(errcode: number, detail?: string): { errcode: number; errmsg: string } {
	return { errcode, errmsg: weComErrmsg(errcode, detail) };
}

export function fail(errcode: number, detail?: string): never {
	throw new WeComError(errcode, detail);
}
