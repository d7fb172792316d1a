// get_rolling_bp_average: a day-by-day trailing mean of blood pressure (the trend curve).
import { z } from "zod";
import { bpReadingsCollection } from "../../../readings/documents";
import { addDays, daysBetween } from "../../../readings/local-day";
import { roundMmHg } from "../../../readings/rounding";
import { defineTool } from "../../tool";
import { latestReadingBefore, localDayOf } from "./pipeline";
import { type NoReadingsResult, noReadings, type WindowResult, windowResult } from "./result";
import { lastDays, windowDaysInput, windowedQuery } from "./window";

export const MAX_ROLLING_DAYS = 30;

export interface RollingPoint {
  day: string;
  /** Mean of every reading in the `rolling_days` local days ending on `day`, mmHg. */
  systolic: number;
  diastolic: number;
  /** Readings and days with readings inside that trailing span. */
  readings: number;
  days_with_readings: number;
}

export interface RollingBpAverage {
  rolling_days: number;
  /** One point per window day whose trailing span has readings, oldest first. */
  points: RollingPoint[];
  first: RollingPoint;
  last: RollingPoint;
  /** last minus first, from the rounded points (mmHg); absent with a single point. */
  change?: { systolic: number; diastolic: number };
}

export type RollingBpAverageResult = WindowResult<"ok", RollingBpAverage> | NoReadingsResult;

interface DaySums {
  day: string;
  readings: number;
  systolic_sum: number;
  diastolic_sum: number;
}

/** The trailing means for each window day, from per-day sums (pure; one pass with a sliding span). */
export function rollingPoints(
  days: readonly DaySums[],
  start: string,
  end: string,
  span: number,
): RollingPoint[] {
  const byDay = new Map(days.map((row) => [row.day, row]));
  const first = addDays(start, -(span - 1));
  const dense = Array.from({ length: daysBetween(first, end) + 1 }, (_, i) => {
    const day = addDays(first, i);
    return { day, sums: byDay.get(day) };
  });
  const total = { readings: 0, systolic: 0, diastolic: 0, days: 0 };
  const points: RollingPoint[] = [];
  dense.forEach(({ day, sums }, i) => {
    if (sums !== undefined) {
      total.readings += sums.readings;
      total.systolic += sums.systolic_sum;
      total.diastolic += sums.diastolic_sum;
      total.days += 1;
    }
    const leaving = dense[i - span]?.sums;
    if (leaving !== undefined) {
      total.readings -= leaving.readings;
      total.systolic -= leaving.systolic_sum;
      total.diastolic -= leaving.diastolic_sum;
      total.days -= 1;
    }
    if (day < start || total.readings === 0) return;
    points.push({
      day,
      systolic: roundMmHg(total.systolic / total.readings),
      diastolic: roundMmHg(total.diastolic / total.readings),
      readings: total.readings,
      days_with_readings: total.days,
    });
  });
  return points;
}

export const getRollingBpAverage = defineTool({
  name: "get_rolling_bp_average",
  description: [
    "Day-by-day rolling average of the user's blood pressure: the trend curve over the last N days.",
    "Use for 'is my blood pressure improving?', 'show my trend', 'how has it changed this month?'. Each point",
    "is the mean of all readings in the rolling_days local days ending that day (default 7), so single odd",
    "days are smoothed out. Returns the points (oldest first), the first and last point and change = last",
    "minus first (mmHg; negative means lower now). Days whose span has no readings have no point.",
    "status 'no_readings' = nothing in the window; stale=true = the newest reading is from before today.",
  ].join("\n"),
  input: z.strictObject({
    days: windowDaysInput(30),
    rolling_days: z
      .number()
      .int()
      .min(2)
      .max(MAX_ROLLING_DAYS)
      .default(7)
      .describe(`Length of the rolling span in days (2-${MAX_ROLLING_DAYS}). Default 7.`),
  }),
  handler: async (args, ctx): Promise<RollingBpAverageResult> => {
    const { scope, window, db } = windowedQuery(ctx, args.days);
    // The first point's span reaches rolling_days - 1 days before the window.
    const span = lastDays(args.days + args.rolling_days - 1, window.end, scope.timezone);
    const [grouped] = await bpReadingsCollection(db)
      .aggregate<{ days: DaySums[] }>([
        { $match: { watch_id: scope.watchId, at: { $gte: span.startUtc, $lt: span.endUtc } } },
        {
          $group: {
            _id: localDayOf("$at", scope.timezone),
            readings: { $sum: 1 },
            systolic_sum: { $sum: "$systolic" },
            diastolic_sum: { $sum: "$diastolic" },
          },
        },
        // One document back, whatever the number of days: a single batch, no getMore.
        {
          $group: {
            _id: null,
            days: {
              $push: {
                day: "$_id",
                readings: "$readings",
                systolic_sum: "$systolic_sum",
                diastolic_sum: "$diastolic_sum",
              },
            },
          },
        },
      ])
      .toArray();
    const days = [...(grouped?.days ?? [])].sort((a, b) => (a.day < b.day ? -1 : 1));
    const latest = days.at(-1);
    if (latest === undefined || latest.day < window.start) {
      return noReadings(window, await latestReadingBefore(db, scope, window.startUtc));
    }
    const points = rollingPoints(days, window.start, window.end, args.rolling_days);
    const first = points[0];
    const last = points.at(-1);
    if (first === undefined || last === undefined) throw new Error("a window day with readings has a point");
    return windowResult("ok", window, latest.day, {
      rolling_days: args.rolling_days,
      points,
      first,
      last,
      ...(points.length > 1
        ? {
            change: { systolic: last.systolic - first.systolic, diastolic: last.diastolic - first.diastolic },
          }
        : {}),
    });
  },
});
