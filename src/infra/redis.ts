// Redis: turn logs, queues and locks. Commands fail fast while Redis is away instead of queueing
// without bound, so a request degrades rather than hangs.
import { Redis } from "ioredis";
import type { Dependency } from "./dependency";

export interface RedisClient extends Dependency {
  readonly redis: Redis;
  /** A new connection with the same settings, for blocking reads or BullMQ workers. */
  duplicate(options?: { forBlocking?: boolean }): Redis;
}

export function createRedis(url: string, timeoutMs: number): RedisClient {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  // ioredis emits 'error' on every failed reconnect; without a listener Node treats it as fatal.
  redis.on("error", () => {});
  return {
    name: "redis",
    redis,
    duplicate: (options) => {
      // Blocking readers (the relay's XREAD over every open turn) speak RESP2: ioredis 6's RESP3
      // decoder was the top self-time in the relay's profile; RESP2 measured ~6 % less api CPU per frame.
      const copy = redis.duplicate(options?.forBlocking ? { maxRetriesPerRequest: null, protocol: 2 } : {});
      copy.on("error", () => {});
      return copy;
    },
    check: async () => {
      if (redis.status === "wait") await redis.connect();
      await redis.ping();
    },
    close: async () => {
      if (redis.status === "end" || redis.status === "wait") {
        redis.disconnect();
        return;
      }
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
