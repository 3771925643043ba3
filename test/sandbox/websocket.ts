/**
 * The server side of RFC 6455 on node:http's 'upgrade' event, just enough for the long-connection imitation:
 * the opening handshake, masked client frames (text, binary, continuation), ping → pong, close, unmasked
 * server frames. No extensions (permessage-deflate is declined by not answering it), no subprotocols.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
/** A frame or message larger than this closes the connection with 1009 (WeCom's chunks are ≤ 512 KB raw). */
const MAX_MESSAGE = 4 * 1024 * 1024;

export interface WsPeer {
	readonly id: number;
	readonly path: string;
	send(text: string): void;
	/** Sends a close frame and ends the socket. */
	close(code?: number, reason?: string): void;
	/** Drops the TCP connection without a close frame (a network failure). */
	destroy(): void;
	readonly open: boolean;
	onText?: (text: string) => void;
	onClose?: (code: number) => void;
}

let nextPeerId = 0;

/** Completes the handshake and returns the peer, or answers 400 and returns undefined. */
export function acceptWebSocket(request: IncomingMessage, socket: Duplex, head: Buffer): WsPeer | undefined {
	const key = request.headers['sec-websocket-key'];
	const upgrade = String(request.headers.upgrade ?? '').toLowerCase();
	if (upgrade !== 'websocket' || typeof key !== 'string' || Buffer.from(key, 'base64').length !== 16 || request.headers['sec-websocket-version'] !== '13') {
		socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
		return undefined;
	}
	const accept = createHash('sha1').update(key + GUID).digest('base64');
	socket.write(
		'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' + `Sec-WebSocket-Accept: ${accept}\r\n\r\n`,
	);
	let buffer: Buffer = head.length > 0 ? Buffer.from(head) : Buffer.alloc(0);
	let fragments: Buffer[] = [];
	let fragmentOpcode = 0;
	let open = true;
	let closeCode = 1006;

	const peer: WsPeer = {
		id: ++nextPeerId,
		path: new URL(request.url ?? '/', 'http://127.0.0.1').pathname,
		get open() {
			return open;
		},
		send(text: string) {
			if (open) socket.write(frame(0x1, Buffer.from(text, 'utf8')));
		},
		close(code = 1000, reason = '') {
			if (!open) return;
			const payload = Buffer.alloc(2 + Buffer.byteLength(reason));
			payload.writeUInt16BE(code, 0);
			payload.write(reason, 2);
			socket.write(frame(0x8, payload));
			closeCode = code;
			finish();
			socket.end();
		},
		destroy() {
			finish();
			socket.destroy();
		},
	};

	const finish = () => {
		if (!open) return;
		open = false;
		peer.onClose?.(closeCode);
	};

	const fail = (code: number) => {
		peer.close(code);
	};

	const onData = (chunk: Buffer) => {
		buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
		for (;;) {
			const parsed = readFrame(buffer);
			if (parsed === 'incomplete') return;
			if (parsed === 'too-large') return fail(1009);
			if (parsed === 'unmasked') return fail(1002);
			buffer = buffer.subarray(parsed.consumed);
			const { fin, opcode, payload } = parsed;
			if (opcode === 0x8) {
				const code = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
				closeCode = code;
				if (open) socket.write(frame(0x8, payload.subarray(0, 2)));
				finish();
				socket.end();
				return;
			}
			if (opcode === 0x9) {
				if (open) socket.write(frame(0xa, payload));
				continue;
			}
			if (opcode === 0xa) continue;
			if (opcode === 0x1 || opcode === 0x2) {
				if (fragments.length > 0) return fail(1002);
				if (fin) {
					if (opcode === 0x1) peer.onText?.(payload.toString('utf8'));
					continue;
				}
				fragmentOpcode = opcode;
				fragments = [payload];
				continue;
			}
			if (opcode === 0x0) {
				if (fragments.length === 0) return fail(1002);
				fragments.push(payload);
				if (fragments.reduce((sum, part) => sum + part.length, 0) > MAX_MESSAGE) return fail(1009);
				if (fin) {
					const message = Buffer.concat(fragments);
					fragments = [];
					if (fragmentOpcode === 0x1) peer.onText?.(message.toString('utf8'));
				}
				continue;
			}
			return fail(1002);
		}
	};

	socket.on('data', onData);
	socket.on('close', finish);
	socket.on('error', finish);
	if (buffer.length > 0) {
		const initial = buffer;
		buffer = Buffer.alloc(0);
		queueMicrotask(() => onData(initial));
	}
	return peer;
}

type ParsedFrame = { fin: boolean; opcode: number; payload: Buffer; consumed: number };

function readFrame(buffer: Buffer): ParsedFrame | 'incomplete' | 'too-large' | 'unmasked' {
	if (buffer.length < 2) return 'incomplete';
	const fin = (buffer[0] & 0x80) !== 0;
	const opcode = buffer[0] & 0x0f;
	const masked = (buffer[1] & 0x80) !== 0;
	let length = buffer[1] & 0x7f;
	let offset = 2;
	if (length === 126) {
		if (buffer.length < 4) return 'incomplete';
		length = buffer.readUInt16BE(2);
		offset = 4;
	} else if (length === 127) {
		if (buffer.length < 10) return 'incomplete';
		const big = buffer.readBigUInt64BE(2);
		if (big > BigInt(MAX_MESSAGE)) return 'too-large';
		length = Number(big);
		offset = 10;
	}
	if (length > MAX_MESSAGE) return 'too-large';
	// Clients must mask every frame (RFC 6455 §5.1).
	if (!masked) return 'unmasked';
	if (buffer.length < offset + 4 + length) return 'incomplete';
	const mask = buffer.subarray(offset, offset + 4);
	const payload = Buffer.from(buffer.subarray(offset + 4, offset + 4 + length));
	for (let i = 0; i < payload.length; i++) payload[i] ^= mask[i & 3];
	return { fin, opcode, payload, consumed: offset + 4 + length };
}

function frame(opcode: number, payload: Buffer): Buffer {
	const length = payload.length;
	let header: Buffer;
	if (length < 126) {
		header = Buffer.from([0x80 | opcode, length]);
	} else if (length < 65536) {
		header = Buffer.alloc(4);
		header[0] = 0x80 | opcode;
		header[1] = 126;
		header.writeUInt16BE(length, 2);
	} else {
		header = Buffer.alloc(10);
		header[0] = 0x80 | opcode;
		header[1] = 127;
		header.writeBigUInt64BE(BigInt(length), 2);
	}
	return Buffer.concat([header, payload]);
}
