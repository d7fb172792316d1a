// Durable daily counters for the daily report: model calls (count and latency by purpose) and FAQ
// searches (match or no match). Prometheus holds the same numbers only while a process lives; the
// report needs yesterday's, from every process. Counts gather in memory and are added to daily_stats
// every few seconds in one upsert, so the hot path never waits on the database; a failed flush keeps
// its counts for the next one, and closing the process flushes what is left.
import { sql } from "drizzle-orm";
import { dailyStats } from "../db/schema";
import type { AppDb } from "../infra/app-db";
import type { Logger } from "./logger";

export const STATS_FLUSH_INTERVAL_MS = 10_000;
/** Distinct (day, metric, label, bucket) keys held while the database is away; more are dropped. */
const MAX_PENDING_KEYS = 10_000;
/** Latency buckets grow by 10 %: a percentile read from them is within 10 % of the true one. */
const BUCKET_GROWTH = 1.1;

export type StatsMetric = "model_call" | "faq_search";

export interface DailyStats {
  /** One model call of `purpose` that took `seconds` (all its retries included). */
  modelCall(purpose: string, seconds: number): void;
  faqSearch(outcome: "match" | "no_match"): void;
  /** Writes what has gathered; resolves once it is stored (or kept for the next try). */
  flush(): Promise<void>;
  /** Stops the timer and flushes one last time. */
  close(): Promise<void>;
}

export const STATS_OFF: DailyStats = {
  modelCall: () => {},
  faqSearch: () => {},
  flush: async () => {},
  close: async () => {},
};

/** The bucket a latency falls in: bucket b holds (1.1^(b-1), 1.1^b] milliseconds. */
export function latencyBucket(ms: number): number {
  if (!(ms > 1)) return 0;
  return Math.min(Math.ceil(Math.log(ms) / Math.log(BUCKET_GROWTH)), 32_000);
}

/** The upper bound of a bucket, in whole milliseconds. */
export function bucketUpperMs(bucket: number): number {
  return Math.round(BUCKET_GROWTH ** bucket);
}

/** The `q` quantile (0..1) of a histogram, as its bucket's upper bound; null when it is empty. */
export function quantileMs(buckets: readonly { bucket: number; n: number }[], q: number): number | null {
  const sorted = [...buckets].sort((a, b) => a.bucket - b.bucket);
  const total = sorted.reduce((sum, row) => sum + row.n, 0);
  if (total === 0) return null;
  const rank = Math.ceil(q * total);
  let seen = 0;
  for (const row of sorted) {
    seen += row.n;
    if (seen >= rank) return bucketUpperMs(row.bucket);
  }
  return bucketUpperMs(sorted.at(-1)?.bucket ?? 0);
}

export function createDailyStats(db: AppDb, log: Logger, clock: () => Date = () => new Date()): DailyStats {
  let pending = new Map<string, number>();
  let timer: ReturnType<typeof setInterval> | undefined;
  let flushing: Promise<void> = Promise.resolve();

  const add = (key: string, n: number) => {
    if (!pending.has(key) && pending.size >= MAX_PENDING_KEYS) return;
    pending.set(key, (pending.get(key) ?? 0) + n);
  };
  const count = (metric: StatsMetric, label: string, bucket: number) => {
    const day = clock().toISOString().slice(0, 10);
    add(JSON.stringify([day, metric, label.slice(0, 64), bucket]), 1);
    // Started on first use, so a process that records nothing holds no timer.
    timer ??= setInterval(() => void flush(), STATS_FLUSH_INTERVAL_MS);
    timer.unref?.();
  };

  const write = async () => {
    if (pending.size === 0) return;
    const batch = pending;
    pending = new Map();
    const rows = [...batch].map(([key, n]) => {
      const [day, metric, label, bucket] = JSON.parse(key) as [string, string, string, number];
      return { day, metric, label, bucket, n };
    });
    try {
      await db
        .insert(dailyStats)
        .values(rows)
        .onDuplicateKeyUpdate({ set: { n: sql`${dailyStats.n} + VALUES(${dailyStats.n})` } });
    } catch (error) {
      for (const [key, n] of batch) add(key, n);
      log.warn("daily stats not stored; kept for the next flush", { error, keys: batch.size });
    }
  };
  // One write at a time: two overlapping upserts would each add the other's counts once anyway, but
  // serialising keeps a failed batch's counts from racing a newer one back into the map.
  const flush = () => {
    flushing = flushing.then(write);
    return flushing;
  };

  return {
    modelCall: (purpose, seconds) => count("model_call", purpose, latencyBucket(seconds * 1_000)),
    faqSearch: (outcome) => count("faq_search", outcome, 0),
    flush,
    close: async () => {
      clearInterval(timer);
      await flush();
    },
  };
}
