// Instrumentation for the api under test, loaded with `bun --preload` (main.ts --probe); src/ is not
// touched. It times every XREAD the relay hub issues (Bun's RedisClient.send), split into: encode (the
// synchronous part of the call, which builds and writes the command), wait (Redis + network + reply decoding, until
// the reply resolves) and gap (from the reply to the next XREAD: dispatch to the SSE streams and
// building the next key/id list). It also samples the api's event-loop lag. On each SIGUSR2 it writes
// what it saw since the previous signal as JSON to $BENCH_PROBE_FILE and starts over.
import { writeFileSync } from "node:fs";

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

type Send = (this: Bun.RedisClient, command: string, args: string[]) => Promise<unknown>;
const originalSend = Bun.RedisClient.prototype.send as Send;

/** Counts streams and entries of an XREAD reply and records each entry's age (now − its id's ms). */
function countEntries(reply: unknown, ages: number[]): { streams: number; entries: number } {
  if (reply === null || typeof reply !== "object") return { streams: 0, entries: 0 };
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
  // RESP3 map (Bun's client): {key: entries}; RESP2: [[key, entries], ...]
  if (!Array.isArray(reply)) for (const list of Object.values(reply)) visit(list);
  else for (const pair of reply as unknown[][]) visit(pair[1]);
  return { streams, entries };
}

const patched: Send = function (this: Bun.RedisClient, command: string, args: string[]) {
  if (command.toUpperCase() !== "XREAD") return originalSend.call(this, command, args);
  const started = performance.now();
  if (lastReplyAt !== null) window.gapMs.push(started - lastReplyAt);
  const promise = originalSend.call(this, command, args);
  const sent = performance.now();
  window.calls++;
  const streamsAt = args.findIndex((arg) => arg.toUpperCase() === "STREAMS");
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
(Bun.RedisClient.prototype as unknown as { send: Send }).send = patched;

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
