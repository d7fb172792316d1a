// The watch readings as the external MongoDB holds them, shared by the readings tools, the demo seed
// and the benchmark: document shapes, collection names and indexes as data.
import type { Collection, CreateIndexesOptions, Db, IndexSpecification } from "mongodb";
import type { BpCategory } from "./bp-category";
import type { Daypart } from "./dayparts";

export const WATCH_DAILY_COLLECTION = "watch_daily";
export const BP_READINGS_COLLECTION = "bp_readings";

/** A document of the `watch_daily` collection: one per watch per user-local day. */
export interface WatchDaily {
  watch_id: string;
  /** User-local calendar date, "YYYY-MM-DD". */
  day: string;
  /** IANA time zone the day was computed in. */
  timezone: string;
  avg_systolic: number;
  avg_diastolic: number;
  last_reading: { at: Date; systolic: number; diastolic: number; daypart: Daypart };
  /** Daily average pulse (integer bpm): the mean pulse of the day's readings. */
  heart_rate: number;
  /** Sleep of the night ending that morning, 1 decimal. */
  sleep_hours: number;
  steps: number;
  /** Percent of the day's readings inside the user's target band (the band in force that day), 1 decimal. */
  in_target_pct: number;
  /** Classification of the day's average. */
  bp_category: BpCategory;
  reading_count: number;
}

/** A document of the `bp_readings` collection: one intraday reading. */
export interface BpReading {
  watch_id: string;
  /** UTC instant of the measurement. */
  at: Date;
  systolic: number;
  diastolic: number;
  pulse: number;
}

export interface IndexDefinition {
  readonly collection: typeof WATCH_DAILY_COLLECTION | typeof BP_READINGS_COLLECTION;
  readonly key: IndexSpecification;
  readonly options: CreateIndexesOptions;
}

/**
 * Every index the queries rely on. Each tool query is an equality on `watch_id` plus a range (or a
 * descending walk) on `day` or `at`, so these two compound keys serve all of them; no other index is
 * needed. The uniqueness also makes seeding idempotent.
 */
export const READINGS_INDEXES: readonly IndexDefinition[] = [
  {
    collection: WATCH_DAILY_COLLECTION,
    key: { watch_id: 1, day: 1 },
    options: { unique: true, name: "watch_id_1_day_1" },
  },
  {
    collection: BP_READINGS_COLLECTION,
    key: { watch_id: 1, at: 1 },
    options: { unique: true, name: "watch_id_1_at_1" },
  },
];

export function watchDailyCollection(db: Db): Collection<WatchDaily> {
  return db.collection<WatchDaily>(WATCH_DAILY_COLLECTION);
}

export function bpReadingsCollection(db: Db): Collection<BpReading> {
  return db.collection<BpReading>(BP_READINGS_COLLECTION);
}

/** Creates the indexes (idempotent). The production database is external; seeds, tests and the bench call this. */
export async function ensureReadingsIndexes(db: Db): Promise<void> {
  for (const index of READINGS_INDEXES) {
    await db.collection(index.collection).createIndex(index.key, index.options);
  }
}
