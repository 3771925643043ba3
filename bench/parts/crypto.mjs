// Benchmark 5: callbacks verified + decrypted + parsed per second on one core (our trigger's per-request work:
// credential → key, query check, outer XML parse, SHA-1 signature check in constant time, AES-256-CBC decrypt with
// strict padding/length/receive-ID checks, inner XML parse, JSON normalisation) versus the official @wecom/crypto's
// decrypt alone (no signature check, no parsing), over the same ciphertexts, in the same process.
import { performance } from 'node:perf_hooks';

import { fmt, log, quick, report, row } from '../lib/stats.mjs';
import { requireDep, requireTs } from '../lib/ts.mjs';

const official = requireDep('@wecom/crypto');
const { openCallbackRequest, secretsFrom } = requireTs('nodes/WeComTrigger/callbackRequest');
const { normalizeCallback } = requireTs('nodes/WeComTrigger/events');
const { SANDBOX_DEFAULTS } = requireTs('test/sandbox/defaults');

const TOKEN = SANDBOX_DEFAULTS.callbackToken;
const KEY = SANDBOX_DEFAULTS.encodingAESKey;
const CORP = SANDBOX_DEFAULTS.corpId;
const DISTINCT = 1000;
const PER_ROUND = quick ? 5000 : 20000;
const ROUNDS = quick ? 3 : 5;
const TARGET = 1.5;

// A typical callback: a template-card button click (the largest common event), about 600 bytes of inner XML.
const inner = (n) =>
	`<xml><ToUserName><![CDATA[${CORP}]]></ToUserName><FromUserName><![CDATA[zhangsan${n}]]></FromUserName>` +
	`<CreateTime>${1700000000 + n}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[template_card_event]]></Event>` +
	`<EventKey><![CDATA[approve]]></EventKey><TaskId><![CDATA[task-${n}]]></TaskId><CardType><![CDATA[vote_interaction]]></CardType>` +
	`<ResponseCode><![CDATA[RESPONSE_CODE_${n}_abcdefghijklmnopqrstuvwxyz]]></ResponseCode><AgentID>${SANDBOX_DEFAULTS.agentId}</AgentID>` +
	`<SelectedItems><SelectedItem><QuestionKey><![CDATA[q1]]></QuestionKey><OptionIds><OptionId><![CDATA[o1]]></OptionId>` +
	`<OptionId><![CDATA[o2]]></OptionId></OptionIds></SelectedItem></SelectedItems></xml>`;
const callbacks = Array.from({ length: DISTINCT }, (_, n) => {
	const encrypted = official.encrypt(KEY, inner(n), CORP);
	const timestamp = String(1700000000 + n);
	const nonce = String(100000 + n);
	return {
		encrypted,
		query: { msg_signature: official.getSignature(TOKEN, timestamp, nonce, encrypted), timestamp, nonce },
		rawBody: Buffer.from(`<xml><ToUserName><![CDATA[${CORP}]]></ToUserName><AgentID><![CDATA[${SANDBOX_DEFAULTS.agentId}]]></AgentID><Encrypt><![CDATA[${encrypted}]]></Encrypt></xml>`),
	};
});
const credential = { token: TOKEN, encodingAESKey: KEY, receiveId: CORP };

let sink = 0;
const ours = (count) => {
	for (let n = 0; n < count; n++) {
		const callback = callbacks[n % DISTINCT];
		const result = openCallbackRequest({ query: callback.query, rawBody: callback.rawBody }, secretsFrom(credential), false);
		if (!result.ok) throw new Error(`our open failed: ${result.rejection.logMessage}`);
		sink += Object.keys(normalizeCallback(result.callback.parsed)).length;
	}
};
const theirs = (count) => {
	for (let n = 0; n < count; n++) sink += official.decrypt(KEY, callbacks[n % DISTINCT].encrypted).message.length;
};
const time = (fn) => {
	const start = performance.now();
	fn(PER_ROUND);
	return performance.now() - start;
};

// Sanity: both read the same message.
const check = openCallbackRequest({ query: callbacks[7].query, rawBody: callbacks[7].rawBody }, secretsFrom(credential), false);
if (!check.ok || check.callback.message !== official.decrypt(KEY, callbacks[7].encrypted).message) throw new Error('ours and @wecom/crypto disagree');

ours(PER_ROUND);
theirs(PER_ROUND);
const oursMs = [];
const theirsMs = [];
for (let round = 0; round < ROUNDS; round++) {
	oursMs.push(time(ours));
	theirsMs.push(time(theirs));
}
const best = (values) => Math.min(...values);
const oursRate = PER_ROUND / (best(oursMs) / 1000);
const theirsRate = PER_ROUND / (best(theirsMs) / 1000);
const timeRatio = best(oursMs) / best(theirsMs);
log(`ours ${oursMs.map((ms) => ms.toFixed(0)).join('/')} ms, @wecom/crypto ${theirsMs.map((ms) => ms.toFixed(0)).join('/')} ms per ${PER_ROUND} (sink ${sink})`);
report('crypto', [
	row(
		'Callbacks verified + decrypted + parsed per second, one core (ours) vs @wecom/crypto decrypt alone',
		`${fmt.int(oursRate)}/s (${fmt.us((best(oursMs) * 1000) / PER_ROUND)} each)`,
		`${fmt.int(theirsRate)}/s (${fmt.us((best(theirsMs) * 1000) / PER_ROUND)} each)`,
		`${fmt.n2(timeRatio)}× the time`,
		`≤ ${TARGET}× the time`,
		timeRatio <= TARGET,
		`best of ${ROUNDS} rounds of ${fmt.int(PER_ROUND)}; ~${callbacks[0].rawBody.length}-byte bodies, ${DISTINCT} distinct ciphertexts`,
	),
], { oursMs, theirsMs, oursRate, theirsRate, timeRatio });
