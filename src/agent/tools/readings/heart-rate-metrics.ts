// get_user_heart_rate_metrics: average heart rate, a resting estimate and the daily trend over a window.
import { bpReadingsCollection } from "../../../readings/documents";
import { roundBpm } from "../../../readings/rounding";
import { defineDailyMetricTool } from "./daily-metric";
import { readingsInWindow } from "./pipeline";
import type { WindowedQuery } from "./window";

/**
 * The resting estimate is this percentile (nearest rank) of the pulses measured with the window's BP
 * readings: the value at rank ceil(n × 10 / 100) in ascending order. Readings are taken at rest but
 * through the waking day, so the low end of their pulses approximates resting heart rate without being
 * pulled down by one odd value the way the minimum would be.
 */
export const RESTING_PERCENTILE = 10;
export const RESTING_METHOD = `${RESTING_PERCENTILE}th percentile (nearest rank) of the pulse of the window's blood-pressure readings`;

/** `resting_estimate`, absent when the window has no BP readings with a pulse (the tool's second round trip). */
async function restingEstimate({
  db,
  scope,
  window,
}: WindowedQuery): Promise<{ resting_estimate?: { bpm: number; readings: number; method: string } }> {
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
  if (row === undefined) return {};
  return { resting_estimate: { bpm: roundBpm(row.bpm), readings: row.readings, method: RESTING_METHOD } };
}

export const getUserHeartRateMetrics = defineDailyMetricTool({
  name: "get_user_heart_rate_metrics",
  description: [
    "The user's heart rate over the last N days: average, a resting estimate and the daily trend.",
    "Use for heart-rate or pulse questions ('what is my resting heart rate?', 'is my pulse going down?').",
    "Returns average_bpm (mean of the daily values), the lowest and highest day, resting_estimate (the 10th",
    "percentile of the pulses measured with the BP readings; an estimate, say so), per-day values, and trend =",
    "average of the earlier vs the later half of the days with the change. status 'no_readings' = no heart-rate",
    "data in the window; stale=true = the newest day is before today.",
  ].join("\n"),
  field: "heart_rate",
  round: roundBpm,
  names: { days: "days", average: "average_bpm", lowest: "lowest_day", highest: "highest_day", value: "bpm" },
  extra: restingEstimate,
});
