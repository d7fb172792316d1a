// Relays turn logs to SSE clients. One blocking XREAD connection per api instance serves every open
// stream (catch-up and live tail alike, by stream id), so Redis connections do not grow with the
// number of clients. Every read also covers a small stream of the hub's own, its doorbell: a new
// subscription rings it (one XADD), which ends the read in flight at once whether Redis has blocked
// it yet or not, so the new key is in the next read. (CLIENT UNBLOCK, sent on another connection,
// can reach Redis before the XREAD it means to interrupt and is then lost, and a subscription made
// while the first read was being set up was missed: either way the new stream waited out the 5 s
// block.) Across a Redis restart the loop retries with backoff; each subscription keeps its last
// delivered id, so nothing is duplicated and, if the log survived, nothing is lost (a log that did
// not survive is detected by the SSE layer, which then serves the turn from MySQL).
import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import type { Logger } from "../observability/logger";
import type { LoggedTurnEvent } from "./events";
import { compareStreamIds } from "./sse";
import { decodeEntries } from "./turn-log";

const XREAD_BLOCK_MS = 5_000;
const XREAD_COUNT_PER_STREAM = 500;
const RETRY_BACKOFF_MAX_MS = 2_000;
/** Rings are rare (one per new subscription); a few entries are all a doorbell ever needs. */
const DOORBELL_MAXLEN = 16;
/** Refreshed by every ring; the doorbell of an instance that died goes away on its own. */
const DOORBELL_TTL_S = 60 * 60;

export interface TurnSubscription {
  close(): void;
}

interface Subscriber {
  afterId: string;
  deliver(events: LoggedTurnEvent[]): void;
}

export interface TurnLogHub {
  /** Delivers every entry of `key` after `afterId` (null = from the start), then live ones. */
  subscribe(
    key: string,
    afterId: string | null,
    deliver: (events: LoggedTurnEvent[]) => void,
  ): TurnSubscription;
  /** Number of streams currently read; for metrics and tests. */
  readonly streamCount: number;
  stop(): Promise<void>;
}

export function createTurnLogHub(reader: Redis, control: Redis, log: Logger): TurnLogHub {
  const subscribers = new Map<string, Set<Subscriber>>();
  const doorbell = `hilo:relay:doorbell:${randomUUID()}`;
  let doorbellId = "0-0";
  let reading = false;
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
    if (!reading) return;
    control
      .pipeline()
      .xadd(doorbell, "MAXLEN", "~", DOORBELL_MAXLEN, "*", "r", "1")
      .expire(doorbell, DOORBELL_TTL_S)
      .exec()
      .catch((error: unknown) => log.warn("relay doorbell failed", { error }));
  };

  const loop = async () => {
    let failures = 0;
    while (running) {
      if (subscribers.size === 0) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        continue;
      }
      const keys = [...subscribers.keys()];
      const ids = keys.map((key) => lowestAfterId(subscribers.get(key)));
      try {
        reading = true;
        const reply = await reader.call(
          "XREAD",
          "COUNT",
          XREAD_COUNT_PER_STREAM,
          "BLOCK",
          XREAD_BLOCK_MS,
          "STREAMS",
          doorbell,
          ...keys,
          doorbellId,
          ...ids,
        );
        reading = false;
        failures = 0;
        if (reply) dispatch(streamsOf(reply));
      } catch (error) {
        reading = false;
        if (!running) return;
        failures++;
        log.warn("turn log read failed; retrying", { error, failures });
        await Bun.sleep(Math.min(RETRY_BACKOFF_MAX_MS, 50 * 2 ** failures));
      }
    }
  };

  const dispatch = (reply: [string, unknown][]) => {
    for (const [key, rawEntries] of reply) {
      if (key === doorbell) {
        doorbellId = lastEntryId(rawEntries) ?? doorbellId;
        continue;
      }
      const group = subscribers.get(key);
      if (!group) continue;
      const events = decodeEntries(rawEntries);
      // Advance past entries that did not decode too, or the next read would return them forever.
      const lastRawId = lastEntryId(rawEntries);
      for (const subscriber of group) {
        const fresh = events.filter((event) => compareStreamIds(event.id, subscriber.afterId) > 0);
        if (lastRawId && compareStreamIds(lastRawId, subscriber.afterId) > 0) subscriber.afterId = lastRawId;
        if (fresh.length > 0) subscriber.deliver(fresh);
      }
    }
  };

  const done = loop();

  return {
    get streamCount() {
      return subscribers.size;
    },
    subscribe: (key, afterId, deliver) => {
      const subscriber: Subscriber = { afterId: afterId ?? "0-0", deliver };
      let group = subscribers.get(key);
      const isNewKey = !group;
      if (!group) {
        group = new Set();
        subscribers.set(key, group);
      }
      const lowered = !isNewKey && compareStreamIds(subscriber.afterId, lowestAfterId(group)) < 0;
      group.add(subscriber);
      // The blocked read only covers the keys and ids it was started with.
      if (isNewKey || lowered) unblockReader();
      return {
        close: () => {
          const current = subscribers.get(key);
          if (!current) return;
          current.delete(subscriber);
          if (current.size === 0) subscribers.delete(key);
        },
      };
    },
    stop: async () => {
      running = false;
      unblockReader();
      reader.disconnect();
      await done.catch(() => {});
      await control.del(doorbell).catch(() => {});
    },
  };
}

/**
 * XREAD answers a list of [key, entries] pairs over RESP2 and a map over RESP3, which the client
 * flattens to [key, entries, key, entries, …]; both become pairs here.
 */
export function streamsOf(reply: unknown): [string, unknown][] {
  if (!Array.isArray(reply) || reply.length === 0) return [];
  if (Array.isArray(reply[0])) return reply as [string, unknown][];
  const pairs: [string, unknown][] = [];
  for (let i = 0; i + 1 < reply.length; i += 2) pairs.push([String(reply[i]), reply[i + 1]]);
  return pairs;
}

function lastEntryId(rawEntries: unknown): string | null {
  if (!Array.isArray(rawEntries)) return null;
  const last = rawEntries.at(-1) as unknown;
  return Array.isArray(last) && typeof last[0] === "string" ? last[0] : null;
}

function lowestAfterId(group: Set<Subscriber> | undefined): string {
  let lowest: string | null = null;
  for (const subscriber of group ?? []) {
    if (lowest === null || compareStreamIds(subscriber.afterId, lowest) < 0) lowest = subscriber.afterId;
  }
  return lowest ?? "0-0";
}
