/**
 * The sample values that ship with WeCom's official WXBizMsgCrypt libraries (the same in every language).
 * Both samples were checked against the @wecom/crypto oracle: its signature matches and it decrypts them to
 * the plaintexts below, so they are pinned here as fixed vectors.
 */
export const SAMPLE_TOKEN = 'QDG6eK';
export const SAMPLE_RECEIVE_ID = 'wx5823bf96d3bd56c7';
export const SAMPLE_ENCODING_AES_KEY = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';

/** GET URL verification. */
export const VERIFY_URL = {
	msgSignature: '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3',
	timestamp: '1409659589',
	nonce: '263014780',
	echostr: 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==',
	plaintext: '1616140317555161061',
};

/** POST callback: a text message "hello" from user mycreate to agent 218. */
export const POST_MESSAGE = {
	msgSignature: '477715d11cdb4164915debcba66cb864d751f3e6',
	timestamp: '1409659813',
	nonce: '1372623149',
	encrypt:
		'RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==',
	plaintext:
		'<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n' +
		'<FromUserName><![CDATA[mycreate]]></FromUserName>\n' +
		'<CreateTime>1409659813</CreateTime>\n' +
		'<MsgType><![CDATA[text]]></MsgType>\n' +
		'<Content><![CDATA[hello]]></Content>\n' +
		'<MsgId>4561255354251345929</MsgId>\n' +
		'<AgentID>218</AgentID>\n' +
		'</xml>',
};

/** The POST body that carries POST_MESSAGE.encrypt (the envelope WeCom sends). */
export const POST_ENVELOPE =
	'<xml>\n' +
	`<ToUserName><![CDATA[${SAMPLE_RECEIVE_ID}]]></ToUserName><Encrypt><![CDATA[${POST_MESSAGE.encrypt}]]></Encrypt>\n` +
	'<AgentID><![CDATA[218]]></AgentID>\n' +
	'</xml>';

/** A small seeded PRNG (mulberry32) so randomised tests replay the same inputs on every run. */
export function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}
