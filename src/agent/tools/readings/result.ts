// The shape of every readings tool's answer: its status, the window, the figures, and how fresh they are
// (as_of, days_since_as_of, stale); or the explicit "no readings" answer, never zeros.
import { daysBetween } from "../../../readings/local-day";
import { type HealthWindow, type WindowView, windowView } from "./window";

/** How recent the newest data point of a result is. */
export interface Freshness {
  /** Local day of the newest data point the figures include. */
  as_of: string;
  /** Whole days from `as_of` to today (0 = today). */
  days_since_as_of: number;
  /** True when the newest data point is older than today: present the figures "as of" that day. */
  stale: boolean;
}

export function freshness(asOfDay: string, today: string): Freshness {
  const daysSince = daysBetween(asOfDay, today);
  return { as_of: asOfDay, days_since_as_of: daysSince, stale: daysSince > 0 };
}

/** Figures over a window, in the order the model reads them: status, window, the figures, freshness. */
export type WindowResult<Status extends string, Figures> = { status: Status; window: WindowView } & Figures &
  Freshness;

/**
 * `asOfDay` is the local day of the newest data point the figures include; a tool's window ends today,
 * so freshness is counted up to the window's end.
 */
export function windowResult<Status extends string, Figures extends object>(
  status: Status,
  window: HealthWindow,
  asOfDay: string,
  figures: Figures,
): WindowResult<Status, Figures> {
  return { status, window: windowView(window), ...figures, ...freshness(asOfDay, window.end) };
}

/** The newest data older than the window, so the model can say when the user last measured. */
export interface LatestAvailable {
  day: string;
  /** UTC instant of the newest reading, when the source has readings. */
  at?: string;
}

/** Returned instead of figures when the window holds no data: never zeros or averages of nothing. */
export interface NoReadingsResult {
  status: "no_readings";
  window: WindowView;
  /** Absent when the watch has never sent data of this kind. */
  latest_available?: LatestAvailable;
}

export function noReadings(window: HealthWindow, latest: LatestAvailable | null): NoReadingsResult {
  return latest === null
    ? { status: "no_readings", window: windowView(window) }
    : { status: "no_readings", window: windowView(window), latest_available: latest };
}
