/**
 * Callback mode's process-local hand-over between the AI Bot Trigger (which answers WeCom's HTTP calls) and the
 * WeCom node's AI Bot operations (which run later in the same execution):
 *
 * - streams: the trigger answers a message with a "thinking" stream frame and WeCom then polls with refresh
 *   callbacks ({msgtype:"stream", stream:{id}}) until finish; each refresh is answered from here, and the reply
 *   operation feeds the answer in. Lives at most WeCom's 6 minutes.
 * - event slots: enter_chat and template_card_event must be answered in the HTTP response within 5 s; the trigger
 *   holds that response open for a few seconds and the welcome / card-update operation fills it.
 *
 * Both exist only in the process that received the callback. In queue mode the executions run on workers, where
 * these maps are empty: the operations see that and use response_url instead (or fail the item), never silently.
 */
import { sleep } from 'n8n-workflow';

import { AIBOT_LIMITS, type StreamImage } from './limits';

export interface StreamState {
	id: string;
	content: string;
	finish: boolean;
	images: StreamImage[];
	templateCard?: Record<string, unknown>;
	createdAt: number;
	/** The final frame went out to WeCom (in a refresh answer). */
	delivered: boolean;
	/** The answer went another way (response_url); refreshes get a finished stream. */
	abandoned: boolean;
	/** Times WeCom asked for this stream. */
	refreshes: number;
}

const streams = new Map<string, StreamState>();
/** Refreshes after this get a finished stream, so WeCom's 6-minute limit never leaves a "thinking" answer open. */
const CLOSE_BEFORE_MS = AIBOT_LIMITS.streamLifetimeMs - 15_000;

function prune(now: number): void {
	for (const [id, state] of streams) if (now - state.createdAt > AIBOT_LIMITS.streamLifetimeMs + 60_000) streams.delete(id);
}

/** A stream the trigger opened with its first frame (which carries feedback.id, if any: later frames cannot change it). */
export function openStream(id: string, thinking: string, now = Date.now()): StreamState {
	prune(now);
	const state: StreamState = { id, content: thinking, finish: false, images: [], createdAt: now, delivered: false, abandoned: false, refreshes: 0 };
	streams.set(id, state);
	return state;
}

export function getStream(id: string): StreamState | undefined {
	return streams.get(id);
}

/** The frame to answer a refresh with; marks the final frame as delivered. */
export function frameForRefresh(id: string, now = Date.now()): Record<string, unknown> | undefined {
	const state = streams.get(id);
	if (!state) return undefined;
	state.refreshes++;
	if (!state.finish && (state.abandoned || now - state.createdAt > CLOSE_BEFORE_MS)) state.finish = true;
	const stream: Record<string, unknown> = { id, finish: state.finish, content: state.content };
	if (state.finish && state.images.length > 0) stream.msg_item = state.images.map((image) => ({ msgtype: 'image', image }));
	// No feedback.id here: WeCom reads it from the stream's first reply only, the trigger's HTTP answer (page 101031).
	if (state.finish) state.delivered = true;
	if (state.templateCard && state.finish) {
		return { msgtype: 'stream_with_template_card', stream, template_card: state.templateCard };
	}
	return { msgtype: 'stream', stream };
}

export type FeedResult = 'fed' | 'unknown' | 'expired' | 'finished';

export function feedStream(
	id: string,
	update: { content: string; finish: boolean; images?: StreamImage[]; templateCard?: Record<string, unknown> },
	now = Date.now(),
): FeedResult {
	const state = streams.get(id);
	if (!state) return 'unknown';
	if (state.finish || state.abandoned) return 'finished';
	if (now - state.createdAt > CLOSE_BEFORE_MS) return 'expired';
	state.content = update.content;
	state.finish = update.finish;
	if (update.images) state.images = update.images;
	if (update.templateCard) state.templateCard = update.templateCard;
	return 'fed';
}

/** Waits until WeCom fetched the final frame; false after `timeoutMs`. */
export async function waitDelivered(id: string, timeoutMs: number): Promise<boolean> {
	for (let waited = 0; waited < timeoutMs; waited += 100) {
		const state = streams.get(id);
		if (!state) return false;
		if (state.delivered) return true;
		await sleep(100);
	}
	return streams.get(id)?.delivered === true;
}

/** The answer goes another way; the next refresh closes the stream with what it shows. */
export function abandonStream(id: string): void {
	const state = streams.get(id);
	if (state && !state.delivered) state.abandoned = true;
}

interface EventSlot {
	payload?: Record<string, unknown>;
	closed: boolean;
}
const slots = new Map<string, EventSlot>();

/** Opens a slot the trigger waits on; returns the payload when filled within `timeoutMs`, else undefined. */
export async function awaitEventReply(key: string, timeoutMs: number): Promise<Record<string, unknown> | undefined> {
	const slot: EventSlot = { closed: false };
	slots.set(key, slot);
	try {
		for (let waited = 0; waited < timeoutMs && slot.payload === undefined; waited += 50) await sleep(50);
		return slot.payload;
	} finally {
		slot.closed = true;
		slots.delete(key);
	}
}

/** 'filled' when the trigger's open HTTP answer takes it; 'none' when no slot is open in this process. */
export function fillEventReply(key: string, payload: Record<string, unknown>): 'filled' | 'none' | 'taken' {
	const slot = slots.get(key);
	if (!slot || slot.closed) return 'none';
	if (slot.payload !== undefined) return 'taken';
	slot.payload = payload;
	return 'filled';
}

export function hasEventSlot(key: string): boolean {
	return slots.has(key);
}
