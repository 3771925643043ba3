import { buildXml, DEFAULT_MAX_XML_BYTES, parseXml, WeComXmlError, type XmlNode } from '../../nodes/shared/xml';
import { POST_ENVELOPE, POST_MESSAGE, SAMPLE_RECEIVE_ID, seededRandom } from './vectors/wecomOfficialSamples';

const TEMPLATE_CARD_EVENT = `<xml>
	<ToUserName><![CDATA[ww1234567890]]></ToUserName>
	<FromUserName><![CDATA[zhangsan]]></FromUserName>
	<CreateTime>1700000000</CreateTime>
	<MsgType><![CDATA[event]]></MsgType>
	<Event><![CDATA[template_card_event]]></Event>
	<EventKey><![CDATA[submit_key]]></EventKey>
	<TaskId><![CDATA[task_42]]></TaskId>
	<CardType><![CDATA[multiple_interaction]]></CardType>
	<ResponseCode><![CDATA[rc-abc]]></ResponseCode>
	<AgentID>1000002</AgentID>
	<SelectedItems>
		<SelectedItem>
			<QuestionKey><![CDATA[q1]]></QuestionKey>
			<OptionIds>
				<OptionId><![CDATA[a]]></OptionId>
				<OptionId><![CDATA[b]]></OptionId>
			</OptionIds>
		</SelectedItem>
		<SelectedItem>
			<QuestionKey><![CDATA[q2]]></QuestionKey>
			<OptionIds>
				<OptionId><![CDATA[c]]></OptionId>
			</OptionIds>
		</SelectedItem>
	</SelectedItems>
</xml>`;

function expectXmlError(xml: string, message?: string | RegExp, options?: { maxBytes?: number }): void {
	let thrown: unknown;
	try {
		parseXml(xml, options);
	} catch (error) {
		thrown = error;
	}
	expect(thrown).toBeInstanceOf(WeComXmlError);
	if (message !== undefined) expect((thrown as Error).message).toMatch(message);
}

function nested(depth: number): string {
	return `${'<a>'.repeat(depth)}x${'</a>'.repeat(depth)}`;
}

/** Checks that a parse result holds only strings, objects of nodes, and arrays of 2+ non-array nodes. */
function assertShape(node: XmlNode): void {
	if (typeof node === 'string') return;
	if (Array.isArray(node)) {
		if (node.length < 2) throw new Error('array with fewer than two entries');
		for (const item of node) {
			if (Array.isArray(item)) throw new Error('nested array');
			assertShape(item);
		}
		return;
	}
	if (typeof node !== 'object' || node === null || Object.getPrototypeOf(node) !== Object.prototype) throw new Error('not a plain object');
	for (const value of Object.values(node)) assertShape(value);
}

describe('parseXml: WeCom samples', () => {
	it('parses the official encrypted envelope', () => {
		expect(parseXml(POST_ENVELOPE)).toEqual({ ToUserName: SAMPLE_RECEIVE_ID, Encrypt: POST_MESSAGE.encrypt, AgentID: '218' });
	});

	it('parses the official text message', () => {
		expect(parseXml(POST_MESSAGE.plaintext)).toEqual({
			ToUserName: 'wx5823bf96d3bd56c7',
			FromUserName: 'mycreate',
			CreateTime: '1409659813',
			MsgType: 'text',
			Content: 'hello',
			MsgId: '4561255354251345929',
			AgentID: '218',
		});
	});

	it('parses a template_card_event: repeated SelectedItem and OptionId become arrays, a single one stays a value', () => {
		const parsed = parseXml(TEMPLATE_CARD_EVENT);
		expect(parsed).toEqual({
			ToUserName: 'ww1234567890',
			FromUserName: 'zhangsan',
			CreateTime: '1700000000',
			MsgType: 'event',
			Event: 'template_card_event',
			EventKey: 'submit_key',
			TaskId: 'task_42',
			CardType: 'multiple_interaction',
			ResponseCode: 'rc-abc',
			AgentID: '1000002',
			SelectedItems: {
				SelectedItem: [
					{ QuestionKey: 'q1', OptionIds: { OptionId: ['a', 'b'] } },
					{ QuestionKey: 'q2', OptionIds: { OptionId: 'c' } },
				],
			},
		});
		expect(Object.keys(parsed)).toEqual([
			'ToUserName', 'FromUserName', 'CreateTime', 'MsgType', 'Event', 'EventKey', 'TaskId', 'CardType', 'ResponseCode', 'AgentID', 'SelectedItems',
		]);
	});

	it('parses a passive reply envelope built by buildXml', () => {
		const xml = buildXml({ Encrypt: 'abc+/=', MsgSignature: 'f00d', TimeStamp: 1700000000, Nonce: '42' });
		expect(xml).toBe('<xml><Encrypt><![CDATA[abc+/=]]></Encrypt><MsgSignature><![CDATA[f00d]]></MsgSignature><TimeStamp>1700000000</TimeStamp><Nonce><![CDATA[42]]></Nonce></xml>');
		expect(parseXml(xml)).toEqual({ Encrypt: 'abc+/=', MsgSignature: 'f00d', TimeStamp: '1700000000', Nonce: '42' });
	});
});

describe('parseXml: syntax accepted', () => {
	it('accepts a declaration, a BOM, comments anywhere and ignores attributes', () => {
		const xml = '\uFEFF<?xml version="1.0" encoding="UTF-8"?>\n<!-- before -->\n<root a="1" b=\'x &amp; y\'><!-- in --><A  id = "7" >v</A><B/><C x="1"/></root>\n<!-- after -->\n';
		expect(parseXml(xml)).toEqual({ A: 'v', B: '', C: '' });
	});

	it('decodes the five predefined entities and numeric character references', () => {
		const parsed = parseXml('<xml><T>&lt;a&gt; &amp; &quot;q&quot; &apos;s&apos; &#65;&#x42;&#x1F600;&#128512;&#xe9;</T></xml>');
		expect(parsed.T).toBe('<a> & "q" \'s\' AB😀😀é');
	});

	it('keeps CDATA verbatim, including markup, entities and whitespace', () => {
		expect(parseXml('<xml><C><![CDATA[ <b>&amp;</b>\n ]]></C></xml>').C).toBe(' <b>&amp;</b>\n ');
	});

	it('joins text and CDATA inside one leaf', () => {
		expect(parseXml('<xml><C>a &amp; <![CDATA[<b>]]> c</C></xml>').C).toBe('a & <b> c');
	});

	it('keeps exact leaf text but drops whitespace between child elements', () => {
		expect(parseXml('<xml>\n  <A>  padded  </A>\n  <B>\n</B>\n</xml>')).toEqual({ A: '  padded  ', B: '\n' });
	});

	it('treats <A/> and <A></A> as empty strings', () => {
		expect(parseXml('<xml><A/><B></B><C /></xml>')).toEqual({ A: '', B: '', C: '' });
	});

	it('returns {} for an empty or whitespace-only root, whatever its name', () => {
		expect(parseXml('<xml/>')).toEqual({});
		expect(parseXml('<Root>\n</Root>')).toEqual({});
	});

	it('is case-sensitive about tag names', () => {
		expect(parseXml('<xml><MsgType>a</MsgType><msgtype>b</msgtype></xml>')).toEqual({ MsgType: 'a', msgtype: 'b' });
		expectXmlError('<xml><A>x</a></xml>', /does not match/);
	});

	it('keeps repeated siblings in document order even when interleaved', () => {
		expect(parseXml('<xml><I>1</I><J>x</J><I>2</I><I>3</I></xml>')).toEqual({ I: ['1', '2', '3'], J: 'x' });
	});

	it('stores a __proto__ element as data without touching the prototype', () => {
		const parsed = parseXml('<xml><__proto__><polluted>yes</polluted></__proto__><constructor>c</constructor></xml>');
		expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
		expect(Object.prototype.hasOwnProperty.call(parsed, '__proto__')).toBe(true);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
		expect((parsed as Record<string, unknown>).polluted).toBeUndefined();
		expect(parsed.constructor).toBe('c');
	});

	it('allows 32 levels of nesting', () => {
		let node: XmlNode = parseXml(nested(32));
		for (let level = 1; level < 31; level++) node = (node as Record<string, XmlNode>).a;
		expect(node).toEqual({ a: 'x' });
	});

	it('handles many siblings without recursion trouble', () => {
		const xml = `<xml>${'<I>v</I>'.repeat(50_000)}</xml>`;
		expect((parseXml(xml).I as XmlNode[]).length).toBe(50_000);
	});

	it('counts UTF-8 bytes against maxBytes', () => {
		const xml = `<xml><T>${'中'.repeat(200)}</T></xml>`; // 218 characters, 618 bytes
		expect(parseXml(xml, { maxBytes: 618 }).T).toBe('中'.repeat(200));
		expectXmlError(xml, /larger than 617 bytes/, { maxBytes: 617 });
		expect(DEFAULT_MAX_XML_BYTES).toBe(1024 * 1024);
		expectXmlError(`<xml><T>${'a'.repeat(DEFAULT_MAX_XML_BYTES)}</T></xml>`, /larger than/);
	});
});

describe('parseXml: rejections', () => {
	it.each([
		['a DOCTYPE', '<?xml version="1.0"?><!DOCTYPE xml><xml/>', /DOCTYPE/],
		['an internal entity (billion laughs)', '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><xml><A>&lol2;</A></xml>', /DOCTYPE/],
		['an external entity (XXE)', '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><A>&xxe;</A></xml>', /DOCTYPE/],
		['an ENTITY inside the root', '<xml><!ENTITY a "b"></xml>', /ENTITY/],
		['a lower-case doctype', '<!doctype xml><xml/>', /DOCTYPE/],
		['an unknown named entity', '<xml><A>&nbsp;</A></xml>', /unknown entity &nbsp;/],
		['an undeclared entity', '<xml><A>&xxe;</A></xml>', /unknown entity/],
		['a bare ampersand', '<xml><A>a & b</A></xml>', /malformed entity/],
		['an entity without semicolon', '<xml><A>&amp</A></xml>', /malformed entity/],
		['an empty character reference', '<xml><A>&#;</A></xml>', /unknown entity/],
		['a NUL character reference', '<xml><A>&#0;</A></xml>', /not an allowed XML character/],
		['a surrogate character reference', '<xml><A>&#xD800;</A></xml>', /not an allowed/],
		['a reference beyond Unicode', '<xml><A>&#x110000;</A></xml>', /not an allowed/],
		['an unknown entity in an attribute', '<xml a="&foo;"/>', /unknown entity/],
		['mismatched tags', '<xml><A></B></xml>', /does not match/],
		['an unclosed element', '<xml><A>x</A>', /<xml> is not closed/],
		['an unclosed child', '<xml><A>x</xml>', /does not match/],
		['an unexpected end tag', '</xml>', /unexpected end tag/],
		['text before the root', 'hello<xml/>', /outside the root/],
		['text after the root', '<xml/>trailing', /outside the root/],
		['CDATA outside the root', '<![CDATA[x]]><xml/>', /CDATA outside/],
		['two roots', '<xml/><xml/>', /more than one root/],
		['two roots with content', '<a><x>1</x></a>\n<b>2</b>', /more than one root/],
		['33 levels of nesting', nested(33), /deeper than 32/],
		['an empty string', '', /no root element/],
		['only whitespace and a comment', ' <!-- c --> ', /no root element/],
		['JSON', '{"xml": {"A": 1}}', /outside the root/],
		['plain text', 'not xml at all', /outside the root/],
		['a lone <', '<', /expected an element name/],
		['an unterminated start tag', '<xml', /malformed start tag|expected/],
		['a processing instruction', '<xml><?php echo 1; ?></xml>', /processing instructions/],
		['a declaration not at the start', '<!-- c --><?xml version="1.0"?><xml/>', /processing instructions/],
		['an unterminated declaration', '<?xml version="1.0"', /unterminated XML declaration/],
		['an unterminated comment', '<xml><!-- x</xml>', /unterminated comment/],
		['an unterminated CDATA', '<xml><A><![CDATA[x</A></xml>', /unterminated CDATA/],
		[']]> in text', '<xml><A>a]]>b</A></xml>', /not allowed in text/],
		['mixed text and elements', '<xml><A>text<B>1</B></A></xml>', /mixes text/],
		['a root holding only text', '<xml>just text</xml>', /holds text/],
		['an unquoted attribute', '<xml a=1/>', /not quoted/],
		['an attribute without value', '<xml a/>', /has no value/],
		['attributes without whitespace between them', '<xml a="1"b="2"/>', /malformed start tag/],
		['< inside an attribute value', '<xml a="<"/>', /inside an attribute/],
		['an unterminated attribute value', '<xml a="1/>', /unterminated attribute/],
		['a tag name starting with a digit', '<1xml/>', /expected an element name/],
		['a malformed end tag', '<xml></xml x>', /malformed end tag/],
		['other <! markup', '<xml><!ELEMENT a ANY></xml>', /unsupported markup/],
	])('rejects %s', (_label, xml, message) => {
		expectXmlError(xml, message);
	});

	it('rejects non-string input and a bad maxBytes with WeComXmlError', () => {
		for (const input of [undefined, null, 42, {}, Buffer.from('<xml/>')]) {
			expect(() => parseXml(input as unknown as string)).toThrow(WeComXmlError);
		}
		expect(() => parseXml('<xml/>', { maxBytes: Number.NaN })).toThrow(WeComXmlError);
		expect(() => parseXml('<xml/>', { maxBytes: -1 })).toThrow(WeComXmlError);
	});

	it('keeps error messages short even for huge tag names', () => {
		try {
			parseXml(`<xml><${'N'.repeat(10_000)}>`);
			throw new Error('expected a rejection');
		} catch (error) {
			expect(error).toBeInstanceOf(WeComXmlError);
			expect((error as Error).message.length).toBeLessThan(120);
			expect((error as Error).name).toBe('WeComXmlError');
		}
	});
});

describe('buildXml', () => {
	it('writes strings as CDATA, numbers and booleans bare, objects nested and arrays repeated', () => {
		expect(
			buildXml({
				ToUserName: 'zhangsan',
				CreateTime: 1700000000,
				Flag: true,
				Off: false,
				Big: BigInt(12345678901234567890n),
				Articles: { item: [{ Title: 'a', Url: 'https://x/?a=1&b=2' }, { Title: 'b' }] },
				Skipped: undefined,
				AlsoSkipped: null,
				Empty: '',
			}),
		).toBe(
			'<xml><ToUserName><![CDATA[zhangsan]]></ToUserName><CreateTime>1700000000</CreateTime><Flag>true</Flag><Off>false</Off>' +
				'<Big>12345678901234567890</Big>' +
				'<Articles><item><Title><![CDATA[a]]></Title><Url><![CDATA[https://x/?a=1&b=2]]></Url></item><item><Title><![CDATA[b]]></Title></item></Articles>' +
				'<Empty><![CDATA[]]></Empty></xml>',
		);
	});

	it('uses the given root name', () => {
		expect(buildXml({ A: 1 }, 'Reply')).toBe('<Reply><A>1</A></Reply>');
	});

	it.each(['a]]>b', ']]>', ']]]]>>', 'x]]>]]>y', '<![CDATA[nested]]>', ']]', ']>'])('round-trips %j through CDATA', (text) => {
		const xml = buildXml({ Content: text });
		expect(parseXml(xml)).toEqual({ Content: text });
	});

	it('round-trips nested structures (leaves come back as strings)', () => {
		const fields = { MsgType: 'update_template_card', TemplateCard: { CardType: 'text_notice', MainTitle: { Title: '标题 & <x>' }, ButtonList: { Button: [{ Key: 'k1', Style: 1 }, { Key: 'k2', Style: 2 }] } } };
		expect(parseXml(buildXml(fields))).toEqual({
			MsgType: 'update_template_card',
			TemplateCard: { CardType: 'text_notice', MainTitle: { Title: '标题 & <x>' }, ButtonList: { Button: [{ Key: 'k1', Style: '1' }, { Key: 'k2', Style: '2' }] } },
		});
	});

	it('flattens nested arrays into repeated elements', () => {
		expect(buildXml({ I: [1, [2, 3]] })).toBe('<xml><I>1</I><I>2</I><I>3</I></xml>');
	});

	it.each([
		['an invalid field name', { 'bad name': 'x' }],
		['a field name with <', { 'a<b': 'x' }],
		['an empty field name', { '': 'x' }],
		['NaN', { N: Number.NaN }],
		['Infinity', { N: Number.POSITIVE_INFINITY }],
		['a function', { F: () => 1 }],
		['a symbol', { S: Symbol('s') }],
		['a Date', { D: new Date(0) }],
		['a Buffer', { B: Buffer.from('x') }],
	])('rejects %s with WeComXmlError', (_label, fields) => {
		expect(() => buildXml(fields as Record<string, unknown>)).toThrow(WeComXmlError);
	});

	it('rejects invalid root names, non-object fields and cycles', () => {
		expect(() => buildXml({}, '1root')).toThrow(WeComXmlError);
		expect(() => buildXml([] as unknown as Record<string, unknown>)).toThrow(WeComXmlError);
		const cyclic: Record<string, unknown> = {};
		cyclic.self = cyclic;
		expect(() => buildXml(cyclic)).toThrow(/deeper than 32/);
		const list: unknown[] = [];
		list.push(list);
		expect(() => buildXml({ L: list })).toThrow(WeComXmlError);
	});
});

describe('parseXml fuzzing', () => {
	const random = seededRandom(20240607);
	const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
	const SEEDS = [POST_ENVELOPE, POST_MESSAGE.plaintext, TEMPLATE_CARD_EVENT, '<?xml version="1.0"?><xml a="1"><A>&amp;&#x41;</A><!-- c --><B/></xml>'];
	const TOKENS = [
		'<', '>', '/', '&', ';', '#', 'x', '"', "'", '=', ' ', '\n', '!', '?', '[', ']', '-', 'A', '<![CDATA[', ']]>', '<!--', '-->', '<!DOCTYPE x>',
		'<!ENTITY e "v">', '&amp;', '&#x1F600;', '&#99999999;', '&#xD800;', '&lt', '</', '/>', '<xml>', '</xml>', '\uD800', '\uFFFF', '\u0000', '中', '__proto__',
		'<?xml version="1.0"?>', '<a b="c">', 'constructor',
	];

	function mutate(source: string): string {
		let text = source;
		const edits = 1 + Math.floor(random() * 6);
		for (let e = 0; e < edits; e++) {
			const at = Math.floor(random() * (text.length + 1));
			switch (Math.floor(random() * 6)) {
				case 0: // delete a span
					text = text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 20));
					break;
				case 1: // insert a token
					text = text.slice(0, at) + pick(TOKENS) + text.slice(at);
					break;
				case 2: // replace one character
					text = text.slice(0, at) + pick(TOKENS) + text.slice(at + 1);
					break;
				case 3: // truncate
					text = text.slice(0, at);
					break;
				case 4: // duplicate a span
					text = text.slice(0, at) + text.slice(at, at + 40) + text.slice(at);
					break;
				default: // random code unit
					text = text.slice(0, at) + String.fromCharCode(Math.floor(random() * 0x10000)) + text.slice(at);
			}
		}
		return text;
	}

	it('throws nothing but WeComXmlError on 5000 mutated documents, and what parses is well-shaped', () => {
		let parsedCount = 0;
		let rejectedCount = 0;
		for (let round = 0; round < 5000; round++) {
			const input = mutate(pick(SEEDS));
			try {
				assertShape(parseXml(input));
				parsedCount++;
			} catch (error) {
				if (!(error instanceof WeComXmlError)) {
					throw new Error(`round ${round}: ${String(error)} for input ${JSON.stringify(input).slice(0, 300)}`);
				}
				rejectedCount++;
			}
		}
		// Both outcomes occur, so the fuzzer really exercises the parser and its error paths.
		expect(parsedCount).toBeGreaterThan(100);
		expect(rejectedCount).toBeGreaterThan(100);
	});

	it('throws nothing but WeComXmlError on 2000 random token soups', () => {
		for (let round = 0; round < 2000; round++) {
			const parts: string[] = [];
			const count = Math.floor(random() * 40);
			for (let i = 0; i < count; i++) parts.push(pick(TOKENS));
			const input = parts.join('');
			try {
				assertShape(parseXml(input));
			} catch (error) {
				if (!(error instanceof WeComXmlError)) {
					throw new Error(`round ${round}: ${String(error)} for input ${JSON.stringify(input)}`);
				}
			}
		}
	});

	it('parses back what buildXml writes for random field trees', () => {
		const leafText = () => {
			const chars: string[] = [];
			const length = Math.floor(random() * 12);
			for (let i = 0; i < length; i++) chars.push(pick(['a', ']', '>', ']]>', '<', '&', ' ', '中', '😀', '\n']));
			return chars.join('');
		};
		const tree = (depth: number): Record<string, unknown> => {
			const fields: Record<string, unknown> = {};
			const count = 1 + Math.floor(random() * 4);
			for (let i = 0; i < count; i++) {
				const name = pick(['A', 'B', 'Item', 'x_1', 'Ns:tag']);
				const roll = random();
				if (depth < 4 && roll < 0.25) fields[name] = tree(depth + 1);
				else if (roll < 0.4) fields[name] = [leafText(), leafText()];
				else fields[name] = leafText();
			}
			return fields;
		};
		for (let round = 0; round < 500; round++) {
			const fields = tree(0);
			expect(parseXml(buildXml(fields))).toEqual(fields);
		}
	});
});
