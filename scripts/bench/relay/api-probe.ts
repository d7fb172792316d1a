// Instrumentation for the api under test, loaded with `bun --preload` (main.ts --probe); src/ is not
// touched. It times every XREAD the relay hub issues, split into: encode (the synchronous part of
// ioredis' call, which builds and writes the command), wait (Redis + network + reply decoding, until
// the reply resolves) and gap (from the reply to the next XREAD: dispatch to the SSE streams and
// building the next key/id list). It also samples the api's event-loop lag. On each SIGUSR2 it writes
// what it saw since the previous signal as JSON to $BENCH_PROBE_FILE and starts over.
import { writeFileSync } from "node:fs";
import { Redis } from "ioredis";

const file = process.env.BENCH_PROBE_FILE;
const LAG_PROBE_MS = 10;

interface Window {
  calls: number;
  keys: number;
  entries: number;
  streamsWithData: number;
  encodeMs: number[];
  waitMs: number[];
  gapMs: number[];
  lagMs: number[];
  /** Per XREAD: [ms since reset at send, entries, encode ms, wait ms]; per long lag: [ms since reset, lag]. */
  timeline: number[][];
  longLags: number[][];
  /** For every entry read: wall-clock ms from its XADD (the id's ms) to its reply being decoded. */
  ageMs: number[];
}

const fresh = (): Window => ({
  calls: 0,
  keys: 0,
  entries: 0,
  streamsWithData: 0,
  encodeMs: [],
  waitMs: [],
  gapMs: [],
  lagMs: [],
  timeline: [],
  longLags: [],
  ageMs: [],
});
let resetAt = performance.now();
let window = fresh();
let lastReplyAt: number | null = null;

type Call = (this: Redis, ...args: unknown[]) => Promise<unknown>;
const originalCall = Redis.prototype.call as unknown as Call;

/** Counts streams and entries of an XREAD reply and records each entry's age (now − its id's ms). */
function countEntries(reply: unknown, ages: number[]): { streams: number; entries: number } {
  if (!Array.isArray(reply)) return { streams: 0, entries: 0 };
  const now = performance.timeOrigin + performance.now();
  let streams = 0;
  let entries = 0;
  const visit = (list: unknown) => {
    streams++;
    if (!Array.isArray(list)) return;
    entries += list.length;
    for (const entry of list) {
      const id = Array.isArray(entry) ? entry[0] : undefined;
      if (typeof id === "string") ages.push(now - Number(id.slice(0, id.indexOf("-"))));
    }
  };
  // RESP2: [[key, entries], ...]; RESP3 flattened: [key, entries, key, entries, ...]
  if (Array.isArray(reply[0])) for (const pair of reply as unknown[][]) visit(pair[1]);
  else for (let i = 1; i < reply.length; i += 2) visit(reply[i]);
  return { streams, entries };
}

const patched: Call = function (this: Redis, ...args: unknown[]) {
  if (typeof args[0] !== "string" || args[0].toUpperCase() !== "XREAD") return originalCall.apply(this, args);
  const started = performance.now();
  if (lastReplyAt !== null) window.gapMs.push(started - lastReplyAt);
  const promise = originalCall.apply(this, args);
  const sent = performance.now();
  window.calls++;
  const streamsAt = args.findIndex((arg) => typeof arg === "string" && arg.toUpperCase() === "STREAMS");
  window.keys += streamsAt === -1 ? 0 : (args.length - streamsAt - 1) / 2;
  window.encodeMs.push(sent - started);
  promise.then(
    (reply) => {
      const now = performance.now();
      window.waitMs.push(now - sent);
      lastReplyAt = now;
      const counted = countEntries(reply, window.ageMs);
      window.timeline.push([started - resetAt, counted.entries, sent - started, now - sent]);
      window.entries += counted.entries;
      window.streamsWithData += counted.streams;
    },
    () => {
      lastReplyAt = null;
    },
  );
  return promise;
};
(Redis.prototype as unknown as { call: Call }).call = patched;

let lastTick = performance.now();
setInterval(() => {
  const now = performance.now();
  const lag = Math.max(0, now - lastTick - LAG_PROBE_MS);
  window.lagMs.push(lag);
  if (lag > 20) window.longLags.push([now - lag - resetAt, lag]);
  lastTick = now;
}, LAG_PROBE_MS).unref();

process.on("SIGUSR2", () => {
  if (file) writeFileSync(file, JSON.stringify(window));
  window = fresh();
  resetAt = performance.now();
  lastReplyAt = null;
});
