// get_user_step_metrics: daily steps over a window: average, total, lowest and highest day, daily trend.
import { z } from "zod";
import { defineTool } from "../../tool.ts";
import { type HalvesTrend, halvesTrend, queryDailyMetric } from "./daily-metric.ts";
import { roundSteps } from "./rounding.ts";
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

export interface StepDay {
  day: string;
  steps: number;
}

export type StepMetricsResult =
  | ({
      status: "ok";
      window: WindowView;
      days: number;
      daily_average: number;
      total: number;
      lowest: StepDay;
      highest: StepDay;
      /** Oldest first. */
      daily: StepDay[];
      /** Earlier vs later half of the days (steps); absent with fewer than two days. */
      trend?: HalvesTrend;
      /** True when today is among the days: its count is only the steps so far. */
      includes_today_so_far: boolean;
    } & Freshness)
  | NoReadingsResult;

export const getUserStepMetrics = defineTool({
  name: "get_user_step_metrics",
  description: [
    "The user's daily step counts over the last N days: average, total, lowest and highest day, daily trend.",
    "Use for activity questions ('how many steps do I average?', 'was I more active this week?'). Returns",
    "daily_average, total, the lowest and highest day with dates, the per-day counts, and trend = average of",
    "the earlier vs the later half of the days with the change. includes_today_so_far=true means today's count",
    "is still growing. For several metrics at once prefer summarize_last_n_days. status 'no_readings' = no step",
    "data in the window; stale=true = the newest day with steps is before today.",
  ].join("\n"),
  input: z.strictObject({ days: windowDaysInput(7) }),
  handler: async (args, ctx): Promise<StepMetricsResult> => {
    const scope = healthScope(ctx);
    const window = resolveWindow(scope, args.days);
    const found = await queryDailyMetric(ctx.deps.mongo.db, scope, window, "steps");
    if (found.metric === null) return noReadings(window, found.latest);
    const { metric } = found;
    const stepDay = (point: { day: string; value: number }): StepDay => ({
      day: point.day,
      steps: roundSteps(point.value),
    });
    const trend = halvesTrend(metric.series, roundSteps);
    return {
      status: "ok",
      window: windowView(window),
      days: metric.days,
      daily_average: roundSteps(metric.average),
      total: roundSteps(metric.total),
      lowest: stepDay(metric.lowest),
      highest: stepDay(metric.highest),
      daily: metric.series.map(stepDay),
      ...(trend === undefined ? {} : { trend }),
      includes_today_so_far: metric.latestDay === scope.today,
      ...freshness(metric.latestDay, scope.today),
    };
  },
});
