// Relays turn logs to SSE clients. One blocking XREAD connection per api instance serves every open
// stream (catch-up and live tail alike, by stream id), so Redis connections do not grow with the
// number of clients. Every read also covers a small stream of the hub's own, its doorbell: a new
// subscription rings it (one XADD, at most one per read), which ends the read in flight at once
// whether Redis has blocked it yet or not, so the new key is in the next read. (CLIENT UNBLOCK, sent
// on another connection, can reach Redis before the XREAD it means to interrupt and is then lost.)
// Across a Redis restart the loop reconnects with backoff; each subscription keeps its last delivered
// id, so nothing is duplicated and, if the log survived, nothing is lost (a log that did not survive
// is detected by the SSE layer, which then serves the turn from MySQL).
//
// Per entry the relay does as little as it can, because at thousands of open streams its CPU per
// frame is the capacity of an api instance: the reader's RESP codec is native (Bun's client), the
// payload is forwarded as stored (no JSON round trip), each entry is framed once however many
// clients follow its turn, and stream ids are compared on their digits.
import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import type { BlockingReader } from "../infra/redis";
import type { Logger } from "../observability/logger";
import { METRICS_OFF, type Metrics } from "../observability/metrics";
import { compareStreamIds, isRedisStreamId, type SseFrame } from "./sse";
import { decodeFrames } from "./turn-log";

/** How long one read blocks, and how long after that a read with no answer counts as on a dead
 * connection (a peer that vanished without closing it: a failover, a NAT or load balancer timeout). */
export interface ReadTiming {
  blockMs: number;
  stallGraceMs: number;
}

const READ_TIMING: ReadTiming = { blockMs: 5_000, stallGraceMs: 5_000 };
const XREAD_COUNT_PER_STREAM = 500;
const RETRY_BACKOFF_MAX_MS = 2_000;
/** Rings are rare (at most one per read); a few entries are all a doorbell ever needs. */
const DOORBELL_MAXLEN = 16;
/** Refreshed by every ring; the doorbell of an instance that died goes away on its own. */
const DOORBELL_TTL_S = 60 * 60;

export interface TurnSubscription {
  close(): void;
}

interface Subscriber {
  afterId: string;
  deliver(frames: SseFrame[]): void;
  refuse?: RefuseSubscriber;
}

/** Ends one subscriber whose stream cannot be read (its id or its key is refused by Redis). */
export type RefuseSubscriber = (reason: string) => void;

/** The subscribers of one stream, and the id its next read starts after (their lowest). */
interface Group {
  key: string;
  /** Its place in the list every read is built from. */
  index: number;
  subscribers: Set<Subscriber>;
  readFrom: string;
  /** The id the read in flight asked from; null until a read names this group. */
  askedFrom: string | null;
}

export interface TurnLogHub {
  /**
   * Delivers every entry of `key` after `afterId` (null = from the start), then live ones, in order.
   * A subscription Redis cannot serve (an id out of range, a key that is not a stream) is refused
   * alone, through `refuse`, and never joins or fails the read the other subscribers share.
   */
  subscribe(
    key: string,
    afterId: string | null,
    deliver: (frames: SseFrame[]) => void,
    refuse?: RefuseSubscriber,
  ): TurnSubscription;
  /** Number of streams currently read; for metrics and tests. */
  readonly streamCount: number;
  stop(): Promise<void>;
}

export function createTurnLogHub(
  reader: BlockingReader,
  control: Redis,
  log: Logger,
  metrics: Pick<Metrics, "relayRead"> = METRICS_OFF,
  timing: ReadTiming = READ_TIMING,
): TurnLogHub {
  const stallMs = timing.blockMs + timing.stallGraceMs;
  const groups = new Map<string, Group>();
  /** The same groups as a plain array: a read names all of them, and a loop over an array is cheapest. */
  const list: Group[] = [];
  const doorbell = `hilo:relay:doorbell:${randomUUID()}`;
  let doorbellId = "0-0";
  let reading = false;
  /** The read in flight has been rung already. */
  let rung = false;
  let running = true;
  let wake: (() => void) | null = null;

  /** Makes the loop read the current key set: wakes it when idle, ends the read in flight otherwise. */
  const unblockReader = () => {
    if (wake) {
      wake();
      wake = null;
      return;
    }
    // Not reading: the loop is between reads or backing off, and its next read covers every key.
    // Rung already: that read ends anyway, and the next one covers every key.
    if (!reading || rung) return;
    rung = true;
    control
      .pipeline()
      .xadd(doorbell, "MAXLEN", "~", DOORBELL_MAXLEN, "*", "r", "1")
      .expire(doorbell, DOORBELL_TTL_S)
      .exec()
      .catch((error: unknown) => log.warn("relay doorbell failed", { error }));
  };

  /** One XREAD over the doorbell and every subscribed key, each from its lowest undelivered id. */
  const readOnce = async (): Promise<unknown> => {
    const keys: string[] = [doorbell];
    const ids: string[] = [doorbellId];
    for (const group of list) {
      keys.push(group.key);
      ids.push(group.readFrom);
      group.askedFrom = group.readFrom;
    }
    const args = ["COUNT", String(XREAD_COUNT_PER_STREAM), "BLOCK", String(timing.blockMs), "STREAMS"];
    const startedMs = performance.now();
    let stall: ReturnType<typeof setTimeout> | undefined;
    const stalled = new Promise<never>((_, reject) => {
      stall = setTimeout(() => {
        reader.reset();
        reject(new Error(`XREAD did not answer within ${stallMs} ms; reconnecting`));
      }, stallMs);
    });
    try {
      return await Promise.race([reader.send("XREAD", args.concat(keys, ids)), stalled]);
    } finally {
      clearTimeout(stall);
      // One observation per read, whatever the number of streams or entries it carries.
      metrics.relayRead((performance.now() - startedMs) / 1_000);
    }
  };

  const startRead = (): Promise<unknown> => {
    reading = true;
    rung = false;
    const read = readOnce().finally(() => {
      reading = false;
    });
    // The loop awaits it; this only keeps a failure that lands during a dispatch from counting as unhandled.
    read.catch(() => {});
    return read;
  };

  const loop = async () => {
    let failures = 0;
    let inFlight: Promise<unknown> | null = null;
    while (running) {
      if (!inFlight) {
        if (groups.size === 0) {
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          continue;
        }
        inFlight = startRead();
      }
      try {
        const reply = await inFlight;
        inFlight = null;
        failures = 0;
        const deliveries = advance(streamsOf(reply));
        // The next read goes out before this one's frames are written, so Redis works on it meanwhile;
        // the ids it asks from already include everything about to be delivered. Bun's client only
        // writes a command to its socket when the event loop turns, so the loop yields once first:
        // delivering synchronously would hold the read back until every frame is written.
        if (groups.size > 0) {
          inFlight = startRead();
          await flushWrites();
        }
        deliver(deliveries);
      } catch (error) {
        inFlight = null;
        if (!running) return;
        // Redis answered with an error instead of failing the connection: one stream of the read is
        // one it refuses. Drop that stream's subscribers alone and read again for everyone else.
        if (isReplyError(error) && (await dropRefusedGroups())) continue;
        failures++;
        log.warn("turn log read failed; retrying", { error, failures });
        await Bun.sleep(Math.min(RETRY_BACKOFF_MAX_MS, 50 * 2 ** failures));
      }
    }
  };

  /** Moves every subscriber past what the reply holds; returns what each of them has yet to get. */
  const advance = (reply: [string, unknown][]): [Subscriber, SseFrame[]][] => {
    const deliveries: [Subscriber, SseFrame[]][] = [];
    for (const [key, rawEntries] of reply) {
      if (key === doorbell) {
        doorbellId = lastEntryId(rawEntries) ?? doorbellId;
        continue;
      }
      const group = groups.get(key);
      // Advance past entries that did not decode too, or the next read would return them forever.
      const lastRawId = lastEntryId(rawEntries);
      // A group subscribed anew since the read was sent is not what it asked for; its own read follows.
      const askedFrom = group?.askedFrom;
      if (!group || !askedFrom || !lastRawId) continue;
      const frames = decodeFrames(rawEntries);
      for (const subscriber of group.subscribers) {
        // The common case: the read asked from exactly this subscriber's id, so every entry is new.
        if (subscriber.afterId === askedFrom) {
          if (frames.length > 0) deliveries.push([subscriber, frames]);
          subscriber.afterId = lastRawId;
          continue;
        }
        // Joined since, from further back: these entries do not follow its id. The next read starts
        // from its id (it lowered readFrom and rang); skipping it here leaves no gap.
        if (compareStreamIds(subscriber.afterId, askedFrom) < 0) continue;
        const due = framesAfter(frames, subscriber.afterId);
        if (compareStreamIds(lastRawId, subscriber.afterId) > 0) subscriber.afterId = lastRawId;
        if (due.length > 0) deliveries.push([subscriber, due]);
      }
      group.readFrom = lowestAfterId(group.subscribers);
    }
    return deliveries;
  };

  const removeGroup = (group: Group) => {
    if (groups.get(group.key) !== group) return;
    groups.delete(group.key);
    const last = list.pop() as Group;
    if (last !== group) {
      list[group.index] = last;
      last.index = group.index;
    }
  };

  /**
   * An error reply names no key, so each stream is tried on its own (one pipelined, non-blocking
   * XREAD per stream, on the control connection); the ones Redis refuses lose their subscribers.
   * Returns whether any was dropped.
   */
  const dropRefusedGroups = async (): Promise<boolean> => {
    const suspects = list.slice();
    const pipeline = control.pipeline();
    for (const group of suspects) pipeline.xread("COUNT", 1, "STREAMS", group.key, group.readFrom);
    let results: [Error | null, unknown][] | null;
    try {
      results = await pipeline.exec();
    } catch (error) {
      log.warn("relay could not check its streams one by one", { error });
      return false;
    }
    let dropped = false;
    suspects.forEach((group, i) => {
      const refused = results?.[i]?.[0];
      if (!refused) return;
      dropped = true;
      log.warn("relay dropped a stream Redis refuses", {
        key: group.key,
        from: group.readFrom,
        error: refused,
      });
      const subscribers = [...group.subscribers];
      group.subscribers.clear();
      removeGroup(group);
      for (const subscriber of subscribers)
        refuseSubscriber(subscriber, "this stream cannot be read from that event id");
    });
    return dropped;
  };

  const refuseSubscriber = (subscriber: Subscriber, reason: string) => {
    try {
      subscriber.refuse?.(reason);
    } catch (error) {
      log.warn("relay refusal failed", { error });
    }
  };

  const deliver = (deliveries: [Subscriber, SseFrame[]][]) => {
    for (const [subscriber, frames] of deliveries) {
      try {
        subscriber.deliver(frames);
      } catch (error) {
        // One broken client stream must not cost the others their frames.
        log.warn("relay delivery failed", { error });
      }
    }
  };

  const done = loop();

  return {
    get streamCount() {
      return groups.size;
    },
    subscribe: (key, afterId, deliver, refuse) => {
      const subscriber: Subscriber = { afterId: afterId ?? "0-0", deliver, refuse };
      // The edge validates ids too; this keeps any caller from putting one Redis refuses in the
      // read every client shares.
      if (!isRedisStreamId(subscriber.afterId)) {
        queueMicrotask(() => refuseSubscriber(subscriber, "the event id is not a valid stream id"));
        return { close: () => {} };
      }
      let group = groups.get(key);
      if (!group) {
        group = {
          key,
          index: list.length,
          subscribers: new Set([subscriber]),
          readFrom: subscriber.afterId,
          askedFrom: null,
        };
        groups.set(key, group);
        list.push(group);
        unblockReader();
      } else {
        group.subscribers.add(subscriber);
        // The read in flight only covers the ids it was started with.
        if (compareStreamIds(subscriber.afterId, group.readFrom) < 0) {
          group.readFrom = subscriber.afterId;
          unblockReader();
        }
      }
      const joined = group;
      return {
        close: () => {
          if (!joined.subscribers.delete(subscriber)) return;
          if (joined.subscribers.size > 0) joined.readFrom = lowestAfterId(joined.subscribers);
          else removeGroup(joined);
        },
      };
    },
    stop: async () => {
      running = false;
      unblockReader();
      reader.close();
      await done.catch(() => {});
      await control.del(doorbell).catch(() => {});
    },
  };
}

/** An error Redis sent as its reply (the command was refused), as opposed to a lost connection. */
function isReplyError(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === "ERR_REDIS_SERVER_ERROR";
}

/** Lets the event loop turn once, so commands queued on Bun's client reach its socket. */
function flushWrites(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * XREAD answers a list of [key, entries] pairs over RESP2 and a map over RESP3: a plain object from
 * Bun's client, a flat [key, entries, key, entries, …] list from ioredis. All become pairs here.
 */
export function streamsOf(reply: unknown): [string, unknown][] {
  if (reply === null || typeof reply !== "object") return [];
  if (!Array.isArray(reply)) return Object.entries(reply);
  if (reply.length === 0) return [];
  if (Array.isArray(reply[0])) return reply as [string, unknown][];
  const pairs: [string, unknown][] = [];
  for (let i = 0; i + 1 < reply.length; i += 2) pairs.push([String(reply[i]), reply[i + 1]]);
  return pairs;
}

/** The frames after `afterId`; the frames are in log order, and usually all of them are new. */
function framesAfter(frames: SseFrame[], afterId: string): SseFrame[] {
  let first = 0;
  while (first < frames.length && compareStreamIds((frames[first] as SseFrame).id, afterId) <= 0) first++;
  return first === 0 ? frames : frames.slice(first);
}

function lastEntryId(rawEntries: unknown): string | null {
  if (!Array.isArray(rawEntries)) return null;
  const last = rawEntries.at(-1) as unknown;
  return Array.isArray(last) && typeof last[0] === "string" ? last[0] : null;
}

function lowestAfterId(subscribers: Set<Subscriber>): string {
  let lowest: string | null = null;
  for (const subscriber of subscribers) {
    if (lowest === null || compareStreamIds(subscriber.afterId, lowest) < 0) lowest = subscriber.afterId;
  }
  return lowest ?? "0-0";
}
