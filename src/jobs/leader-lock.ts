// Single-leader election over Redis: SET NX with a TTL, renewed by a heartbeat that checks the
// value is still ours. Losing the lock ends the holder, so two schedulers never fire at once.
import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";

export const LEADER_HEARTBEAT_MS = 10_000;
/** Three missed heartbeats before a standby may take over. */
export const LEADER_TTL_MS = 3 * LEADER_HEARTBEAT_MS;

const RENEW_IF_OURS = `if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE_IF_OURS = `if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('del', KEYS[1]) else return 0 end`;

export interface LeaderLock {
  readonly token: string;
  tryAcquire(): Promise<boolean>;
  /** False when the lock is no longer ours. */
  renew(): Promise<boolean>;
  /** Milliseconds until the current holder's lock expires; null when nobody holds it. */
  remainingMs(): Promise<number | null>;
  release(): Promise<void>;
}

export function createLeaderLock(redis: Redis, key: string, ttlMs = LEADER_TTL_MS): LeaderLock {
  const token = randomUUID();
  return {
    token,
    tryAcquire: async () => (await redis.set(key, token, "PX", ttlMs, "NX")) === "OK",
    renew: async () => Number(await redis.eval(RENEW_IF_OURS, 1, key, token, String(ttlMs))) === 1,
    remainingMs: async () => {
      const ttl = await redis.pttl(key);
      return ttl >= 0 ? ttl : null;
    },
    release: async () => {
      await redis.eval(RELEASE_IF_OURS, 1, key, token);
    },
  };
}
