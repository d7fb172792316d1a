// The relay hub on a Redis of its own (a private redis-server, so restarting it disturbs nothing
// else): exactly-once delivery in log order, new subscribers joining a blocked read, and a Redis
// restart in the middle of a turn, with and without the log surviving it.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { Redis } from "ioredis";
import { createTurnLogHub, type TurnLogHub } from "../../src/chat/relay";
import type { SseFrame } from "../../src/chat/sse";
import { createRedis } from "../../src/infra/redis";
import { createLogger } from "../../src/observability/logger";
import { METRICS_OFF } from "../../src/observability/metrics";
import { startFaultProxy } from "../support/fault-proxy";
import { type PrivateRedis, startPrivateRedis } from "../support/private-redis";

let redis: PrivateRedis;
let writer: Redis;
let control: Redis;
let hub: TurnLogHub | null = null;

beforeAll(async () => {
  redis = await startPrivateRedis();
  writer = redis.admin;
  control = new Redis(redis.port, "127.0.0.1");
  control.on("error", () => {});
});

afterEach(async () => {
  await hub?.stop();
  hub = null;
  await writer.flushall();
});

afterAll(async () => {
  control.disconnect();
  await redis.dispose();
});

function startHub(): TurnLogHub {
  const reader = createRedis(redis.url, 2_000).blockingReader();
  hub = createTurnLogHub(reader, control, createLogger("error"));
  return hub;
}

async function append(key: string, count: number, from = 0): Promise<string[]> {
  const ids: string[] = [];
  for (let i = from; i < from + count; i++) {
    ids.push((await writer.xadd(key, "*", "e", "token", "d", JSON.stringify({ text: `t${i} ` }))) as string);
  }
  return ids;
}

/** What one subscriber received, and a way to wait until it holds `count` frames. */
function collect(hub: TurnLogHub, key: string, afterId: string | null = null) {
  const frames: SseFrame[] = [];
  const refusals: string[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const subscription = hub.subscribe(
    key,
    afterId,
    (delivered) => {
      frames.push(...delivered);
      for (const waiter of [...waiters]) {
        if (frames.length >= waiter.count) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      }
    },
    (reason) => refusals.push(reason),
  );
  const until = (count: number, timeoutMs = 10_000) =>
    new Promise<void>((resolve, reject) => {
      if (frames.length >= count) return resolve();
      const timer = setTimeout(
        () => reject(new Error(`got ${frames.length} of ${count} frames for ${key}`)),
        timeoutMs,
      );
      waiters.push({
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  return {
    frames,
    refusals,
    until,
    ids: () => frames.map((frame) => frame.id),
    close: () => subscription.close(),
  };
}

describe("relay hub", () => {
  test("every entry once, in log order, from the start or after a given id; one connection for all", async () => {
    const hub = startHub();
    const early = await append("turn:a", 3);
    const fromStart = collect(hub, "turn:a");
    const fromSecond = collect(hub, "turn:a", early[1] ?? null);
    const other = collect(hub, "turn:b");
    const later = [...(await append("turn:a", 4, 3)), ...(await append("turn:b", 2))];
    await Promise.all([fromStart.until(7), fromSecond.until(5), other.until(2)]);
    await Bun.sleep(100);
    expect(fromStart.ids()).toEqual([...early, ...later.slice(0, 4)]);
    expect(fromSecond.ids()).toEqual([...early.slice(2), ...later.slice(0, 4)]);
    expect(other.ids()).toEqual(later.slice(4));
    expect(fromStart.frames[0]?.text).toBe(`id: ${early[0]}\nevent: token\ndata: {"text":"t0 "}\n\n`);
    expect(hub.streamCount).toBe(2);
    const clients = String(await writer.call("CLIENT", "LIST"))
      .trim()
      .split("\n");
    // writer, control, and the hub's one reader.
    expect(clients).toHaveLength(3);
  });

  test("closing some streams leaves the others read, each getting exactly its own entries", async () => {
    const hub = startHub();
    const keys = ["turn:c0", "turn:c1", "turn:c2", "turn:c3", "turn:c4"];
    const clients = keys.map((key) => collect(hub, key));
    const first = await Promise.all(keys.map((key) => append(key, 1)));
    await Promise.all(clients.map((client) => client.until(1)));
    clients[1]?.close();
    clients[3]?.close();
    expect(hub.streamCount).toBe(3);
    const second = await Promise.all(keys.map((key) => append(key, 1, 1)));
    await Promise.all([0, 2, 4].map((i) => clients[i]?.until(2)));
    await Bun.sleep(100);
    for (const i of [0, 2, 4]) expect(clients[i]?.ids()).toEqual([...(first[i] ?? []), ...(second[i] ?? [])]);
    for (const i of [1, 3]) expect(clients[i]?.ids()).toEqual(first[i]);
  });

  test("a stream subscribed while the reader is blocked on others is read at once, not after the block", async () => {
    const hub = startHub();
    const quietTurn = collect(hub, "turn:quiet");
    await Bun.sleep(300); // the reader now blocks on turn:quiet
    const ids = await append("turn:new", 1);
    const started = performance.now();
    const joined = collect(hub, "turn:new");
    await joined.until(1);
    // The block lasts 5 s; a join that waited it out would take that long.
    expect(performance.now() - started).toBeLessThan(2_500);
    expect(joined.ids()).toEqual(ids);
    quietTurn.close();
  });

  test("a second subscriber joining from further back while a read is in flight gets every entry once", async () => {
    const hub = startHub();
    const key = "turn:behind";
    const early = await append(key, 3);
    // Each round: the first subscriber holds everything so far; a second one joins from the log's
    // start just as a new entry lands, so the read in flight (asked from the first one's id) can
    // answer before the join reaches it. The second one must still get every entry, in order.
    for (let round = 0; round < 20; round++) {
      const ahead = collect(hub, key);
      await ahead.until(early.length);
      const next = writer.xadd(key, "*", "e", "token", "d", JSON.stringify({ text: `r${round} ` }));
      const behind = collect(hub, key);
      const id = (await next) as string;
      await Promise.all([ahead.until(early.length + 1, 2_000), behind.until(early.length + 1, 2_000)]);
      await Bun.sleep(20);
      expect(behind.ids()).toEqual([...early, id]);
      expect(ahead.ids().at(-1)).toBe(id);
      early.push(id);
      ahead.close();
      behind.close();
    }
  });

  test("a Redis restart mid-turn: the log survives, the rest arrives, nothing twice", async () => {
    const hub = startHub();
    const client = collect(hub, "turn:r");
    const before = await append("turn:r", 3);
    await client.until(3);
    await redis.stop(true);
    await Bun.sleep(300); // the reader fails and backs off meanwhile
    await redis.start();
    const after = await append("turn:r", 3, 3);
    await client.until(6);
    await Bun.sleep(200);
    expect(client.ids()).toEqual([...before, ...after]);
  });

  test("a Redis restart that loses the log: what is written afterwards still arrives", async () => {
    const hub = startHub();
    const client = collect(hub, "turn:lost");
    const before = await append("turn:lost", 2);
    await client.until(2);
    await redis.stop(false);
    await redis.start();
    const after = await append("turn:lost", 2, 2);
    await client.until(4);
    expect(client.ids()).toEqual([...before, ...after]);
  });

  test("a read whose connection went silent is given up after its block and grace, and the turn goes on", async () => {
    // The hub reads through a proxy that can silence its connection without closing it; the 5 s
    // block and 5 s grace of production are shortened so the test waits ~0.6 s, not 10 s.
    const proxy = startFaultProxy(redis.port);
    try {
      const reader = createRedis(`redis://127.0.0.1:${proxy.port}`, 2_000).blockingReader();
      hub = createTurnLogHub(reader, control, createLogger("error"), METRICS_OFF, {
        blockMs: 300,
        stallGraceMs: 300,
      });
      const client = collect(hub, "turn:silent");
      const before = await append("turn:silent", 1);
      await client.until(1);
      await Bun.sleep(50); // the next read is now blocked on the proxied connection
      proxy.blackhole();
      const after = await append("turn:silent", 2, 1);
      await client.until(3, 3_000);
      expect(client.ids()).toEqual([...before, ...after]);
    } finally {
      proxy.close();
    }
  });

  test("a stream Redis refuses is dropped alone: 100 other streams keep receiving at normal latency", async () => {
    const hub = startHub();
    const keys = Array.from({ length: 100 }, (_, i) => `turn:many:${i}`);
    const clients = keys.map((key) => collect(hub, key));
    await Promise.all(keys.map((key) => append(key, 1)));
    await Promise.all(clients.map((client) => client.until(1)));

    // A key that is not a stream makes Redis refuse the whole multi-key XREAD, as an out-of-range id
    // did before ids were checked: the hub must find it and drop only its subscriber.
    await writer.set("turn:not-a-stream", "x");
    const bad = collect(hub, "turn:not-a-stream");
    await Bun.sleep(50);
    const started = performance.now();
    await Promise.all(keys.map((key) => append(key, 1, 1)));
    await Promise.all(clients.map((client) => client.until(2, 3_000)));
    const elapsedMs = performance.now() - started;

    expect(bad.refusals).toHaveLength(1);
    expect(bad.frames).toHaveLength(0);
    expect(hub.streamCount).toBe(100);
    // Normal here is a few ms; a reader stuck retrying a refused read backs off up to 2 s per try.
    expect(elapsedMs).toBeLessThan(500);
    for (const client of clients) expect(client.refusals).toHaveLength(0);
  });

  test("an id Redis would refuse is refused at subscribe and never joins the shared read", async () => {
    const hub = startHub();
    const good = collect(hub, "turn:good");
    for (const id of ["99999999999999999999-0", "18446744073709551616-0", "1-18446744073709551616"]) {
      const bad = collect(hub, "turn:good", id);
      await Bun.sleep(10);
      expect(bad.refusals).toHaveLength(1);
    }
    const ids = await append("turn:good", 2);
    await good.until(2, 1_000);
    expect(good.ids()).toEqual(ids);
    expect(good.refusals).toHaveLength(0);
  });

  test("stop ends a blocked read at once", async () => {
    const hub = startHub();
    collect(hub, "turn:idle");
    await Bun.sleep(200);
    const started = performance.now();
    await hub.stop();
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
