// One blood-pressure reading as the model sees it: the projection that fetches it (local time, day and
// daypart worked out by the server) and the view built from it, with the watch's category.
import type { Document } from "mongodb";
import { type BpCategory, classifyBp } from "../../../readings/bp-category";
import type { Daypart } from "../../../readings/dayparts";
import { daypartOf, localDayOf, localTimeOf } from "./pipeline";

/** A reading as `readingRowProjection` returns it. */
export interface ReadingRow {
  at: Date;
  local_time: string;
  local_day: string;
  daypart: Daypart;
  systolic: number;
  diastolic: number;
  pulse: number;
}

/** `$project` producing a ReadingRow; put it after the `$limit`, so only returned readings pay for it. */
export function readingRowProjection(timezone: string): Document {
  return {
    $project: {
      _id: 0,
      at: 1,
      local_time: localTimeOf("$at", timezone),
      local_day: localDayOf("$at", timezone),
      daypart: daypartOf("$at", timezone),
      systolic: 1,
      diastolic: 1,
      pulse: 1,
    },
  };
}

/** One BP reading as the model sees it. */
export interface ReadingView {
  /** UTC instant, ISO 8601. */
  at: string;
  /** Wall time in the user's zone, "YYYY-MM-DD HH:MM". */
  local_time: string;
  /** Local day, "YYYY-MM-DD". */
  day: string;
  daypart: Daypart;
  /** mmHg. */
  systolic: number;
  /** mmHg. */
  diastolic: number;
  /** bpm. */
  pulse: number;
  /** ESC/ESH category of this single reading (the watch's label, not a diagnosis). */
  category: BpCategory;
}

export function readingView(row: ReadingRow): ReadingView {
  return {
    at: row.at.toISOString(),
    local_time: row.local_time,
    day: row.local_day,
    daypart: row.daypart,
    systolic: row.systolic,
    diastolic: row.diastolic,
    pulse: row.pulse,
    category: classifyBp(row.systolic, row.diastolic),
  };
}
