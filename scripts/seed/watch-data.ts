/**
 * Deterministic demo data for the Hilo watch (dev only).
 *
 * Every value of a watch's day comes from a PRNG seeded with (watchId, day), drawn in a fixed order, so a
 * given day always gets identical documents no matter which window or on which date the generator runs.
 */
import { classifyBp, isInTargetBand, type TargetBand } from "../../src/readings/bp-category";
import { type Daypart, daypartAt } from "../../src/readings/dayparts";
import type { BpReading, WatchDaily } from "../../src/readings/documents";
import { addDays, dayOfWeek, daysBetween, localDay, zonedTimeToUtc } from "../../src/readings/local-day";

// The document shapes live in product code; re-exported for the seed's existing importers.
export type { BpReading, WatchDaily };

interface Pressure {
  systolic: number;
  diastolic: number;
}

/** How a simulated wearer's numbers behave. */
export interface BpProfile {
  /** Mean daily BP up to `trendFromDay`. */
  start: Pressure;
  /** Mean daily BP from `trendToDay` on; linear in between. */
  end: Pressure;
  /** Fixed calendar anchors of the trend, so that a day's values never depend on the generated window. */
  trendFromDay: string;
  trendToDay: string;
  /** Offset of each daypart's readings from the day's mean (e.g. a morning surge). */
  daypartShift: Record<Daypart, Pressure>;
  restingPulse: number;
  steps: { weekday: number; weekend: number };
  sleepHours: number;
}

const NO_TREND_FROM = "2000-01-01";

export const PROFILES = {
  /** Starts High-Normal (~138/88) and improves to Normal (~127/81); clear morning surge. */
  improving: {
    start: { systolic: 138, diastolic: 88 },
    end: { systolic: 127, diastolic: 81 },
    trendFromDay: "2026-07-28",
    trendToDay: "2026-11-24",
    daypartShift: {
      morning: { systolic: 6, diastolic: 4 },
      afternoon: { systolic: 1, diastolic: 0 },
      evening: { systolic: -3, diastolic: -2 },
      night: { systolic: -5, diastolic: -3 },
    },
    restingPulse: 74,
    steps: { weekday: 6800, weekend: 4300 },
    sleepHours: 6.6,
  },
  /** Steady Optimal (~118/76), barely any daypart rhythm, active weekends. */
  steady: {
    start: { systolic: 118, diastolic: 76 },
    end: { systolic: 118, diastolic: 76 },
    trendFromDay: NO_TREND_FROM,
    trendToDay: NO_TREND_FROM,
    daypartShift: {
      morning: { systolic: 1, diastolic: 1 },
      afternoon: { systolic: 0, diastolic: 0 },
      evening: { systolic: -1, diastolic: -1 },
      night: { systolic: -4, diastolic: -3 },
    },
    restingPulse: 63,
    steps: { weekday: 8200, weekend: 11800 },
    sleepHours: 7.4,
  },
} as const satisfies Record<string, BpProfile>;

export type ProfileName = keyof typeof PROFILES;

export interface GenerateWatchDataOptions {
  watchId: string;
  timeZone: string;
  /** Number of local days to generate, ending with `endDay` (inclusive). */
  days: number;
  /** Last local day, "YYYY-MM-DD". */
  endDay: string;
  profile: ProfileName | BpProfile;
  targetBand: TargetBand;
  /**
   * Drop readings after this instant (e.g. "now", so today's later readings are not in the future).
   * Today's doc then summarises the readings so far (steps scaled to the time of day); the kept readings
   * are unchanged, so later runs only add readings and refresh today's doc.
   */
  notAfter?: Date;
}

export interface WatchData {
  /** Sorted by day. */
  daily: WatchDaily[];
  /** Sorted by time. */
  readings: BpReading[];
}

/** Chance that the watch was not worn at all on a day (no readings, no daily doc). */
const MISSING_DAY_CHANCE = 0.05;

/** How many readings a day gets, with weights. */
const READING_COUNT_WEIGHTS: readonly { count: number; weight: number }[] = [
  { count: 3, weight: 0.2 },
  { count: 4, weight: 0.45 },
  { count: 5, weight: 0.25 },
  { count: 6, weight: 0.1 },
];

interface Slot {
  id: "wake" | "late-morning" | "lunch" | "afternoon" | "evening" | "bedtime";
  /** Local time window in minutes after midnight (inclusive). */
  from: number;
  to: number;
  /** Weekend window, when people get up later. */
  weekendFrom?: number;
  weekendTo?: number;
}

const hm = (hour: number, minute: number): number => hour * 60 + minute;

/** Plausible local measurement times; all clear of the 01:00–03:00 DST transitions. */
const SLOTS: readonly Slot[] = [
  { id: "wake", from: hm(6, 30), to: hm(8, 15), weekendFrom: hm(7, 45), weekendTo: hm(9, 30) },
  { id: "late-morning", from: hm(10, 0), to: hm(11, 30) },
  { id: "lunch", from: hm(12, 15), to: hm(14, 0) },
  { id: "afternoon", from: hm(15, 0), to: hm(16, 45) },
  { id: "evening", from: hm(18, 30), to: hm(21, 15) },
  { id: "bedtime", from: hm(22, 15), to: hm(23, 45) },
];

/** Which slots are used for a given number of readings. */
const SLOTS_BY_COUNT: Readonly<Record<number, readonly Slot["id"][]>> = {
  3: ["wake", "lunch", "evening"],
  4: ["wake", "lunch", "evening", "bedtime"],
  5: ["wake", "late-morning", "lunch", "evening", "bedtime"],
  6: ["wake", "late-morning", "lunch", "afternoon", "evening", "bedtime"],
};

const PULSE_SHIFT: Record<Daypart, number> = { morning: 2, afternoon: 6, evening: 3, night: -4 };

/** Small, fast, seedable PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 32-bit FNV-1a hash of a string. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

class DayRandom {
  private readonly next: () => number;

  constructor(watchId: string, day: string) {
    this.next = mulberry32(hashString(`${watchId}|${day}`));
  }

  uniform(): number {
    return this.next();
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** Normally distributed value (Box–Muller). */
  normal(mean: number, sd: number): number {
    const u = 1 - this.next(); // (0, 1], avoids log(0)
    const v = this.next();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  pick<T extends { weight: number }>(options: readonly T[]): T {
    let roll = this.next() * options.reduce((sum, option) => sum + option.weight, 0);
    for (const option of options) {
      roll -= option.weight;
      if (roll < 0) return option;
    }
    const last = options.at(-1);
    if (last === undefined) throw new Error("pick() needs at least one option");
    return last;
  }
}

const clamp = (value: number, min: number, max: number): number => Math.min(max, Math.max(min, value));
const round1 = (value: number): number => Math.round(value * 10) / 10;
const mean = (values: readonly number[]): number => values.reduce((sum, v) => sum + v, 0) / values.length;

function resolveProfile(profile: ProfileName | BpProfile): BpProfile {
  return typeof profile === "string" ? PROFILES[profile] : profile;
}

/** The profile's mean daily BP on a day (linear trend between its fixed anchor days). */
function trendOn(profile: BpProfile, day: string): Pressure {
  const span = daysBetween(profile.trendFromDay, profile.trendToDay);
  const progress = span <= 0 ? 1 : clamp(daysBetween(profile.trendFromDay, day) / span, 0, 1);
  return {
    systolic: profile.start.systolic + (profile.end.systolic - profile.start.systolic) * progress,
    diastolic: profile.start.diastolic + (profile.end.diastolic - profile.start.diastolic) * progress,
  };
}

interface DayValues {
  readings: BpReading[];
  sleepHours: number;
  steps: number;
}

/** All of one day's values; null when the watch was not worn. Draw order is fixed: do not reorder. */
function simulateDay(watchId: string, timeZone: string, day: string, profile: BpProfile): DayValues | null {
  const random = new DayRandom(watchId, day);
  if (random.uniform() < MISSING_DAY_CHANCE) return null;

  const weekday = dayOfWeek(day);
  const weekend = weekday === 0 || weekday === 6;
  const sleepHours = round1(clamp(random.normal(profile.sleepHours + (weekend ? 0.6 : 0), 0.6), 5.5, 8.5));
  const stepsBase = weekend ? profile.steps.weekend : profile.steps.weekday;
  const steps = Math.round(clamp(random.normal(stepsBase, stepsBase * 0.22), 800, 30000));

  const trend = trendOn(profile, day);
  const dayEffect = { systolic: random.normal(0, 3), diastolic: random.normal(0, 2) };
  const count = random.pick(READING_COUNT_WEIGHTS).count;
  const slotIds = SLOTS_BY_COUNT[count] ?? [];

  const readings: BpReading[] = [];
  for (const slot of SLOTS) {
    if (!slotIds.includes(slot.id)) continue;
    const from = weekend ? (slot.weekendFrom ?? slot.from) : slot.from;
    const to = weekend ? (slot.weekendTo ?? slot.to) : slot.to;
    const minuteOfDay = random.int(from, to);
    const second = random.int(0, 59);
    const systolicNoise = random.normal(0, 5);
    const diastolicNoise = random.normal(0, 3.5);
    const pulseNoise = random.normal(0, 4);

    const start = zonedTimeToUtc(day, Math.floor(minuteOfDay / 60), minuteOfDay % 60, timeZone);
    const at = new Date(start.getTime() + second * 1000);
    // A zone whose transition falls inside a slot could push the time out of the day: skip that reading.
    if (localDay(at, timeZone) !== day) continue;

    const daypart = daypartAt(at, timeZone);
    const shift = profile.daypartShift[daypart];
    const systolic = Math.round(
      clamp(trend.systolic + dayEffect.systolic + shift.systolic + systolicNoise, 90, 185),
    );
    const diastolicRaw = trend.diastolic + dayEffect.diastolic + shift.diastolic + diastolicNoise;
    const diastolic = Math.round(clamp(diastolicRaw, 55, Math.min(115, systolic - 25)));
    const pulse = Math.round(clamp(profile.restingPulse + PULSE_SHIFT[daypart] + pulseNoise, 55, 90));
    readings.push({ watch_id: watchId, at, systolic, diastolic, pulse });
  }
  return { readings, sleepHours, steps };
}

function summarise(
  watchId: string,
  timeZone: string,
  day: string,
  values: DayValues,
  readings: readonly BpReading[],
  targetBand: TargetBand,
): WatchDaily | null {
  const last = readings.at(-1);
  if (last === undefined) return null;
  const avgSystolic = round1(mean(readings.map((r) => r.systolic)));
  const avgDiastolic = round1(mean(readings.map((r) => r.diastolic)));
  const inTarget = readings.filter((r) => isInTargetBand(r.systolic, r.diastolic, targetBand)).length;
  return {
    watch_id: watchId,
    day,
    timezone: timeZone,
    avg_systolic: avgSystolic,
    avg_diastolic: avgDiastolic,
    last_reading: {
      at: last.at,
      systolic: last.systolic,
      diastolic: last.diastolic,
      daypart: daypartAt(last.at, timeZone),
    },
    heart_rate: Math.round(mean(readings.map((r) => r.pulse))),
    sleep_hours: values.sleepHours,
    steps: values.steps,
    in_target_pct: round1((100 * inTarget) / readings.length),
    bp_category: classifyBp(avgSystolic, avgDiastolic),
    reading_count: readings.length,
  };
}

/** Share of the day's steps already walked at `notAfter`: linear over 06:00–22:00 local time. */
function stepsShareSoFar(day: string, timeZone: string, notAfter: Date | undefined): number {
  if (notAfter === undefined) return 1;
  const from = zonedTimeToUtc(day, 6, 0, timeZone).getTime();
  const to = zonedTimeToUtc(day, 22, 0, timeZone).getTime();
  return clamp((notAfter.getTime() - from) / (to - from), 0, 1);
}

/** Generates `days` local days of watch data ending with `endDay`, deterministic per (watchId, day). */
export function generateWatchData(options: GenerateWatchDataOptions): WatchData {
  const { watchId, timeZone, days, endDay, targetBand, notAfter } = options;
  if (!Number.isInteger(days) || days < 0) {
    throw new RangeError(`days must be a non-negative integer, got ${days}`);
  }
  const profile = resolveProfile(options.profile);
  const daily: WatchDaily[] = [];
  const readings: BpReading[] = [];
  for (let back = days - 1; back >= 0; back--) {
    const day = addDays(endDay, -back);
    const values = simulateDay(watchId, timeZone, day, profile);
    if (values === null) continue;
    const kept = values.readings.filter(
      (r) => notAfter === undefined || r.at.getTime() <= notAfter.getTime(),
    );
    const steps = Math.round(values.steps * stepsShareSoFar(day, timeZone, notAfter));
    const doc = summarise(watchId, timeZone, day, { ...values, steps }, kept, targetBand);
    if (doc === null) continue;
    daily.push(doc);
    readings.push(...kept);
  }
  return { daily, readings };
}
