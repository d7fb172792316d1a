// Which days a readings tool looks at: "the last N days", ending today in the user's zone, inclusive, with
// DST-correct UTC bounds, and the window as shown to the model.
import type { Db } from "mongodb";
import { z } from "zod";
import { addDays, localDay, zonedTimeToUtc } from "../../../readings/local-day";
import { type ToolContext, ToolError } from "../../tool";

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

/** Who and where a readings tool reads: always from the server-side context, never from arguments. */
export interface ReadingsScope {
  watchId: string;
  timezone: string;
  today: string;
}

export function readingsScope(ctx: ToolContext): ReadingsScope {
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

/** What a windowed tool's handler reads with: whose data, which days (ending today), and where. */
export interface WindowedQuery {
  scope: ReadingsScope;
  window: HealthWindow;
  db: Db;
}

export function windowedQuery(ctx: ToolContext, days: number): WindowedQuery {
  const scope = readingsScope(ctx);
  return { scope, window: lastDays(days, scope.today, scope.timezone), db: ctx.deps.mongo.db };
}

export function windowView(window: HealthWindow): WindowView {
  return { days: window.days, start: window.start, end: window.end, timezone: window.timezone };
}

/** The latest of some "YYYY-MM-DD" days (they sort as text). */
export function latestDay(days: readonly string[]): string | undefined {
  return [...days].sort().at(-1);
}
