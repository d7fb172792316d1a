// MongoDB building blocks shared by the readings tools: local-time expressions generated from the one
// definition of dayparts and categories, the window filters, and the small queries every tool reuses.
import type { Db, Document } from "mongodb";
import { type BpCategory, bpCategoryRank, classifyBp } from "../../../readings/bp-category";
import { type Daypart, daypartOfLocalHour } from "../../../readings/dayparts";
import { bpReadingsCollection } from "../../../readings/documents";
import { localDay } from "../../../readings/local-day";
import type { LatestAvailable } from "./result";
import type { HealthWindow, ReadingsScope } from "./window";

/** `$dateToString` of a date field as the user's local day, "YYYY-MM-DD". */
export function localDayOf(dateField: string, timezone: string): Document {
  return { $dateToString: { format: "%Y-%m-%d", date: dateField, timezone } };
}

/** `$dateToString` of a date field as the user's local wall time, "YYYY-MM-DD HH:MM". */
export function localTimeOf(dateField: string, timezone: string): Document {
  return { $dateToString: { format: "%Y-%m-%d %H:%M", date: dateField, timezone } };
}

// Dayparts and categories are looked up in tables generated from their one definition (dayparts.ts,
// bp-category.ts) rather than re-encoding their boundaries as chains of comparisons here. The tables
// are wrapped in `$literal`, or the server evaluates every element as an expression for every reading.

/** DAYPART_BY_HOUR[h]: the daypart of local hour h (0-23). */
const DAYPART_BY_HOUR: readonly Daypart[] = Array.from({ length: 24 }, (_, hour) => daypartOfLocalHour(hour));

/** The daypart of a local-hour expression (an integer 0-23). */
export function daypartOfHour(hour: unknown): Document {
  return { $arrayElemAt: [{ $literal: DAYPART_BY_HOUR }, hour] };
}

/** Pressures at or above this many mmHg grade like it (it is already in the worst category). */
const RANK_TABLE_TOP_MMHG = 300;

/** RANK[mmHg]: the category rank of a whole-mmHg pressure when the other pressure is Optimal. */
function rankTable(grade: (mmHg: number) => BpCategory): number[] {
  return Array.from({ length: RANK_TABLE_TOP_MMHG + 1 }, (_, mmHg) =>
    bpCategoryRank(grade(Math.max(mmHg, 1))),
  );
}
const SYSTOLIC_RANK = rankTable((mmHg) => classifyBp(mmHg, 1));
const DIASTOLIC_RANK = rankTable((mmHg) => classifyBp(1, mmHg));

function rankOf(table: readonly number[], field: string): Document {
  // Every threshold is a whole number, so flooring keeps "value >= threshold" exact for decimals.
  return { $arrayElemAt: [{ $literal: table }, { $floor: { $min: [field, RANK_TABLE_TOP_MMHG] } }] };
}

/**
 * The rank (0 = Optimal … 4 = Hypertension 2) of a reading's category, exactly as classifyBp grades:
 * each pressure separately, the worse wins.
 */
export function categoryRankOf(systolicField: string, diastolicField: string): Document {
  return { $max: [rankOf(SYSTOLIC_RANK, systolicField), rankOf(DIASTOLIC_RANK, diastolicField)] };
}

/** The daypart of a date field in the user's zone. */
export function daypartOf(dateField: string, timezone: string): Document {
  return daypartOfHour({ $hour: { date: dateField, timezone } });
}

/** Leading `$match` of the user's readings inside the window (served by the {watch_id, at} index). */
export function readingsInWindow(scope: ReadingsScope, window: HealthWindow): Document {
  return { $match: { watch_id: scope.watchId, at: { $gte: window.startUtc, $lt: window.endUtc } } };
}

/** A `readingStats` row: one group's readings, their mean pressures and the local days they fall on. */
export interface ReadingStats {
  readings: number;
  /** Mean of the readings, mmHg, unrounded (rounding.ts rounds it). */
  systolic: number;
  diastolic: number;
  /** Local days with readings. */
  days: number;
  /** Local day of the newest reading. */
  latest_day: string;
}

/** Stages after `readingsInWindow`: one ReadingStats row per value of `groupBy` (null: one row for all). */
export function readingStats(groupBy: unknown, timezone: string): Document[] {
  return [
    {
      $group: {
        _id: groupBy,
        readings: { $sum: 1 },
        systolic: { $avg: "$systolic" },
        diastolic: { $avg: "$diastolic" },
        days: { $addToSet: localDayOf("$at", timezone) },
        latest_at: { $max: "$at" },
      },
    },
    { $set: { days: { $size: "$days" }, latest_day: localDayOf("$latest_at", timezone) } },
  ];
}

/** The newest reading before `before` (the "no readings" fallback: the second and last round trip). */
export async function latestReadingBefore(
  db: Db,
  scope: ReadingsScope,
  before: Date,
): Promise<LatestAvailable | null> {
  const [row] = await bpReadingsCollection(db)
    .aggregate<{ at: Date }>([
      { $match: { watch_id: scope.watchId, at: { $lt: before } } },
      { $sort: { at: -1 } },
      { $limit: 1 },
      { $project: { _id: 0, at: 1 } },
    ])
    .toArray();
  return row === undefined ? null : { day: localDay(row.at, scope.timezone), at: row.at.toISOString() };
}

/**
 * Leading stages over `watch_daily` that keep the window's days plus the newest older day, in one
 * index walk: there is at most one document per day, so the newest `days + 1` documents up to the
 * window's end hold every day of the window and, when there is one, the latest day before it.
 * `filter` narrows to documents carrying a metric (e.g. `{ sleep_hours: { $type: "number" } }`).
 */
export function dailyWindowWithPrevious(
  scope: ReadingsScope,
  window: HealthWindow,
  filter: Document = {},
): Document[] {
  return [
    { $match: { watch_id: scope.watchId, day: { $lte: window.end }, ...filter } },
    { $sort: { day: -1 } },
    { $limit: window.days + 1 },
  ];
}

/** `$facet` branch picking the newest day before the window (after `dailyWindowWithPrevious`). */
export function previousDayFacet(window: HealthWindow): Document[] {
  return [
    { $match: { day: { $lt: window.start } } },
    { $limit: 1 },
    { $project: { _id: 0, day: 1, at: "$last_reading.at" } },
  ];
}

/** A `previousDayFacet` row as the "no readings" fallback. */
export function latestFromPreviousDay(row: { day: string; at?: Date } | undefined): LatestAvailable | null {
  if (row === undefined) return null;
  return row.at instanceof Date ? { day: row.day, at: row.at.toISOString() } : { day: row.day };
}
