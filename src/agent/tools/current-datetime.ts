// `get_current_datetime`: the user's local date and time, from the turn's clock and the user's zone
// (server-side context; the model supplies nothing). The prompt tells the model to call it first for
// "today", "this week", "last night".
import { z } from "zod";
import { type Daypart, daypartAt } from "../../readings/dayparts";
import { dayOfWeek, localDay, utcOffsetMinutes } from "../../readings/local-day";
import { defineTool, ToolError } from "../tool";

const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"] as const;

export interface LocalDateTime {
  /** IANA zone, e.g. "Europe/London". */
  timezone: string;
  /** "YYYY-MM-DD" in that zone. */
  date: string;
  /** "HH:MM" (24-hour) in that zone. */
  time: string;
  weekday: (typeof WEEKDAYS)[number];
  /** The daypart the health tools use (morning, afternoon, evening, night). */
  daypart: Daypart;
  /** ISO 8601 local time with its offset, e.g. "2026-11-03T14:05:09+00:00". */
  iso: string;
  /** e.g. "+05:45". */
  utc_offset: string;
}

export function localDateTime(instant: Date, timezone: string): LocalDateTime {
  const offsetMinutes = utcOffsetMinutes(instant, timezone);
  // The instant shifted by the zone's offset reads as local wall time through the UTC getters.
  const wall = new Date(instant.getTime() + offsetMinutes * 60_000);
  const date = localDay(instant, timezone);
  const hh = pad2(wall.getUTCHours());
  const mm = pad2(wall.getUTCMinutes());
  const ss = pad2(wall.getUTCSeconds());
  const sign = offsetMinutes < 0 ? "-" : "+";
  const offset = `${sign}${pad2(Math.floor(Math.abs(offsetMinutes) / 60))}:${pad2(Math.abs(offsetMinutes) % 60)}`;
  return {
    timezone,
    date,
    time: `${hh}:${mm}`,
    weekday: WEEKDAYS[dayOfWeek(date)] ?? "Sunday",
    daypart: daypartAt(instant, timezone),
    iso: `${date}T${hh}:${mm}:${ss}${offset}`,
    utc_offset: offset,
  };
}

function pad2(value: number): string {
  return String(value).padStart(2, "0");
}

export const currentDateTimeTool = defineTool({
  name: "get_current_datetime",
  description:
    "The user's current local date, time, weekday and time zone. Call this first whenever the question " +
    "involves a relative date or time (today, yesterday, this week, last night, this morning).",
  input: z.strictObject({}),
  handler: async (_input, ctx) => {
    try {
      return localDateTime(ctx.now(), ctx.timezone);
    } catch (error) {
      if (error instanceof RangeError)
        throw new ToolError("failed", "the user's time zone is not recognised");
      throw error;
    }
  },
});
