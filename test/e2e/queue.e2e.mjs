// Our nodes in n8n's queue mode, the distributed set-up companies scale out with: PostgreSQL, Redis, one main,
// two `n8n worker` and two `n8n webhook` processes behind one entry point (tools/n8n/queue.mjs), started ONCE
// for all scenarios (start-up takes minutes on a small machine). The scenarios live in lib/queueScenarios.mjs;
// what they measured is printed at the end as one `QUEUE_MEASURED {json}` line (the README quotes it).
//
// - tokens: executions spread over both workers share one gettoken; after WeCom expires the token each worker
//   process refreshes at most once and no item fails; a token stored by one worker is used by the other;
// - trigger: callbacks through the webhook processes start executions on the workers with the right JSON; URL
//   verification through any webhook process; bad requests start nothing;
// - retries across processes: 200 callbacks, each sent to both webhook processes at the same moment (measured:
//   n8n has no cross-process check-and-set for webhooks), and through a proxy hashing the request URI (exactly 200);
// - send and wait: a link opened or a native card click at any webhook process resumes the execution once, on a worker;
// - AI bot: the main holds the one long connection; replies from workers reach the person (response_url);
//   callback mode through the webhook processes.
// e2e-timeout: 1500 s (start-up alone took 3-5 min on a loaded 2-core machine)
import { after, before, test } from 'node:test';
import * as s from './lib/queueScenarios.mjs';
import { startQueueSetup } from './lib/queueSetup.mjs';

let ctx;

before(async () => {
	ctx = await startQueueSetup({ log: Boolean(process.env.E2E_N8N_LOG) });
	console.log(`[queue] set-up ready: ${JSON.stringify(ctx.q.timings)}`);
});

after(async () => {
	if (ctx) console.log(`QUEUE_MEASURED ${JSON.stringify(ctx.measured)}`);
	await ctx?.stop();
});

test('tokens: the first execution on a worker fetches the token and stores it in the shared credential', () => s.tokenFirstExecution(ctx));
test('tokens: 40 executions over both workers use that one token, no further gettoken', () => s.tokenSharedByWorkers(ctx));
test('tokens: after WeCom expires it, each worker process refreshes at most once and no item fails', () => s.tokenExpiredRefreshOncePerProcess(ctx));
test('trigger: URL verification works through the proxy and each webhook process, and starts nothing', () => s.triggerVerificationAnywhere(ctx));
test('trigger: callbacks through the webhook processes start executions on the workers with the right JSON', () => s.triggerCallbacksRunOnWorkers(ctx));
test('trigger: bad requests at either webhook process get a 4xx and start nothing', () => s.triggerBadRequestsStartNothing(ctx));
test('retries: 200 callbacks sent to both webhook processes at once (measured)', () => s.retriesStraightToBothProcesses(ctx));
test('retries: a re-signed copy reaching the other webhook process after the first was answered (measured)', () => s.laterCopiesAtTheOtherProcess(ctx));
test('retries: 200 callbacks sent twice at once through the URI-hashing proxy start exactly 200 executions', () => s.retriesThroughUriHash(ctx));
test('send and wait: a link opened through any webhook process resumes the execution once, on a worker', () => s.sendAndWaitLinkAnyProcess(ctx));
test('send and wait: a native card click at either webhook process resumes it once; the retry resumes nothing', () => s.sendAndWaitCardClickAnyProcess(ctx));
test('AI bot: only the main holds the long connection; the answer from a worker reaches the person', () => s.aibotLongConnectionInMainOnly(ctx));
test('AI bot: callback mode works through the webhook processes', () => s.aibotCallbackThroughWebhookProcesses(ctx));
