/**
 * API Request (any endpoint) through n8n's real engine against the sandbox: the path rules, query/JSON/field bodies,
 * multipart uploads with a chosen part name, file answers as binary data, splitting an answer into items, and the
 * transport's token refresh, error table and Continue On Fail.
 */
import { readBinary } from '../harness';
import { AGENT_ID, SAMPLE_FILES, inputItem, useWeComTestBed } from './kit';

describe('WeCom node: API Request', () => {
	const bed = useWeComTestBed('apiRequest');
	const run = (parameters: Record<string, unknown>, items?: unknown[], options?: { continueOnFail?: boolean }) =>
		bed.run({ operation: 'request', ...parameters }, items, options);
	const apiRequests = () => bed.sandbox.requests.filter((entry) => entry.path !== '/cgi-bin/gettoken');

	it('GETs an endpoint without a guided operation, with query parameters from the path and the fields', async () => {
		const result = await run({ method: 'GET', path: '/cgi-bin/agent/get', sendQuery: true, queryParameters: { parameters: [{ name: 'agentid', value: String(AGENT_ID) }] } });
		expect(result.error).toBeUndefined();
		const [item] = result.output('WeCom');
		expect(item.json).toMatchObject({ errcode: 0, agentid: AGENT_ID, name: 'Sandbox App' });
		const [request] = bed.sandbox.requestsTo('/cgi-bin/agent/get');
		expect(request.query.agentid).toBe(String(AGENT_ID));
		expect(request.query.access_token).toBeTruthy();

		const inPath = await run({ method: 'GET', path: `agent/get?agentid=${AGENT_ID}` });
		expect(inPath.output('WeCom')[0].json.agentid).toBe(AGENT_ID);
	});

	it.each([
		['a URL with a host', 'https://evil.example/cgi-bin/agent/get', 'not a path under /cgi-bin/'],
		['a protocol-relative URL', '//evil.example/agent/get', 'not a path under /cgi-bin/'],
		['a ".." segment', 'agent/../../gettoken', '".." segments'],
		['an encoded ".." segment', 'agent/%2e%2e/gettoken', '".." segments'],
		['an access_token in the path', 'agent/get?access_token=abc', 'Do not pass access_token yourself'],
		['an empty path', '  ', 'Path is empty'],
		['odd characters', 'agent/get;x=1', 'not a WeCom API path'],
	])('refuses %s before any request', async (_label, path, message) => {
		const result = await run({ method: 'GET', path });
		expect(String(result.error?.message)).toContain(message);
		expect(bed.sandbox.requests).toHaveLength(0);
	});

	it('refuses an access_token query parameter and says the credential adds it', async () => {
		const result = await run({ method: 'GET', path: 'agent/get', sendQuery: true, queryParameters: { parameters: [{ name: 'ACCESS_TOKEN', value: 'x' }] } });
		expect(result.error?.message).toBe('Do not pass access_token yourself');
		expect(String(result.error?.description)).toContain('credential adds the access_token');
		expect(bed.sandbox.requests).toHaveLength(0);
	});

	it('POSTs a JSON body and a body of fields', async () => {
		const text = { touser: 'zhangsan', msgtype: 'text', agentid: AGENT_ID, text: { content: 'hello from API Request' } };
		const json = await run({ method: 'POST', path: 'message/send', sendBody: true, bodyContent: 'json', jsonBody: JSON.stringify(text) });
		expect(json.error).toBeUndefined();
		expect(typeof json.output('WeCom')[0].json.msgid).toBe('string');
		expect(bed.sandbox.requestsTo('/cgi-bin/message/send')[0].json).toEqual(text);

		const msgid = String(json.output('WeCom')[0].json.msgid);
		const fields = await run({
			method: 'POST',
			path: 'message/recall',
			sendBody: true,
			bodyContent: 'fields',
			bodyFields: { fields: [{ name: 'msgid', value: '={{ $json.id }}' }, { name: '', value: 'ignored' }] },
		}, [inputItem({ id: msgid })]);
		expect(fields.error).toBeUndefined();
		expect(bed.sandbox.requestsTo('/cgi-bin/message/recall')[0].json).toEqual({ msgid });
		expect(bed.sandbox.messages()[0].recalled).toBe(true);
	});

	it('refuses a JSON body that is not an object', async () => {
		const result = await run({ method: 'POST', path: 'message/send', sendBody: true, bodyContent: 'json', jsonBody: '[1,2]' });
		expect(String(result.error?.message)).toContain('must be a JSON object');
		const broken = await run({ method: 'POST', path: 'message/send', sendBody: true, bodyContent: 'json', jsonBody: '{"a":' });
		expect(String(broken.error?.message)).toContain('not valid JSON');
		expect(apiRequests()).toHaveLength(0);
	});

	it('uploads binary data as multipart with the chosen part and file name, and downloads a file answer as binary', async () => {
		const upload = await run(
			{ method: 'POST', path: 'media/upload?type=file', sendBody: true, bodyContent: 'multipart', binaryPropertyName: 'report', uploadFileName: '周报.pdf' },
			[inputItem({}, { report: { data: SAMPLE_FILES.PDF, fileName: 'x.pdf', mimeType: 'application/pdf' } })],
		);
		expect(upload.error).toBeUndefined();
		const mediaId = String(upload.output('WeCom')[0].json.media_id);
		expect(bed.sandbox.media(mediaId)?.filename).toBe('周报.pdf');
		expect(bed.sandbox.requestsTo('/cgi-bin/media/upload')[0].files?.[0]).toMatchObject({ field: 'media', filename: '周报.pdf' });

		const download = await run({ method: 'GET', path: 'media/get', sendQuery: true, queryParameters: { parameters: [{ name: 'media_id', value: mediaId }] }, options: { outputBinaryField: 'file' } });
		expect(download.error).toBeUndefined();
		const [item] = download.output('WeCom');
		expect(item.json).toMatchObject({ fileName: '周报.pdf', mimeType: 'application/pdf', fileSize: SAMPLE_FILES.PDF.length });
		expect((await readBinary(item.binary?.file)).equals(SAMPLE_FILES.PDF)).toBe(true);
	});

	it('sends the part under another name when asked (the sandbox, like WeCom, then finds no "media" part)', async () => {
		const result = await run(
			{ method: 'POST', path: 'media/upload?type=file', sendBody: true, bodyContent: 'multipart', uploadFieldName: 'attachment' },
			[inputItem({}, { data: { data: SAMPLE_FILES.PDF, fileName: 'a.pdf', mimeType: 'application/pdf' } })],
		);
		expect(String(result.error?.message)).toContain('WeCom 44001');
		expect(bed.sandbox.requestsTo('/cgi-bin/media/upload')[0].files?.[0].field).toBe('attachment');
	});

	it('splits an array of the answer into one item per entry', async () => {
		const result = await run({ method: 'GET', path: 'tag/list', options: { splitField: 'taglist' } });
		expect(result.error).toBeUndefined();
		const output = result.output('WeCom');
		expect(output.length).toBeGreaterThan(1);
		expect(output[0].json).toHaveProperty('tagid');
		expect(output.every((entry) => entry.pairedItem && (entry.pairedItem as { item: number }).item === 0)).toBe(true);

		const missing = await run({ method: 'GET', path: 'tag/list', options: { splitField: 'nothing' } });
		expect(String(missing.error?.message)).toContain('no array "nothing"');
	});

	it('refreshes an expired token once and repeats the call; the item never sees it', async () => {
		await run({ method: 'GET', path: `agent/get?agentid=${AGENT_ID}` });
		expect(bed.sandbox.gettokenCount()).toBe(1);
		bed.sandbox.expireTokens();
		const result = await run({ method: 'GET', path: `agent/get?agentid=${AGENT_ID}` }, [inputItem(), inputItem(), inputItem()]);
		expect(result.error).toBeUndefined();
		expect(result.output('WeCom')).toHaveLength(3);
		expect(bed.sandbox.gettokenCount()).toBe(2);
		const answers = bed.sandbox.requestsTo('/cgi-bin/agent/get').map((entry) => entry.answer?.errcode);
		expect(answers.filter((code) => code === 42001)).toHaveLength(1);
	});

	it('explains WeCom errors from the table and continues on fail with pairing', async () => {
		bed.sandbox.injectError('/cgi-bin/user/list_id', 48002);
		const result = await run(
			{ method: '={{ $json.method }}', path: '={{ $json.path }}' },
			[inputItem({ method: 'POST', path: 'user/list_id' }), inputItem({ method: 'GET', path: '../x' }), inputItem({ method: 'GET', path: `agent/get?agentid=${AGENT_ID}` })],
			{ continueOnFail: true },
		);
		expect(result.error).toBeUndefined();
		const output = result.output('WeCom');
		expect(output).toHaveLength(3);
		expect(output[0].json).toMatchObject({ errcode: 48002 });
		expect(String(output[0].json.error)).toContain('48002');
		expect(String(output[1].json.error)).toContain('".." segments');
		expect(output[2].json.agentid).toBe(AGENT_ID);
		expect(output.map((entry) => entry.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});
});
