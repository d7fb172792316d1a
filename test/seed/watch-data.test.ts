import { describe, expect, test } from "bun:test";
import { DEMO_ALICE, DEMO_BOB, DEMO_USERS, type DemoUser } from "../../scripts/seed/demo-users";
import {
  type BpReading,
  type GenerateWatchDataOptions,
  generateWatchData,
  type WatchDaily,
  type WatchData,
} from "../../scripts/seed/watch-data";
import { classifyBp } from "../../src/readings/bp-category";
import { daypartAt } from "../../src/readings/dayparts";
import { localDay, localHour } from "../../src/readings/local-day";

const HOUR_MS = 3_600_000;

function optionsFor(user: DemoUser, endDay: string, days: number): GenerateWatchDataOptions {
  return {
    watchId: user.watchId,
    timeZone: user.timezone,
    days,
    endDay,
    profile: user.profile,
    targetBand: user.targetBand,
  };
}

function generate(user: DemoUser, endDay: string, days: number): WatchData {
  return generateWatchData(optionsFor(user, endDay, days));
}

function byDay(daily: readonly WatchDaily[]): Map<string, WatchDaily> {
  return new Map(daily.map((doc) => [doc.day, doc]));
}

function readingsByLocalDay(readings: readonly BpReading[], timeZone: string): Map<string, BpReading[]> {
  const groups = new Map<string, BpReading[]>();
  for (const reading of readings) {
    const day = localDay(reading.at, timeZone);
    groups.set(day, [...(groups.get(day) ?? []), reading]);
  }
  return groups;
}

const average = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

const END_DAY = "2026-11-24";

describe("determinism", () => {
  test.each(DEMO_USERS.map((user) => ({ user, name: user.firstName })))(
    "$name: a day's documents do not depend on the generated window",
    ({ user }) => {
      const month = generate(user, END_DAY, 30);
      const tenDays = generate(user, END_DAY, 10);
      const shiftedWindow = generate(user, "2026-11-19", 10); // "ran five days earlier"
      const monthByDay = byDay(month.daily);

      expect(tenDays.daily.length).toBeGreaterThan(0);
      for (const doc of [...tenDays.daily, ...shiftedWindow.daily]) {
        expect(monthByDay.get(doc.day)).toEqual(doc);
      }
      const monthReadings = new Map(month.readings.map((r) => [r.at.getTime(), r]));
      for (const reading of [...tenDays.readings, ...shiftedWindow.readings]) {
        expect(monthReadings.get(reading.at.getTime())).toEqual(reading);
      }
      expect(generate(user, END_DAY, 30)).toEqual(month);
    },
  );

  test("different watches get different values on the same day", () => {
    const alice = generate(DEMO_ALICE, END_DAY, 5);
    const aliceAsOtherWatch = generateWatchData({
      ...optionsFor(DEMO_ALICE, END_DAY, 5),
      watchId: "watch-x",
    });
    expect(aliceAsOtherWatch.readings.map((r) => r.systolic)).not.toEqual(
      alice.readings.map((r) => r.systolic),
    );
  });
});

describe.each(DEMO_USERS.map((user) => ({ user, name: user.firstName })))("$name, 120 days", ({ user }) => {
  const { daily, readings } = generate(user, END_DAY, 120);
  const groups = readingsByLocalDay(readings, user.timezone);

  test("only the user's own watch id and zone", () => {
    expect(new Set(daily.map((d) => d.watch_id))).toEqual(new Set([user.watchId]));
    expect(new Set(readings.map((r) => r.watch_id))).toEqual(new Set([user.watchId]));
    expect(new Set(daily.map((d) => d.timezone))).toEqual(new Set([user.timezone]));
  });

  test("days are unique, ascending and inside the window; a few are missing", () => {
    const days = daily.map((d) => d.day);
    expect(days).toEqual([...new Set(days)].sort());
    expect(days.every((day) => day >= "2026-07-28" && day <= END_DAY)).toBe(true);
    const missing = 120 - daily.length;
    expect(missing).toBeGreaterThan(0);
    expect(missing).toBeLessThan(15);
  });

  test("readings are sorted, unique and each falls in a local day that has a daily doc", () => {
    const times = readings.map((r) => r.at.getTime());
    expect(times).toEqual([...new Set(times)].sort((a, b) => a - b));
    expect([...groups.keys()].sort()).toEqual(daily.map((d) => d.day));
  });

  test("daily docs are consistent with their readings", () => {
    for (const doc of daily) {
      const dayReadings = groups.get(doc.day) ?? [];
      expect(doc.reading_count).toBe(dayReadings.length);
      expect(doc.reading_count).toBeGreaterThanOrEqual(3);
      expect(doc.reading_count).toBeLessThanOrEqual(6);

      const systolicMean = average(dayReadings.map((r) => r.systolic));
      const diastolicMean = average(dayReadings.map((r) => r.diastolic));
      expect(Math.abs(doc.avg_systolic - systolicMean)).toBeLessThanOrEqual(0.05 + 1e-9);
      expect(Math.abs(doc.avg_diastolic - diastolicMean)).toBeLessThanOrEqual(0.05 + 1e-9);
      expect(Number.isInteger(doc.avg_systolic * 10)).toBe(true);
      expect(Math.abs(doc.heart_rate - average(dayReadings.map((r) => r.pulse)))).toBeLessThanOrEqual(0.5);
      expect(Number.isInteger(doc.heart_rate)).toBe(true);

      const latest = dayReadings.reduce((a, b) => (b.at > a.at ? b : a));
      expect(doc.last_reading).toEqual({
        at: latest.at,
        systolic: latest.systolic,
        diastolic: latest.diastolic,
        daypart: daypartAt(latest.at, user.timezone),
      });

      const band = user.targetBand;
      const inside = dayReadings.filter(
        (r) =>
          r.systolic >= band.systolicMin &&
          r.systolic <= band.systolicMax &&
          r.diastolic >= band.diastolicMin &&
          r.diastolic <= band.diastolicMax,
      ).length;
      expect(Math.abs(doc.in_target_pct - (100 * inside) / dayReadings.length)).toBeLessThanOrEqual(
        0.05 + 1e-9,
      );
      expect(doc.bp_category).toBe(classifyBp(doc.avg_systolic, doc.avg_diastolic));
    }
  });

  test("values are in realistic ranges", () => {
    for (const r of readings) {
      expect(Number.isInteger(r.systolic) && Number.isInteger(r.diastolic) && Number.isInteger(r.pulse)).toBe(
        true,
      );
      expect(r.pulse).toBeGreaterThanOrEqual(55);
      expect(r.pulse).toBeLessThanOrEqual(90);
      expect(r.systolic - r.diastolic).toBeGreaterThanOrEqual(25);
      const hour = localHour(r.at, user.timezone);
      expect(hour).toBeGreaterThanOrEqual(6);
      expect(hour).toBeLessThanOrEqual(23);
    }
    for (const d of daily) {
      expect(d.sleep_hours).toBeGreaterThanOrEqual(5.5);
      expect(d.sleep_hours).toBeLessThanOrEqual(8.5);
      expect(Number.isInteger(d.steps)).toBe(true);
      expect(d.steps).toBeGreaterThan(0);
    }
  });

  test("weekend steps differ from weekday steps", () => {
    const isWeekend = (day: string) => [0, 6].includes(new Date(`${day}T12:00:00Z`).getUTCDay());
    const weekend = average(daily.filter((d) => isWeekend(d.day)).map((d) => d.steps));
    const weekday = average(daily.filter((d) => !isWeekend(d.day)).map((d) => d.steps));
    expect(Math.abs(weekend - weekday) / weekday).toBeGreaterThan(0.2);
  });
});

describe("profiles", () => {
  const first30 = (data: WatchData) => data.daily.slice(0, 30);
  const last30 = (data: WatchData) => data.daily.slice(-30);
  const avg = (docs: WatchDaily[], key: "avg_systolic" | "avg_diastolic") => average(docs.map((d) => d[key]));

  test("Alice improves from about 138/88 to about 127/81", () => {
    const alice = generate(DEMO_ALICE, END_DAY, 120);
    expect(avg(first30(alice), "avg_systolic")).toBeGreaterThan(134);
    expect(avg(first30(alice), "avg_diastolic")).toBeGreaterThan(85);
    expect(avg(last30(alice), "avg_systolic")).toBeLessThan(131);
    expect(avg(last30(alice), "avg_diastolic")).toBeLessThan(84);
    const lastWeek = alice.daily.slice(-7);
    expect(average(lastWeek.map((d) => d.avg_systolic))).toBeGreaterThan(122);
    expect(average(lastWeek.map((d) => d.avg_systolic))).toBeLessThan(132);
  });

  test("Alice's mornings are higher than her evenings", () => {
    const alice = generate(DEMO_ALICE, END_DAY, 120);
    const systolicIn = (daypart: string) =>
      average(
        alice.readings.filter((r) => daypartAt(r.at, DEMO_ALICE.timezone) === daypart).map((r) => r.systolic),
      );
    expect(systolicIn("morning") - systolicIn("evening")).toBeGreaterThan(5);
  });

  test("Bob stays steady around 118/76", () => {
    const bob = generate(DEMO_BOB, END_DAY, 120);
    expect(Math.abs(avg(first30(bob), "avg_systolic") - avg(last30(bob), "avg_systolic"))).toBeLessThan(3);
    expect(Math.abs(avg(bob.daily, "avg_systolic") - 118)).toBeLessThan(3);
    expect(Math.abs(avg(bob.daily, "avg_diastolic") - 76)).toBeLessThan(3);
    expect(average(bob.daily.map((d) => d.in_target_pct))).toBeGreaterThan(80);
  });
});

describe("demo users", () => {
  test("Alice and Bob never share ids", () => {
    expect(new Set(DEMO_USERS.map((u) => u.userId)).size).toBe(DEMO_USERS.length);
    expect(new Set(DEMO_USERS.map((u) => u.watchId)).size).toBe(DEMO_USERS.length);
    const alice = generate(DEMO_ALICE, END_DAY, 60);
    const bob = generate(DEMO_BOB, END_DAY, 60);
    const bobWatches = new Set([...bob.daily, ...bob.readings].map((d) => d.watch_id));
    for (const doc of [...alice.daily, ...alice.readings]) {
      expect(bobWatches.has(doc.watch_id)).toBe(false);
    }
  });
});

describe("DST weeks in America/New_York", () => {
  // EST is UTC−5 until 2026-03-08 02:00 local and again from 2026-11-01 02:00 local; EDT (UTC−4) in between.
  // All generated readings are at 06:30 local or later, so on both transition days they are after the switch.
  const offsetHoursOn = (day: string): number => (day >= "2026-03-08" && day < "2026-11-01" ? -4 : -5);

  test.each([
    { firstDay: "2026-03-05", endDay: "2026-03-11", transitionDay: "2026-03-08" },
    { firstDay: "2026-10-29", endDay: "2026-11-04", transitionDay: "2026-11-01" },
  ])("week $firstDay – $endDay", ({ firstDay, endDay, transitionDay }) => {
    const { daily, readings } = generate(DEMO_ALICE, endDay, 7);
    const days = daily.map((d) => d.day);
    expect(days).toEqual([...new Set(days)].sort());
    expect(days.every((day) => day >= firstDay && day <= endDay)).toBe(true);
    expect(days).toContain(transitionDay);

    const docs = byDay(daily);
    for (const reading of readings) {
      const day = localDay(reading.at, DEMO_ALICE.timezone);
      // Wall-clock time computed with the hand-known offset of that day must agree with Intl.
      const wall = new Date(reading.at.getTime() + offsetHoursOn(day) * HOUR_MS);
      expect(wall.toISOString().slice(0, 10)).toBe(day);
      expect(wall.getUTCHours()).toBe(localHour(reading.at, DEMO_ALICE.timezone));
      expect(docs.has(day)).toBe(true);
    }
    expect(readings.length).toBe(daily.reduce((n, d) => n + d.reading_count, 0));
  });
});

describe("notAfter", () => {
  test("today only has the readings so far, and they match the full day", () => {
    const now = new Date("2026-11-24T19:00:00Z"); // 14:00 in New York
    const full = generate(DEMO_ALICE, END_DAY, 3);
    const sofar = generateWatchData({ ...optionsFor(DEMO_ALICE, END_DAY, 3), notAfter: now });
    expect(sofar.readings.every((r) => r.at <= now)).toBe(true);
    expect(sofar.readings).toEqual(full.readings.filter((r) => r.at <= now));
    const today = sofar.daily.find((d) => d.day === END_DAY);
    const todayReadings = sofar.readings.filter((r) => localDay(r.at, DEMO_ALICE.timezone) === END_DAY);
    expect(today?.reading_count ?? 0).toBe(todayReadings.length);
    expect(sofar.daily.filter((d) => d.day !== END_DAY)).toEqual(full.daily.filter((d) => d.day !== END_DAY));
    const fullToday = full.daily.find((d) => d.day === END_DAY);
    expect(today).toBeDefined();
    expect(today?.reading_count).toBeLessThan(fullToday?.reading_count ?? 0);
    if (today !== undefined && fullToday !== undefined) {
      // 14:00 is half way through the 06:00–22:00 active window.
      expect(Math.abs(today.steps - fullToday.steps / 2)).toBeLessThanOrEqual(1);
    }
  });
});
