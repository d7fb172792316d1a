// get_bp_reading_history: the individual readings of a window, optionally filtered by daypart and by
// systolic/diastolic bounds, newest first.
import type { Document } from "mongodb";
import { z } from "zod";
import { DAYPARTS, type Daypart } from "../../../readings/dayparts";
import { bpReadingsCollection } from "../../../readings/documents";
import { defineTool } from "../../tool";
import { daypartOf, latestReadingBefore, localDayOf, readingsInWindow } from "./pipeline";
import { type ReadingRow, type ReadingView, readingRowProjection, readingView } from "./reading-view";
import { type NoReadingsResult, noReadings, type WindowResult, windowResult } from "./result";
import { windowDaysInput, windowedQuery } from "./window";

export const MAX_HISTORY_READINGS = 200;

const pressureBound = (what: string) =>
  z.number().int().min(30).max(300).optional().describe(`${what} in mmHg, inclusive.`);

const input = z
  .strictObject({
    days: windowDaysInput(7),
    daypart: z
      .enum(DAYPARTS)
      .optional()
      .describe("Only readings taken in this part of the user's local day."),
    systolic_min: pressureBound("Lowest systolic"),
    systolic_max: pressureBound("Highest systolic"),
    diastolic_min: pressureBound("Lowest diastolic"),
    diastolic_max: pressureBound("Highest diastolic"),
    limit: z
      .number()
      .int()
      .min(1)
      .max(MAX_HISTORY_READINGS)
      .default(50)
      .describe(`Most readings to return, newest first (1-${MAX_HISTORY_READINGS}). Default 50.`),
  })
  .refine((args) => (args.systolic_min ?? 0) <= (args.systolic_max ?? Number.POSITIVE_INFINITY), {
    message: "systolic_min must not be above systolic_max",
  })
  .refine((args) => (args.diastolic_min ?? 0) <= (args.diastolic_max ?? Number.POSITIVE_INFINITY), {
    message: "diastolic_min must not be above diastolic_max",
  });

type HistoryInput = z.infer<typeof input>;

/** The filters the call used, echoed so the model can say what it looked for. */
export interface HistoryFilters {
  daypart?: Daypart;
  systolic_min?: number;
  systolic_max?: number;
  diastolic_min?: number;
  diastolic_max?: number;
}

export interface BpReadingHistory {
  filters: HistoryFilters;
  /** Readings in the window before filtering. */
  window_readings: number;
  /** Readings matching the filters; `readings` holds the newest `returned` of them. */
  matching_readings: number;
  returned: number;
  /** True when more readings matched than `limit` allowed to return. */
  truncated: boolean;
  order: "newest_first";
  readings: ReadingView[];
}

export type BpReadingHistoryResult =
  | WindowResult<"ok", BpReadingHistory>
  /** The window has readings, but none match the filters. */
  | WindowResult<"no_matching_readings", Pick<BpReadingHistory, "filters" | "window_readings">>
  | NoReadingsResult;

function echoFilters(args: HistoryInput): HistoryFilters {
  const filters: HistoryFilters = {};
  if (args.daypart !== undefined) filters.daypart = args.daypart;
  if (args.systolic_min !== undefined) filters.systolic_min = args.systolic_min;
  if (args.systolic_max !== undefined) filters.systolic_max = args.systolic_max;
  if (args.diastolic_min !== undefined) filters.diastolic_min = args.diastolic_min;
  if (args.diastolic_max !== undefined) filters.diastolic_max = args.diastolic_max;
  return filters;
}

function range(min: number | undefined, max: number | undefined): Document | undefined {
  if (min === undefined && max === undefined) return undefined;
  return { ...(min === undefined ? {} : { $gte: min }), ...(max === undefined ? {} : { $lte: max }) };
}

function filterMatch(filters: HistoryFilters): Document {
  const match: Document = {};
  if (filters.daypart !== undefined) match.daypart = filters.daypart;
  const systolic = range(filters.systolic_min, filters.systolic_max);
  if (systolic !== undefined) match.systolic = systolic;
  const diastolic = range(filters.diastolic_min, filters.diastolic_max);
  if (diastolic !== undefined) match.diastolic = diastolic;
  return { $match: match };
}

interface HistoryFacets {
  window: { readings: number; latest_day: string }[];
  matching_count: { readings: number }[];
  matching: ReadingRow[];
}

export const getBpReadingHistory = defineTool({
  name: "get_bp_reading_history",
  description: [
    "List the user's individual blood-pressure readings over the last N days, newest first.",
    "Use when the user wants to see readings themselves ('show my readings this week', 'my morning readings',",
    "'readings above 140'). Optional filters: daypart (morning 05-12, afternoon 12-17, evening 17-22, night",
    "22-05 local time) and inclusive systolic/diastolic bounds; at most `limit` readings (≤ 200) are returned,",
    "with the counts before and after filtering. For averages or trends use the summary tools instead.",
    "status 'no_readings' = nothing in the window (latest_available says when the user last measured);",
    "'no_matching_readings' = readings exist but none match the filters. stale=true: the newest reading is",
    "from before today.",
  ].join("\n"),
  input,
  handler: async (args, ctx): Promise<BpReadingHistoryResult> => {
    const { scope, window, db } = windowedQuery(ctx, args.days);
    const filters = echoFilters(args);
    const [facets] = await bpReadingsCollection(db)
      .aggregate<HistoryFacets>([
        readingsInWindow(scope, window),
        // Only a daypart filter needs every reading's daypart.
        ...(filters.daypart === undefined ? [] : [{ $set: { daypart: daypartOf("$at", scope.timezone) } }]),
        {
          $facet: {
            window: [
              { $group: { _id: null, readings: { $sum: 1 }, latest_at: { $max: "$at" } } },
              { $set: { latest_day: localDayOf("$latest_at", scope.timezone) } },
            ],
            matching_count: [filterMatch(filters), { $count: "readings" }],
            matching: [
              filterMatch(filters),
              { $sort: { at: -1 } },
              { $limit: args.limit },
              readingRowProjection(scope.timezone),
            ],
          },
        },
      ])
      .toArray();
    const inWindow = facets?.window[0];
    if (inWindow === undefined) {
      return noReadings(window, await latestReadingBefore(db, scope, window.startUtc));
    }
    const matching = facets?.matching_count[0]?.readings ?? 0;
    if (matching === 0) {
      return windowResult("no_matching_readings", window, inWindow.latest_day, {
        filters,
        window_readings: inWindow.readings,
      });
    }
    const readings = (facets?.matching ?? []).map(readingView);
    return windowResult("ok", window, inWindow.latest_day, {
      filters,
      window_readings: inWindow.readings,
      matching_readings: matching,
      returned: readings.length,
      truncated: matching > readings.length,
      order: "newest_first",
      readings,
    });
  },
});
