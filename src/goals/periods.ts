// A goal's periods are the user's local calendar days ("YYYY-MM-DD"), read in the zone of the user's
// profile at evaluation time. Days are strings, never instants, so a 23- or 25-hour DST day is one
// period like any other. A period is due once it has ended in that zone; nothing here does I/O.

import { addDays, daysBetween, localDay, zonedTimeToUtc } from "../readings/local-day";
import type { GoalKind } from "./recipe";

/** Most periods one evaluation writes: a goal's longest window. A longer backlog continues next sweep. */
export const MAX_PERIODS_PER_EVALUATION = 366;

/** The last local day that has fully ended at `at` in `zone`: the user's yesterday. */
export function lastFinishedDay(at: Date, zone: string): string {
  return addDays(localDay(at, zone), -1);
}

/** The instant local `day` ends in `zone` (the next local midnight, or the first instant after it). */
export function periodEndsAt(day: string, zone: string): Date {
  return zonedTimeToUtc(addDays(day, 1), 0, 0, zone);
}

/** The last period of a window goal; a streak has none (seed §6.2: it is never auto-missed). */
export function windowEnd(kind: GoalKind, firstPeriod: string, windowDays: number): string | null {
  return kind === "streak" ? null : addDays(firstPeriod, windowDays - 1);
}

export interface PeriodCursor {
  /** The goal's first period (its `starts_on`). */
  readonly firstPeriod: string;
  /** The last period already evaluated, or null before the first evaluation. */
  readonly lastEvaluatedDay: string | null;
  /** The window's last period, or null for a streak. */
  readonly windowEnd: string | null;
}

/** The next period a goal waits for, or null when its window is fully evaluated. */
export function nextPeriod(cursor: PeriodCursor): string | null {
  const next =
    cursor.lastEvaluatedDay === null || cursor.lastEvaluatedDay < cursor.firstPeriod
      ? cursor.firstPeriod
      : addDays(cursor.lastEvaluatedDay, 1);
  return cursor.windowEnd !== null && next > cursor.windowEnd ? null : next;
}

/**
 * The periods to evaluate now: from the first unevaluated one through the user's yesterday (or
 * `through`, when a person asks for less), never past the window's end and never more than
 * MAX_PERIODS_PER_EVALUATION at once. Null when nothing is due yet.
 */
export function duePeriods(
  cursor: PeriodCursor,
  at: Date,
  zone: string,
  through?: string,
): { from: string; to: string } | null {
  const from = nextPeriod(cursor);
  if (from === null) return null;
  let to = lastFinishedDay(at, zone);
  if (through !== undefined && through < to) to = through;
  if (cursor.windowEnd !== null && cursor.windowEnd < to) to = cursor.windowEnd;
  if (to < from) return null;
  if (daysBetween(from, to) >= MAX_PERIODS_PER_EVALUATION) to = addDays(from, MAX_PERIODS_PER_EVALUATION - 1);
  return { from, to };
}

/** Every day from `from` through `to`, both included. */
export function daysFrom(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) days.push(day);
  return days;
}
