// get_user_sleep_metrics: average sleep per night over a window, shortest and longest night, daily trend.
import { z } from "zod";
import { defineTool } from "../../tool.ts";
import { type HalvesTrend, halvesTrend, queryDailyMetric } from "./daily-metric.ts";
import { roundHours } from "./rounding.ts";
import {
  type Freshness,
  freshness,
  healthScope,
  type NoReadingsResult,
  noReadings,
  resolveWindow,
  type WindowView,
  windowDaysInput,
  windowView,
} from "./window.ts";

export interface NightView {
  /** The local day the night ended on (the morning after). */
  day: string;
  hours: number;
}

export type SleepMetricsResult =
  | ({
      status: "ok";
      window: WindowView;
      nights: number;
      /** Mean hours per night, 1 decimal. */
      average_hours: number;
      shortest: NightView;
      longest: NightView;
      /** Oldest first. */
      daily: NightView[];
      /** Earlier vs later half of the nights (hours); absent with fewer than two nights. */
      trend?: HalvesTrend;
    } & Freshness)
  | NoReadingsResult;

export const getUserSleepMetrics = defineTool({
  name: "get_user_sleep_metrics",
  description: [
    "The user's sleep over the last N days: average hours per night, shortest and longest night, daily trend.",
    "Use for sleep questions ('how much am I sleeping?', 'did I sleep better this week?'). A night is filed",
    "under the day it ended. Returns average_hours and per-night hours (1 decimal), the shortest and longest",
    "night with dates, and trend = average of the earlier vs the later half of the nights with the change.",
    "For several metrics at once prefer summarize_last_n_days. status 'no_readings' = no sleep data in the",
    "window; stale=true = the newest night is from before today.",
  ].join("\n"),
  input: z.strictObject({ days: windowDaysInput(7) }),
  handler: async (args, ctx): Promise<SleepMetricsResult> => {
    const scope = healthScope(ctx);
    const window = resolveWindow(scope, args.days);
    const found = await queryDailyMetric(ctx.deps.mongo.db, scope, window, "sleep_hours");
    if (found.metric === null) return noReadings(window, found.latest);
    const { metric } = found;
    const night = (point: { day: string; value: number }): NightView => ({
      day: point.day,
      hours: roundHours(point.value),
    });
    const trend = halvesTrend(metric.series, roundHours);
    return {
      status: "ok",
      window: windowView(window),
      nights: metric.days,
      average_hours: roundHours(metric.average),
      shortest: night(metric.lowest),
      longest: night(metric.highest),
      daily: metric.series.map(night),
      ...(trend === undefined ? {} : { trend }),
      ...freshness(metric.latestDay, scope.today),
    };
  },
});
