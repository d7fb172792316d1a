// The turn-log appender (Bun's client): entries land in call order however many are in flight,
// an append while Redis is away fails within the connect timeout instead of hanging, and nothing
// is re-sent (so never appended twice) when Redis comes back.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { createRedis, type StreamAppender } from "../../src/infra/redis";
import { type PrivateRedis, startPrivateRedis } from "../support/private-redis";

let redis: PrivateRedis;
let streams: StreamAppender;

beforeAll(async () => {
  redis = await startPrivateRedis();
  streams = createRedis(redis.url, 500).streams;
});

afterAll(async () => {
  streams.close();
  await redis.dispose();
});

const fields = (i: number) => ["e", "token", "d", JSON.stringify({ text: `t${i}` })];

test("500 appends in flight at once land in call order, each once, and MAXLEN caps the stream", async () => {
  const ids = await Promise.all(
    Array.from({ length: 500 }, (_, i) => streams.xadd("s:order", 10_000, fields(i))),
  );
  const entries = (await redis.admin.xrange("s:order", "-", "+")) as [string, string[]][];
  expect(entries.map(([id]) => id)).toEqual(ids);
  expect(entries.map(([, values]) => values[3])).toEqual(
    ids.map((_, i) => JSON.stringify({ text: `t${i}` })),
  );
  for (let i = 0; i < 300; i++) await streams.xadd("s:capped", 100, fields(i));
  // "~" trims whole nodes, so the stream keeps at least the cap and far fewer than all 300.
  const length = await redis.admin.xlen("s:capped");
  expect(length).toBeGreaterThanOrEqual(100);
  expect(length).toBeLessThan(300);
});

test("expire sets the stream's time to live", async () => {
  await streams.xadd("s:ttl", 100, fields(0));
  await streams.expire("s:ttl", 120);
  const ttl = await redis.admin.ttl("s:ttl");
  expect(ttl).toBeGreaterThan(100);
  expect(ttl).toBeLessThanOrEqual(120);
});

test("Redis away: an append fails promptly; back: appends wait for a recovery read, and nothing was appended twice", async () => {
  await streams.xadd("s:restart", 100, fields(0));
  await redis.stop(true);
  const started = performance.now();
  await expect(streams.xadd("s:restart", 100, fields(1))).rejects.toThrow();
  expect(performance.now() - started).toBeLessThan(3_000);
  await redis.start();
  // An append does not reconnect by itself after a drop (it could land before ones the drop lost);
  // the writer's recovery reads the log's last entry, which connects, and appends go on.
  await expect(streams.xadd("s:restart", 100, fields(9))).rejects.toThrow(/dropped/);
  expect((await streams.lastEntry("s:restart"))?.[1]).toEqual(fields(0));
  await streams.xadd("s:restart", 100, fields(2));
  const entries = (await redis.admin.xrange("s:restart", "-", "+")) as [string, string[]][];
  expect(entries.map(([, values]) => values[3])).toEqual([fields(0)[3], fields(2)[3]]);
});
