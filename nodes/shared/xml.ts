/**
 * A small, strict parser and writer for the XML WeCom exchanges (callbacks, passive replies).
 * n8n's scanner forbids XML libraries at runtime, and WeCom's subset is tiny: elements, text, CDATA,
 * the five predefined entities and character references. Anything else (DOCTYPE, entity declarations,
 * unknown entities, processing instructions, mixed content) is rejected, so no entity expansion can happen.
 * The parser is iterative with a depth limit, runs in linear time and throws only WeComXmlError.
 */

export type XmlNode = string | XmlObject | XmlNode[];
export interface XmlObject {
	[tag: string]: XmlNode;
}

export class WeComXmlError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'WeComXmlError';
	}
}

/** 1 MiB: far above any WeCom callback, low enough to bound the work per request. */
export const DEFAULT_MAX_XML_BYTES = 1024 * 1024;
const MAX_DEPTH = 32;
const MAX_NAME_IN_MESSAGE = 40;

const NAME_AT = /[A-Za-z_:\u00C0-\uFFFF][A-Za-z0-9_:.\-\u00B7\u00C0-\uFFFF]*/y;
const NAME_ONLY = /^[A-Za-z_:\u00C0-\uFFFF][A-Za-z0-9_:.\-\u00B7\u00C0-\uFFFF]*$/;
const WHITESPACE_ONLY = /^[ \t\r\n]*$/;
const PREDEFINED_ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

interface Frame {
	name: string;
	text: string[];
	/** Set once the first child element closes; the element is then an object, not a string. */
	children?: XmlObject;
	/** Non-whitespace text or non-empty CDATA seen directly inside this element. */
	hasText: boolean;
}

function isWhitespace(char: string | undefined): boolean {
	return char === ' ' || char === '\t' || char === '\n' || char === '\r';
}

function shown(name: string): string {
	return name.length > MAX_NAME_IN_MESSAGE ? `${name.slice(0, MAX_NAME_IN_MESSAGE)}…` : name;
}

/** Own property even for names like `__proto__`, so no tag can reach an object's prototype. */
function setOwn(target: XmlObject, name: string, value: XmlNode): void {
	Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
}

function addChild(parent: Frame, name: string, value: XmlNode): void {
	if (parent.children === undefined) parent.children = {};
	const siblings = parent.children;
	if (!Object.prototype.hasOwnProperty.call(siblings, name)) {
		setOwn(siblings, name, value);
		return;
	}
	// A child value is never an array itself, so an array here means the tag already repeated.
	const existing = siblings[name];
	if (Array.isArray(existing)) existing.push(value);
	else setOwn(siblings, name, [existing, value]);
}

/** Whether a character reference names a character XML 1.0 allows. */
function isXmlChar(code: number): boolean {
	return (
		code === 0x9 ||
		code === 0xa ||
		code === 0xd ||
		(code >= 0x20 && code <= 0xd7ff) ||
		(code >= 0xe000 && code <= 0xfffd) ||
		(code >= 0x10000 && code <= 0x10ffff)
	);
}

function resolveEntity(reference: string): string {
	if (Object.prototype.hasOwnProperty.call(PREDEFINED_ENTITIES, reference)) return PREDEFINED_ENTITIES[reference];
	let code = Number.NaN;
	if (/^#x[0-9A-Fa-f]{1,6}$/.test(reference)) code = parseInt(reference.slice(2), 16);
	else if (/^#[0-9]{1,7}$/.test(reference)) code = parseInt(reference.slice(1), 10);
	else throw new WeComXmlError(`unknown entity &${reference};`);
	if (!isXmlChar(code)) throw new WeComXmlError(`character reference &${reference}; is not an allowed XML character`);
	return String.fromCodePoint(code);
}

/** Decodes entity and character references in text or an attribute value. */
function decodeReferences(raw: string): string {
	if (!raw.includes('&')) return raw;
	const parts: string[] = [];
	let index = 0;
	for (;;) {
		const amp = raw.indexOf('&', index);
		if (amp < 0) break;
		parts.push(raw.slice(index, amp));
		const semicolon = raw.indexOf(';', amp + 1);
		// The longest valid reference is &#1114111; (10 characters after '&').
		if (semicolon < 0 || semicolon - amp > 10) throw new WeComXmlError("malformed entity reference: '&' must start &name;");
		parts.push(resolveEntity(raw.slice(amp + 1, semicolon)));
		index = semicolon + 1;
	}
	parts.push(raw.slice(index));
	return parts.join('');
}

function readName(xml: string, position: number, what: string): string {
	NAME_AT.lastIndex = position;
	const match = NAME_AT.exec(xml);
	if (match === null) throw new WeComXmlError(`expected ${what} at offset ${position}`);
	return match[0];
}

function skipWhitespace(xml: string, position: number): number {
	let index = position;
	while (isWhitespace(xml[index])) index++;
	return index;
}

/** Reads a start tag from just after '<'; attributes are checked for well-formedness and dropped. */
function readStartTag(xml: string, position: number): { name: string; end: number; selfClosing: boolean } {
	const name = readName(xml, position, 'an element name');
	let index = position + name.length;
	for (;;) {
		const afterSpace = skipWhitespace(xml, index);
		if (xml.startsWith('/>', afterSpace)) return { name, end: afterSpace + 2, selfClosing: true };
		if (xml[afterSpace] === '>') return { name, end: afterSpace + 1, selfClosing: false };
		if (afterSpace === index) throw new WeComXmlError(`malformed start tag <${shown(name)}>`);
		const attribute = readName(xml, afterSpace, `an attribute name or '>' in <${shown(name)}>`);
		index = skipWhitespace(xml, afterSpace + attribute.length);
		if (xml[index] !== '=') throw new WeComXmlError(`attribute ${shown(attribute)} in <${shown(name)}> has no value`);
		index = skipWhitespace(xml, index + 1);
		const quote = xml[index];
		if (quote !== '"' && quote !== "'") throw new WeComXmlError(`attribute ${shown(attribute)} in <${shown(name)}> is not quoted`);
		const close = xml.indexOf(quote, index + 1);
		if (close < 0) throw new WeComXmlError(`unterminated attribute value in <${shown(name)}>`);
		const value = xml.slice(index + 1, close);
		if (value.includes('<')) throw new WeComXmlError(`'<' inside an attribute value of <${shown(name)}>`);
		decodeReferences(value);
		index = close + 1;
	}
}

function readEndTag(xml: string, position: number): { name: string; end: number } {
	const name = readName(xml, position, 'an element name after </');
	const index = skipWhitespace(xml, position + name.length);
	if (xml[index] !== '>') throw new WeComXmlError(`malformed end tag </${shown(name)}>`);
	return { name, end: index + 1 };
}

/** Skips a leading BOM and the optional XML declaration. */
function skipDeclaration(xml: string): number {
	let index = xml.charCodeAt(0) === 0xfeff ? 1 : 0;
	if (xml.startsWith('<?xml', index) && isWhitespace(xml[index + 5])) {
		const end = xml.indexOf('?>', index + 5);
		if (end < 0) throw new WeComXmlError('unterminated XML declaration');
		index = end + 2;
	}
	return index;
}

function checkSize(xml: string, maxBytes: number): void {
	// UTF-8 never takes fewer bytes than UTF-16 code units, so the cheap length test comes first.
	if (xml.length > maxBytes || Buffer.byteLength(xml, 'utf8') > maxBytes) {
		throw new WeComXmlError(`the XML is larger than ${maxBytes} bytes`);
	}
}

/**
 * Parses WeCom XML and returns the children of the root element (whatever its name, usually <xml>).
 * Leaves become strings (exact text, CDATA verbatim; empty elements ''); elements with children become objects;
 * repeated sibling tags become arrays in document order. Whitespace between child elements is dropped.
 */
export function parseXml(xml: string, options?: { maxBytes?: number }): XmlObject {
	if (typeof xml !== 'string') throw new WeComXmlError('the XML must be a string');
	const maxBytes = options?.maxBytes ?? DEFAULT_MAX_XML_BYTES;
	if (typeof maxBytes !== 'number' || !(maxBytes >= 0)) throw new WeComXmlError('maxBytes must be a non-negative number');
	checkSize(xml, maxBytes);

	const stack: Frame[] = [];
	let result: XmlObject | undefined;
	let position = skipDeclaration(xml);

	const closeElement = (frame: Frame): void => {
		let value: XmlNode;
		if (frame.children !== undefined) {
			if (frame.hasText) throw new WeComXmlError(`<${shown(frame.name)}> mixes text with child elements`);
			value = frame.children;
		} else {
			value = frame.text.join('');
		}
		const parent = stack[stack.length - 1];
		if (parent !== undefined) {
			addChild(parent, frame.name, value);
			return;
		}
		if (frame.children === undefined && frame.hasText) {
			throw new WeComXmlError(`the root element <${shown(frame.name)}> holds text instead of elements`);
		}
		result = frame.children ?? {};
	};

	while (position < xml.length) {
		const top = stack[stack.length - 1];
		const lessThan = xml.indexOf('<', position);
		const textEnd = lessThan < 0 ? xml.length : lessThan;
		if (textEnd > position) {
			const raw = xml.slice(position, textEnd);
			const blank = WHITESPACE_ONLY.test(raw);
			if (top === undefined) {
				if (!blank) throw new WeComXmlError('text outside the root element');
			} else {
				if (raw.includes(']]>')) throw new WeComXmlError("']]>' is not allowed in text");
				top.text.push(decodeReferences(raw));
				if (!blank) top.hasText = true;
			}
			position = textEnd;
			continue;
		}

		if (xml.startsWith('<!--', position)) {
			const end = xml.indexOf('-->', position + 4);
			if (end < 0) throw new WeComXmlError('unterminated comment');
			position = end + 3;
		} else if (xml.startsWith('<![CDATA[', position)) {
			if (top === undefined) throw new WeComXmlError('CDATA outside the root element');
			const end = xml.indexOf(']]>', position + 9);
			if (end < 0) throw new WeComXmlError('unterminated CDATA section');
			const content = xml.slice(position + 9, end);
			top.text.push(content);
			if (content.length > 0) top.hasText = true;
			position = end + 3;
		} else if (xml.startsWith('<!', position)) {
			const declaration = xml.slice(position + 2, position + 9).toUpperCase();
			if (declaration.startsWith('DOCTYPE')) throw new WeComXmlError('DOCTYPE declarations are not allowed');
			if (declaration.startsWith('ENTITY')) throw new WeComXmlError('ENTITY declarations are not allowed');
			throw new WeComXmlError(`unsupported markup '<!' at offset ${position}`);
		} else if (xml.startsWith('<?', position)) {
			throw new WeComXmlError('processing instructions are not allowed');
		} else if (xml.startsWith('</', position)) {
			const tag = readEndTag(xml, position + 2);
			if (top === undefined) throw new WeComXmlError(`unexpected end tag </${shown(tag.name)}>`);
			if (tag.name !== top.name) {
				throw new WeComXmlError(`end tag </${shown(tag.name)}> does not match <${shown(top.name)}>`);
			}
			stack.pop();
			closeElement(top);
			position = tag.end;
		} else {
			const tag = readStartTag(xml, position + 1);
			if (top === undefined && result !== undefined) throw new WeComXmlError('more than one root element');
			if (stack.length >= MAX_DEPTH) throw new WeComXmlError(`elements are nested deeper than ${MAX_DEPTH} levels`);
			const frame: Frame = { name: tag.name, text: [], hasText: false };
			if (tag.selfClosing) closeElement(frame);
			else stack.push(frame);
			position = tag.end;
		}
	}

	const open = stack[stack.length - 1];
	if (open !== undefined) throw new WeComXmlError(`element <${shown(open.name)}> is not closed`);
	if (result === undefined) throw new WeComXmlError('no root element');
	return result;
}

function assertName(name: string): void {
	if (typeof name !== 'string' || !NAME_ONLY.test(name)) {
		throw new WeComXmlError(`'${shown(String(name))}' is not a valid XML element name`);
	}
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
	if (typeof value !== 'object' || value === null) return false;
	const prototype: unknown = Object.getPrototypeOf(value);
	return prototype === Object.prototype || prototype === null;
}

/** CDATA can hold anything except ']]>', which is split across two sections. */
function cdata(text: string): string {
	return `<![CDATA[${text.split(']]>').join(']]]]><![CDATA[>')}]]>`;
}

function appendValue(out: string[], name: string, value: unknown, depth: number): void {
	if (value === undefined || value === null) return;
	if (depth > MAX_DEPTH) throw new WeComXmlError(`the reply nests deeper than ${MAX_DEPTH} levels (or refers to itself)`);
	if (Array.isArray(value)) {
		for (const item of value) appendValue(out, name, item, depth + 1);
		return;
	}
	assertName(name);
	if (typeof value === 'string') {
		out.push(`<${name}>${cdata(value)}</${name}>`);
	} else if (typeof value === 'number') {
		if (!Number.isFinite(value)) throw new WeComXmlError(`<${shown(name)}> must be a finite number`);
		out.push(`<${name}>${String(value)}</${name}>`);
	} else if (typeof value === 'boolean' || typeof value === 'bigint') {
		out.push(`<${name}>${String(value)}</${name}>`);
	} else if (isPlainObject(value)) {
		out.push(`<${name}>`);
		for (const [key, entry] of Object.entries(value)) appendValue(out, key, entry, depth + 1);
		out.push(`</${name}>`);
	} else {
		throw new WeComXmlError(`<${shown(name)}> cannot hold a value of type ${typeof value}`);
	}
}

/**
 * Writes fields as WeCom XML: strings in CDATA, numbers and booleans bare, objects as nested elements,
 * arrays as repeated elements of the same name; null and undefined fields are left out.
 */
export function buildXml(fields: Record<string, unknown>, rootName: string = 'xml'): string {
	assertName(rootName);
	if (!isPlainObject(fields)) throw new WeComXmlError('the reply fields must be a plain object');
	const out: string[] = [`<${rootName}>`];
	for (const [key, entry] of Object.entries(fields)) appendValue(out, key, entry, 1);
	out.push(`</${rootName}>`);
	return out.join('');
}
