// A turn's appends across a failing Redis connection, on a Redis of the test's own: a connection cut
// with hundreds of appends in flight (some applied, their replies lost) leaves every entry in the log
// exactly once and in order, a connection gone silent is given up and the appends go on, and a Redis
// that stays away fails the appends instead of hanging them.
import { afterAll, afterEach, beforeAll, expect, test } from "bun:test";
import { createLogAppends } from "../../src/chat/log-appends";
import { createRedis, type RedisClient, type RedisOptions } from "../../src/infra/redis";
import { startFaultProxy } from "../support/fault-proxy";
import { type PrivateRedis, startPrivateRedis } from "../support/private-redis";

let redis: PrivateRedis;
const opened: RedisClient[] = [];

beforeAll(async () => {
  redis = await startPrivateRedis();
});

afterEach(async () => {
  for (const client of opened.splice(0)) await client.close();
  await redis.admin.flushall();
});

afterAll(async () => {
  await redis.dispose();
});

function connect(url: string, options: RedisOptions = {}): RedisClient {
  const client = createRedis(url, 2_000, options);
  opened.push(client);
  return client;
}

/** The `n` of every entry in the log, in log order. */
async function sequenceNumbers(key: string): Promise<number[]> {
  const entries = (await redis.admin.xrange(key, "-", "+")) as [string, string[]][];
  return entries.map(([, fields]) => Number(fields[fields.indexOf("n") + 1]));
}

test("a connection cut with appends in flight: every entry lands once, in order, and every append resolves", async () => {
  const proxy = startFaultProxy(redis.port);
  try {
    const appends = createLogAppends(connect(`redis://127.0.0.1:${proxy.port}`).streams, "log:cut", 10_000);
    const count = 2_000;
    const all = Array.from({ length: count }, (_, i) => appends.xadd("token", `{"i":${i}}`));
    await all[0]; // the first reply is in: Redis is working through the rest of the burst
    proxy.drop();
    const later = Array.from({ length: 50 }, (_, i) => appends.xadd("token", `{"i":${count + i}}`));
    await Promise.all([...all, ...later]);
    expect(await sequenceNumbers("log:cut")).toEqual(Array.from({ length: count + 50 }, (_, i) => i + 1));
  } finally {
    proxy.close();
  }
});

test("the TTL asked for during a cut is set once the connection is back", async () => {
  const proxy = startFaultProxy(redis.port);
  try {
    const appends = createLogAppends(connect(`redis://127.0.0.1:${proxy.port}`).streams, "log:ttl", 100);
    await appends.xadd("token", "{}");
    const pending = [appends.xadd("done", "{}"), appends.expire(600)];
    proxy.drop();
    await Promise.all(pending);
    expect(await redis.admin.ttl("log:ttl")).toBeGreaterThan(500);
    expect(await sequenceNumbers("log:ttl")).toEqual([1, 2]);
  } finally {
    proxy.close();
  }
});

test("a connection gone silent (no replies, no close) is given up, and the appends land on a new one", async () => {
  const proxy = startFaultProxy(redis.port);
  try {
    // Production waits 5 s for an unanswered append; the test, 300 ms.
    const streams = connect(`redis://127.0.0.1:${proxy.port}`, { appendStallMs: 300 }).streams;
    const appends = createLogAppends(streams, "log:silent", 100);
    await appends.xadd("token", "{}");
    proxy.blackhole();
    const started = performance.now();
    await Promise.all([appends.xadd("token", "{}"), appends.xadd("done", "{}")]);
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(await sequenceNumbers("log:silent")).toEqual([1, 2, 3]);
  } finally {
    proxy.close();
  }
});

test("the reconciler closing a producer's log recovers by its own numbers, not the producer's", async () => {
  const producer = createLogAppends(connect(redis.url).streams, "log:two", 100, "p");
  for (let i = 0; i < 5; i++) await producer.xadd("token", "{}");
  const proxy = startFaultProxy(redis.port);
  try {
    const streams = connect(`redis://127.0.0.1:${proxy.port}`).streams;
    await streams.ping(); // connected, so the drop below cuts the connection the appends go out on
    const reconciler = createLogAppends(streams, "log:two", 100, "r");
    const closing = [reconciler.xadd("error", "{}"), reconciler.xadd("end", "{}")];
    proxy.drop();
    await Promise.all(closing);
    const entries = (await redis.admin.xrange("log:two", "-", "+")) as [string, string[]][];
    const tags = entries.map(
      ([, fields]) => `${fields[fields.indexOf("w") + 1]}${fields[fields.indexOf("n") + 1]}`,
    );
    expect(tags).toEqual(["p1", "p2", "p3", "p4", "p5", "r1", "r2"]);
  } finally {
    proxy.close();
  }
});

test("a Redis that stays away fails the appends within the recovery attempts instead of hanging them", async () => {
  const appends = createLogAppends(connect(redis.url).streams, "log:gone", 100, "p", [20, 40, 80]);
  await appends.xadd("token", "{}");
  await redis.stop(true);
  try {
    const started = performance.now();
    await expect(appends.xadd("token", "{}")).rejects.toBeDefined();
    expect(performance.now() - started).toBeLessThan(2_000);
    // Once failed, the appends stay failed: the turn is over, and its producer records that.
    await expect(appends.xadd("end", "{}")).rejects.toBeDefined();
  } finally {
    await redis.start();
  }
  expect(await sequenceNumbers("log:gone")).toEqual([1]);
});
