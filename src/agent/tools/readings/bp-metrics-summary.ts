// get_bp_metrics_summary: blood-pressure figures of a window: averages, in-target share, best and worst
// readings, and a baseline per daypart.
import { z } from "zod";
import { DAYPARTS, type Daypart } from "../../../readings/dayparts";
import { bpReadingsCollection, watchDailyCollection } from "../../../readings/documents";
import { roundMmHg } from "../../../readings/rounding";
import { defineTool } from "../../tool";
import { type InTargetRow, type InTargetView, inTargetStages, inTargetView } from "./in-target";
import {
  categoryRankOf,
  dailyWindowWithPrevious,
  daypartOf,
  latestFromPreviousDay,
  localDayOf,
  previousDayFacet,
  readingsInWindow,
} from "./pipeline";
import { type ReadingRow, type ReadingView, readingRowProjection, readingView } from "./reading-view";
import { type NoReadingsResult, noReadings, type WindowResult, windowResult } from "./result";
import { windowDaysInput, windowedQuery } from "./window";

export interface DaypartBaseline {
  daypart: Daypart;
  /** Mean of the daypart's readings, mmHg. */
  systolic: number;
  diastolic: number;
  readings: number;
}

export interface BpMetricsSummary {
  readings: number;
  days_with_readings: number;
  /** Mean of all readings in the window, mmHg. */
  average: { systolic: number; diastolic: number };
  /** Absent when the watch sent no in-target grading for these days. */
  in_target?: InTargetView;
  /** Best category, then lowest systolic, then lowest diastolic; ties go to the newest. */
  best_reading: ReadingView;
  /** Worst category, then highest systolic, then highest diastolic; ties go to the newest. */
  worst_reading: ReadingView;
  /** In daypart order; only dayparts that have readings. */
  daypart_baselines: DaypartBaseline[];
  dayparts_without_readings: Daypart[];
}

export type BpMetricsSummaryResult = WindowResult<"ok", BpMetricsSummary> | NoReadingsResult;

interface ReadingSums {
  readings: number;
  systolic_sum: number;
  diastolic_sum: number;
}

interface WindowTotals extends ReadingSums {
  /** Only dayparts that have readings. */
  dayparts: (ReadingSums & { daypart: Daypart })[];
  days: number;
  latest_day: string;
}

interface ReadingFacets {
  /** One row when the window has readings. */
  totals: WindowTotals[];
  best: ReadingRow[];
  worst: ReadingRow[];
}

/** Mean systolic/diastolic of readings summed up, mmHg, by the one rounding rule. */
function meanOf(sums: ReadingSums): { systolic: number; diastolic: number } {
  return {
    systolic: roundMmHg(sums.systolic_sum / sums.readings),
    diastolic: roundMmHg(sums.diastolic_sum / sums.readings),
  };
}

interface DailyFacets {
  in_target: InTargetRow[];
  previous: { day: string; at?: Date }[];
}

export const getBpMetricsSummary = defineTool({
  name: "get_bp_metrics_summary",
  description: [
    "Blood-pressure statistics for the last N days: averages, in-target %, best and worst reading, daypart baselines.",
    "Use for 'how is my blood pressure this month?', 'what was my highest reading?', 'am I in my target range?'.",
    "Returns the mean systolic/diastolic of all readings (mmHg), reading and day counts, the share of readings",
    "inside the user's target band, the best and worst single readings with their local time (ranked by the",
    "watch's category, then systolic, then diastolic), and the mean per daypart (morning 05-12, afternoon",
    "12-17, evening 17-22, night 22-05). For several metrics at once prefer summarize_last_n_days.",
    "status 'no_readings' = nothing in the window; stale=true = the newest reading is from before today.",
  ].join("\n"),
  input: z.strictObject({ days: windowDaysInput(30) }),
  handler: async (args, ctx): Promise<BpMetricsSummaryResult> => {
    const { scope, window, db } = windowedQuery(ctx, args.days);
    // Two round trips, in parallel: the readings, and the daily documents (in-target grading, plus the
    // newest day before the window for the "no readings" answer).
    const [[readings], [daily]] = await Promise.all([
      bpReadingsCollection(db)
        .aggregate<ReadingFacets>([
          readingsInWindow(scope, window),
          { $set: { category_rank: categoryRankOf("$systolic", "$diastolic") } },
          {
            $facet: {
              // One pass over the readings, grouped by daypart. The window's sums are the dayparts'
              // added up (exact for whole-mmHg readings, else within float error far below the
              // rounding); a day with readings in several dayparts counts once.
              totals: [
                {
                  $group: {
                    _id: daypartOf("$at", scope.timezone),
                    readings: { $sum: 1 },
                    systolic_sum: { $sum: "$systolic" },
                    diastolic_sum: { $sum: "$diastolic" },
                    days: { $addToSet: localDayOf("$at", scope.timezone) },
                    latest_at: { $max: "$at" },
                  },
                },
                {
                  $group: {
                    _id: null,
                    dayparts: {
                      $push: {
                        daypart: "$_id",
                        readings: "$readings",
                        systolic_sum: "$systolic_sum",
                        diastolic_sum: "$diastolic_sum",
                      },
                    },
                    readings: { $sum: "$readings" },
                    systolic_sum: { $sum: "$systolic_sum" },
                    diastolic_sum: { $sum: "$diastolic_sum" },
                    day_sets: { $push: "$days" },
                    latest_at: { $max: "$latest_at" },
                  },
                },
                {
                  $project: {
                    _id: 0,
                    dayparts: 1,
                    readings: 1,
                    systolic_sum: 1,
                    diastolic_sum: 1,
                    days: {
                      $size: {
                        $reduce: {
                          input: "$day_sets",
                          initialValue: [],
                          in: { $setUnion: ["$$value", "$$this"] },
                        },
                      },
                    },
                    latest_day: localDayOf("$latest_at", scope.timezone),
                  },
                },
              ],
              best: [
                { $sort: { category_rank: 1, systolic: 1, diastolic: 1, at: -1 } },
                { $limit: 1 },
                readingRowProjection(scope.timezone),
              ],
              worst: [
                { $sort: { category_rank: -1, systolic: -1, diastolic: -1, at: -1 } },
                { $limit: 1 },
                readingRowProjection(scope.timezone),
              ],
            },
          },
        ])
        .toArray(),
      watchDailyCollection(db)
        .aggregate<DailyFacets>([
          ...dailyWindowWithPrevious(scope, window),
          {
            $facet: {
              in_target: [{ $match: { day: { $gte: window.start } } }, ...inTargetStages()],
              previous: previousDayFacet(window),
            },
          },
        ])
        .toArray(),
    ]);

    const totals = readings?.totals[0];
    const best = readings?.best[0];
    const worst = readings?.worst[0];
    if (totals === undefined || best === undefined || worst === undefined) {
      return noReadings(window, latestFromPreviousDay(daily?.previous[0]));
    }
    const byDaypart = new Map(totals.dayparts.map((row) => [row.daypart, row]));
    const baselines: DaypartBaseline[] = [];
    const without: Daypart[] = [];
    for (const daypart of DAYPARTS) {
      const row = byDaypart.get(daypart);
      if (row === undefined) without.push(daypart);
      else baselines.push({ daypart, ...meanOf(row), readings: row.readings });
    }
    const inTarget = inTargetView(daily?.in_target[0]);
    return windowResult("ok", window, totals.latest_day, {
      readings: totals.readings,
      days_with_readings: totals.days,
      average: meanOf(totals),
      ...(inTarget === undefined ? {} : { in_target: inTarget }),
      best_reading: readingView(best),
      worst_reading: readingView(worst),
      daypart_baselines: baselines,
      dayparts_without_readings: without,
    });
  },
});
