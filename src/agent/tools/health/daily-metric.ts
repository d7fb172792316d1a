// The shared query behind the sleep, step and heart-rate tools: one `watch_daily` field over a window,
// as statistics, extremes, the daily series and a first-half/second-half trend, in one round trip.
import type { Db } from "mongodb";
import { watchDailyCollection } from "../../../health/readings-model.ts";
import { dailyWindowWithPrevious, latestFromPreviousDay, previousDayFacet } from "./pipeline.ts";
import type { HealthScope, HealthWindow, LatestAvailable } from "./window.ts";

export type DailyMetricField = "sleep_hours" | "steps" | "heart_rate";

export interface DayValue {
  day: string;
  value: number;
}

export interface DailyMetric {
  days: number;
  average: number;
  total: number;
  lowest: DayValue;
  highest: DayValue;
  /** Oldest first. */
  series: DayValue[];
  latestDay: string;
}

interface MetricFacets {
  stats: { days: number; average: number; total: number; latest_day: string; series: DayValue[] }[];
  lowest: DayValue[];
  highest: DayValue[];
  previous: { day: string; at?: Date }[];
}

/** The metric over the window, or the newest earlier day that has it (null if none) when the window is empty. */
export async function queryDailyMetric(
  db: Db,
  scope: HealthScope,
  window: HealthWindow,
  field: DailyMetricField,
): Promise<{ metric: DailyMetric } | { metric: null; latest: LatestAvailable | null }> {
  const value = `$${field}`;
  const inWindow = { $match: { day: { $gte: window.start } } };
  const [facets] = await watchDailyCollection(db)
    .aggregate<MetricFacets>([
      ...dailyWindowWithPrevious(scope, window, { [field]: { $type: "number" } }),
      {
        $facet: {
          stats: [
            inWindow,
            {
              $group: {
                _id: null,
                days: { $sum: 1 },
                average: { $avg: value },
                total: { $sum: value },
                latest_day: { $max: "$day" },
                series: { $push: { day: "$day", value } },
              },
            },
          ],
          // Ties go to the most recent day.
          lowest: [
            inWindow,
            { $sort: { [field]: 1, day: -1 } },
            { $limit: 1 },
            { $project: { _id: 0, day: 1, value } },
          ],
          highest: [
            inWindow,
            { $sort: { [field]: -1, day: -1 } },
            { $limit: 1 },
            { $project: { _id: 0, day: 1, value } },
          ],
          previous: previousDayFacet(window),
        },
      },
    ])
    .toArray();
  const stats = facets?.stats[0];
  const lowest = facets?.lowest[0];
  const highest = facets?.highest[0];
  if (stats === undefined || lowest === undefined || highest === undefined) {
    return { metric: null, latest: latestFromPreviousDay(facets?.previous[0]) };
  }
  return {
    metric: {
      days: stats.days,
      average: stats.average,
      total: stats.total,
      lowest,
      highest,
      series: [...stats.series].sort((a, b) => (a.day < b.day ? -1 : 1)),
      latestDay: stats.latest_day,
    },
  };
}

/** How the later half of the days compares with the earlier half (averages rounded by the metric's rule). */
export interface HalvesTrend {
  earlier: { from: string; to: string; average: number };
  later: { from: string; to: string; average: number };
  /** later.average minus earlier.average. */
  change: number;
}

/**
 * Splits the days with data into an earlier and a later half of equal size (the middle day of an odd
 * count belongs to neither) and compares their averages. Undefined with fewer than two days.
 */
export function halvesTrend(
  series: readonly DayValue[],
  round: (value: number) => number,
): HalvesTrend | undefined {
  const half = Math.floor(series.length / 2);
  if (half === 0) return undefined;
  const earlier = series.slice(0, half);
  const later = series.slice(series.length - half);
  const summarise = (part: readonly DayValue[]) => ({
    from: part[0]?.day ?? "",
    to: part.at(-1)?.day ?? "",
    average: round(part.reduce((sum, point) => sum + point.value, 0) / part.length),
  });
  const a = summarise(earlier);
  const b = summarise(later);
  return { earlier: a, later: b, change: round(b.average - a.average) };
}
