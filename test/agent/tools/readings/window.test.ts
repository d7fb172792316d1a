// Window resolution: "the last N days ending today", inclusive, with UTC bounds worked out by hand for
// DST days and for half-hour, quarter-hour and +13 zones.
import { describe, expect, test } from "bun:test";
import { halvesTrend } from "../../../../src/agent/tools/readings/daily-metric";
import { freshness } from "../../../../src/agent/tools/readings/result";
import { rollingPoints } from "../../../../src/agent/tools/readings/rolling-bp-average";
import { lastDays } from "../../../../src/agent/tools/readings/window";
import { roundHours } from "../../../../src/readings/rounding";

describe("lastDays", () => {
  test.each([
    // zone, days, end day, start day, first instant, end (exclusive)
    [
      "America/New_York",
      7,
      "2026-03-10",
      "2026-03-04",
      "2026-03-04T05:00:00.000Z",
      "2026-03-11T04:00:00.000Z",
    ],
    // 2026-03-08 has 23 hours in New York: 05:00Z to 04:00Z the next day.
    [
      "America/New_York",
      1,
      "2026-03-08",
      "2026-03-08",
      "2026-03-08T05:00:00.000Z",
      "2026-03-09T04:00:00.000Z",
    ],
    // 2026-11-01 has 25 hours: 04:00Z to 05:00Z the next day.
    [
      "America/New_York",
      1,
      "2026-11-01",
      "2026-11-01",
      "2026-11-01T04:00:00.000Z",
      "2026-11-02T05:00:00.000Z",
    ],
    // London 2026-03-29: 23 hours (GMT midnight to BST midnight).
    ["Europe/London", 1, "2026-03-29", "2026-03-29", "2026-03-29T00:00:00.000Z", "2026-03-29T23:00:00.000Z"],
    ["Asia/Kathmandu", 1, "2026-06-15", "2026-06-15", "2026-06-14T18:15:00.000Z", "2026-06-15T18:15:00.000Z"],
    // Chatham: +13:45 in January (daylight time), +12:45 in July.
    [
      "Pacific/Chatham",
      1,
      "2026-01-11",
      "2026-01-11",
      "2026-01-10T10:15:00.000Z",
      "2026-01-11T10:15:00.000Z",
    ],
    [
      "Pacific/Chatham",
      1,
      "2026-07-11",
      "2026-07-11",
      "2026-07-10T11:15:00.000Z",
      "2026-07-11T11:15:00.000Z",
    ],
    [
      "Pacific/Tongatapu",
      2,
      "2026-01-15",
      "2026-01-14",
      "2026-01-13T11:00:00.000Z",
      "2026-01-15T11:00:00.000Z",
    ],
    [
      "America/St_Johns",
      1,
      "2026-01-15",
      "2026-01-15",
      "2026-01-15T03:30:00.000Z",
      "2026-01-16T03:30:00.000Z",
    ],
    // A window crossing a year end.
    ["UTC", 3, "2026-01-01", "2025-12-30", "2025-12-30T00:00:00.000Z", "2026-01-02T00:00:00.000Z"],
  ])("%s, %d days ending %s", (zone, days, end, start, startUtc, endUtc) => {
    const window = lastDays(days, end, zone);
    expect(window.start).toBe(start);
    expect(window.end).toBe(end);
    expect(window.startUtc.toISOString()).toBe(startUtc);
    expect(window.endUtc.toISOString()).toBe(endUtc);
  });
});

describe("freshness", () => {
  test("today is fresh; any earlier day is stale with its age", () => {
    expect(freshness("2026-03-10", "2026-03-10")).toEqual({
      as_of: "2026-03-10",
      days_since_as_of: 0,
      stale: false,
    });
    expect(freshness("2026-02-18", "2026-03-10")).toEqual({
      as_of: "2026-02-18",
      days_since_as_of: 20,
      stale: true,
    });
  });
});

describe("halvesTrend", () => {
  const day = (n: number, value: number) => ({ day: `2026-01-0${n}`, value });

  test("fewer than two days have no trend", () => {
    expect(halvesTrend([], roundHours)).toBeUndefined();
    expect(halvesTrend([day(1, 7)], roundHours)).toBeUndefined();
  });

  test("an odd count leaves the middle day out", () => {
    // Earlier (6 + 7) / 2 = 6.5, later (8 + 7.5) / 2 = 7.75 → 7.8, change 7.8 - 6.5 = 1.3.
    expect(halvesTrend([day(1, 6), day(2, 7), day(3, 100), day(4, 8), day(5, 7.5)], roundHours)).toEqual({
      earlier: { from: "2026-01-01", to: "2026-01-02", average: 6.5 },
      later: { from: "2026-01-04", to: "2026-01-05", average: 7.8 },
      change: 1.3,
    });
  });
});

describe("rollingPoints", () => {
  test("days without readings in their span have no point; spans reach before the window", () => {
    const days = [
      { day: "2026-01-01", readings: 2, systolic_sum: 240, diastolic_sum: 160 },
      { day: "2026-01-05", readings: 1, systolic_sum: 131, diastolic_sum: 85 },
    ];
    // Span 2: 01-02 sees 01-01 (120/80); 01-03 and 01-04 see nothing; 01-05 sees 01-05 (131/85).
    expect(rollingPoints(days, "2026-01-02", "2026-01-05", 2)).toEqual([
      { day: "2026-01-02", systolic: 120, diastolic: 80, readings: 2, days_with_readings: 1 },
      { day: "2026-01-05", systolic: 131, diastolic: 85, readings: 1, days_with_readings: 1 },
    ]);
  });
});
