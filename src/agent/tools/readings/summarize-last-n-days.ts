// summarize_last_n_days: the preferred multi-metric recap of a window: blood pressure (averages,
// in-target share, days per category), sleep, steps and heart rate.
import { z } from "zod";
import { BP_CATEGORIES, type BpCategory } from "../../../readings/bp-category";
import { bpReadingsCollection, watchDailyCollection } from "../../../readings/documents";
import { roundBpm, roundHours, roundMmHg, roundSteps } from "../../../readings/rounding";
import { defineTool } from "../../tool";
import { type InTargetRow, type InTargetView, inTargetStages, inTargetView } from "./in-target";
import {
  dailyWindowWithPrevious,
  latestFromPreviousDay,
  previousDayFacet,
  type ReadingStats,
  readingStats,
  readingsInWindow,
} from "./pipeline";
import { type NoReadingsResult, noReadings, type WindowResult, windowResult } from "./result";
import { latestDay, windowDaysInput, windowedQuery } from "./window";

/** A section of the recap with no data in the window (the others may still have some). */
export interface SectionNoReadings {
  status: "no_readings";
}

export interface BloodPressureSection {
  status: "ok";
  /** Mean of all readings, mmHg. */
  average: { systolic: number; diastolic: number };
  readings: number;
  days_with_readings: number;
  in_target?: InTargetView;
  /** Days per category of the day's average (the watch's labels); every category is listed. */
  category_days: Record<BpCategory, number>;
}

export interface Summary {
  /** Days with a daily record from the watch. */
  days_with_data: number;
  blood_pressure: BloodPressureSection | SectionNoReadings;
  sleep: { status: "ok"; average_hours: number; nights: number } | SectionNoReadings;
  steps:
    | { status: "ok"; daily_average: number; total: number; days: number; includes_today_so_far: boolean }
    | SectionNoReadings;
  /** Mean of the daily heart-rate values. */
  heart_rate: { status: "ok"; average_bpm: number; days: number } | SectionNoReadings;
}

export type SummaryResult = WindowResult<"ok", Summary> | NoReadingsResult;

interface MetricStats {
  average: number | null;
  days: number;
  total: number;
  latest_day: string | null;
}

interface DailyFacets {
  days: { days: number; latest_day: string }[];
  sleep: MetricStats[];
  steps: MetricStats[];
  heart_rate: MetricStats[];
  in_target: InTargetRow[];
  categories: { _id: BpCategory; days: number }[];
  previous: { day: string; at?: Date }[];
}

function metricFacet(field: string, windowStart: string) {
  return [
    { $match: { day: { $gte: windowStart }, [field]: { $type: "number" } } },
    {
      $group: {
        _id: null,
        average: { $avg: `$${field}` },
        total: { $sum: `$${field}` },
        days: { $sum: 1 },
        latest_day: { $max: "$day" },
      },
    },
  ];
}

function categoryDays(rows: readonly { _id: BpCategory; days: number }[]): Record<BpCategory, number> {
  const counts = Object.fromEntries(BP_CATEGORIES.map((category) => [category, 0])) as Record<
    BpCategory,
    number
  >;
  for (const row of rows) if (row._id in counts) counts[row._id] = row.days;
  return counts;
}

const NONE: SectionNoReadings = { status: "no_readings" };

export const summarizeLastNDays = defineTool({
  name: "summarize_last_n_days",
  description: [
    "Recap of the user's last N days across all watch metrics: blood pressure, sleep, steps and heart rate.",
    "The preferred tool for broad questions ('how was my week?', 'give me a summary', 'how am I doing?').",
    "Returns mean systolic/diastolic (mmHg) with reading and day counts, the share of readings in the user's",
    "target band, how many days fell in each BP category (the watch's labels, not a diagnosis), average sleep",
    "hours per night, daily average and total steps, and average heart rate. A section with status",
    "'no_readings' has no data in the window; status 'no_readings' at the top = no data at all.",
    "stale=true = the newest data is from before today. For one metric in depth use its own tool.",
  ].join("\n"),
  input: z.strictObject({ days: windowDaysInput(7) }),
  handler: async (args, ctx): Promise<SummaryResult> => {
    const { scope, window, db } = windowedQuery(ctx, args.days);
    const inWindow = { $match: { day: { $gte: window.start } } };
    const [[readings], [daily]] = await Promise.all([
      bpReadingsCollection(db)
        .aggregate<ReadingStats>([readingsInWindow(scope, window), ...readingStats(null, scope.timezone)])
        .toArray(),
      watchDailyCollection(db)
        .aggregate<DailyFacets>([
          ...dailyWindowWithPrevious(scope, window),
          {
            $facet: {
              days: [inWindow, { $group: { _id: null, days: { $sum: 1 }, latest_day: { $max: "$day" } } }],
              sleep: metricFacet("sleep_hours", window.start),
              steps: metricFacet("steps", window.start),
              heart_rate: metricFacet("heart_rate", window.start),
              in_target: [inWindow, ...inTargetStages()],
              categories: [
                inWindow,
                { $match: { bp_category: { $type: "string" } } },
                { $group: { _id: "$bp_category", days: { $sum: 1 } } },
              ],
              previous: previousDayFacet(window),
            },
          },
        ])
        .toArray(),
    ]);

    const days = daily?.days[0];
    if (readings === undefined && days === undefined) {
      return noReadings(window, latestFromPreviousDay(daily?.previous[0]));
    }
    const asOf =
      latestDay([readings?.latest_day, days?.latest_day].filter((day) => day !== undefined)) ?? scope.today;

    let bloodPressure: BloodPressureSection | SectionNoReadings = NONE;
    if (readings !== undefined) {
      const inTarget = inTargetView(daily?.in_target[0]);
      bloodPressure = {
        status: "ok",
        average: { systolic: roundMmHg(readings.systolic), diastolic: roundMmHg(readings.diastolic) },
        readings: readings.readings,
        days_with_readings: readings.days,
        ...(inTarget === undefined ? {} : { in_target: inTarget }),
        category_days: categoryDays(daily?.categories ?? []),
      };
    }
    const sleep = daily?.sleep[0];
    const steps = daily?.steps[0];
    const heartRate = daily?.heart_rate[0];
    return windowResult("ok", window, asOf, {
      days_with_data: days?.days ?? 0,
      blood_pressure: bloodPressure,
      sleep:
        sleep?.average == null
          ? NONE
          : { status: "ok", average_hours: roundHours(sleep.average), nights: sleep.days },
      steps:
        steps?.average == null
          ? NONE
          : {
              status: "ok",
              daily_average: roundSteps(steps.average),
              total: roundSteps(steps.total),
              days: steps.days,
              includes_today_so_far: steps.latest_day === scope.today,
            },
      heart_rate:
        heartRate?.average == null
          ? NONE
          : { status: "ok", average_bpm: roundBpm(heartRate.average), days: heartRate.days },
    });
  },
});
