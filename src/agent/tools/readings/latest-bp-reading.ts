// get_latest_bp_reading: the user's most recent blood-pressure reading, with how old it is.
import { z } from "zod";
import { bpReadingsCollection } from "../../../readings/documents";
import { defineTool } from "../../tool";
import { type ReadingRow, type ReadingView, readingRowProjection, readingView } from "./reading-view";
import { type Freshness, freshness } from "./result";
import { readingsScope } from "./window";

export type LatestBpReadingResult =
  | ({ status: "ok"; reading: ReadingView } & Freshness)
  /** The watch has never sent a blood-pressure reading. */
  | { status: "no_readings" };

export const getLatestBpReading = defineTool({
  name: "get_latest_bp_reading",
  description: [
    "Get the user's most recent blood-pressure reading.",
    "Use for 'what was my last reading?' or to anchor an answer on the newest measurement. Returns the",
    "reading (systolic/diastolic mmHg, pulse bpm, local time, daypart, the watch's category label) and",
    "as_of/days_since_as_of/stale: when stale is true the reading is not from today, so say when it was taken.",
    "status 'no_readings' means the watch has never sent a reading.",
  ].join("\n"),
  input: z.strictObject({}),
  handler: async (_input, ctx): Promise<LatestBpReadingResult> => {
    const scope = readingsScope(ctx);
    const [row] = await bpReadingsCollection(ctx.deps.mongo.db)
      .aggregate<ReadingRow>([
        // Readings stamped after the turn's clock are not "latest" yet (a pinned clock replays exactly).
        { $match: { watch_id: scope.watchId, at: { $lte: ctx.now() } } },
        { $sort: { at: -1 } },
        { $limit: 1 },
        readingRowProjection(scope.timezone),
      ])
      .toArray();
    if (row === undefined) return { status: "no_readings" };
    return { status: "ok", reading: readingView(row), ...freshness(row.local_day, scope.today) };
  },
});
