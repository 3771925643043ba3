/**
 * Media (素材) through n8n's real engine against the WeCom sandbox: temporary uploads of each type from binary
 * data, checks that stop bad files before any request, permanent images, and a download round trip.
 */

import { CredentialStore, readBinary, runWorkflow } from '../harness';
import { SANDBOX_DEFAULTS, startSandbox, type WeComSandbox } from '../sandbox';
import { setRetryPolicy } from '../../nodes/WeCom/transport/retryPolicy';

const JPG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0tiny-jpeg-body')]);
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('\0\0\0\rIHDRtiny-png')]);
const AMR = Buffer.from('#!AMR\n\x3c\x48\xf5\x1f\x96\x66\x79\xe1', 'latin1');
const MP4 = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom\0\0\0\0isommp41')]);
const PDF = Buffer.from('%PDF-1.4 a tiny report');

interface BinaryInput {
	data: Buffer;
	fileName: string;
	mimeType: string;
}

function inputItem(json: Record<string, unknown>, binary?: Record<string, BinaryInput>) {
	return {
		json,
		...(binary
			? {
					binary: Object.fromEntries(
						Object.entries(binary).map(([key, file]) => [key, { data: file.data.toString('base64'), mimeType: file.mimeType, fileName: file.fileName }]),
					),
				}
			: {}),
	};
}

describe('WeCom node: Media (素材)', () => {
	let sandbox: WeComSandbox;
	let credentials: CredentialStore;
	let credentialId: string;

	beforeAll(async () => {
		setRetryPolicy({ baseDelayMs: 5, maxDelayMs: 20 });
		sandbox = await startSandbox();
	});
	afterAll(async () => {
		await sandbox.close();
	});
	beforeEach(() => {
		sandbox.reset();
		credentials = new CredentialStore();
		credentialId = credentials.add('weComApi', {
			corpId: SANDBOX_DEFAULTS.corpId,
			corpSecret: SANDBOX_DEFAULTS.corpSecret,
			agentId: SANDBOX_DEFAULTS.agentId,
			baseUrl: sandbox.url,
		});
	});

	async function run(parameters: Record<string, unknown>, items: unknown[], options: { continueOnFail?: boolean } = {}) {
		const result = await runWorkflow({
			workflow: {
				nodes: [
					{ id: '1', name: 'Input', type: 'test.input', typeVersion: 1, position: [0, 0], parameters: { items } },
					{
						id: '2',
						name: 'WeCom',
						type: 'weCom',
						typeVersion: 1,
						position: [200, 0],
						parameters: { resource: 'media', ...parameters },
						credentials: { weComApi: { id: credentialId, name: 'WeCom' } },
						...(options.continueOnFail ? { onError: 'continueRegularOutput' } : {}),
					},
				],
				connections: { Input: { main: [[{ node: 'WeCom', type: 'main', index: 0 }]] } },
			},
			credentials,
		});
		return result;
	}

	const uploads = () => sandbox.requestsTo('/cgi-bin/media/upload');

	it.each([
		['image', 'photo.jpg', JPG, 'image/jpeg'],
		['image', 'chart.png', PNG, 'image/png'],
		['voice', 'memo.amr', AMR, 'audio/amr'],
		['video', 'clip.mp4', MP4, 'video/mp4'],
		['file', 'report.pdf', PDF, 'application/pdf'],
	] as const)('uploads %s %s from binary and outputs its media_id with expiry', async (type, fileName, data, mimeType) => {
		const result = await run({ operation: 'upload', mediaType: type, binaryPropertyName: 'data' }, [
			inputItem({}, { data: { data, fileName, mimeType } }),
		]);
		expect(result.error).toBeUndefined();
		const [item] = result.output('WeCom');
		expect(item.json).toMatchObject({ type, filename: fileName, size: data.length });
		expect(typeof item.json.media_id).toBe('string');
		expect(Number(item.json.expires_at) - Number(item.json.created_at)).toBe(3 * 24 * 3600);
		expect(uploads()).toHaveLength(1);
		expect(sandbox.media(String(item.json.media_id))?.data.equals(data)).toBe(true);
	});

	it('uses the file name override and a custom binary field', async () => {
		const result = await run(
			{ operation: 'upload', mediaType: 'file', binaryPropertyName: 'attachment', options: { fileName: '月报.pdf' } },
			[inputItem({}, { attachment: { data: PDF, fileName: 'x.bin', mimeType: 'application/pdf' } })],
		);
		expect(result.error).toBeUndefined();
		const [item] = result.output('WeCom');
		expect(item.json.filename).toBe('月报.pdf');
		expect(sandbox.media(String(item.json.media_id))?.filename).toBe('月报.pdf');
	});

	it.each([
		['a PNG as voice', 'voice', PNG, 'not AMR'],
		['a PDF as image', 'image', PDF, 'not JPG or PNG'],
		['a JPG as video', 'video', JPG, 'not MP4'],
		['a 5-byte file', 'file', Buffer.from('tiny!'), 'more than 5 bytes'],
		['an 11 MB image', 'image', Buffer.concat([JPG, Buffer.alloc(11 * 1024 * 1024)]), 'at most 10 MB'],
		['a 3 MB voice', 'voice', Buffer.concat([AMR, Buffer.alloc(3 * 1024 * 1024)]), 'at most 2 MB'],
	])('rejects %s before any request', async (_label, type, data, message) => {
		const result = await run({ operation: 'upload', mediaType: type }, [
			inputItem({}, { data: { data: data as Buffer, fileName: 'upload.bin', mimeType: 'application/octet-stream' } }),
		]);
		expect(String(result.error?.message)).toContain(message as string);
		expect(sandbox.requests).toHaveLength(0);
	});

	it('uploads a permanent image and outputs its URL', async () => {
		const result = await run({ operation: 'uploadImage', binaryPropertyName: 'data' }, [
			inputItem({}, { data: { data: PNG, fileName: 'banner.png', mimeType: 'image/png' } }),
		]);
		expect(result.error).toBeUndefined();
		const [item] = result.output('WeCom');
		expect(String(item.json.url)).toMatch(/^https?:\/\//);
		expect(sandbox.requestsTo('/cgi-bin/media/uploadimg')).toHaveLength(1);
	});

	it('refuses a permanent image over 2 MB before any request', async () => {
		const result = await run({ operation: 'uploadImage' }, [
			inputItem({}, { data: { data: Buffer.concat([PNG, Buffer.alloc(2 * 1024 * 1024)]), fileName: 'big.png', mimeType: 'image/png' } }),
		]);
		expect(String(result.error?.message)).toContain('at most 2 MB');
		expect(sandbox.requests).toHaveLength(0);
	});

	it('downloads a file with a Chinese name (filename* header) and keeps the input binary fields', async () => {
		const uploaded = await run({ operation: 'upload', mediaType: 'file', options: { fileName: '季度报告.pdf' } }, [
			inputItem({}, { data: { data: PDF, fileName: 'x.pdf', mimeType: 'application/pdf' } }),
		]);
		const mediaId = String(uploaded.output('WeCom')[0].json.media_id);

		const result = await run({ operation: 'download', mediaId }, [
			inputItem({}, { original: { data: JPG, fileName: 'keep.jpg', mimeType: 'image/jpeg' } }),
		]);
		expect(result.error).toBeUndefined();
		const [item] = result.output('WeCom');
		expect(item.binary?.data?.fileName).toBe('季度报告.pdf');
		expect(item.binary?.data?.mimeType).toBe('application/pdf');
		expect((await readBinary(item.binary?.data)).equals(PDF)).toBe(true);
		expect((await readBinary(item.binary?.original)).equals(JPG)).toBe(true);
		expect(sandbox.requestsTo('/cgi-bin/media/get')[0].query.media_id).toBe(mediaId);
	});

	it('downloads uploaded media into a binary field with the same bytes and file name', async () => {
		const uploaded = await run({ operation: 'upload', mediaType: 'voice' }, [
			inputItem({}, { data: { data: AMR, fileName: 'memo.amr', mimeType: 'audio/amr' } }),
		]);
		const mediaId = String(uploaded.output('WeCom')[0].json.media_id);

		const result = await run({ operation: 'download', mediaId: '={{ $json.MediaId }}', binaryPropertyName: 'voice' }, [
			inputItem({ MediaId: mediaId, FromUserName: 'zhangsan' }),
		]);
		expect(result.error).toBeUndefined();
		const [item] = result.output('WeCom');
		expect(item.json).toMatchObject({ MediaId: mediaId, FromUserName: 'zhangsan', media_id: mediaId, fileName: 'memo.amr', fileSize: AMR.length });
		const binary = item.binary?.voice;
		expect(binary?.fileName).toBe('memo.amr');
		expect(binary?.mimeType).toBe('audio/amr');
		expect((await readBinary(binary)).equals(AMR)).toBe(true);
	});

	it('maps a JSON error answer of media/get (40007) to a clear error, and continues on fail', async () => {
		const result = await run({ operation: 'download', mediaId: '={{ $json.id }}' }, [inputItem({ id: 'no-such-media' })], {
			continueOnFail: true,
		});
		expect(result.error).toBeUndefined();
		const [item] = result.output('WeCom');
		expect(item.json.errcode).toBe(40007);
		expect(String(item.json.error)).toContain('40007');
	});

	it('continues with the next item when one upload fails and pairs the outputs', async () => {
		const result = await run({ operation: 'upload', mediaType: 'image' }, [
			inputItem({}, { data: { data: PDF, fileName: 'wrong.pdf', mimeType: 'application/pdf' } }),
			inputItem({}, { data: { data: JPG, fileName: 'ok.jpg', mimeType: 'image/jpeg' } }),
		], { continueOnFail: true });
		expect(result.error).toBeUndefined();
		const output = result.output('WeCom');
		expect(output).toHaveLength(2);
		expect(String(output[0].json.error)).toContain('not JPG or PNG');
		expect(output[1].json.filename).toBe('ok.jpg');
		expect(output.map((entry) => entry.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(uploads()).toHaveLength(1);
	});
});
