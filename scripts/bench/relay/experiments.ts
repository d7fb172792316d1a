/**
 * Hypothesis tests for the relay hub, in one process against the stack's Redis (no HTTP, no api):
 * where does the time of one XREAD cycle over N keys go, and how fast can a hub drain a burst?
 *
 *   bun scripts/bench/relay/experiments.ts [--only A,B,C,D,E,F] [--keys 500,1000,2000,4000]
 *       [--rounds 30] [--shards 1] [--relay path/to/relay.ts]   (default: src/chat/relay.ts)
 *
 * A. Fixed cost of one XREAD over N keys with nothing new: wall time, this process's CPU, and Redis's
 *    own time per call (INFO commandstats); split into building the id list the way the hub does
 *    (lowest after-id per key with compareStreamIds) and ioredis encode + round trip.
 * B. Per-entry costs after the reply is decoded (reply decoding is in A/C/F): the old path,
 *    decodeEntries (JSON.parse), the per-subscriber filter (compareStreamIds), encodeSseFrame
 *    (JSON.stringify) + TextEncoder, against the relay's: decodeFrames (payload passed through).
 * C. A real hub (createTurnLogHub from --relay) with N subscribed keys: a burst of one new entry in
 *    M of them (one pipelined XADD each); time from the burst being in Redis to every entry
 *    delivered, XREAD calls needed, and CPU. Capacity ≈ M / drain time.
 * D. Joining: a fresh hub gets its first subscription, a second one a moment later while the first
 *    XREAD is being set up, and each then gets one entry; how long until each is delivered?
 *    Repeated with joins at random moments while the hub blocks on quiet keys.
 * E. The SSE write path alone: a server process with N open SSE responses writes one frame to every
 *    stream each 20 ms (as one relay cycle would) through a ReadableStream + enqueue, as
 *    stream-response.ts does, or through Bun's direct stream; its CPU per frame.
 * F. Decoding a full XREAD reply (two entries from each of N keys): ioredis (the app's client, RESP3
 *    by default in v6) against Bun's built-in RedisClient; CPU per call and per entry.
 * --shards S runs C/D on S hubs (one blocking connection each, keys spread by hash) instead of one.
 * Keys live under bench:<tag>:exp:* and are deleted at the end.
 */
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { Redis } from "ioredis";
import type { LoggedTurnEvent } from "../../../src/chat/events";
import type { TurnLogHub } from "../../../src/chat/relay";
import { compareStreamIds, encodeSseFrame } from "../../../src/chat/sse";
import { decodeFrames } from "../../../src/chat/turn-log";
import { type BlockingReader, createRedis } from "../../../src/infra/redis";
import { createLogger } from "../../../src/observability/logger";
import { loadStackEnv, requireEnv, wallNow } from "./env";
import { deleteKeys } from "./hilo-load";
import { openSse } from "./sse-client";
import { distribution, fmt, fmtInt, type Row, table } from "./stats";

const { values } = parseArgs({
  options: {
    keys: { type: "string", default: "500,1000,2000,4000" },
    rounds: { type: "string", default: "30" },
    relay: { type: "string" },
    only: { type: "string", default: "A,B,C,D,E,F" },
    shards: { type: "string", default: "1" },
  },
});
const keyCounts = values.keys.split(",").map(Number);
const rounds = Number(values.rounds);
const only = new Set(values.only.split(","));
const shards = Number(values.shards);

loadStackEnv();
const redisUrl = requireEnv("REDIS_URL");
const tag = `bench:exp${randomBytes(3).toString("hex")}`;
/** ioredis reports every failed reconnect as an 'error' event; a restarted Redis must not crash us. */
function quiet(client: Redis): Redis {
  client.on("error", () => {});
  return client;
}
const writer = quiet(new Redis(redisUrl));
const encoder = new TextEncoder();
const payload = (i: number) => JSON.stringify({ turn_id: `turn-${i}`, text: "tok1 tok2 " });

type CreateHub = (reader: BlockingReader, control: Redis, log: ReturnType<typeof createLogger>) => TurnLogHub;
const relayPath = values.relay ?? "../../../src/chat/relay.ts";
const { createTurnLogHub } = (await import(relayPath)) as { createTurnLogHub: CreateHub };

/** S hubs behind one subscribe(): the shard experiment (connections: S readers + 1 control). */
function createHub(log: ReturnType<typeof createLogger>): {
  hub: TurnLogHub;
  readers: BlockingReader[];
  close(): void;
} {
  const control = quiet(new Redis(redisUrl));
  const readers = Array.from({ length: shards }, () => createRedis(redisUrl, 5_000).blockingReader());
  const hubs = readers.map((reader) => createTurnLogHub(reader, control, log));
  const shardOf = (key: string) => {
    let hash = 0;
    for (let i = 0; i < key.length; i++) hash = (hash * 31 + key.charCodeAt(i)) | 0;
    return hubs[Math.abs(hash) % hubs.length] as TurnLogHub;
  };
  const hub: TurnLogHub = {
    get streamCount() {
      return hubs.reduce((sum, h) => sum + h.streamCount, 0);
    },
    subscribe: (key, afterId, deliver) => shardOf(key).subscribe(key, afterId, deliver),
    stop: async () => {
      await Promise.all(hubs.map((h) => h.stop()));
    },
  };
  return { hub, readers, close: () => control.disconnect() };
}

function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1_000;
}

async function redisUsec(command: string): Promise<{ calls: number; usec: number }> {
  const match = new RegExp(`^cmdstat_${command}:calls=(\\d+),usec=(\\d+)`, "m").exec(
    await writer.info("commandstats"),
  );
  return { calls: Number(match?.[1] ?? 0), usec: Number(match?.[2] ?? 0) };
}

async function seed(n: number): Promise<{ keys: string[]; lastIds: string[] }> {
  const keys = Array.from({ length: n }, (_, i) => `${tag}:exp:${n}:${i}`);
  const pipeline = writer.pipeline();
  for (const [i, key] of keys.entries()) pipeline.xadd(key, "*", "e", "token", "d", payload(i));
  const replies = (await pipeline.exec()) ?? [];
  return { keys, lastIds: replies.map(([, id]) => String(id)) };
}

/** A: one XREAD over N keys, nothing new. */
async function experimentA(): Promise<void> {
  const reader = quiet(new Redis(redisUrl));
  const rows: Row[] = [];
  for (const n of keyCounts) {
    const { keys, lastIds } = await seed(n);
    // The hub's id list: the lowest after-id of each key's subscribers (one subscriber per key here).
    const groups = new Map(keys.map((key, i) => [key, new Set([{ afterId: lastIds[i] ?? "0-0" }])]));
    const buildIds = () =>
      keys.map((key) => {
        let lowest: string | null = null;
        for (const s of groups.get(key) ?? []) {
          if (lowest === null || compareStreamIds(s.afterId, lowest) < 0) lowest = s.afterId;
        }
        return lowest ?? "0-0";
      });
    for (let i = 0; i < 5; i++) await reader.call("XREAD", "COUNT", 500, "STREAMS", ...keys, ...buildIds());
    const walls: number[] = [];
    let buildCpu = 0;
    let callCpu = 0;
    const before = await redisUsec("xread");
    for (let i = 0; i < rounds; i++) {
      const c0 = cpuMs();
      const ids = buildIds();
      const c1 = cpuMs();
      const t0 = performance.now();
      await reader.call("XREAD", "COUNT", 500, "STREAMS", ...keys, ...ids);
      walls.push(performance.now() - t0);
      callCpu += cpuMs() - c1;
      buildCpu += c1 - c0;
    }
    const after = await redisUsec("xread");
    const redisMs = (after.usec - before.usec) / Math.max(1, after.calls - before.calls) / 1_000;
    const wall = distribution(walls);
    rows.push([
      fmtInt(n),
      fmt(wall.p50, 2),
      fmt(wall.p99, 2),
      fmt(buildCpu / rounds, 2),
      fmt(callCpu / rounds, 2),
      fmt(redisMs, 2),
    ]);
  }
  reader.disconnect();
  console.log("\nA. one XREAD over N keys with nothing new (fixed cost of every hub cycle)");
  console.log(
    table(
      [
        "keys",
        "wall p50 ms",
        "wall p99 ms",
        "id list CPU ms",
        "ioredis CPU ms (encode+decode)",
        "Redis ms/call",
      ],
      rows,
    ),
  );
}

/** B: per-entry CPU of the relay path after the reply is decoded. */
function experimentB(): void {
  const count = 20_000;
  const raw = Array.from({ length: count }, (_, i) => [
    `${1_795_000_000_000 + i}-0`,
    ["e", "token", "d", payload(i)],
  ]);
  const time = (what: () => void) => {
    what();
    const t0 = performance.now();
    for (let r = 0; r < 5; r++) what();
    return ((performance.now() - t0) / 5 / count) * 1_000;
  };
  let events: LoggedTurnEvent[] = [];
  const decodeUs = time(() => {
    events = decodeEntries(raw);
  });
  const filterUs = time(() => {
    events.filter((event) => compareStreamIds(event.id, "1795000000000-0") > 0);
  });
  const encodeUs = time(() => {
    for (const event of events) encoder.encode(encodeSseFrame(event));
  });
  const relayUs = time(() => {
    for (const frame of decodeFrames(raw)) encoder.encode(frame.text);
  });
  console.log("\nB. per-entry CPU after ioredis has decoded the reply (µs per entry)");
  console.log(
    table(
      ["step", "µs / entry"],
      [
        ["decodeEntries (JSON.parse of d)", fmt(decodeUs, 2)],
        ["filter by after-id (compareStreamIds)", fmt(filterUs, 2)],
        ["encodeSseFrame (JSON.stringify) + TextEncoder", fmt(encodeUs, 2)],
        ["the relay's path: decodeFrames (`d` passed through) + TextEncoder", fmt(relayUs, 2)],
      ],
    ),
  );
}

/** C: drain a burst of M new entries over N subscribed keys through a real hub. */
async function experimentC(): Promise<void> {
  const rows: Row[] = [];
  for (const n of keyCounts) {
    const { keys } = await seed(n);
    const { hub, readers, close } = createHub(createLogger("error"));
    let xreads = 0;
    for (const reader of readers) {
      const originalSend = reader.send.bind(reader);
      reader.send = (command, args) => {
        if (command === "XREAD") xreads++;
        return originalSend(command, args);
      };
    }
    let pending = 0;
    let done: () => void = () => {};
    const arrivals: number[] = [];
    const subscriptions = keys.map((key) =>
      hub.subscribe(key, `${Date.now()}-0`, (frames) => {
        const at = wallNow();
        encoder.encode(frames.map((frame) => frame.text).join(""));
        for (const frame of frames) arrivals.push(at - Number(frame.id.split("-")[0]));
        pending -= frames.length;
        if (pending <= 0) done();
      }),
    );
    await Bun.sleep(200);
    for (const fraction of [0.1, 0.5, 1]) {
      const m = Math.max(1, Math.round(n * fraction));
      const drains: number[] = [];
      const cycles: number[] = [];
      const cpus: number[] = [];
      arrivals.length = 0;
      for (let r = 0; r < Math.max(5, Math.floor(rounds / 3)); r++) {
        const start = (r * m) % n;
        const pipeline = writer.pipeline();
        for (let j = 0; j < m; j++) {
          const i = (start + j) % n;
          pipeline.xadd(keys[i] ?? "", "*", "e", "token", "d", payload(i));
        }
        pending = m;
        const delivered = new Promise<void>((resolve) => {
          done = resolve;
        });
        const x0 = xreads;
        const c0 = cpuMs();
        await pipeline.exec();
        const t0 = performance.now();
        await delivered;
        drains.push(performance.now() - t0);
        cycles.push(xreads - x0);
        cpus.push(cpuMs() - c0);
        await Bun.sleep(20);
      }
      const drain = distribution(drains);
      const latency = distribution(arrivals);
      rows.push([
        fmtInt(n),
        fmtInt(m),
        fmt(drain.p50, 1),
        fmt(latency.p50, 1),
        fmt(latency.p99, 1),
        fmt(distribution(cycles).p50, 0),
        fmt(distribution(cpus).p50, 1),
        fmtInt((m / drain.p50) * 1_000),
      ]);
    }
    for (const subscription of subscriptions) subscription.close();
    await hub.stop();
    close();
  }
  console.log(
    `\nC. ${shards} hub(s) (${relayPath}) with N subscribed keys drain a burst of one entry in M of them`,
  );
  console.log(
    table(
      [
        "keys N",
        "burst M",
        "drain p50 ms",
        "entry latency p50",
        "p99",
        "XREADs",
        "CPU ms (incl. XADD)",
        "entries/s",
      ],
      rows,
    ),
  );
}

/** D: how long a new subscription waits for its first entry. */
async function experimentD(): Promise<void> {
  const rows: Row[] = [];
  const deliveredAfter = async (
    hub: TurnLogHub,
    key: string,
    delayBeforeWriteMs: number,
  ): Promise<{ ms: number; close(): void }> => {
    const since = performance.now();
    let resolveDelivered: (ms: number) => void = () => {};
    const delivered = new Promise<number>((resolve) => {
      resolveDelivered = resolve;
    });
    let writtenAt = 0;
    const subscription = hub.subscribe(key, null, () => resolveDelivered(performance.now() - writtenAt));
    await Bun.sleep(Math.max(0, delayBeforeWriteMs - (performance.now() - since)));
    writtenAt = performance.now();
    await writer.xadd(key, "*", "e", "token", "d", payload(0));
    const timeout = Bun.sleep(8_000).then(() => Number.NaN);
    return { ms: await Promise.race([delivered, timeout]), close: () => subscription.close() };
  };

  // D1: fresh hub, first subscription, then a second one 0-3 ms later (during the first XREAD's setup).
  const firstJoin: number[] = [];
  const secondJoin: number[] = [];
  const trials = Math.max(5, Math.floor(rounds / 3));
  for (let t = 0; t < trials; t++) {
    const { hub, close } = createHub(createLogger("error"));
    const first = hub.subscribe(`${tag}:exp:d1:${t}:a`, null, () => {});
    await Bun.sleep(t % 4);
    const second = await deliveredAfter(hub, `${tag}:exp:d1:${t}:b`, 20);
    secondJoin.push(second.ms);
    second.close();
    first.close();
    await hub.stop();
    close();
  }
  // D2: a hub blocked on quiet keys; new subscriptions at random moments, written 20 ms after joining.
  const { hub, close } = createHub(createLogger("error"));
  const quiet = Array.from({ length: 50 }, (_, i) =>
    hub.subscribe(`${tag}:exp:d2:quiet:${i}`, null, () => {}),
  );
  for (let t = 0; t < rounds * 3; t++) {
    // Half the joins right after the previous delivery, when the hub has just sent its next XREAD.
    if (t % 2 === 0) await Bun.sleep(Math.random() * 5);
    const join = await deliveredAfter(hub, `${tag}:exp:d2:${t}`, 20);
    firstJoin.push(join.ms);
    join.close();
  }
  for (const subscription of quiet) subscription.close();
  await hub.stop();
  close();
  const show = (label: string, values: number[]) => {
    const d = distribution(values);
    const slow = values.filter((v) => !(v < 100)).length;
    rows.push([label, fmtInt(values.length), fmt(d.p50, 1), fmt(d.p99, 1), fmt(d.max, 1), fmtInt(slow)]);
  };
  show("second subscription on a fresh hub (0-3 ms after the first)", secondJoin);
  show("new subscription on a hub blocked on 50 quiet keys", firstJoin);
  console.log(`\nD. a new subscription's first entry (written 20 ms after subscribing), ${shards} hub(s)`);
  console.log(table(["case", "trials", "p50 ms", "p99 ms", "max ms", "≥ 100 ms or lost"], rows));
}

/** E: CPU per frame of the SSE write path, without Redis. */
async function experimentE(): Promise<void> {
  const rows: Row[] = [];
  for (const n of keyCounts) {
    for (const mode of ["readable", "direct"]) {
      const child = Bun.spawn(
        ["bun", `${import.meta.dir}/sse-write-server.ts`, mode, String(n), "20", "2000"],
        {
          stdout: "pipe",
          stderr: "inherit",
        },
      );
      const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
      let text = "";
      const nextLine = async (): Promise<string> => {
        while (!text.includes("\n")) {
          const { done, value } = await lines.read();
          if (done) throw new Error(`sse-write-server exited: ${text}`);
          text += value;
        }
        const line = text.slice(0, text.indexOf("\n"));
        text = text.slice(text.indexOf("\n") + 1);
        return line;
      };
      const port = Number((await nextLine()).replace("port ", ""));
      let received = 0;
      for (let i = 0; i < n; i++) {
        openSse(
          { host: "127.0.0.1", port, path: "/", headers: {} },
          {
            onHeaders: () => {},
            onFrames: (frames) => {
              received += frames.length;
            },
            onClose: () => {},
          },
        );
        if (i % 200 === 199) await Bun.sleep(20);
      }
      const result = JSON.parse(await nextLine()) as { frames: number; cpuMs: number; wallMs: number };
      await child.exited;
      rows.push([
        fmtInt(n),
        mode,
        fmtInt(result.frames),
        fmtInt(received),
        fmt((result.cpuMs * 1_000) / result.frames, 2),
        fmt((100 * result.cpuMs) / result.wallMs, 0),
      ]);
    }
  }
  console.log("\nE. SSE write path alone: one frame to each of N streams every 20 ms for 2 s");
  console.log(table(["streams", "body", "frames", "received", "server µs / frame", "server CPU %"], rows));
}

/** F: client CPU to decode a full XREAD reply, ioredis against Bun's RedisClient. */
async function experimentF(): Promise<void> {
  const rows: Row[] = [];
  const io = quiet(new Redis(redisUrl));
  const native = new Bun.RedisClient(redisUrl);
  for (const n of keyCounts) {
    const keys = Array.from({ length: n }, (_, i) => `${tag}:exp:f${n}:${i}`);
    const pipeline = writer.pipeline();
    for (const [i, key] of keys.entries()) {
      pipeline.xadd(key, "*", "e", "token", "d", payload(i));
      pipeline.xadd(key, "*", "e", "token", "d", payload(i));
    }
    await pipeline.exec();
    const ids = keys.map(() => "0-0");
    const clients: [string, () => Promise<unknown>][] = [
      ["ioredis", () => io.call("XREAD", "COUNT", 500, "STREAMS", ...keys, ...ids)],
      ["Bun RedisClient", () => native.send("XREAD", ["COUNT", "500", "STREAMS", ...keys, ...ids])],
    ];
    for (const [name, read] of clients) {
      for (let i = 0; i < 3; i++) await read();
      const c0 = cpuMs();
      for (let i = 0; i < rounds; i++) await read();
      const perCall = (cpuMs() - c0) / rounds;
      rows.push([fmtInt(n), name, fmtInt(2 * n), fmt(perCall, 2), fmt((perCall * 1_000) / (2 * n), 2)]);
    }
  }
  io.disconnect();
  native.close();
  console.log("\nF. client CPU to send one XREAD over N keys and decode its reply (2 entries per key)");
  console.log(table(["keys", "client", "entries", "CPU ms / call", "µs / entry"], rows));
}

try {
  if (only.has("F")) await experimentF();
  if (only.has("E")) await experimentE();
  if (only.has("D")) await experimentD();
  if (only.has("A")) await experimentA();
  if (only.has("B")) experimentB();
  if (only.has("C")) await experimentC();
} finally {
  await deleteKeys(writer, `${tag}:*`);
  writer.disconnect();
}
process.exit();

/**
 * The relay's former decoding, kept here as the baseline the experiment measures against: every
 * entry's payload parsed into an object (the relay now forwards the stored JSON text as it is).
 */
function decodeEntries(raw: unknown): LoggedTurnEvent[] {
  if (!Array.isArray(raw)) return [];
  const events: LoggedTurnEvent[] = [];
  for (const [id, fields] of raw as [string, string[]][]) {
    let event: string | undefined;
    let data: string | undefined;
    for (let i = 0; i + 1 < fields.length; i += 2) {
      if (fields[i] === "e") event = fields[i + 1];
      else if (fields[i] === "d") data = fields[i + 1];
    }
    if (event === undefined || data === undefined) continue;
    try {
      events.push({
        id,
        event: event as LoggedTurnEvent["event"],
        data: JSON.parse(data) as Record<string, unknown>,
      });
    } catch {
      // Skipped, as the relay did.
    }
  }
  return events;
}
