/**
 * Media (素材) through n8n's real engine against the WeCom sandbox: temporary uploads of each type from binary
 * data, checks that stop bad files before any request, permanent images, and a download round trip.
 */

import { readBinary } from '../harness';
import { SAMPLE_FILES, inputItem, useWeComTestBed } from './kit';

const { JPG, PNG, AMR, MP4, PDF } = SAMPLE_FILES;


describe('WeCom node: Media (素材)', () => {
	const bed = useWeComTestBed('media');
	const { run } = bed;

	const uploads = () => bed.sandbox.requestsTo('/cgi-bin/media/upload');

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
		expect(bed.sandbox.media(String(item.json.media_id))?.data.equals(data)).toBe(true);
	});

	it('uses the file name override and a custom binary field', async () => {
		const result = await run(
			{ operation: 'upload', mediaType: 'file', binaryPropertyName: 'attachment', options: { fileName: '月报.pdf' } },
			[inputItem({}, { attachment: { data: PDF, fileName: 'x.bin', mimeType: 'application/pdf' } })],
		);
		expect(result.error).toBeUndefined();
		const [item] = result.output('WeCom');
		expect(item.json.filename).toBe('月报.pdf');
		expect(bed.sandbox.media(String(item.json.media_id))?.filename).toBe('月报.pdf');
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
		expect(bed.sandbox.requests).toHaveLength(0);
	});

	it('uploads a permanent image and outputs its URL', async () => {
		const result = await run({ operation: 'uploadImage', binaryPropertyName: 'data' }, [
			inputItem({}, { data: { data: PNG, fileName: 'banner.png', mimeType: 'image/png' } }),
		]);
		expect(result.error).toBeUndefined();
		const [item] = result.output('WeCom');
		expect(String(item.json.url)).toMatch(/^https?:\/\//);
		expect(bed.sandbox.requestsTo('/cgi-bin/media/uploadimg')).toHaveLength(1);
	});

	it('refuses a permanent image over 2 MB before any request', async () => {
		const result = await run({ operation: 'uploadImage' }, [
			inputItem({}, { data: { data: Buffer.concat([PNG, Buffer.alloc(2 * 1024 * 1024)]), fileName: 'big.png', mimeType: 'image/png' } }),
		]);
		expect(String(result.error?.message)).toContain('at most 2 MB');
		expect(bed.sandbox.requests).toHaveLength(0);
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
		expect(bed.sandbox.requestsTo('/cgi-bin/media/get')[0].query.media_id).toBe(mediaId);
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
