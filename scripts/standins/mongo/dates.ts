// Timezone-aware date expression operators registered ahead of mingo's own. mingo 7 only accepts
// two-part Olson names (no "UTC", "Etc/GMT+5", "America/Argentina/Buenos_Aires"), derives
// offsets by re-parsing locale strings in the process's local zone, and $dateTrunc/$dateAdd
// ignore the timezone for calendar units, so daily buckets across a DST change come out wrong.
// Offsets here come from Intl, and calendar arithmetic happens on local wall-clock time.
import { ObjectId, Timestamp } from "bson";
import type { Any, AnyObject, Options } from "mingo/types";
import { CommandError } from "./errors";
import { evalExpr } from "./mingo";

type ExprOp = (obj: AnyObject, expr: Any, options: Options) => Any;

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const UNIT_MS: Record<string, number> = {
  millisecond: 1,
  second: 1000,
  minute: MINUTE,
  hour: HOUR,
  day: DAY,
  week: 7 * DAY,
};
const UNITS = new Set(["year", "quarter", "month", "week", "day", "hour", "minute", "second", "millisecond"]);
const WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
const MONTH_NAMES = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

// ---- time zones ----------------------------------------------------------------------------

interface Zone {
  readonly name: string;
  /** Offset from UTC in minutes at the given instant. */
  offsetAt(ms: number): number;
}

const FIXED_OFFSET_RE = /^([+-])(\d{2})(?::?(\d{2}))?$/;
const zones = new Map<string, Zone>();

function fixedZone(name: string, minutes: number): Zone {
  return { name, offsetAt: () => minutes };
}

function intlZone(name: string): Zone {
  const fmt = new Intl.DateTimeFormat("en-US", {
    timeZone: name,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
    era: "short",
  });
  // Offsets only change at transitions, which fall on quarter hours; caching per 15 minutes
  // keeps Intl (slow) out of the per-document hot path of big pipelines.
  const cache = new Map<number, number>();
  return {
    name,
    offsetAt(ms: number): number {
      const slot = Math.floor(ms / (15 * MINUTE));
      const hit = cache.get(slot);
      if (hit !== undefined) return hit;
      const base = slot * 15 * MINUTE;
      const parts: Record<string, string> = {};
      for (const p of fmt.formatToParts(new Date(base))) parts[p.type] = p.value;
      let year = Number(parts.year);
      if (parts.era === "BC" || parts.era === "B") year = 1 - year;
      const wall = Date.UTC(
        year,
        Number(parts.month) - 1,
        Number(parts.day),
        Number(parts.hour),
        Number(parts.minute),
        Number(parts.second),
      );
      // Date.UTC maps years 0-99 to 1900-1999.
      const fixed = year >= 0 && year < 100 ? new Date(wall).setUTCFullYear(year) : wall;
      const offset = Math.round((fixed - base) / MINUTE);
      if (cache.size > 50_000) cache.clear();
      cache.set(slot, offset);
      return offset;
    },
  };
}

const UTC_ZONE = fixedZone("UTC", 0);

export function resolveZone(tz: unknown): Zone {
  if (tz === undefined || tz === null) return UTC_ZONE;
  if (typeof tz !== "string") {
    throw new CommandError("Location40485", `timezone must evaluate to a string, found ${typeof tz}`);
  }
  const cached = zones.get(tz);
  if (cached) return cached;
  let zone: Zone;
  const m = FIXED_OFFSET_RE.exec(tz);
  if (m) {
    const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
    zone = fixedZone(tz, m[1] === "-" ? -minutes : minutes);
  } else {
    try {
      zone = intlZone(tz);
    } catch {
      throw new CommandError("Location40485", `unrecognized time zone identifier: "${tz}"`);
    }
  }
  zones.set(tz, zone);
  return zone;
}

/** Wall-clock time in the zone, encoded as a UTC millisecond value. */
function toWall(zone: Zone, ms: number): number {
  return ms + zone.offsetAt(ms) * MINUTE;
}

/**
 * Converts a wall-clock time back to an instant. Ambiguous times (fall back) take the earlier
 * instant; times skipped by a spring-forward gap are pushed past the gap, like Temporal's
 * "compatible" disambiguation.
 */
function fromWall(zone: Zone, wall: number): number {
  const before = zone.offsetAt(wall - DAY);
  const after = zone.offsetAt(wall + DAY);
  const valid: number[] = [];
  for (const off of before === after ? [before] : [before, after]) {
    const t = wall - off * MINUTE;
    if (zone.offsetAt(t) === off) valid.push(t);
  }
  if (valid.length > 0) return Math.min(...valid);
  return wall - before * MINUTE;
}

// ---- argument helpers ----------------------------------------------------------------------

function isPlainObject(v: unknown): v is AnyObject {
  return v !== null && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype;
}

/** Accepts what MongoDB accepts as a date: Date, Timestamp and ObjectId. Null stays null. */
function toMillis(v: unknown, op: string): number | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.getTime();
  if (v instanceof ObjectId) return v.getTimestamp().getTime();
  if (v instanceof Timestamp) return v.t * 1000;
  throw new CommandError("BadValue", `${op} requires a date, found ${describe(v)}`);
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return "array";
  if (v === null) return "null";
  return typeof v === "object" ? (v.constructor?.name ?? "object") : typeof v;
}

function evalArgs(obj: AnyObject, expr: Any, options: Options, op: string): AnyObject {
  if (!isPlainObject(expr)) throw new CommandError("BadValue", `${op} expects an object as its argument`);
  const out = evalExpr(obj, expr, options);
  return isPlainObject(out) ? out : {};
}

function pad(n: number, width: number): string {
  const s = String(Math.abs(n));
  return (n < 0 ? "-" : "") + (s.length >= width ? s : "0".repeat(width - s.length) + s);
}

// ---- calendar helpers (all on wall-clock values read with getUTC*) --------------------------

function dayOfYear(d: Date): number {
  return Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / DAY) + 1;
}

function isoParts(d: Date): { year: number; week: number; dow: number } {
  const dow = d.getUTCDay() || 7;
  const thursday = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 4 - dow));
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / DAY / 7) + 1;
  return { year, week, dow };
}

/** Week of year with weeks starting on Sunday; days before the first Sunday are week 0. */
function sundayWeek(d: Date): number {
  return Math.floor((dayOfYear(d) - 1 + 7 - d.getUTCDay()) / 7);
}

function addMonths(wall: number, months: number): number {
  const d = new Date(wall);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const targetY = y + Math.floor(m / 12);
  const targetM = ((m % 12) + 12) % 12;
  // Clamp to the last day of the target month, as MongoDB does (Jan 31 + 1 month = Feb 29).
  const lastDay = new Date(Date.UTC(targetY, targetM + 1, 0)).getUTCDate();
  const day = Math.min(d.getUTCDate(), lastDay);
  const out = new Date(wall);
  out.setUTCFullYear(targetY, targetM, day);
  return out.getTime();
}

function monthsBetween(a: Date, b: Date): number {
  return (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + (b.getUTCMonth() - a.getUTCMonth());
}

function startOfDay(wall: number): number {
  return Math.floor(wall / DAY) * DAY;
}

function weekStartIndex(startOfWeek: unknown): number {
  const name = typeof startOfWeek === "string" ? startOfWeek.toLowerCase().slice(0, 3) : "sun";
  const idx = WEEKDAYS.indexOf(name);
  if (idx < 0) throw new CommandError("BadValue", `unknown startOfWeek: ${String(startOfWeek)}`);
  return idx;
}

function checkUnit(unit: unknown, op: string): string {
  if (typeof unit !== "string" || !UNITS.has(unit)) {
    throw new CommandError("BadValue", `${op}: unit must be a valid time unit, found ${String(unit)}`);
  }
  return unit;
}

function floorMod(a: number, b: number): number {
  return ((a % b) + b) % b;
}

// ---- operators -----------------------------------------------------------------------------

const DEFAULT_FORMAT_UTC = "%Y-%m-%dT%H:%M:%S.%LZ";
const DEFAULT_FORMAT_LOCAL = "%Y-%m-%dT%H:%M:%S.%L";
const UTC_NAMES = new Set(["UTC", "GMT", "Etc/UTC", "Etc/GMT", "Z"]);

function formatDate(ms: number, zone: Zone, format: string): string {
  const offset = zone.offsetAt(ms);
  const d = new Date(ms + offset * MINUTE);
  let out = "";
  for (let i = 0; i < format.length; i++) {
    const ch = format[i];
    if (ch !== "%") {
      out += ch;
      continue;
    }
    const spec = format[++i];
    switch (spec) {
      case "Y":
        out += pad(d.getUTCFullYear(), 4);
        break;
      case "G":
        out += pad(isoParts(d).year, 4);
        break;
      case "m":
        out += pad(d.getUTCMonth() + 1, 2);
        break;
      case "d":
        out += pad(d.getUTCDate(), 2);
        break;
      case "H":
        out += pad(d.getUTCHours(), 2);
        break;
      case "M":
        out += pad(d.getUTCMinutes(), 2);
        break;
      case "S":
        out += pad(d.getUTCSeconds(), 2);
        break;
      case "L":
        out += pad(d.getUTCMilliseconds(), 3);
        break;
      case "j":
        out += pad(dayOfYear(d), 3);
        break;
      case "w":
        out += String(d.getUTCDay() + 1);
        break;
      case "u":
        out += String(isoParts(d).dow);
        break;
      case "U":
        out += pad(sundayWeek(d), 2);
        break;
      case "V":
        out += pad(isoParts(d).week, 2);
        break;
      case "z": {
        const abs = Math.abs(offset);
        out += `${offset < 0 ? "-" : "+"}${pad(Math.floor(abs / 60), 2)}${pad(abs % 60, 2)}`;
        break;
      }
      case "Z":
        out += `${offset < 0 ? "-" : "+"}${Math.abs(offset)}`;
        break;
      case "b":
        out += (MONTH_NAMES[d.getUTCMonth()] ?? "").slice(0, 3);
        break;
      case "B":
        out += MONTH_NAMES[d.getUTCMonth()] ?? "";
        break;
      case "%":
        out += "%";
        break;
      default:
        throw new CommandError("BadValue", `Invalid format character '%${spec ?? ""}' in format string`);
    }
  }
  return out;
}

const $dateToString: ExprOp = (obj, expr, options) => {
  const args = evalArgs(obj, expr, options, "$dateToString");
  const ms = toMillis(args.date, "$dateToString");
  if (ms === null) return args.onNull === undefined ? null : args.onNull;
  if (args.timezone === null || args.format === null) return null;
  const zone = resolveZone(args.timezone);
  let format = args.format;
  if (format === undefined) format = UTC_NAMES.has(zone.name) ? DEFAULT_FORMAT_UTC : DEFAULT_FORMAT_LOCAL;
  if (typeof format !== "string")
    throw new CommandError("BadValue", "$dateToString requires format to be a string");
  return formatDate(ms, zone, format);
};

const $dateToParts: ExprOp = (obj, expr, options) => {
  const args = evalArgs(obj, expr, options, "$dateToParts");
  const ms = toMillis(args.date, "$dateToParts");
  if (ms === null || args.timezone === null) return null;
  const d = new Date(toWall(resolveZone(args.timezone), ms));
  const time = {
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    millisecond: d.getUTCMilliseconds(),
  };
  if (args.iso8601 === true) {
    const iso = isoParts(d);
    return { isoWeekYear: iso.year, isoWeek: iso.week, isoDayOfWeek: iso.dow, ...time };
  }
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), ...time };
};

function num(v: unknown, dflt: number, name: string): number {
  if (v === undefined || v === null) return dflt;
  if (typeof v !== "number" || !Number.isFinite(v)) {
    throw new CommandError("BadValue", `'${name}' must evaluate to an integer`);
  }
  return Math.trunc(v);
}

const $dateFromParts: ExprOp = (obj, expr, options) => {
  const args = evalArgs(obj, expr, options, "$dateFromParts");
  const zone = resolveZone(args.timezone);
  const hour = num(args.hour, 0, "hour");
  const minute = num(args.minute, 0, "minute");
  const second = num(args.second, 0, "second");
  const milli = num(args.millisecond, 0, "millisecond");
  let wall: number;
  if (args.isoWeekYear !== undefined) {
    const year = num(args.isoWeekYear, 1970, "isoWeekYear");
    const week = num(args.isoWeek, 1, "isoWeek");
    const dow = num(args.isoDayOfWeek, 1, "isoDayOfWeek");
    // ISO week 1 is the week containing January 4th.
    const jan4 = new Date(Date.UTC(year, 0, 4));
    const week1Monday = jan4.getTime() - ((jan4.getUTCDay() || 7) - 1) * DAY;
    wall = week1Monday + ((week - 1) * 7 + (dow - 1)) * DAY;
    wall += hour * HOUR + minute * MINUTE + second * 1000 + milli;
  } else {
    const year = num(args.year, 1970, "year");
    const d = new Date(0);
    d.setUTCFullYear(year, num(args.month, 1, "month") - 1, num(args.day, 1, "day"));
    d.setUTCHours(hour, minute, second, milli);
    wall = d.getTime();
  }
  return new Date(fromWall(zone, wall));
};

function datePart(fn: (d: Date) => number, op: string): ExprOp {
  return (obj, expr, options) => {
    let dateExpr: Any = expr;
    let tzExpr: Any;
    if (Array.isArray(expr)) {
      if (expr.length !== 1) throw new CommandError("BadValue", `${op} takes exactly 1 argument`);
      dateExpr = expr[0];
    } else if (isPlainObject(expr) && "date" in expr) {
      dateExpr = expr.date;
      tzExpr = expr.timezone;
    }
    const ms = toMillis(evalExpr(obj, dateExpr, options), op);
    if (ms === null) return null;
    const tz = tzExpr === undefined ? undefined : evalExpr(obj, tzExpr, options);
    if (tz === null) return null;
    return fn(new Date(toWall(resolveZone(tz), ms)));
  };
}

const $dateTrunc: ExprOp = (obj, expr, options) => {
  const args = evalArgs(obj, expr, options, "$dateTrunc");
  const ms = toMillis(args.date, "$dateTrunc");
  if (ms === null || args.unit === null || args.unit === undefined || args.timezone === null) return null;
  if (args.binSize === null) return null;
  const unit = checkUnit(args.unit, "$dateTrunc");
  const binSize = num(args.binSize, 1, "binSize");
  if (binSize <= 0) throw new CommandError("BadValue", "$dateTrunc requires 'binSize' to be greater than 0");
  const zone = resolveZone(args.timezone);
  // Bins are counted from 2000-01-01T00:00 local time (MongoDB's reference point).
  const refWall = Date.UTC(2000, 0, 1);
  const fixed = UNIT_MS[unit];
  if (fixed !== undefined && unit !== "day" && unit !== "week") {
    // Sub-day units are fixed durations from the reference instant.
    const ref = fromWall(zone, refWall);
    const size = binSize * fixed;
    return new Date(ms - floorMod(ms - ref, size));
  }
  const wall = toWall(zone, ms);
  const d = new Date(wall);
  let startWall: number;
  switch (unit) {
    case "day": {
      const days = Math.floor((startOfDay(wall) - refWall) / DAY);
      startWall = refWall + (days - floorMod(days, binSize)) * DAY;
      break;
    }
    case "week": {
      if (args.startOfWeek === null) return null;
      const first = weekStartIndex(args.startOfWeek);
      // First day on or after the reference date that starts a week.
      const refDow = new Date(refWall).getUTCDay();
      const weekRef = refWall + floorMod(first - refDow, 7) * DAY;
      const weeks = Math.floor((startOfDay(wall) - weekRef) / (7 * DAY));
      startWall = weekRef + (weeks - floorMod(weeks, binSize)) * 7 * DAY;
      break;
    }
    default: {
      const perBin = unit === "year" ? 12 : unit === "quarter" ? 3 : 1;
      const months = monthsBetween(new Date(refWall), d);
      const bin = binSize * perBin;
      startWall = addMonths(refWall, months - floorMod(months, bin));
    }
  }
  return new Date(fromWall(zone, startWall));
};

function addToDate(ms: number, unit: string, amount: number, zone: Zone): number {
  switch (unit) {
    case "year":
      return fromWall(zone, addMonths(toWall(zone, ms), amount * 12));
    case "quarter":
      return fromWall(zone, addMonths(toWall(zone, ms), amount * 3));
    case "month":
      return fromWall(zone, addMonths(toWall(zone, ms), amount));
    case "week":
    case "day": {
      // Calendar days keep the local wall-clock time across DST changes.
      const days = unit === "week" ? amount * 7 : amount;
      return fromWall(zone, toWall(zone, ms) + days * DAY);
    }
    default:
      return ms + amount * (UNIT_MS[unit] ?? 1);
  }
}

function dateArith(op: string, sign: 1 | -1): ExprOp {
  return (obj, expr, options) => {
    const args = evalArgs(obj, expr, options, op);
    const ms = toMillis(args.startDate, op);
    if (ms === null || args.unit == null || args.amount == null || args.timezone === null) return null;
    const unit = checkUnit(args.unit, op);
    const amount = num(args.amount, 0, "amount");
    return new Date(addToDate(ms, unit, sign * amount, resolveZone(args.timezone)));
  };
}

const $dateDiff: ExprOp = (obj, expr, options) => {
  const args = evalArgs(obj, expr, options, "$dateDiff");
  const start = toMillis(args.startDate, "$dateDiff");
  const end = toMillis(args.endDate, "$dateDiff");
  if (start === null || end === null || args.unit == null || args.timezone === null) return null;
  const unit = checkUnit(args.unit, "$dateDiff");
  const zone = resolveZone(args.timezone);
  const a = toWall(zone, start);
  const b = toWall(zone, end);
  const da = new Date(a);
  const db = new Date(b);
  switch (unit) {
    case "year":
      return db.getUTCFullYear() - da.getUTCFullYear();
    case "quarter":
      return (
        (db.getUTCFullYear() - da.getUTCFullYear()) * 4 +
        Math.floor(db.getUTCMonth() / 3) -
        Math.floor(da.getUTCMonth() / 3)
      );
    case "month":
      return monthsBetween(da, db);
    case "week": {
      if (args.startOfWeek === null) return null;
      const first = weekStartIndex(args.startOfWeek);
      const weekStart = (w: number) => startOfDay(w) - floorMod(new Date(w).getUTCDay() - first, 7) * DAY;
      return Math.round((weekStart(b) - weekStart(a)) / (7 * DAY));
    }
    case "day":
      return Math.round((startOfDay(b) - startOfDay(a)) / DAY);
    default: {
      // Count unit boundaries crossed in local time, not elapsed whole units.
      const size = UNIT_MS[unit] ?? 1;
      return Math.floor(b / size) - Math.floor(a / size);
    }
  }
};

export const dateOperators: Record<`$${string}`, ExprOp> = {
  $dateToString,
  $dateToParts,
  $dateFromParts,
  $dateTrunc,
  $dateAdd: dateArith("$dateAdd", 1),
  $dateSubtract: dateArith("$dateSubtract", -1),
  $dateDiff,
  $year: datePart((d) => d.getUTCFullYear(), "$year"),
  $month: datePart((d) => d.getUTCMonth() + 1, "$month"),
  $dayOfMonth: datePart((d) => d.getUTCDate(), "$dayOfMonth"),
  $hour: datePart((d) => d.getUTCHours(), "$hour"),
  $minute: datePart((d) => d.getUTCMinutes(), "$minute"),
  $second: datePart((d) => d.getUTCSeconds(), "$second"),
  $millisecond: datePart((d) => d.getUTCMilliseconds(), "$millisecond"),
  $dayOfYear: datePart(dayOfYear, "$dayOfYear"),
  $dayOfWeek: datePart((d) => d.getUTCDay() + 1, "$dayOfWeek"),
  $isoDayOfWeek: datePart((d) => isoParts(d).dow, "$isoDayOfWeek"),
  $week: datePart(sundayWeek, "$week"),
  $isoWeek: datePart((d) => isoParts(d).week, "$isoWeek"),
  $isoWeekYear: datePart((d) => isoParts(d).year, "$isoWeekYear"),
};
