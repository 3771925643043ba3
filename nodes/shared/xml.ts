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
	// UTF-8 takes at least one and at most three bytes per UTF-16 code unit, so the exact count is needed only
	// between those bounds.
	if (xml.length > maxBytes || (xml.length * 3 > maxBytes && Buffer.byteLength(xml, 'utf8') > maxBytes)) {
		throw new WeComXmlError(`the XML is larger than ${maxBytes} bytes`);
	}
}

/**
 * Parses WeCom XML and returns the children of the root element (whatever its name, usually <xml>).
 * Leaves become strings (exact text, CDATA verbatim; empty elements ''); elements with children become objects;
 * repeated sibling tags become arrays in document order. Whitespace between child elements is dropped.
 */
export function parseXml(xml: string, options?: { maxBytes?: number }): XmlObject {
	const position = prepare(xml, options);
	return parsePlain(xml, position) ?? parseFrom(xml, position);
}

/**
 * parseXml without the fast path for plain documents: the general parser alone, which also produces every error.
 * Same contract as parseXml; exported so tests can check that both paths agree.
 */
export function parseXmlGeneral(xml: string, options?: { maxBytes?: number }): XmlObject {
	return parseFrom(xml, prepare(xml, options));
}

/** Argument and size checks; returns where the document starts (after a BOM and XML declaration). */
function prepare(xml: string, options: { maxBytes?: number } | undefined): number {
	if (typeof xml !== 'string') throw new WeComXmlError('the XML must be a string');
	const maxBytes = options?.maxBytes ?? DEFAULT_MAX_XML_BYTES;
	if (typeof maxBytes !== 'number' || !(maxBytes >= 0)) throw new WeComXmlError('maxBytes must be a non-negative number');
	checkSize(xml, maxBytes);
	return skipDeclaration(xml);
}

const LESS_THAN = 0x3c;
const GREATER_THAN = 0x3e;
const SLASH = 0x2f;
const BANG = 0x21;
const AMPERSAND = 0x26;
const CLOSE_BRACKET = 0x5d;

/** ASCII name characters the general parser's NAME_AT accepts; `first` excludes what may not start a name. */
function isAsciiNameChar(code: number, first: boolean): boolean {
	if ((code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || code === 0x5f || code === 0x3a) return true;
	return !first && ((code >= 0x30 && code <= 0x39) || code === 0x2e || code === 0x2d);
}

function isBlankCode(code: number): boolean {
	return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

/**
 * The fast path for what WeCom actually sends: elements without attributes, ASCII tag names, CDATA, and text
 * without '&' or ']'. It returns undefined as soon as it meets anything else (attributes, references, comments,
 * declarations, '__proto__', nesting past the limit) or anything wrong, and the general parser then decides,
 * so results and errors are exactly the general parser's. A document it accepts gives the same value.
 */
function parsePlain(xml: string, start: number): XmlObject | undefined {
	const length = xml.length;
	const names: string[] = [];
	const nameStarts: number[] = [];
	const texts: string[] = [];
	const hasTexts: boolean[] = [];
	const childrenOf: Array<XmlObject | undefined> = [];
	let depth = 0;
	let result: XmlObject | undefined;
	let position = start;

	while (position < length) {
		// Markup usually follows markup directly: look further only when it does not.
		const textEnd = xml.charCodeAt(position) === LESS_THAN ? position : textEndFrom(xml, position);
		if (textEnd > position) {
			let blank = true;
			for (let i = position; i < textEnd; i++) {
				const code = xml.charCodeAt(i);
				// '&' needs reference decoding and ']' may start ']]>': both are the general parser's job.
				if (code === AMPERSAND || code === CLOSE_BRACKET) return undefined;
				if (blank && !isBlankCode(code)) blank = false;
			}
			if (depth === 0) {
				if (!blank) return undefined;
			} else {
				texts[depth - 1] += xml.slice(position, textEnd);
				if (!blank) hasTexts[depth - 1] = true;
			}
			position = textEnd;
			continue;
		}

		const next = xml.charCodeAt(position + 1);
		if (next === BANG) {
			if (depth === 0 || !isCdataStart(xml, position)) return undefined;
			const end = xml.indexOf(']]>', position + 9);
			if (end < 0) return undefined;
			if (end > position + 9) {
				texts[depth - 1] += xml.slice(position + 9, end);
				hasTexts[depth - 1] = true;
			}
			position = end + 3;
		} else if (next === SLASH) {
			if (depth === 0) return undefined;
			const name = names[depth - 1];
			const nameEnd = position + 2 + name.length;
			// The open name is a valid name and '>' is not a name character, so this is exactly a matching end tag.
			if (xml.charCodeAt(nameEnd) !== GREATER_THAN) return undefined;
			const openAt = nameStarts[depth - 1];
			for (let i = 0; i < name.length; i++) {
				if (xml.charCodeAt(position + 2 + i) !== xml.charCodeAt(openAt + i)) return undefined;
			}
			depth--;
			const children = childrenOf[depth];
			let value: XmlNode;
			if (children !== undefined) {
				if (hasTexts[depth]) return undefined;
				value = children;
			} else {
				value = texts[depth];
			}
			if (depth > 0) {
				if (!addPlainChild(childrenOf, depth - 1, name, value)) return undefined;
			} else {
				if (children === undefined && hasTexts[0]) return undefined;
				result = children ?? {};
			}
			position = nameEnd + 1;
		} else {
			if (!isAsciiNameChar(next, true)) return undefined;
			let nameEnd = position + 2;
			while (nameEnd < length && isAsciiNameChar(xml.charCodeAt(nameEnd), false)) nameEnd++;
			const after = xml.charCodeAt(nameEnd);
			const selfClosing = after === SLASH && xml.charCodeAt(nameEnd + 1) === GREATER_THAN;
			if (after !== GREATER_THAN && !selfClosing) return undefined;
			if (depth === 0 && result !== undefined) return undefined;
			if (depth >= MAX_DEPTH) return undefined;
			const name = knownName(xml, position + 1, nameEnd);
			if (selfClosing) {
				if (depth === 0) result = {};
				else if (!addPlainChild(childrenOf, depth - 1, name, '')) return undefined;
				position = nameEnd + 2;
			} else {
				names[depth] = name;
				nameStarts[depth] = position + 1;
				texts[depth] = '';
				hasTexts[depth] = false;
				childrenOf[depth] = undefined;
				depth++;
				position = nameEnd + 1;
			}
		}
	}
	return depth === 0 ? result : undefined;
}

/**
 * Recently seen tag names, by a hash of length and end characters. Reusing the string that already served as
 * a property key spares V8 hashing and interning a fresh copy for every element (most of the cost of building
 * the objects). Holds only names (at most NAME_CACHE_SIZE short strings), never text.
 */
const NAME_CACHE_SIZE = 256;
const MAX_CACHED_NAME = 64;
const nameCache: Array<string | undefined> = new Array<string | undefined>(NAME_CACHE_SIZE).fill(undefined);

function knownName(xml: string, start: number, end: number): string {
	const length = end - start;
	if (length > MAX_CACHED_NAME) return xml.slice(start, end);
	const slot = (length * 31 + xml.charCodeAt(start) * 7 + xml.charCodeAt(end - 1) * 3 + xml.charCodeAt(start + (length >> 1))) & (NAME_CACHE_SIZE - 1);
	const cached = nameCache[slot];
	if (cached !== undefined && cached.length === length && xml.startsWith(cached, start)) return cached;
	const name = xml.slice(start, end);
	nameCache[slot] = name;
	return name;
}

/** xml.startsWith('<![CDATA[', position) after '<!' is known, without a builtin call per element. */
function isCdataStart(xml: string, position: number): boolean {
	return (
		xml.charCodeAt(position + 2) === 0x5b && // [
		xml.charCodeAt(position + 3) === 0x43 && // C
		xml.charCodeAt(position + 4) === 0x44 && // D
		xml.charCodeAt(position + 5) === 0x41 && // A
		xml.charCodeAt(position + 6) === 0x54 && // T
		xml.charCodeAt(position + 7) === 0x41 && // A
		xml.charCodeAt(position + 8) === 0x5b // [
	);
}

function textEndFrom(xml: string, position: number): number {
	const lessThan = xml.indexOf('<', position);
	return lessThan < 0 ? xml.length : lessThan;
}

/** addChild for the fast path; false for '__proto__', which only the general parser's defineProperty handles. */
function addPlainChild(childrenOf: Array<XmlObject | undefined>, index: number, name: string, value: XmlNode): boolean {
	if (name === '__proto__') return false;
	let siblings = childrenOf[index];
	if (siblings === undefined) {
		siblings = {};
		childrenOf[index] = siblings;
	}
	const existing = siblings[name];
	// An own value is never undefined, so undefined means new; a defined one may still be inherited ('toString').
	if (existing === undefined || !Object.prototype.hasOwnProperty.call(siblings, name)) {
		siblings[name] = value;
		return true;
	}
	if (Array.isArray(existing)) existing.push(value);
	else siblings[name] = [existing, value];
	return true;
}

/** The general parser, from `start` (after any BOM and declaration). */
function parseFrom(xml: string, start: number): XmlObject {
	const stack: Frame[] = [];
	let result: XmlObject | undefined;
	let position = start;

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
