import { localHour } from "./local-day";

export type Daypart = "morning" | "afternoon" | "evening" | "night";

/**
 * The single definition of the dayparts, by the local hour each one starts at, in day order.
 * Each daypart runs until the next one starts; the last one (night, 22:00) wraps past midnight to 04:59.
 */
export const DAYPART_STARTS: readonly { readonly daypart: Daypart; readonly startHour: number }[] = [
  { daypart: "morning", startHour: 5 },
  { daypart: "afternoon", startHour: 12 },
  { daypart: "evening", startHour: 17 },
  { daypart: "night", startHour: 22 },
];

export const DAYPARTS: readonly Daypart[] = DAYPART_STARTS.map((entry) => entry.daypart);

/** The daypart a local hour of day (integer 0–23) falls in. */
export function daypartOfLocalHour(hour: number): Daypart {
  if (!Number.isInteger(hour) || hour < 0 || hour > 23) {
    throw new RangeError(`hour must be an integer in 0..23, got ${hour}`);
  }
  // Before the first start hour we are still in the last daypart, which wraps past midnight.
  const entry = DAYPART_STARTS.findLast((e) => hour >= e.startHour) ?? DAYPART_STARTS.at(-1);
  if (entry === undefined) throw new Error("DAYPART_STARTS is empty");
  return entry.daypart;
}

/** The daypart of an instant in the user's time zone (DST-aware via Intl). */
export function daypartAt(instant: Date, timeZone: string): Daypart {
  return daypartOfLocalHour(localHour(instant, timeZone));
}

/** Local start hour and (exclusive) end hour of a daypart; night gives { startHour: 22, endHour: 5 }. */
export function daypartHours(daypart: Daypart): { startHour: number; endHour: number } {
  const index = DAYPART_STARTS.findIndex((entry) => entry.daypart === daypart);
  const start = DAYPART_STARTS[index];
  const next = DAYPART_STARTS[(index + 1) % DAYPART_STARTS.length];
  if (start === undefined || next === undefined) {
    throw new RangeError(`Unknown daypart "${daypart}"`);
  }
  return { startHour: start.startHour, endHour: next.startHour };
}
