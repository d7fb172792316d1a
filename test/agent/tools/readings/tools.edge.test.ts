// Health tools at the edges: empty windows, stale data, a single reading, the resting-rate percentile,
// and day boundaries in zones with DST changes and unusual offsets.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { RESTING_METHOD } from "../../../../src/agent/tools/readings/heart-rate-metrics";
import {
  dailyDoc,
  okData,
  READINGS_TOOL_NAMES,
  reading,
  readingView,
  type ToolHarness,
  toolHarness,
  type Who,
} from "./harness";

const NY = "America/New_York";
const NOW = "2026-03-10T16:00:00Z"; // Tuesday 2026-03-10 12:00 EDT
const WINDOW_7 = { days: 7, start: "2026-03-04", end: "2026-03-10", timezone: NY };

let harness: ToolHarness;

// Stale: one reading 20 days before "now" (02-18 → 02-28 is 10 days, → 03-10 another 10).
const STALE = "watch-stale";
// Single: one reading today, 09:15 EDT.
const SINGLE = "watch-single";
// Percentile: 21 readings today with pulses 60..80.
const PERCENTILE = "watch-percentile";

beforeAll(async () => {
  harness = await toolHarness();
  await harness.insert(
    [
      reading(STALE, "2026-02-18T14:00:00Z", 125, 82, 66), // 02-18 09:00 EST
      reading(SINGLE, "2026-03-10T13:15:00Z", 122, 79, 64), // 03-10 09:15 EDT
      // 00:00Z is 19:00 EST on 03-09, so start at 04:00Z (00:00 EDT 03-10) + i minutes.
      ...Array.from({ length: 21 }, (_, i) =>
        reading(
          PERCENTILE,
          new Date(Date.parse("2026-03-10T04:00:00Z") + i * 60_000).toISOString(),
          120,
          80,
          80 - i,
        ),
      ),
    ],
    [
      dailyDoc(STALE, "2026-02-18", NY, {
        avg: [125, 82],
        last: { at: "2026-02-18T14:00:00Z", systolic: 125, diastolic: 82, daypart: "morning" },
        heart_rate: 66,
        sleep_hours: 7.1,
        steps: 6400,
        in_target_pct: 100,
        bp_category: "Normal",
        reading_count: 1,
      }),
      dailyDoc(PERCENTILE, "2026-03-10", NY, {
        avg: [120, 80],
        last: { at: "2026-03-10T04:20:00Z", systolic: 120, diastolic: 80, daypart: "night" },
        heart_rate: 70,
        sleep_hours: 7,
        steps: 100,
        in_target_pct: 100,
        bp_category: "Normal",
        reading_count: 21,
      }),
      dailyDoc(SINGLE, "2026-03-10", NY, {
        avg: [122, 79],
        last: { at: "2026-03-10T13:15:00Z", systolic: 122, diastolic: 79, daypart: "morning" },
        heart_rate: 64,
        sleep_hours: 7.5,
        steps: 4200,
        in_target_pct: 100,
        bp_category: "Normal",
        reading_count: 1,
      }),
    ],
  );
});

afterAll(async () => {
  await harness.close();
});

const WINDOWED = READINGS_TOOL_NAMES.filter((name) => name !== "get_latest_bp_reading");

describe("no data", () => {
  const nobody: Who = { watchId: "watch-never-worn", timezone: NY, now: NOW };

  test.each(WINDOWED)("%s says no_readings, with no latest_available, never zeros", async (name) => {
    expect(okData(await harness.run(name, { days: 7 }, nobody))).toEqual({
      status: "no_readings",
      window: WINDOW_7,
    });
  });

  test("get_latest_bp_reading says the watch never sent a reading", async () => {
    expect(okData(await harness.run("get_latest_bp_reading", {}, nobody))).toEqual({ status: "no_readings" });
  });
});

describe("stale data", () => {
  const who: Who = { watchId: STALE, timezone: NY, now: NOW };
  const LATEST = { day: "2026-02-18", at: "2026-02-18T14:00:00.000Z" };

  test.each(WINDOWED)("%s: empty window, and says when the user last measured", async (name) => {
    expect(okData(await harness.run(name, { days: 7 }, who))).toEqual({
      status: "no_readings",
      window: WINDOW_7,
      latest_available: LATEST,
    });
  });

  test("the latest reading carries its date and age", async () => {
    expect(okData(await harness.run("get_latest_bp_reading", {}, who))).toEqual({
      status: "ok",
      reading: readingView(
        "2026-02-18T14:00:00.000Z",
        "2026-02-18 09:00",
        "morning",
        [125, 82],
        66,
        "Normal",
      ),
      as_of: "2026-02-18",
      days_since_as_of: 20,
      stale: true,
    });
  });

  test("a window that reaches the old data reports it as of its day", async () => {
    const data = okData(await harness.run("summarize_last_n_days", { days: 30 }, who));
    expect(data).toMatchObject({ status: "ok", as_of: "2026-02-18", days_since_as_of: 20, stale: true });
  });
});

describe("a single reading", () => {
  const who: Who = { watchId: SINGLE, timezone: NY, now: NOW };
  const VIEW = readingView(
    "2026-03-10T13:15:00.000Z",
    "2026-03-10 09:15",
    "morning",
    [122, 79],
    64,
    "Normal",
  );
  const FRESH = { as_of: "2026-03-10", days_since_as_of: 0, stale: false };
  const run = async (name: string, args: unknown = { days: 7 }) => okData(await harness.run(name, args, who));

  test("summary", async () => {
    expect(await run("summarize_last_n_days")).toEqual({
      status: "ok",
      window: WINDOW_7,
      days_with_data: 1,
      blood_pressure: {
        status: "ok",
        average: { systolic: 122, diastolic: 79 },
        readings: 1,
        days_with_readings: 1,
        in_target: { percent: 100, readings_in_target: 1, readings_graded: 1 },
        category_days: { Optimal: 0, Normal: 1, "High-Normal": 0, "Hypertension 1": 0, "Hypertension 2": 0 },
      },
      sleep: { status: "ok", average_hours: 7.5, nights: 1 },
      steps: { status: "ok", daily_average: 4200, total: 4200, days: 1, includes_today_so_far: true },
      heart_rate: { status: "ok", average_bpm: 64, days: 1 },
      ...FRESH,
    });
  });

  test("metrics summary: the reading is both best and worst", async () => {
    expect(await run("get_bp_metrics_summary")).toEqual({
      status: "ok",
      window: WINDOW_7,
      readings: 1,
      days_with_readings: 1,
      average: { systolic: 122, diastolic: 79 },
      in_target: { percent: 100, readings_in_target: 1, readings_graded: 1 },
      best_reading: VIEW,
      worst_reading: VIEW,
      daypart_baselines: [{ daypart: "morning", systolic: 122, diastolic: 79, readings: 1 }],
      dayparts_without_readings: ["afternoon", "evening", "night"],
      ...FRESH,
    });
  });

  test("morning vs evening cannot compare without an evening", async () => {
    expect(await run("get_morning_vs_evening_delta")).toEqual({
      status: "insufficient_readings",
      window: WINDOW_7,
      missing_dayparts: ["evening"],
      morning: { hours: "05:00-12:00", systolic: 122, diastolic: 79, readings: 1, days_with_readings: 1 },
      window_readings: 1,
      ...FRESH,
    });
  });

  test("rolling average has one point and no change", async () => {
    const point = { day: "2026-03-10", systolic: 122, diastolic: 79, readings: 1, days_with_readings: 1 };
    expect(await run("get_rolling_bp_average")).toEqual({
      status: "ok",
      window: WINDOW_7,
      rolling_days: 7,
      points: [point],
      first: point,
      last: point,
      ...FRESH,
    });
  });

  test("sleep, steps and heart rate have no trend from one day", async () => {
    expect(await run("get_user_sleep_metrics")).toEqual({
      status: "ok",
      window: WINDOW_7,
      nights: 1,
      average_hours: 7.5,
      shortest: { day: "2026-03-10", hours: 7.5 },
      longest: { day: "2026-03-10", hours: 7.5 },
      daily: [{ day: "2026-03-10", hours: 7.5 }],
      ...FRESH,
    });
    expect(await run("get_user_step_metrics")).toEqual({
      status: "ok",
      window: WINDOW_7,
      days: 1,
      daily_average: 4200,
      total: 4200,
      lowest: { day: "2026-03-10", steps: 4200 },
      highest: { day: "2026-03-10", steps: 4200 },
      daily: [{ day: "2026-03-10", steps: 4200 }],
      includes_today_so_far: true,
      ...FRESH,
    });
    expect(await run("get_user_heart_rate_metrics")).toEqual({
      status: "ok",
      window: WINDOW_7,
      days: 1,
      average_bpm: 64,
      lowest_day: { day: "2026-03-10", bpm: 64 },
      highest_day: { day: "2026-03-10", bpm: 64 },
      resting_estimate: { bpm: 64, readings: 1, method: RESTING_METHOD },
      daily: [{ day: "2026-03-10", bpm: 64 }],
      ...FRESH,
    });
  });
});

describe("resting heart-rate percentile", () => {
  test("nearest rank: 21 pulses 60..80 → rank ceil(21 × 10 / 100) = 3 → 62", async () => {
    const who: Who = { watchId: PERCENTILE, timezone: NY, now: NOW };
    const data = okData(await harness.run("get_user_heart_rate_metrics", { days: 1 }, who));
    expect(data).toMatchObject({ resting_estimate: { bpm: 62, readings: 21 } });
  });
});

describe("day boundaries across zones", () => {
  test("America/New_York fall-back day (2026-11-01, 25 hours): local days, repeated 01:30, dayparts", async () => {
    const W = "watch-ny-fall";
    await harness.insert([
      reading(W, "2026-11-01T03:59:00Z", 150, 95, 70), // 10-31 23:59 EDT: before the window
      reading(W, "2026-11-01T04:00:00Z", 121, 80, 61), // 11-01 00:00 EDT
      reading(W, "2026-11-01T05:30:00Z", 122, 80, 62), // 11-01 01:30 EDT
      reading(W, "2026-11-01T06:30:00Z", 123, 80, 63), // 11-01 01:30 EST (the repeated hour)
      reading(W, "2026-11-01T09:30:00Z", 124, 80, 64), // 11-01 04:30 EST: still night (EDT would say 05:30)
      reading(W, "2026-11-02T04:59:00Z", 125, 80, 65), // 11-01 23:59 EST: still 11-01 (EDT would say 11-02)
      reading(W, "2026-11-02T05:00:00Z", 126, 80, 66), // 11-02 00:00 EST
    ]);
    const who: Who = { watchId: W, timezone: NY, now: "2026-11-02T17:00:00Z" }; // 11-02 12:00 EST
    const data = okData(await harness.run("get_bp_reading_history", { days: 2 }, who)) as {
      window_readings: number;
      readings: { local_time: string; day: string; daypart: string }[];
    };
    expect(data.window_readings).toBe(6);
    expect(data.readings.map((r) => [r.local_time, r.daypart])).toEqual([
      ["2026-11-02 00:00", "night"],
      ["2026-11-01 23:59", "night"],
      ["2026-11-01 04:30", "night"],
      ["2026-11-01 01:30", "night"],
      ["2026-11-01 01:30", "night"],
      ["2026-11-01 00:00", "night"],
    ]);
    const summary = okData(await harness.run("summarize_last_n_days", { days: 2 }, who));
    // (121+122+123+124+125+126)/6 = 123.5 → 124; diastolic 80.
    expect(summary).toMatchObject({
      blood_pressure: { average: { systolic: 124, diastolic: 80 }, readings: 6, days_with_readings: 2 },
    });
  });

  test("Europe/London spring-forward day (2026-03-29, 23 hours): dayparts follow BST", async () => {
    const W = "watch-london";
    await harness.insert([
      reading(W, "2026-03-28T23:30:00Z", 160, 100, 70), // 03-28 23:30 GMT: before the window
      reading(W, "2026-03-29T00:30:00Z", 110, 70, 60), // 00:30 GMT night
      reading(W, "2026-03-29T04:00:00Z", 130, 85, 60), // 05:00 BST morning (UTC hour 4 would be night)
      reading(W, "2026-03-29T10:59:00Z", 126, 81, 60), // 11:59 BST morning
      reading(W, "2026-03-29T16:00:00Z", 120, 78, 60), // 17:00 BST evening (UTC hour 16 would be afternoon)
      reading(W, "2026-03-29T20:59:00Z", 118, 74, 60), // 21:59 BST evening
      reading(W, "2026-03-29T21:00:00Z", 112, 72, 60), // 22:00 BST night (UTC hour 21 would be evening)
    ]);
    const who: Who = { watchId: W, timezone: "Europe/London", now: "2026-03-30T12:00:00Z" };
    // Morning (130+126)/2 = 128, (85+81)/2 = 83; evening (120+118)/2 = 119, (78+74)/2 = 76; delta 9/7.
    expect(okData(await harness.run("get_morning_vs_evening_delta", { days: 2 }, who))).toEqual({
      status: "ok",
      window: { days: 2, start: "2026-03-29", end: "2026-03-30", timezone: "Europe/London" },
      morning: { hours: "05:00-12:00", systolic: 128, diastolic: 83, readings: 2, days_with_readings: 1 },
      evening: { hours: "17:00-22:00", systolic: 119, diastolic: 76, readings: 2, days_with_readings: 1 },
      delta: { systolic: 9, diastolic: 7 },
      higher: { systolic: "morning", diastolic: "morning" },
      as_of: "2026-03-29",
      days_since_as_of: 1,
      stale: true,
    });
  });

  test("Asia/Kathmandu (UTC+5:45): the day starts at 18:15Z the evening before", async () => {
    const W = "watch-kathmandu";
    await harness.insert([
      reading(W, "2026-06-14T18:14:00Z", 150, 95, 70), // 06-14 23:59 NPT: outside a 1-day window
      reading(W, "2026-06-14T18:15:00Z", 116, 74, 62), // 06-15 00:00 night, Optimal
      reading(W, "2026-06-14T23:15:00Z", 124, 82, 66), // 06-15 05:00 morning, Normal
      reading(W, "2026-06-15T05:14:00Z", 128, 80, 70), // 06-15 10:59 morning, Normal
    ]);
    const who: Who = { watchId: W, timezone: "Asia/Kathmandu", now: "2026-06-15T06:15:00Z" }; // 12:00 NPT
    // (116+124+128)/3 = 122.67 → 123; (74+82+80)/3 = 78.67 → 79. Worst: of the two Normal readings the
    // higher systolic, 128/80. No daily documents: in_target is left out, not zero.
    expect(okData(await harness.run("get_bp_metrics_summary", { days: 1 }, who))).toEqual({
      status: "ok",
      window: { days: 1, start: "2026-06-15", end: "2026-06-15", timezone: "Asia/Kathmandu" },
      readings: 3,
      days_with_readings: 1,
      average: { systolic: 123, diastolic: 79 },
      best_reading: readingView(
        "2026-06-14T18:15:00.000Z",
        "2026-06-15 00:00",
        "night",
        [116, 74],
        62,
        "Optimal",
      ),
      worst_reading: readingView(
        "2026-06-15T05:14:00.000Z",
        "2026-06-15 10:59",
        "morning",
        [128, 80],
        70,
        "Normal",
      ),
      daypart_baselines: [
        { daypart: "morning", systolic: 126, diastolic: 81, readings: 2 },
        { daypart: "night", systolic: 116, diastolic: 74, readings: 1 },
      ],
      dayparts_without_readings: ["afternoon", "evening"],
      as_of: "2026-06-15",
      days_since_as_of: 0,
      stale: false,
    });
  });

  test("Pacific/Chatham in summer (UTC+13:45): midnight is 10:15Z the day before", async () => {
    const W = "watch-chatham";
    await harness.insert([
      reading(W, "2026-01-10T10:14:00Z", 140, 90, 70), // 01-10 23:59 CHADT
      reading(W, "2026-01-10T10:15:00Z", 119, 78, 61), // 01-11 00:00 CHADT
    ]);
    const who: Who = { watchId: W, timezone: "Pacific/Chatham", now: "2026-01-10T22:00:00Z" }; // 01-11 11:45
    expect(okData(await harness.run("get_latest_bp_reading", {}, who))).toEqual({
      status: "ok",
      reading: readingView("2026-01-10T10:15:00.000Z", "2026-01-11 00:00", "night", [119, 78], 61, "Optimal"),
      as_of: "2026-01-11",
      days_since_as_of: 0,
      stale: false,
    });
    expect(okData(await harness.run("summarize_last_n_days", { days: 1 }, who))).toMatchObject({
      blood_pressure: { average: { systolic: 119, diastolic: 78 }, readings: 1 },
    });
  });
});
