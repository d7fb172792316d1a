// get_user_heart_rate_metrics: average heart rate, a resting estimate and the daily trend over a window.
import type { Db } from "mongodb";
import { z } from "zod";
import { bpReadingsCollection } from "../../../health/readings-model.ts";
import { defineTool } from "../../tool.ts";
import { type HalvesTrend, halvesTrend, queryDailyMetric } from "./daily-metric.ts";
import { readingsInWindow } from "./pipeline.ts";
import { roundBpm } from "./rounding.ts";
import {
  type Freshness,
  freshness,
  type HealthScope,
  type HealthWindow,
  healthScope,
  type NoReadingsResult,
  noReadings,
  resolveWindow,
  type WindowView,
  windowDaysInput,
  windowView,
} from "./window.ts";

/**
 * The resting estimate is this percentile (nearest rank) of the pulses measured with the window's BP
 * readings: the value at rank ceil(n × 10 / 100) in ascending order. Readings are taken at rest but
 * through the waking day, so the low end of their pulses approximates resting heart rate without being
 * pulled down by one odd value the way the minimum would be.
 */
export const RESTING_PERCENTILE = 10;
export const RESTING_METHOD = `${RESTING_PERCENTILE}th percentile (nearest rank) of the pulse of the window's blood-pressure readings`;

export interface HeartRateDay {
  day: string;
  bpm: number;
}

export type HeartRateMetricsResult =
  | ({
      status: "ok";
      window: WindowView;
      days: number;
      /** Mean of the daily heart-rate values, bpm. */
      average_bpm: number;
      lowest_day: HeartRateDay;
      highest_day: HeartRateDay;
      /** Absent when the window has no BP readings with a pulse. */
      resting_estimate?: { bpm: number; readings: number; method: string };
      /** Oldest first. */
      daily: HeartRateDay[];
      /** Earlier vs later half of the days (bpm); absent with fewer than two days. */
      trend?: HalvesTrend;
    } & Freshness)
  | NoReadingsResult;

async function restingEstimate(
  db: Db,
  scope: HealthScope,
  window: HealthWindow,
): Promise<{ bpm: number; readings: number } | undefined> {
  const [row] = await bpReadingsCollection(db)
    .aggregate<{ readings: number; bpm: number }>([
      readingsInWindow(scope, window),
      { $match: { pulse: { $type: "number" } } },
      { $group: { _id: null, readings: { $sum: 1 }, pulses: { $push: "$pulse" } } },
      {
        $project: {
          _id: 0,
          readings: 1,
          // Integer arithmetic first (n × p / 100), so the rank of e.g. n = 30 is exactly 3.
          bpm: {
            $arrayElemAt: [
              { $sortArray: { input: "$pulses", sortBy: 1 } },
              {
                $subtract: [
                  { $ceil: { $divide: [{ $multiply: ["$readings", RESTING_PERCENTILE] }, 100] } },
                  1,
                ],
              },
            ],
          },
        },
      },
    ])
    .toArray();
  return row === undefined ? undefined : { bpm: roundBpm(row.bpm), readings: row.readings };
}

export const getUserHeartRateMetrics = defineTool({
  name: "get_user_heart_rate_metrics",
  description: [
    "The user's heart rate over the last N days: average, a resting estimate and the daily trend.",
    "Use for heart-rate or pulse questions ('what is my resting heart rate?', 'is my pulse going down?').",
    "Returns average_bpm (mean of the daily values), the lowest and highest day, resting_estimate (the 10th",
    "percentile of the pulses measured with the BP readings; an estimate, say so), per-day values, and trend =",
    "average of the earlier vs the later half of the days with the change. status 'no_readings' = no heart-rate",
    "data in the window; stale=true = the newest day is before today.",
  ].join("\n"),
  input: z.strictObject({ days: windowDaysInput(7) }),
  handler: async (args, ctx): Promise<HeartRateMetricsResult> => {
    const scope = healthScope(ctx);
    const window = resolveWindow(scope, args.days);
    const db = ctx.deps.mongo.db;
    const [found, resting] = await Promise.all([
      queryDailyMetric(db, scope, window, "heart_rate"),
      restingEstimate(db, scope, window),
    ]);
    if (found.metric === null) return noReadings(window, found.latest);
    const { metric } = found;
    const heartRateDay = (point: { day: string; value: number }): HeartRateDay => ({
      day: point.day,
      bpm: roundBpm(point.value),
    });
    const trend = halvesTrend(metric.series, roundBpm);
    return {
      status: "ok",
      window: windowView(window),
      days: metric.days,
      average_bpm: roundBpm(metric.average),
      lowest_day: heartRateDay(metric.lowest),
      highest_day: heartRateDay(metric.highest),
      ...(resting === undefined ? {} : { resting_estimate: { ...resting, method: RESTING_METHOD } }),
      daily: metric.series.map(heartRateDay),
      ...(trend === undefined ? {} : { trend }),
      ...freshness(metric.latestDay, scope.today),
    };
  },
});
