// In-target share of a window from `watch_daily`: the watch platform grades every reading against the
// user's target band in force that day and stores the day's percentage with its reading count, so the
// window's in-target readings are recovered exactly as in_target_pct × reading_count / 100 per day.
import type { Document } from "mongodb";
import { percentOf } from "../../../readings/rounding";

/** `$facet` branch over the window's daily documents (after a `$match` on the window's days). */
export function inTargetStages(): Document[] {
  return [
    { $match: { in_target_pct: { $type: "number" }, reading_count: { $type: "number" } } },
    {
      $group: {
        _id: null,
        // The stored percentage has 1 decimal, so pct × count / 100 lies within 0.01 of a whole count
        // for any realistic count per day; rounding recovers it.
        in_target: {
          $sum: { $round: [{ $divide: [{ $multiply: ["$in_target_pct", "$reading_count"] }, 100] }, 0] },
        },
        graded: { $sum: "$reading_count" },
      },
    },
  ];
}

export interface InTargetRow {
  in_target: number;
  graded: number;
}

export interface InTargetView {
  /** Percent of graded readings inside the user's target band, 1 decimal. */
  percent: number;
  readings_in_target: number;
  readings_graded: number;
}

export function inTargetView(row: InTargetRow | undefined): InTargetView | undefined {
  if (row === undefined) return undefined;
  const percent = percentOf(row.in_target, row.graded);
  if (percent === null) return undefined;
  return { percent, readings_in_target: row.in_target, readings_graded: row.graded };
}
