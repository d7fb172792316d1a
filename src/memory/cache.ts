// The per-process cache of each user's recall pool: their memories as one packed matrix of unit
// vectors plus ids, texts and dates, so a recall scores typed arrays instead of parsing JSON vectors.
//
// Invariants:
// - Every save or delete of a user through this process invalidates that user's entry, and a load
//   that was in flight when the invalidation happened is never stored (its result may predate the
//   write), so this process always sees its own writes.
// - Writes by other api instances show up within the TTL: each entry expires TTL after it was loaded.
// - The cache is bounded both by users (least recently used first out) and by the bytes it holds.
import type { VectorMatrix } from "./vectors";

/** How long a loaded pool is trusted: the delay after which another instance's writes are seen. */
export const MEMORY_POOL_TTL_MS = 60_000;
/** Users whose pools are kept; beyond this the least recently used pool is dropped. */
export const MEMORY_POOL_MAX_USERS = 2_000;
/** About 21,000 vectors of 1,536 floats in all: a few hundred active users with typical pools. */
export const MEMORY_POOL_MAX_BYTES = 128 * 1024 * 1024;

/** A user's memories, newest first, row i of the matrix belonging to ids[i], contents[i], savedAt[i]. */
export interface MemoryPool {
  readonly matrix: VectorMatrix;
  readonly ids: readonly string[];
  readonly contents: readonly string[];
  readonly savedAt: readonly Date[];
}

export interface MemoryPoolCacheOptions {
  ttlMs?: number;
  maxUsers?: number;
  maxBytes?: number;
  /** Injectable clock (epoch ms) for tests. */
  now?: () => number;
}

export interface MemoryPoolCacheStats {
  users: number;
  bytes: number;
  /** Pools loaded from the database since the cache was created. */
  loads: number;
}

export interface MemoryPoolCache {
  /** The user's pool: cached, joined to a load already in flight, or loaded now with `load`. */
  pool(userId: string, load: () => Promise<MemoryPool>): Promise<MemoryPool>;
  /** Forgets the user's pool; call after every write or delete of their memories. */
  invalidate(userId: string): void;
  /**
   * Runs one user's writes one at a time in this process (each after the previous one settled), so a
   * duplicate check always sees the write before it.
   */
  exclusive<T>(userId: string, task: () => Promise<T>): Promise<T>;
  stats(): MemoryPoolCacheStats;
}

interface Entry {
  pool: MemoryPool;
  bytes: number;
  expiresAtMs: number;
}

interface Loading {
  promise: Promise<MemoryPool>;
}

export function createMemoryPoolCache(options: MemoryPoolCacheOptions = {}): MemoryPoolCache {
  const ttlMs = options.ttlMs ?? MEMORY_POOL_TTL_MS;
  const maxUsers = options.maxUsers ?? MEMORY_POOL_MAX_USERS;
  const maxBytes = options.maxBytes ?? MEMORY_POOL_MAX_BYTES;
  const now = options.now ?? Date.now;
  // A Map iterates in insertion order: re-inserting on every hit makes the first key the LRU one.
  const entries = new Map<string, Entry>();
  const loading = new Map<string, Loading>();
  // The tail of each user's write queue; removed when the last queued write settles.
  const writeQueues = new Map<string, Promise<void>>();
  let bytes = 0;
  let loads = 0;

  const drop = (userId: string): void => {
    const entry = entries.get(userId);
    if (entry === undefined) return;
    entries.delete(userId);
    bytes -= entry.bytes;
  };

  const store = (userId: string, pool: MemoryPool): void => {
    drop(userId);
    const entry = { pool, bytes: poolBytes(pool), expiresAtMs: now() + ttlMs };
    entries.set(userId, entry);
    bytes += entry.bytes;
    // A single pool larger than the whole budget is served to its caller but not kept.
    for (const oldest of entries.keys()) {
      if (entries.size <= maxUsers && bytes <= maxBytes) break;
      drop(oldest);
    }
  };

  return {
    pool: async (userId, load) => {
      const entry = entries.get(userId);
      if (entry !== undefined && entry.expiresAtMs > now()) {
        entries.delete(userId);
        entries.set(userId, entry);
        return entry.pool;
      }
      drop(userId);
      const inFlight = loading.get(userId);
      if (inFlight !== undefined) return inFlight.promise;

      const current: Loading = { promise: load() };
      loading.set(userId, current);
      loads += 1;
      try {
        const pool = await current.promise;
        // Still the current load: no invalidation happened meanwhile, so the result is safe to keep.
        if (loading.get(userId) === current) store(userId, pool);
        return pool;
      } finally {
        if (loading.get(userId) === current) loading.delete(userId);
      }
    },
    invalidate: (userId) => {
      drop(userId);
      loading.delete(userId);
    },
    exclusive: async (userId, task) => {
      const previous = writeQueues.get(userId) ?? Promise.resolve();
      // The previous write's failure belongs to its own caller; this one runs either way.
      const run = previous.then(task);
      const tail = run.then(
        () => {},
        () => {},
      );
      writeQueues.set(userId, tail);
      try {
        return await run;
      } finally {
        if (writeQueues.get(userId) === tail) writeQueues.delete(userId);
      }
    },
    stats: () => ({ users: entries.size, bytes, loads }),
  };
}

/** The matrix plus a rough allowance for the strings (UTF-16) and per-row objects. */
function poolBytes(pool: MemoryPool): number {
  let textBytes = 0;
  for (const content of pool.contents) textBytes += content.length * 2;
  return pool.matrix.values.byteLength + textBytes + pool.ids.length * 200;
}
