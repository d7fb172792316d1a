// Server-Sent Events framing: pure functions from events to the bytes on the wire.
import type { LoggedTurnEvent } from "./events";

/** `data:` must not contain raw newlines; JSON.stringify never emits them, so one line suffices. */
export function encodeSseFrame(event: LoggedTurnEvent): string {
  return `id: ${event.id}\nevent: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`;
}

/** A comment line: ignored by EventSource, but it keeps proxies and load balancers from idling out. */
export const SSE_KEEPALIVE = ": keep-alive\n\n";

/** Tells EventSource how long to wait before reconnecting by itself. */
export const SSE_RETRY_MS = 1_000;
export const SSE_PREAMBLE = `retry: ${SSE_RETRY_MS}\n\n`;

const STREAM_ID = /^\d{1,20}-\d{1,20}$/;

/** A client-supplied Last-Event-ID is only ever used as a Redis stream id, so it must look like one. */
export function parseLastEventId(value: string | null | undefined): string | null {
  if (!value) return null;
  const trimmed = value.trim();
  return STREAM_ID.test(trimmed) ? trimmed : null;
}

/** Stream ids order by (milliseconds, sequence); compares two of them. */
export function compareStreamIds(a: string, b: string): number {
  const [aMs = "0", aSeq = "0"] = a.split("-");
  const [bMs = "0", bSeq = "0"] = b.split("-");
  const byMs = BigInt(aMs) - BigInt(bMs);
  if (byMs !== 0n) return byMs < 0n ? -1 : 1;
  const bySeq = BigInt(aSeq) - BigInt(bSeq);
  return bySeq === 0n ? 0 : bySeq < 0n ? -1 : 1;
}
