/**
 * Calendar-day and wall-clock helpers for IANA time zones, built on Intl only (no date library).
 *
 * A "day" is a user-local calendar date formatted "YYYY-MM-DD".
 */

// IANA names are Area/Location words (plus a few bare names like UTC); this rejects raw offsets
// such as "+05:00", which Intl would otherwise accept but which carry no DST rules.
const IANA_SHAPE = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/;

const knownZones = new Map<string, boolean>();

/** An IANA zone with DST rules (never a raw offset); the one check of a client-supplied zone. */
export function isIanaTimeZone(zone: string): boolean {
  const cached = knownZones.get(zone);
  if (cached !== undefined) return cached;
  let valid = IANA_SHAPE.test(zone);
  if (valid) {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: zone });
    } catch {
      valid = false;
    }
  }
  // Bounded: a client sending random zones must not grow this cache forever.
  if (knownZones.size < 2_000) knownZones.set(zone, valid);
  return valid;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    // Throws RangeError for an unknown time zone, so only valid zones are cached.
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      calendar: "gregory",
      numberingSystem: "latn",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
      hourCycle: "h23",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

function assertValidInstant(instant: Date): void {
  if (Number.isNaN(instant.getTime())) {
    throw new RangeError("Invalid Date");
  }
}

function wallClockAt(instant: Date, timeZone: string): WallClock {
  assertValidInstant(instant);
  const wall: WallClock = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    switch (part.type) {
      case "year":
      case "month":
      case "day":
      case "hour":
      case "minute":
      case "second":
        wall[part.type] = Number(part.value);
        break;
      default:
        break;
    }
  }
  return wall;
}

/** Epoch milliseconds of a proleptic-Gregorian date-time read as UTC (safe for years 0–99 too). */
function utcMs(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  return date.getTime();
}

/** UTC offset (local minus UTC, in ms) of `timeZone` at the given epoch milliseconds. */
function offsetMs(epochMs: number, timeZone: string): number {
  const wholeSecond = Math.floor(epochMs / 1000) * 1000;
  const wall = wallClockAt(new Date(wholeSecond), timeZone);
  return utcMs(wall.year, wall.month, wall.day, wall.hour, wall.minute, wall.second) - wholeSecond;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, "0");
}

function formatDay(year: number, month: number, day: number): string {
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

/** Parses and validates a "YYYY-MM-DD" calendar date; throws RangeError when malformed or nonexistent. */
function parseDay(day: string): CalendarDate {
  const match = DAY_PATTERN.exec(day);
  const year = Number(match?.[1]);
  const month = Number(match?.[2]);
  const dayOfMonth = Number(match?.[3]);
  if (match === null || month < 1 || month > 12 || dayOfMonth < 1) {
    throw new RangeError(`Invalid day "${day}", expected YYYY-MM-DD`);
  }
  const check = new Date(utcMs(year, month, dayOfMonth));
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== dayOfMonth) {
    throw new RangeError(`Invalid day "${day}", no such calendar date`);
  }
  return { year, month, day: dayOfMonth };
}

function assertIntegerIn(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer in ${min}..${max}, got ${value}`);
  }
}

/** The user-local calendar date ("YYYY-MM-DD") of an instant in `timeZone`. */
export function localDay(instant: Date, timeZone: string): string {
  const wall = wallClockAt(instant, timeZone);
  return formatDay(wall.year, wall.month, wall.day);
}

/** The user-local hour of day (0–23) of an instant in `timeZone`. */
export function localHour(instant: Date, timeZone: string): number {
  return wallClockAt(instant, timeZone).hour;
}

/**
 * Converts a wall-clock time in `timeZone` to the UTC instant.
 *
 * Offsets are looked up with Intl a day either side of the wall time, and each candidate instant is kept
 * only if it really shows that wall time locally:
 * - normal times have exactly one candidate;
 * - repeated times (DST ends, e.g. 01:30 on 2026-11-01 in New York) resolve to the earlier instant;
 * - skipped times (DST starts, e.g. 02:30 on 2026-03-08 in New York) move forward by the length of the
 *   gap (03:30 EDT), i.e. they are read with the offset in force before the transition.
 * This matches Temporal's "compatible" disambiguation.
 */
export function zonedTimeToUtc(day: string, hour: number, minute: number, timeZone: string): Date {
  const date = parseDay(day);
  assertIntegerIn("hour", hour, 0, 23);
  assertIntegerIn("minute", minute, 0, 59);
  const wallMs = utcMs(date.year, date.month, date.day, hour, minute);
  const offsetBefore = offsetMs(wallMs - DAY_MS, timeZone);
  const offsetAfter = offsetMs(wallMs + DAY_MS, timeZone);
  const candidates = [wallMs - offsetBefore, wallMs - offsetAfter]
    .filter((epochMs) => offsetMs(epochMs, timeZone) === wallMs - epochMs)
    .sort((a, b) => a - b);
  return new Date(candidates[0] ?? wallMs - offsetBefore);
}

/** Adds (or with a negative delta subtracts) whole calendar days to a "YYYY-MM-DD" date. */
export function addDays(day: string, delta: number): string {
  assertIntegerIn("delta", delta, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  const date = parseDay(day);
  const shifted = new Date(utcMs(date.year, date.month, date.day) + delta * DAY_MS);
  return formatDay(shifted.getUTCFullYear(), shifted.getUTCMonth() + 1, shifted.getUTCDate());
}

/** Day of the week of a "YYYY-MM-DD" date: 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(day: string): number {
  const date = parseDay(day);
  return new Date(utcMs(date.year, date.month, date.day)).getUTCDay();
}

/** Whole days from `from` to `to` (both "YYYY-MM-DD"); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  const a = parseDay(from);
  const b = parseDay(to);
  return Math.round((utcMs(b.year, b.month, b.day) - utcMs(a.year, a.month, a.day)) / DAY_MS);
}

/** Minutes east of UTC of `timeZone` at `instant` (e.g. 345 for Asia/Kathmandu, -210 for America/St_Johns). */
export function utcOffsetMinutes(instant: Date, timeZone: string): number {
  assertValidInstant(instant);
  return Math.round(offsetMs(instant.getTime(), timeZone) / MINUTE_MS);
}
