// get_morning_vs_evening_delta: the time-of-day pattern: mean morning vs mean evening blood pressure.
import { z } from "zod";
import { type Daypart, daypartHours } from "../../../readings/dayparts";
import { bpReadingsCollection } from "../../../readings/documents";
import { roundMmHg } from "../../../readings/rounding";
import { defineTool } from "../../tool";
import {
  daypartOf,
  latestReadingBefore,
  type ReadingStats,
  readingStats,
  readingsInWindow,
} from "./pipeline";
import { type NoReadingsResult, noReadings, type WindowResult, windowResult } from "./result";
import { latestDay, windowDaysInput, windowedQuery } from "./window";

type ComparedDaypart = Extract<Daypart, "morning" | "evening">;

export interface DaypartMean {
  /** Local hours the daypart covers, "HH:00-HH:00" (end exclusive). */
  hours: string;
  /** Mean of the daypart's readings, mmHg. */
  systolic: number;
  diastolic: number;
  readings: number;
  days_with_readings: number;
}

export type Higher = "morning" | "evening" | "equal";

export interface MorningVsEvening {
  morning: DaypartMean;
  evening: DaypartMean;
  /** morning minus evening, from the rounded means above (mmHg; negative = evening higher). */
  delta: { systolic: number; diastolic: number };
  higher: { systolic: Higher; diastolic: Higher };
}

/** Readings exist, but not in both dayparts, so there is nothing to compare. */
export interface OneDaypartOnly {
  missing_dayparts: ComparedDaypart[];
  morning?: DaypartMean;
  evening?: DaypartMean;
  /** All readings in the window, any daypart. */
  window_readings: number;
}

export type MorningVsEveningResult =
  | WindowResult<"ok", MorningVsEvening>
  | WindowResult<"insufficient_readings", OneDaypartOnly>
  | NoReadingsResult;

interface DaypartRow extends ReadingStats {
  _id: Daypart;
}

function hoursOf(daypart: Daypart): string {
  const { startHour, endHour } = daypartHours(daypart);
  const hh = (hour: number) => `${String(hour).padStart(2, "0")}:00`;
  return `${hh(startHour)}-${hh(endHour)}`;
}

function meanOf(row: DaypartRow | undefined): DaypartMean | undefined {
  if (row === undefined) return undefined;
  return {
    hours: hoursOf(row._id),
    systolic: roundMmHg(row.systolic),
    diastolic: roundMmHg(row.diastolic),
    readings: row.readings,
    days_with_readings: row.days,
  };
}

function higherOf(delta: number): Higher {
  if (delta > 0) return "morning";
  if (delta < 0) return "evening";
  return "equal";
}

export const getMorningVsEveningDelta = defineTool({
  name: "get_morning_vs_evening_delta",
  description: [
    "Compare the user's morning and evening blood pressure over the last N days (time-of-day pattern).",
    "Use for 'is my blood pressure higher in the morning?' or 'how do mornings compare to evenings?'.",
    "Morning = readings 05:00-11:59 local time, evening = 17:00-21:59. Returns each daypart's mean",
    "systolic/diastolic (mmHg) with reading and day counts, delta = morning minus evening (negative means the",
    "evening is higher), and which one is higher. status 'insufficient_readings' = one of the two dayparts has",
    "no readings; 'no_readings' = nothing in the window; stale=true = the newest reading is from before today.",
  ].join("\n"),
  input: z.strictObject({ days: windowDaysInput(14) }),
  handler: async (args, ctx): Promise<MorningVsEveningResult> => {
    const { scope, window, db } = windowedQuery(ctx, args.days);
    const rows = await bpReadingsCollection(db)
      .aggregate<DaypartRow>([
        readingsInWindow(scope, window),
        ...readingStats(daypartOf("$at", scope.timezone), scope.timezone),
      ])
      .toArray();
    if (rows.length === 0) {
      return noReadings(window, await latestReadingBefore(db, scope, window.startUtc));
    }
    const asOf = latestDay(rows.map((row) => row.latest_day)) ?? scope.today;
    const morning = meanOf(rows.find((row) => row._id === "morning"));
    const evening = meanOf(rows.find((row) => row._id === "evening"));
    if (morning === undefined || evening === undefined) {
      const missing: ComparedDaypart[] = [];
      if (morning === undefined) missing.push("morning");
      if (evening === undefined) missing.push("evening");
      return windowResult("insufficient_readings", window, asOf, {
        missing_dayparts: missing,
        ...(morning === undefined ? {} : { morning }),
        ...(evening === undefined ? {} : { evening }),
        window_readings: rows.reduce((sum, row) => sum + row.readings, 0),
      });
    }
    const delta = {
      systolic: morning.systolic - evening.systolic,
      diastolic: morning.diastolic - evening.diastolic,
    };
    return windowResult("ok", window, asOf, {
      morning,
      evening,
      delta,
      higher: { systolic: higherOf(delta.systolic), diastolic: higherOf(delta.diastolic) },
    });
  },
});
