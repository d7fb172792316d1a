// Server-Sent Events framing: pure functions from events to the bytes on the wire.
import type { LoggedTurnEvent } from "./events";

/** One event ready for the wire, with its stream id (ordering) and whether it ends the turn. */
export interface SseFrame {
  id: string;
  text: string;
  terminal: boolean;
}

/**
 * The frame of an event whose payload is already JSON text (as the turn log stores it), so the relay
 * never parses and re-serialises what it only forwards. `data:` must not contain raw newlines;
 * JSON.stringify never emits them, so one line suffices.
 */
export function sseFrameText(id: string, event: string, json: string): string {
  return `id: ${id}\nevent: ${event}\ndata: ${json}\n\n`;
}

/** A frame without `id:`: the client's Last-Event-ID stays the last logged event it received. */
export function sseUnnumberedFrameText(event: string, json: string): string {
  return `event: ${event}\ndata: ${json}\n\n`;
}

export function encodeSseFrame(event: LoggedTurnEvent): string {
  return sseFrameText(event.id, event.event, JSON.stringify(event.data));
}

export function toSseFrame(event: LoggedTurnEvent): SseFrame {
  return { id: event.id, text: encodeSseFrame(event), terminal: event.event === "end" };
}

/** A comment line: ignored by EventSource, but it keeps proxies and load balancers from idling out. */
export const SSE_KEEPALIVE = ": keep-alive\n\n";

/** Tells EventSource how long to wait before reconnecting by itself. */
export const SSE_RETRY_MS = 1_000;
export const SSE_PREAMBLE = `retry: ${SSE_RETRY_MS}\n\n`;

const STREAM_ID_SHAPE = /^\d{1,20}-\d{1,20}$/;
const MAX_U64 = "18446744073709551615";

/**
 * True for an id Redis accepts in XREAD: both parts unsigned 64-bit decimals. The shared relay read
 * names every open stream, so one id Redis refuses would fail the read for every client.
 */
export function isRedisStreamId(id: string): boolean {
  if (!STREAM_ID_SHAPE.test(id)) return false;
  const dash = id.indexOf("-");
  return (
    compareDecimals(id, 0, dash, MAX_U64, 0, MAX_U64.length) <= 0 &&
    compareDecimals(id, dash + 1, id.length, MAX_U64, 0, MAX_U64.length) <= 0
  );
}

/** A client-supplied Last-Event-ID is only ever used as a Redis stream id, so it must be one. */
export function parseLastEventId(value: string | null | undefined): string | null {
  if (!value) return null;
  const trimmed = value.trim();
  return isRedisStreamId(trimmed) ? trimmed : null;
}

const ZERO = 48; // "0"

/**
 * Stream ids order by (milliseconds, sequence), each an unsigned 64-bit decimal; compares two of
 * them exactly. The relay compares ids for every entry and subscriber, so this works on the digits in
 * place (no split, no BigInt): a longer number without leading zeros is the larger one.
 */
export function compareStreamIds(a: string, b: string): number {
  if (a === b) return 0;
  const aDash = dashOf(a);
  const bDash = dashOf(b);
  return (
    compareDecimals(a, 0, aDash, b, 0, bDash) ||
    compareDecimals(a, aDash + 1, a.length, b, bDash + 1, b.length)
  );
}

function dashOf(id: string): number {
  const dash = id.indexOf("-");
  return dash === -1 ? id.length : dash;
}

/** Compares the decimal digits a[aStart, aEnd) and b[bStart, bEnd); an empty run counts as 0. */
function compareDecimals(
  a: string,
  aStart: number,
  aEnd: number,
  b: string,
  bStart: number,
  bEnd: number,
): number {
  let i = aStart;
  let j = bStart;
  while (i < aEnd && a.charCodeAt(i) === ZERO) i++;
  while (j < bEnd && b.charCodeAt(j) === ZERO) j++;
  const aLength = aEnd - i;
  const bLength = bEnd - j;
  if (aLength !== bLength) return aLength < bLength ? -1 : 1;
  for (; i < aEnd; i++, j++) {
    const difference = a.charCodeAt(i) - b.charCodeAt(j);
    if (difference !== 0) return difference < 0 ? -1 : 1;
  }
  return 0;
}
