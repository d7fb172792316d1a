// The per-process recall-pool cache: TTL, LRU and byte bounds, invalidation (also during a load),
// one load per user at a time, and one writer per user at a time. Pure: fake pools and a fake clock.
import { describe, expect, test } from "bun:test";
import { createMemoryPoolCache, type MemoryPool } from "../../src/memory/cache";
import { packRows } from "../../src/memory/vectors";

function fakePool(label: string, rows = 1, dimensions = 4): MemoryPool {
  return {
    matrix: packRows(
      Array.from({ length: rows }, () => [1, 0, 0, 0].slice(0, dimensions)),
      dimensions,
    ),
    ids: Array.from({ length: rows }, (_, i) => `${label}-${i}`),
    contents: Array.from({ length: rows }, () => label),
    savedAt: Array.from({ length: rows }, () => new Date(0)),
  };
}

/** A loader that counts its calls and serves pools labelled with the call number. */
function countingLoader(label: string) {
  let calls = 0;
  return {
    load: async () => fakePool(`${label}#${++calls}`),
    calls: () => calls,
  };
}

function deferred<T>() {
  let resolve: (value: T) => void = () => {};
  const promise = new Promise<T>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

describe("memory pool cache", () => {
  test("a pool is loaded once and served from memory until its TTL has passed", async () => {
    let nowMs = 1_000;
    const cache = createMemoryPoolCache({ ttlMs: 60_000, now: () => nowMs });
    const loader = countingLoader("a");

    expect((await cache.pool("a", loader.load)).contents).toEqual(["a#1"]);
    nowMs += 59_999;
    expect((await cache.pool("a", loader.load)).contents).toEqual(["a#1"]);
    nowMs += 1;
    expect((await cache.pool("a", loader.load)).contents).toEqual(["a#2"]);
    expect(loader.calls()).toBe(2);
    expect(cache.stats()).toMatchObject({ users: 1, loads: 2 });
  });

  test("invalidate makes the next call load again; other users keep their pools", async () => {
    const cache = createMemoryPoolCache();
    const a = countingLoader("a");
    const b = countingLoader("b");
    await cache.pool("a", a.load);
    await cache.pool("b", b.load);

    cache.invalidate("a");
    expect((await cache.pool("a", a.load)).contents).toEqual(["a#2"]);
    expect((await cache.pool("b", b.load)).contents).toEqual(["b#1"]);
  });

  test("callers arriving during a load share it", async () => {
    const cache = createMemoryPoolCache();
    const gate = deferred<MemoryPool>();
    let calls = 0;
    const load = () => {
      calls++;
      return gate.promise;
    };
    const first = cache.pool("a", load);
    const second = cache.pool("a", load);
    gate.resolve(fakePool("shared"));
    expect((await first).contents).toEqual(["shared"]);
    expect((await second).contents).toEqual(["shared"]);
    expect(calls).toBe(1);
  });

  test("a load that was in flight when the user was invalidated is not kept", async () => {
    const cache = createMemoryPoolCache();
    const gate = deferred<MemoryPool>();
    const stale = cache.pool("a", () => gate.promise);
    // A write happens while the (now outdated) load is still running.
    cache.invalidate("a");
    gate.resolve(fakePool("before-write"));
    expect((await stale).contents).toEqual(["before-write"]);

    const fresh = countingLoader("after-write");
    expect((await cache.pool("a", fresh.load)).contents).toEqual(["after-write#1"]);
    expect(fresh.calls()).toBe(1);
  });

  test("a failed load is not cached: the next call tries again", async () => {
    const cache = createMemoryPoolCache();
    await expect(cache.pool("a", () => Promise.reject(new Error("database away")))).rejects.toThrow(
      "database away",
    );
    expect(cache.stats()).toMatchObject({ users: 0, loads: 1 });
    const loader = countingLoader("a");
    expect((await cache.pool("a", loader.load)).contents).toEqual(["a#1"]);
  });

  test("beyond maxUsers the least recently used user's pool is dropped", async () => {
    const cache = createMemoryPoolCache({ maxUsers: 2 });
    const loaders = { a: countingLoader("a"), b: countingLoader("b"), c: countingLoader("c") };
    await cache.pool("a", loaders.a.load);
    await cache.pool("b", loaders.b.load);
    await cache.pool("a", loaders.a.load); // a is now the most recently used
    await cache.pool("c", loaders.c.load); // evicts b

    expect(cache.stats().users).toBe(2);
    await cache.pool("a", loaders.a.load);
    await cache.pool("b", loaders.b.load);
    expect(loaders.a.calls()).toBe(1);
    expect(loaders.b.calls()).toBe(2);
  });

  test("beyond maxBytes the oldest pools are dropped, and a pool larger than the budget is not kept", async () => {
    const rowBytes = 4 * 4 + 2 * 1 + 200; // 4 floats, one UTF-16 char, the per-row allowance
    const cache = createMemoryPoolCache({ maxBytes: rowBytes * 3 });
    await cache.pool("a", async () => fakePool("a", 1));
    await cache.pool("b", async () => fakePool("b", 2));
    expect(cache.stats()).toEqual({ users: 2, bytes: rowBytes * 3, loads: 2 });

    await cache.pool("c", async () => fakePool("c", 1));
    expect(cache.stats()).toMatchObject({ users: 2, bytes: rowBytes * 3 }); // a dropped

    const huge = await cache.pool("d", async () => fakePool("d", 4));
    expect(huge.ids).toHaveLength(4);
    expect(cache.stats().bytes).toBeLessThanOrEqual(rowBytes * 3);
  });

  test("exclusive runs one user's tasks one at a time, in order, and a failure does not block the next", async () => {
    const cache = createMemoryPoolCache();
    const log: string[] = [];
    const task =
      (name: string, ms: number, fail = false) =>
      async () => {
        log.push(`start ${name}`);
        await Bun.sleep(ms);
        log.push(`end ${name}`);
        if (fail) throw new Error(`${name} failed`);
        return name;
      };
    const results = await Promise.allSettled([
      cache.exclusive("a", task("first", 20, true)),
      cache.exclusive("a", task("second", 1)),
      cache.exclusive("b", task("other user", 1)),
    ]);
    expect(results.map((result) => result.status)).toEqual(["rejected", "fulfilled", "fulfilled"]);
    expect(log.indexOf("start second")).toBeGreaterThan(log.indexOf("end first"));
    // Another user's task does not wait for user a's.
    expect(log.indexOf("end other user")).toBeLessThan(log.indexOf("end first"));
  });
});
