// The daily-metric tools (sleep, steps, heart rate) from one factory: one `watch_daily` field over a
// window as the mean of the daily values, the lowest and highest day, the daily series and a
// first-half/second-half trend, in one round trip. A tool's own file holds only what is its own: the
// description the model reads, the field, the names and rounding of its figures, and any extra step.
import { z } from "zod";
import { watchDailyCollection } from "../../../readings/documents";
import { defineTool } from "../../tool";
import { dailyWindowWithPrevious, latestFromPreviousDay, previousDayFacet } from "./pipeline";
import {
  type LatestAvailable,
  type NoReadingsResult,
  noReadings,
  type WindowResult,
  windowResult,
} from "./result";
import { type WindowedQuery, windowDaysInput, windowedQuery } from "./window";

export type DailyMetricField = "sleep_hours" | "steps" | "heart_rate";

export interface DayValue {
  day: string;
  value: number;
}

interface DailyMetric {
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
async function queryDailyMetric(
  { db, scope, window }: WindowedQuery,
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

/** The names the model reads for a daily-metric tool's figures. */
export interface DailyMetricNames {
  /** How many days have a value ("nights" for sleep). */
  days: string;
  /** The mean of the daily values. */
  average: string;
  /** The sum of the daily values, only where a sum means something (steps). */
  total?: string;
  /** The day with the lowest value; ties go to the most recent day. */
  lowest: string;
  /** The day with the highest value; ties go to the most recent day. */
  highest: string;
  /** A day's value inside `lowest`, `highest` and `daily` ("hours", "steps", "bpm"). */
  value: string;
}

export interface DailyMetricTool {
  name: string;
  /** What the model reads to decide when and how to call the tool. */
  description: string;
  field: DailyMetricField;
  /** The rounding rule of the metric's unit (rounding.ts); the trend compares rounded averages. */
  round: (value: number) => number;
  names: DailyMetricNames;
  /**
   * The value accumulates through the day (steps), so today's is only the count so far: the result
   * says whether today is among the days (`includes_today_so_far`, after the trend).
   */
  todayIsPartial?: boolean;
  /**
   * Figures of the tool's own from a second round trip, run in parallel with the daily values and
   * placed after the lowest and highest day (heart rate's resting estimate).
   */
  extra?: (query: WindowedQuery) => Promise<object>;
}

/**
 * `{status: "ok", window, <days>, <average>, <total>?, <lowest>, <highest>, ...extra, daily (oldest
 * first), trend? (absent with fewer than two days), includes_today_so_far?, as_of, days_since_as_of,
 * stale}` with the tool's names (DailyMetricNames), or no readings.
 */
export type DailyMetricResult = WindowResult<"ok", Record<string, unknown>> | NoReadingsResult;

export function defineDailyMetricTool(tool: DailyMetricTool) {
  const { names, round } = tool;
  const dayFigure = (point: DayValue) => ({ day: point.day, [names.value]: round(point.value) });
  return defineTool({
    name: tool.name,
    description: tool.description,
    input: z.strictObject({ days: windowDaysInput(7) }),
    handler: async (args, ctx): Promise<DailyMetricResult> => {
      const query = windowedQuery(ctx, args.days);
      const [found, extra] = await Promise.all([queryDailyMetric(query, tool.field), tool.extra?.(query)]);
      if (found.metric === null) return noReadings(query.window, found.latest);
      const { metric } = found;
      const trend = halvesTrend(metric.series, round);
      // Keys in the order the model reads them; the names are the tool's (DailyMetricNames).
      const figures: Record<string, unknown> = {
        [names.days]: metric.days,
        [names.average]: round(metric.average),
        ...(names.total === undefined ? {} : { [names.total]: round(metric.total) }),
        [names.lowest]: dayFigure(metric.lowest),
        [names.highest]: dayFigure(metric.highest),
        ...extra,
        daily: metric.series.map(dayFigure),
        ...(trend === undefined ? {} : { trend }),
        ...(tool.todayIsPartial ? { includes_today_so_far: metric.latestDay === query.scope.today } : {}),
      };
      return windowResult("ok", query.window, metric.latestDay, figures);
    },
  });
}
