// The per-turn event log: one capped Redis Stream per turn attempt, appended by the producer only.
// Tokens are coalesced into one entry per TOKEN_FLUSH_MS or TOKEN_FLUSH_CHARS, because one XADD per
// token is what made this design expensive elsewhere. The first text after a quiet spell is written
// at once, so coalescing never delays the first token. Every other event flushes pending text first
// so the order in the log is the order the agent produced.
import type { StreamAppender } from "../infra/redis";
import { TERMINAL_EVENT, TURN_EVENT_NAMES, type TurnEvent, type TurnEventName } from "./events";
import { createLogAppends, type LogWriter } from "./log-appends";
import { type SseFrame, sseFrameText } from "./sse";

export const TOKEN_FLUSH_MS = 30;
export const TOKEN_FLUSH_CHARS = 128;
/** Far above any real turn; a runaway producer cannot grow a stream without bound. */
export const TURN_LOG_MAXLEN = 5_000;
/** How long a finished turn stays resumable from Redis; after that, replay comes from MySQL. */
export const FINISHED_TURN_LOG_TTL_S = 6 * 60 * 60;
/** Safety net for a producer that dies without finishing: the reconciler normally closes it first. */
export const RUNNING_TURN_LOG_TTL_S = 24 * 60 * 60;

export function turnLogKey(turnId: string, attempt: number): string {
  return `hilo:turn:${turnId}:${attempt}`;
}

export interface TurnLogWriter {
  /** Queues an event; tokens may be held back briefly to coalesce. Resolves once it is durable. */
  append(event: TurnEvent): Promise<void>;
  /** Flushes pending text, appends the terminal events, and starts the finished-turn TTL. */
  finish(events: TurnEvent[]): Promise<void>;
}

/** Text events that are coalesced; anything else is appended as it comes. */
const TEXT_EVENTS = new Set<TurnEventName>(["token", "correction_token"]);

export function createTurnLogWriter(
  streams: StreamAppender,
  key: string,
  turnId: string,
  writer: LogWriter = "p",
): TurnLogWriter {
  const appends = createLogAppends(streams, key, TURN_LOG_MAXLEN, writer);
  let pending: { event: TurnEventName; text: string } | null = null;
  let flushTimer: ReturnType<typeof setTimeout> | undefined;
  let tail: Promise<unknown> = Promise.resolve();
  let first = true;
  let lastWriteAt = Number.NEGATIVE_INFINITY;

  // Appends are sent at once, not chained on each other's replies: the appender pipelines them on
  // one connection, which Redis serves in order, so entries land in call order and the entries of
  // one moment (the last text, `done`, `end`) reach Redis together and a relay reads them together.
  // They settle in order too, so `tail` (the last one) settling means all before it have.
  const enqueue = (event: TurnEventName, data: Record<string, unknown>): Promise<void> => {
    const payload = JSON.stringify({ turn_id: turnId, ...data });
    const appended = appends.xadd(event, payload);
    // The safety TTL follows the first entry's reply rather than riding along with it: when many
    // turns start at once, it would otherwise sit in Redis's queue ahead of other turns' first tokens.
    const next = first ? appended.then(() => appends.expire(RUNNING_TURN_LOG_TTL_S)) : appended;
    first = false;
    lastWriteAt = performance.now();
    tail = next.catch(() => {});
    return next;
  };

  const flushText = (): Promise<void> => {
    if (flushTimer) clearTimeout(flushTimer);
    flushTimer = undefined;
    if (!pending) return tail.then(() => {});
    const { event, text } = pending;
    pending = null;
    return enqueue(event, { text });
  };

  return {
    append: (event) => {
      if (TEXT_EVENTS.has(event.event)) {
        const text = String(event.data.text ?? "");
        const flushedOther = pending && pending.event !== event.event ? flushText() : null;
        pending = pending
          ? { event: pending.event, text: pending.text + text }
          : { event: event.event, text };
        // Leading edge: text after a quiet spell (the turn's first token, the answer after a tool
        // round) is written at once, because that is what the user is waiting for; only text that
        // follows within TOKEN_FLUSH_MS of a write is held back and coalesced.
        const quiet = !flushTimer && performance.now() - lastWriteAt >= TOKEN_FLUSH_MS;
        if (quiet || pending.text.length >= TOKEN_FLUSH_CHARS)
          return Promise.all([flushedOther, flushText()]).then(() => {});
        flushTimer ??= setTimeout(() => void flushText().catch(() => {}), TOKEN_FLUSH_MS);
        return flushedOther ?? Promise.resolve();
      }
      const flushed = flushText();
      const appended = enqueue(event.event, event.data);
      return Promise.all([flushed, appended]).then(() => {});
    },
    finish: async (events) => {
      const appended = [flushText(), ...events.map((event) => enqueue(event.event, event.data))];
      await Promise.all([...appended, appends.expire(FINISHED_TURN_LOG_TTL_S)]);
    },
  };
}

type RawEntry = [id: string, fields: string[]];

/** The event name (`e`) and JSON payload text (`d`) of an entry's fields, when it has both. */
function eventFields(fields: string[]): { event: string; data: string } | null {
  let event: string | undefined;
  let data: string | undefined;
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i] === "e") event = fields[i + 1];
    else if (fields[i] === "d") data = fields[i + 1];
  }
  return event === undefined || data === undefined ? null : { event, data };
}

const KNOWN_EVENTS: ReadonlySet<string> = new Set(TURN_EVENT_NAMES);

/**
 * XREAD entries straight to SSE frames for the relay. The payload is forwarded as the JSON text the
 * writer stored, never parsed: the relay only needs the event name. An entry that could break the
 * framing (unknown event name, a payload with a raw line break, which JSON.stringify never writes)
 * is skipped, never fatal to a relay.
 */
export function decodeFrames(raw: unknown): SseFrame[] {
  if (!Array.isArray(raw)) return [];
  const frames: SseFrame[] = [];
  for (const [id, fields] of raw as RawEntry[]) {
    const entry = eventFields(fields);
    if (entry === null || !KNOWN_EVENTS.has(entry.event)) continue;
    if (entry.data.includes("\n") || entry.data.includes("\r")) continue;
    frames.push({
      id,
      text: sseFrameText(id, entry.event, entry.data),
      terminal: entry.event === TERMINAL_EVENT,
    });
  }
  return frames;
}
