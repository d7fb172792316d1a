// The process-wide semaphore on its own: bounded, first come first served, and abortable while queued.
import { describe, expect, test } from "bun:test";
import { createConcurrencyLimiter } from "../../src/llm/limiter";

describe("concurrency limiter", () => {
  test("never runs more than its size at once, and runs up to its size", async () => {
    const limiter = createConcurrencyLimiter(3);
    let running = 0;
    let peak = 0;
    const work = async (ms: number) => {
      const release = await limiter.acquire();
      running += 1;
      peak = Math.max(peak, running);
      await Bun.sleep(ms);
      running -= 1;
      release();
    };
    await Promise.all(Array.from({ length: 20 }, (_, i) => work(5 + (i % 4) * 3)));
    expect(peak).toBe(3);
    expect(limiter.active).toBe(0);
    expect(limiter.queued).toBe(0);
  });

  test("waiters are served in arrival order", async () => {
    const limiter = createConcurrencyLimiter(1);
    const first = await limiter.acquire();
    const order: number[] = [];
    const waiting = [1, 2, 3].map((n) =>
      limiter.acquire().then((release) => {
        order.push(n);
        release();
      }),
    );
    expect(limiter.queued).toBe(3);
    first();
    await Promise.all(waiting);
    expect(order).toEqual([1, 2, 3]);
  });

  test("a queued waiter whose signal aborts leaves the queue and never takes a slot", async () => {
    const limiter = createConcurrencyLimiter(1);
    const holder = await limiter.acquire();
    const controller = new AbortController();
    const aborted = limiter.acquire(controller.signal);
    const next = limiter.acquire();
    expect(limiter.queued).toBe(2);
    const reason = new Error("budget spent");
    controller.abort(reason);
    expect(await aborted.catch((error: unknown) => error)).toBe(reason);
    expect(limiter.queued).toBe(1);
    holder();
    const release = await next;
    expect(limiter.active).toBe(1);
    release();
    expect(limiter.active).toBe(0);
  });

  test("an already aborted signal is refused at once", async () => {
    const limiter = createConcurrencyLimiter(1);
    const error = await limiter.acquire(AbortSignal.abort(new Error("late"))).catch((e: unknown) => e);
    expect(error).toEqual(new Error("late"));
    expect(limiter.active).toBe(0);
  });

  test("releasing twice frees only one slot", async () => {
    const limiter = createConcurrencyLimiter(2);
    const a = await limiter.acquire();
    await limiter.acquire();
    a();
    a();
    expect(limiter.active).toBe(1);
  });

  test("sizes must be positive integers", () => {
    expect(() => createConcurrencyLimiter(0)).toThrow(RangeError);
    expect(() => createConcurrencyLimiter(1.5)).toThrow(RangeError);
  });
});
