// Which days a health tool looks at: "the last N days", ending today in the user's zone, inclusive, with
// DST-correct UTC bounds. Also the shared pieces of every result: the window as shown to the model, the
// freshness of the data and the explicit "no readings" answer.
import { z } from "zod";
import { addDays, daysBetween, localDay, zonedTimeToUtc } from "../../../health/local-day.ts";
import { type ToolContext, ToolError } from "../../tool.ts";

/** A year: the longest look-back any tool offers (also the benchmark's data set). */
export const MAX_WINDOW_DAYS = 365;

/** The `days` input of a windowed tool. */
export function windowDaysInput(defaultDays: number) {
  return z
    .number()
    .int()
    .min(1)
    .max(MAX_WINDOW_DAYS)
    .default(defaultDays)
    .describe(
      `Number of days to look back, ending today in the user's time zone and including today (1 = today only). Default ${defaultDays}.`,
    );
}

/** The window as the model sees it. */
export interface WindowView {
  days: number;
  /** First local day, "YYYY-MM-DD". */
  start: string;
  /** Last local day (today), "YYYY-MM-DD". */
  end: string;
  timezone: string;
}

export interface HealthWindow extends WindowView {
  /** First instant of `start` in the user's zone. */
  startUtc: Date;
  /** First instant of the day after `end` (exclusive bound). */
  endUtc: Date;
}

/** Who and where a health tool reads: always from the server-side context, never from arguments. */
export interface HealthScope {
  watchId: string;
  timezone: string;
  today: string;
}

export function healthScope(ctx: ToolContext): HealthScope {
  if (ctx.watchId === null) throw new ToolError("not_found", "no watch is linked to this user");
  return { watchId: ctx.watchId, timezone: ctx.timezone, today: localDay(ctx.now(), ctx.timezone) };
}

/** The last `days` local days ending with `endDay` (inclusive) in `timezone`. */
export function lastDays(days: number, endDay: string, timezone: string): HealthWindow {
  const start = addDays(endDay, -(days - 1));
  return {
    days,
    start,
    end: endDay,
    timezone,
    // Midnight may not exist on a DST day; zonedTimeToUtc then moves to the first wall time that does,
    // which is still the first instant of that local day.
    startUtc: zonedTimeToUtc(start, 0, 0, timezone),
    endUtc: zonedTimeToUtc(addDays(endDay, 1), 0, 0, timezone),
  };
}

export function resolveWindow(scope: HealthScope, days: number): HealthWindow {
  return lastDays(days, scope.today, scope.timezone);
}

export function windowView(window: HealthWindow): WindowView {
  return { days: window.days, start: window.start, end: window.end, timezone: window.timezone };
}

/** The latest of some "YYYY-MM-DD" days (they sort as text). */
export function latestDay(days: readonly string[]): string | undefined {
  return [...days].sort().at(-1);
}

/** How recent the newest data point of a result is. */
export interface Freshness {
  /** Local day of the newest data point the figures include. */
  as_of: string;
  /** Whole days from `as_of` to today (0 = today). */
  days_since_as_of: number;
  /** True when the newest data point is older than today: present the figures "as of" that day. */
  stale: boolean;
}

export function freshness(asOfDay: string, today: string): Freshness {
  const daysSince = daysBetween(asOfDay, today);
  return { as_of: asOfDay, days_since_as_of: daysSince, stale: daysSince > 0 };
}

/** The newest data older than the window, so the model can say when the user last measured. */
export interface LatestAvailable {
  day: string;
  /** UTC instant of the newest reading, when the source has readings. */
  at?: string;
}

/** Returned instead of figures when the window holds no data: never zeros or averages of nothing. */
export interface NoReadingsResult {
  status: "no_readings";
  window: WindowView;
  /** Absent when the watch has never sent data of this kind. */
  latest_available?: LatestAvailable;
}

export function noReadings(window: HealthWindow, latest: LatestAvailable | null): NoReadingsResult {
  return latest === null
    ? { status: "no_readings", window: windowView(window) }
    : { status: "no_readings", window: windowView(window), latest_available: latest };
}
