/**
 * Pure parts of the message builders: UTF-8 truncation, task IDs, raw JSON bodies, recipient batching and
 * merging of message/send answers, and the shared content field list for both targets.
 */
import { messageContentProperties } from '../../nodes/WeCom/descriptions/messageContent.description';
import {
	generateTaskId,
	isValidTaskId,
	MESSAGE_CONTENT_TYPES,
	normaliseRawMessage,
	truncateUtf8,
} from '../../nodes/WeCom/helpers/messageContent';
import {
	mergeDeliveryAnswers,
	partialDeliverySummary,
	recipientBatches,
	recipientProblem,
	type Recipients,
} from '../../nodes/WeCom/helpers/recipients';

const recipients = (partial: Partial<Recipients>): Recipients => ({ all: false, users: [], parties: [], tags: [], ...partial });
const ids = (count: number, prefix = 'u'): string[] => Array.from({ length: count }, (_, index) => `${prefix}${index}`);

describe('truncateUtf8', () => {
	it('keeps text within the limit untouched', () => {
		expect(truncateUtf8('hello', 2048)).toBe('hello');
	});

	it('cuts at a character boundary, never inside a multi-byte character', () => {
		// 中 is 3 bytes: 5 bytes fit one character plus 2 bytes that cannot hold another.
		expect(truncateUtf8('中中中', 5)).toBe('中');
		expect(Buffer.byteLength(truncateUtf8('😀'.repeat(600), 2048))).toBe(2048);
		expect(truncateUtf8('a😀', 4)).toBe('a');
	});
});

describe('task IDs', () => {
	it('generates unique IDs WeCom accepts', () => {
		const first = generateTaskId('task');
		const second = generateTaskId('task');
		expect(first).not.toBe(second);
		expect(isValidTaskId(first)).toBe(true);
		expect(first.startsWith('task-')).toBe(true);
	});

	it('rejects characters outside letters, digits and _-@, and more than 128 bytes', () => {
		expect(isValidTaskId('ok_id-1@x')).toBe(true);
		expect(isValidTaskId('has space')).toBe(false);
		expect(isValidTaskId('任务')).toBe(false);
		expect(isValidTaskId('a'.repeat(128))).toBe(true);
		expect(isValidTaskId('a'.repeat(129))).toBe(false);
	});
});

describe('normaliseRawMessage', () => {
	it('takes a whole body and drops addressing keys the node decides', () => {
		const result = normaliseRawMessage(
			'{"msgtype":"markdown_v2","markdown_v2":{"content":"# hi"},"touser":"x","agentid":1,"safe":1}',
			'',
		);
		expect(result).toEqual({ body: { msgtype: 'markdown_v2', markdown_v2: { content: '# hi' }, safe: 1 } });
	});

	it('wraps a msgtype object given with Raw Message Type', () => {
		expect(normaliseRawMessage({ content: 'x' }, ' text ')).toEqual({ body: { msgtype: 'text', text: { content: 'x' } } });
	});

	it('explains what is wrong', () => {
		expect(normaliseRawMessage('{oops', '')).toEqual({ problem: expect.stringContaining('not valid JSON') });
		expect(normaliseRawMessage('[1]', '')).toEqual({ problem: 'Message JSON must be a JSON object' });
		expect(normaliseRawMessage({ content: 'x' }, '')).toEqual({ problem: expect.stringContaining('Raw Message Type') });
	});
});

describe('recipients', () => {
	it('enforces 1000 users, 100 departments and 100 tags, and needs someone', () => {
		expect(recipientProblem(recipients({ users: ids(1000) }), false)).toBeUndefined();
		expect(recipientProblem(recipients({ users: ids(1001) }), false)).toMatch(/1001 entries.*at most 1000.*Split Large User Lists/);
		expect(recipientProblem(recipients({ users: ids(1001) }), true)).toBeUndefined();
		expect(recipientProblem(recipients({ parties: ids(101, '') }), true)).toMatch(/Departments has 101 entries; WeCom accepts at most 100/);
		expect(recipientProblem(recipients({ tags: ids(101, '') }), true)).toMatch(/Tags has 101 entries; WeCom accepts at most 100/);
		expect(recipientProblem(recipients({}), false)).toMatch(/No recipients/);
		expect(recipientProblem({ all: true, users: [], parties: [], tags: [] }, false)).toBeUndefined();
	});

	it('sends @all alone', () => {
		expect(recipientBatches({ all: true, users: [], parties: [], tags: [] })).toEqual([{ touser: '@all' }]);
	});

	it('joins with "|" in one request when within the limits', () => {
		expect(recipientBatches(recipients({ users: ['a', 'b'], parties: ['2'], tags: ['7', '8'] }))).toEqual([
			{ touser: 'a|b', toparty: '2', totag: '7|8' },
		]);
		expect(recipientBatches(recipients({ parties: ['2'] }))).toEqual([{ toparty: '2' }]);
	});

	it('splits 10,000 users into 10 requests and sends departments and tags with the first only', () => {
		const batches = recipientBatches(recipients({ users: ids(10000), parties: ['2'], tags: ['3'] }));
		expect(batches).toHaveLength(10);
		expect(batches[0]).toMatchObject({ toparty: '2', totag: '3' });
		for (const batch of batches.slice(1)) expect(batch).not.toHaveProperty('toparty');
		for (const batch of batches.slice(1)) expect(batch).not.toHaveProperty('totag');
		const users = batches.flatMap((batch) => String(batch.touser).split('|'));
		expect(users).toEqual(ids(10000));
		expect(batches.every((batch) => String(batch.touser).split('|').length === 1000)).toBe(true);
	});

	it('merges answers: msgids in order, invalid lists as arrays without repeats', () => {
		const merged = mergeDeliveryAnswers([
			{ errcode: 0, msgid: 'm1', invaliduser: 'x|y', invalidparty: '', invalidtag: '', unlicenseduser: '' },
			{ errcode: 0, msgid: 'm2', invaliduser: 'y|z', invalidparty: '9', unlicenseduser: 'w' },
		]);
		expect(merged).toEqual({
			msgid: 'm1',
			msgids: ['m1', 'm2'],
			invaliduser: ['x', 'y', 'z'],
			invalidparty: ['9'],
			invalidtag: [],
			unlicenseduser: ['w'],
		});
		expect(partialDeliverySummary(merged)).toBe('3 invalid users (x, y, z); 1 invalid departments (9); 1 unlicensed users (w)');
		expect(partialDeliverySummary(mergeDeliveryAnswers([{ msgid: 'm' }]))).toBe('');
	});

	it('keeps the response_code of a card', () => {
		expect(mergeDeliveryAnswers([{ msgid: 'm', response_code: 'rc' }]).response_code).toBe('rc');
	});
});

describe('message content fields', () => {
	const names = (target: 'message' | 'appChat'): string[] => {
		const selector = messageContentProperties(target, { show: { resource: [target], operation: ['send'] } })[0];
		return (selector.options ?? []).map((option) => String((option as { value: unknown }).value));
	};

	it('offers every msgtype of message/send and only the app chat ones for appchat/send', () => {
		expect(names('message').sort()).toEqual(
			[
				'file',
				'image',
				'interactive_taskcard',
				'markdown',
				'miniprogram_notice',
				'mpnews',
				'news',
				'raw',
				'template_card',
				'text',
				'textcard',
				'video',
				'voice',
			].sort(),
		);
		expect(names('appChat').sort()).toEqual(['file', 'image', 'markdown', 'mpnews', 'news', 'raw', 'text', 'textcard', 'video', 'voice'].sort());
	});

	it('shows each field only for its resource, operation and msgtype', () => {
		const properties = messageContentProperties('appChat', { show: { resource: ['appChat'], operation: ['send'] } });
		for (const property of properties.slice(1)) {
			expect(property.displayOptions?.show).toMatchObject({ resource: ['appChat'], operation: ['send'] });
			expect(Array.isArray(property.displayOptions?.show?.msgtype)).toBe(true);
		}
		// No message-only field leaks into app chats.
		const fieldNames = properties.map((property) => property.name);
		expect(fieldNames).not.toContain('taskcardTitle');
		expect(fieldNames).not.toContain('miniprogramAppid');
		expect(fieldNames).toContain('mentionedList');
	});

	it('lists the types alphabetically, as n8n shows them', () => {
		const labels = MESSAGE_CONTENT_TYPES.map((type) => type.name);
		expect(labels).toEqual([...labels].sort((a, b) => a.localeCompare(b)));
	});
});
