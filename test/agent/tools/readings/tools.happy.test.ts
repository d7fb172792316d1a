// Every health tool's exact output over one hand-made week in America/New_York that spans the spring
// DST change (2026-03-08 02:00 EST → 03:00 EDT). All expected numbers are worked out in the comments.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { RESTING_METHOD } from "../../../../src/agent/tools/readings/heart-rate-metrics";
import { dailyDoc, okData, reading, readingView, type ToolHarness, toolHarness, type Who } from "./harness";

const TZ = "America/New_York";
const W = "watch-main";
// Tuesday 2026-03-10 12:00 EDT. A 7-day window is 03-04..03-10: 03-04 00:00 EST (05:00Z) up to
// 03-11 00:00 EDT (04:00Z).
const who: Who = { watchId: W, timezone: TZ, now: "2026-03-10T16:00:00Z" };

// EST = UTC-5 until 2026-03-08 07:00Z, EDT = UTC-4 after.
//                                                      local time           daypart    category
const R0 = reading(W, "2026-03-02T13:00:00Z", 150, 95, 80); // 03-02 08:00 EST  morning  Hyp 1 (outside 7 days)
const R1 = reading(W, "2026-03-05T12:30:00Z", 132, 86, 70); // 03-05 07:30 EST  morning  High-Normal
const R2 = reading(W, "2026-03-06T00:00:00Z", 124, 80, 66); // 03-05 19:00 EST  evening  Normal (UTC day is 03-06)
const R3 = reading(W, "2026-03-07T11:45:00Z", 136, 88, 72); // 03-07 06:45 EST  morning  High-Normal
const R4 = reading(W, "2026-03-08T04:30:00Z", 118, 76, 60); // 03-07 23:30 EST  night    Optimal (UTC day is 03-08)
const R5 = reading(W, "2026-03-08T06:30:00Z", 120, 78, 58); // 03-08 01:30 EST  night    Normal
const R6 = reading(W, "2026-03-08T12:00:00Z", 140, 90, 75); // 03-08 08:00 EDT  morning  Hyp 1
const R7 = reading(W, "2026-03-08T22:00:00Z", 126, 82, 68); // 03-08 18:00 EDT  evening  Normal
const R8 = reading(W, "2026-03-09T17:00:00Z", 128, 84, 71); // 03-09 13:00 EDT  afternoon Normal
const R9 = reading(W, "2026-03-10T11:00:00Z", 134, 85, 69); // 03-10 07:00 EDT  morning  High-Normal

// Daily documents as the watch platform writes them (target band 90-130 / 60-85).
const DAILY = [
  dailyDoc(W, "2026-03-02", TZ, {
    avg: [150, 95],
    last: { at: "2026-03-02T13:00:00Z", systolic: 150, diastolic: 95, daypart: "morning" },
    heart_rate: 80,
    sleep_hours: 6.0,
    steps: 4000,
    in_target_pct: 0,
    bp_category: "Hypertension 1",
    reading_count: 1,
  }),
  dailyDoc(W, "2026-03-05", TZ, {
    avg: [128, 83],
    last: { at: "2026-03-06T00:00:00Z", systolic: 124, diastolic: 80, daypart: "evening" },
    heart_rate: 68,
    sleep_hours: 6.5,
    steps: 5000,
    in_target_pct: 50, // 124/80 in, 132/86 out: 1 of 2
    bp_category: "Normal",
    reading_count: 2,
  }),
  dailyDoc(W, "2026-03-07", TZ, {
    avg: [127, 82],
    last: { at: "2026-03-08T04:30:00Z", systolic: 118, diastolic: 76, daypart: "night" },
    heart_rate: 66,
    sleep_hours: 7.2,
    steps: 8000,
    in_target_pct: 50, // 118/76 in, 136/88 out: 1 of 2
    bp_category: "Normal",
    reading_count: 2,
  }),
  dailyDoc(W, "2026-03-08", TZ, {
    avg: [128.7, 83.3],
    last: { at: "2026-03-08T22:00:00Z", systolic: 126, diastolic: 82, daypart: "evening" },
    heart_rate: 67,
    sleep_hours: 5.9,
    steps: 12000,
    in_target_pct: 66.7, // 120/78 and 126/82 in, 140/90 out: 2 of 3
    bp_category: "Normal",
    reading_count: 3,
  }),
  dailyDoc(W, "2026-03-09", TZ, {
    avg: [128, 84],
    last: { at: "2026-03-09T17:00:00Z", systolic: 128, diastolic: 84, daypart: "afternoon" },
    heart_rate: 71,
    sleep_hours: 8.0,
    steps: 3000,
    in_target_pct: 100,
    bp_category: "Normal",
    reading_count: 1,
  }),
  dailyDoc(W, "2026-03-10", TZ, {
    avg: [134, 85],
    last: { at: "2026-03-10T11:00:00Z", systolic: 134, diastolic: 85, daypart: "morning" },
    heart_rate: 69,
    sleep_hours: 6.8,
    steps: 2500, // today so far
    in_target_pct: 0,
    bp_category: "High-Normal",
    reading_count: 1,
  }),
];

const WINDOW_7 = { days: 7, start: "2026-03-04", end: "2026-03-10", timezone: TZ };
const FRESH = { as_of: "2026-03-10", days_since_as_of: 0, stale: false };

const V1 = readingView(
  "2026-03-05T12:30:00.000Z",
  "2026-03-05 07:30",
  "morning",
  [132, 86],
  70,
  "High-Normal",
);
const V2 = readingView("2026-03-06T00:00:00.000Z", "2026-03-05 19:00", "evening", [124, 80], 66, "Normal");
const V3 = readingView(
  "2026-03-07T11:45:00.000Z",
  "2026-03-07 06:45",
  "morning",
  [136, 88],
  72,
  "High-Normal",
);
const V4 = readingView("2026-03-08T04:30:00.000Z", "2026-03-07 23:30", "night", [118, 76], 60, "Optimal");
const V5 = readingView("2026-03-08T06:30:00.000Z", "2026-03-08 01:30", "night", [120, 78], 58, "Normal");
const V6 = readingView(
  "2026-03-08T12:00:00.000Z",
  "2026-03-08 08:00",
  "morning",
  [140, 90],
  75,
  "Hypertension 1",
);
const V7 = readingView("2026-03-08T22:00:00.000Z", "2026-03-08 18:00", "evening", [126, 82], 68, "Normal");
const V8 = readingView("2026-03-09T17:00:00.000Z", "2026-03-09 13:00", "afternoon", [128, 84], 71, "Normal");
const V9 = readingView(
  "2026-03-10T11:00:00.000Z",
  "2026-03-10 07:00",
  "morning",
  [134, 85],
  69,
  "High-Normal",
);

let harness: ToolHarness;

beforeAll(async () => {
  harness = await toolHarness();
  await harness.insert([R0, R1, R2, R3, R4, R5, R6, R7, R8, R9], DAILY);
});

afterAll(async () => {
  await harness.close();
});

const data = async (name: string, args: unknown) => okData(await harness.run(name, args, who));

describe("health tools over a DST week in New York", () => {
  test("get_latest_bp_reading returns the newest reading in local time", async () => {
    expect(await data("get_latest_bp_reading", {})).toEqual({ status: "ok", reading: V9, ...FRESH });
  });

  test("get_bp_reading_history lists the window newest first, local days crossing UTC midnight", async () => {
    // R0 (03-02) is outside the window; the other 9 are in it.
    expect(await data("get_bp_reading_history", { days: 7 })).toEqual({
      status: "ok",
      window: WINDOW_7,
      filters: {},
      window_readings: 9,
      matching_readings: 9,
      returned: 9,
      truncated: false,
      order: "newest_first",
      readings: [V9, V8, V7, V6, V5, V4, V3, V2, V1],
      ...FRESH,
    });
  });

  test("get_bp_reading_history filters by daypart and bounds, and says when the limit cut it", async () => {
    // Morning readings: 132 (R1), 136 (R3), 140 (R6), 134 (R9); systolic >= 135 keeps R3 and R6;
    // limit 1 returns the newest, R6.
    expect(
      await data("get_bp_reading_history", { days: 7, daypart: "morning", systolic_min: 135, limit: 1 }),
    ).toEqual({
      status: "ok",
      window: WINDOW_7,
      filters: { daypart: "morning", systolic_min: 135 },
      window_readings: 9,
      matching_readings: 2,
      returned: 1,
      truncated: true,
      order: "newest_first",
      readings: [V6],
      ...FRESH,
    });
  });

  test("get_bp_reading_history with filters nothing matches is not 'no readings'", async () => {
    expect(await data("get_bp_reading_history", { days: 7, diastolic_min: 100 })).toEqual({
      status: "no_matching_readings",
      window: WINDOW_7,
      filters: { diastolic_min: 100 },
      window_readings: 9,
      ...FRESH,
    });
  });

  test("get_bp_metrics_summary: averages, in-target %, best/worst and daypart baselines", async () => {
    // Systolic 132+124+136+118+120+140+126+128+134 = 1158 / 9 = 128.67 → 129.
    // Diastolic 86+80+88+76+78+90+82+84+85 = 749 / 9 = 83.22 → 83.
    // In target per day: 50%×2 = 1, 50%×2 = 1, 66.7%×3 = 2, 100%×1 = 1, 0%×1 = 0 → 5 of 9 = 55.6 %.
    // Best: the only Optimal reading, 118/76. Worst: the only Hypertension 1 reading, 140/90.
    // Morning 132,136,140,134 = 542/4 = 135.5 → 136 (half away from zero); 86,88,90,85 = 349/4 = 87.25 → 87.
    // Afternoon 128/84. Evening (124+126)/2 = 125, (80+82)/2 = 81. Night (118+120)/2 = 119, (76+78)/2 = 77.
    expect(await data("get_bp_metrics_summary", { days: 7 })).toEqual({
      status: "ok",
      window: WINDOW_7,
      readings: 9,
      days_with_readings: 5, // 03-05, 03-07, 03-08, 03-09, 03-10
      average: { systolic: 129, diastolic: 83 },
      in_target: { percent: 55.6, readings_in_target: 5, readings_graded: 9 },
      best_reading: V4,
      worst_reading: V6,
      daypart_baselines: [
        { daypart: "morning", systolic: 136, diastolic: 87, readings: 4 },
        { daypart: "afternoon", systolic: 128, diastolic: 84, readings: 1 },
        { daypart: "evening", systolic: 125, diastolic: 81, readings: 2 },
        { daypart: "night", systolic: 119, diastolic: 77, readings: 2 },
      ],
      dayparts_without_readings: [],
      ...FRESH,
    });
  });

  test("get_morning_vs_evening_delta compares the rounded means", async () => {
    // Morning 136/87 (see above), evening 125/81: delta 11/6, morning higher.
    expect(await data("get_morning_vs_evening_delta", { days: 7 })).toEqual({
      status: "ok",
      window: WINDOW_7,
      morning: { hours: "05:00-12:00", systolic: 136, diastolic: 87, readings: 4, days_with_readings: 4 },
      evening: { hours: "17:00-22:00", systolic: 125, diastolic: 81, readings: 2, days_with_readings: 2 },
      delta: { systolic: 11, diastolic: 6 },
      higher: { systolic: "morning", diastolic: "morning" },
      ...FRESH,
    });
  });

  test("get_rolling_bp_average reaches back before the window for the first spans", async () => {
    // Per local day (readings, Σsys, Σdia): 03-02 (1, 150, 95), 03-05 (2, 256, 166), 03-07 (2, 254, 164),
    // 03-08 (3, 386, 250), 03-09 (1, 128, 84), 03-10 (1, 134, 85). Spans of 3 days ending on:
    // 03-04: 03-02 only → 150/95.         03-05: 03-05 → 256/2 = 128, 166/2 = 83.
    // 03-06: 03-05 → 128/83.              03-07: (256+254)/4 = 127.5 → 128, (166+164)/4 = 82.5 → 83.
    // 03-08: (254+386)/5 = 128, (164+250)/5 = 82.8 → 83.
    // 03-09: (254+386+128)/6 = 128, (164+250+84)/6 = 83.
    // 03-10: (386+128+134)/5 = 129.6 → 130, (250+84+85)/5 = 83.8 → 84.
    const points = [
      { day: "2026-03-04", systolic: 150, diastolic: 95, readings: 1, days_with_readings: 1 },
      { day: "2026-03-05", systolic: 128, diastolic: 83, readings: 2, days_with_readings: 1 },
      { day: "2026-03-06", systolic: 128, diastolic: 83, readings: 2, days_with_readings: 1 },
      { day: "2026-03-07", systolic: 128, diastolic: 83, readings: 4, days_with_readings: 2 },
      { day: "2026-03-08", systolic: 128, diastolic: 83, readings: 5, days_with_readings: 2 },
      { day: "2026-03-09", systolic: 128, diastolic: 83, readings: 6, days_with_readings: 3 },
      { day: "2026-03-10", systolic: 130, diastolic: 84, readings: 5, days_with_readings: 3 },
    ];
    expect(await data("get_rolling_bp_average", { days: 7, rolling_days: 3 })).toEqual({
      status: "ok",
      window: WINDOW_7,
      rolling_days: 3,
      points,
      first: points[0],
      last: points[6],
      change: { systolic: -20, diastolic: -11 }, // 130-150, 84-95
      ...FRESH,
    });
  });

  test("summarize_last_n_days recaps every metric", async () => {
    // BP as in the metrics summary. Categories of the 5 days: Normal ×4, High-Normal ×1 (03-10).
    // Sleep 6.5+7.2+5.9+8.0+6.8 = 34.4 / 5 = 6.88 → 6.9. Steps 5000+8000+12000+3000+2500 = 30500 / 5 = 6100.
    // Heart rate 68+66+67+71+69 = 341 / 5 = 68.2 → 68.
    expect(await data("summarize_last_n_days", { days: 7 })).toEqual({
      status: "ok",
      window: WINDOW_7,
      days_with_data: 5,
      blood_pressure: {
        status: "ok",
        average: { systolic: 129, diastolic: 83 },
        readings: 9,
        days_with_readings: 5,
        in_target: { percent: 55.6, readings_in_target: 5, readings_graded: 9 },
        category_days: { Optimal: 0, Normal: 4, "High-Normal": 1, "Hypertension 1": 0, "Hypertension 2": 0 },
      },
      sleep: { status: "ok", average_hours: 6.9, nights: 5 },
      steps: { status: "ok", daily_average: 6100, total: 30500, days: 5, includes_today_so_far: true },
      heart_rate: { status: "ok", average_bpm: 68, days: 5 },
      ...FRESH,
    });
  });

  test("get_user_sleep_metrics: average, extremes, nights and the half-vs-half trend", async () => {
    // Earlier half 03-05, 03-07: (6.5+7.2)/2 = 6.85 → 6.9; later half 03-09, 03-10: (8.0+6.8)/2 = 7.4;
    // the middle night (03-08) is in neither. Change 7.4 - 6.9 = 0.5.
    expect(await data("get_user_sleep_metrics", { days: 7 })).toEqual({
      status: "ok",
      window: WINDOW_7,
      nights: 5,
      average_hours: 6.9,
      shortest: { day: "2026-03-08", hours: 5.9 },
      longest: { day: "2026-03-09", hours: 8 },
      daily: [
        { day: "2026-03-05", hours: 6.5 },
        { day: "2026-03-07", hours: 7.2 },
        { day: "2026-03-08", hours: 5.9 },
        { day: "2026-03-09", hours: 8 },
        { day: "2026-03-10", hours: 6.8 },
      ],
      trend: {
        earlier: { from: "2026-03-05", to: "2026-03-07", average: 6.9 },
        later: { from: "2026-03-09", to: "2026-03-10", average: 7.4 },
        change: 0.5,
      },
      ...FRESH,
    });
  });

  test("get_user_step_metrics flags today's partial count", async () => {
    // Earlier (5000+8000)/2 = 6500, later (3000+2500)/2 = 2750, change -3750.
    expect(await data("get_user_step_metrics", { days: 7 })).toEqual({
      status: "ok",
      window: WINDOW_7,
      days: 5,
      daily_average: 6100,
      total: 30500,
      lowest: { day: "2026-03-10", steps: 2500 },
      highest: { day: "2026-03-08", steps: 12000 },
      daily: [
        { day: "2026-03-05", steps: 5000 },
        { day: "2026-03-07", steps: 8000 },
        { day: "2026-03-08", steps: 12000 },
        { day: "2026-03-09", steps: 3000 },
        { day: "2026-03-10", steps: 2500 },
      ],
      trend: {
        earlier: { from: "2026-03-05", to: "2026-03-07", average: 6500 },
        later: { from: "2026-03-09", to: "2026-03-10", average: 2750 },
        change: -3750,
      },
      includes_today_so_far: true,
      ...FRESH,
    });
  });

  test("get_user_heart_rate_metrics: average of days, resting estimate from reading pulses", async () => {
    // Pulses in the window: 70, 66, 72, 60, 58, 75, 68, 71, 69 (n = 9): rank ceil(9 × 10 / 100) = 1 → 58.
    // Trend: earlier (68+66)/2 = 67, later (71+69)/2 = 70, change 3.
    expect(await data("get_user_heart_rate_metrics", { days: 7 })).toEqual({
      status: "ok",
      window: WINDOW_7,
      days: 5,
      average_bpm: 68,
      lowest_day: { day: "2026-03-07", bpm: 66 },
      highest_day: { day: "2026-03-09", bpm: 71 },
      resting_estimate: { bpm: 58, readings: 9, method: RESTING_METHOD },
      daily: [
        { day: "2026-03-05", bpm: 68 },
        { day: "2026-03-07", bpm: 66 },
        { day: "2026-03-08", bpm: 67 },
        { day: "2026-03-09", bpm: 71 },
        { day: "2026-03-10", bpm: 69 },
      ],
      trend: {
        earlier: { from: "2026-03-05", to: "2026-03-07", average: 67 },
        later: { from: "2026-03-09", to: "2026-03-10", average: 70 },
        change: 3,
      },
      ...FRESH,
    });
  });

  test("sleep, steps and heart rate list their figures in the order the model reads them", async () => {
    // toEqual above ignores key order; the model reads the serialised JSON, whose order the shared
    // daily-metric factory composes from each tool's names.
    const keys = async (name: string) => Object.keys((await data(name, { days: 7 })) as object);
    const freshness = ["as_of", "days_since_as_of", "stale"];
    expect(await keys("get_user_sleep_metrics")).toEqual([
      "status",
      "window",
      "nights",
      "average_hours",
      "shortest",
      "longest",
      "daily",
      "trend",
      ...freshness,
    ]);
    expect(await keys("get_user_step_metrics")).toEqual([
      "status",
      "window",
      "days",
      "daily_average",
      "total",
      "lowest",
      "highest",
      "daily",
      "trend",
      "includes_today_so_far",
      ...freshness,
    ]);
    expect(await keys("get_user_heart_rate_metrics")).toEqual([
      "status",
      "window",
      "days",
      "average_bpm",
      "lowest_day",
      "highest_day",
      "resting_estimate",
      "daily",
      "trend",
      ...freshness,
    ]);
  });

  test("a default window reaches further back (summary: 7 days, metrics summary: 30 days)", async () => {
    const summary = (await data("summarize_last_n_days", {})) as { window: unknown };
    expect(summary.window).toEqual(WINDOW_7);
    // 30 days: 02-09..03-10 brings R0 (150/95) in: 10 readings, 1308/10 = 130.8 → 131, 844/10 = 84.4 → 84.
    const metrics = (await data("get_bp_metrics_summary", {})) as { window: unknown; average: unknown };
    expect(metrics.window).toEqual({ days: 30, start: "2026-02-09", end: "2026-03-10", timezone: TZ });
    expect(metrics.average).toEqual({ systolic: 131, diastolic: 84 });
  });
});
