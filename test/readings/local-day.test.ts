import { describe, expect, test } from "bun:test";
import {
  addDays,
  dayOfWeek,
  daysBetween,
  localDay,
  localHour,
  utcOffsetMinutes,
  zonedTimeToUtc,
} from "../../src/readings/local-day";

const NY = "America/New_York";
const LONDON = "Europe/London";
const KATHMANDU = "Asia/Kathmandu";
const CHATHAM = "Pacific/Chatham";
const ST_JOHNS = "America/St_Johns";

// Offsets worked out by hand:
// - New York: EST −5:00, EDT −4:00; 2026-03-08 02:00 EST → 03:00 EDT (07:00Z), 2026-11-01 02:00 EDT → 01:00 EST (06:00Z).
// - London: GMT ±0, BST +1:00; 2026-03-29 01:00 GMT → 02:00 BST (01:00Z), 2026-10-25 02:00 BST → 01:00 GMT (01:00Z).
// - Kathmandu: +5:45 all year.
// - Chatham: CHADT +13:45 until 2026-04-05 03:45 → 02:45 CHAST +12:45 (2026-04-04T14:00Z);
//   back to CHADT 2026-09-27 02:45 → 03:45 (2026-09-26T14:00Z).
// - St John's: NST −3:30, NDT −2:30; 2026-03-08 02:00 NST → 03:00 NDT (05:30Z).

describe("localDay / localHour", () => {
  const cases: { zone: string; instant: string; day: string; hour: number }[] = [
    // New York spring forward
    { zone: NY, instant: "2026-03-08T04:30:00Z", day: "2026-03-07", hour: 23 },
    { zone: NY, instant: "2026-03-08T05:00:00Z", day: "2026-03-08", hour: 0 },
    { zone: NY, instant: "2026-03-08T06:59:59Z", day: "2026-03-08", hour: 1 },
    { zone: NY, instant: "2026-03-08T07:00:00Z", day: "2026-03-08", hour: 3 },
    { zone: NY, instant: "2026-03-09T03:59:59Z", day: "2026-03-08", hour: 23 },
    { zone: NY, instant: "2026-03-09T04:00:00Z", day: "2026-03-09", hour: 0 },
    // New York fall back: 01:xx happens twice
    { zone: NY, instant: "2026-11-01T03:59:59Z", day: "2026-10-31", hour: 23 },
    { zone: NY, instant: "2026-11-01T04:00:00Z", day: "2026-11-01", hour: 0 },
    { zone: NY, instant: "2026-11-01T05:30:00Z", day: "2026-11-01", hour: 1 },
    { zone: NY, instant: "2026-11-01T06:30:00Z", day: "2026-11-01", hour: 1 },
    { zone: NY, instant: "2026-11-01T07:00:00Z", day: "2026-11-01", hour: 2 },
    { zone: NY, instant: "2026-11-02T04:59:59Z", day: "2026-11-01", hour: 23 },
    { zone: NY, instant: "2026-11-02T05:00:00Z", day: "2026-11-02", hour: 0 },
    // London
    { zone: LONDON, instant: "2026-03-29T00:59:59Z", day: "2026-03-29", hour: 0 },
    { zone: LONDON, instant: "2026-03-29T01:00:00Z", day: "2026-03-29", hour: 2 },
    { zone: LONDON, instant: "2026-03-29T22:59:59Z", day: "2026-03-29", hour: 23 },
    { zone: LONDON, instant: "2026-03-29T23:00:00Z", day: "2026-03-30", hour: 0 },
    { zone: LONDON, instant: "2026-10-24T23:30:00Z", day: "2026-10-25", hour: 0 },
    { zone: LONDON, instant: "2026-10-25T00:30:00Z", day: "2026-10-25", hour: 1 },
    { zone: LONDON, instant: "2026-10-25T01:30:00Z", day: "2026-10-25", hour: 1 },
    { zone: LONDON, instant: "2026-10-25T23:30:00Z", day: "2026-10-25", hour: 23 },
    // Kathmandu +5:45
    { zone: KATHMANDU, instant: "2026-06-15T18:14:59Z", day: "2026-06-15", hour: 23 },
    { zone: KATHMANDU, instant: "2026-06-15T18:15:00Z", day: "2026-06-16", hour: 0 },
    { zone: KATHMANDU, instant: "2026-01-01T00:00:00Z", day: "2026-01-01", hour: 5 },
    // Chatham +13:45 (summer) / +12:45 (winter)
    { zone: CHATHAM, instant: "2026-01-15T10:14:59Z", day: "2026-01-15", hour: 23 },
    { zone: CHATHAM, instant: "2026-01-15T10:15:00Z", day: "2026-01-16", hour: 0 },
    { zone: CHATHAM, instant: "2026-07-15T11:14:59Z", day: "2026-07-15", hour: 23 },
    { zone: CHATHAM, instant: "2026-07-15T11:15:00Z", day: "2026-07-16", hour: 0 },
    { zone: CHATHAM, instant: "2026-04-04T13:59:59Z", day: "2026-04-05", hour: 3 },
    { zone: CHATHAM, instant: "2026-04-04T14:00:00Z", day: "2026-04-05", hour: 2 },
    { zone: CHATHAM, instant: "2026-09-26T13:59:59Z", day: "2026-09-27", hour: 2 },
    { zone: CHATHAM, instant: "2026-09-26T14:00:00Z", day: "2026-09-27", hour: 3 },
    // St John's −3:30 / −2:30
    { zone: ST_JOHNS, instant: "2026-01-10T03:29:59Z", day: "2026-01-09", hour: 23 },
    { zone: ST_JOHNS, instant: "2026-01-10T03:30:00Z", day: "2026-01-10", hour: 0 },
    { zone: ST_JOHNS, instant: "2026-07-10T02:29:59Z", day: "2026-07-09", hour: 23 },
    { zone: ST_JOHNS, instant: "2026-07-10T02:30:00Z", day: "2026-07-10", hour: 0 },
    { zone: "UTC", instant: "2026-12-31T23:59:59Z", day: "2026-12-31", hour: 23 },
  ];

  test.each(cases)("$instant in $zone is $day hour $hour", ({ zone, instant, day, hour }) => {
    expect(localDay(new Date(instant), zone)).toBe(day);
    expect(localHour(new Date(instant), zone)).toBe(hour);
  });

  test("rejects unknown zones and invalid dates", () => {
    expect(() => localDay(new Date("2026-01-01T00:00:00Z"), "Mars/Olympus_Mons")).toThrow(RangeError);
    expect(() => localHour(new Date(Number.NaN), NY)).toThrow(RangeError);
  });
});

describe("zonedTimeToUtc", () => {
  const cases: { zone: string; local: string; utc: string; note: string }[] = [
    { zone: NY, local: "2026-07-01 12:00", utc: "2026-07-01T16:00:00.000Z", note: "summer" },
    { zone: NY, local: "2026-01-15 08:05", utc: "2026-01-15T13:05:00.000Z", note: "winter" },
    // 2026-03-08: 02:00–02:59 does not exist
    { zone: NY, local: "2026-03-08 00:00", utc: "2026-03-08T05:00:00.000Z", note: "midnight" },
    { zone: NY, local: "2026-03-08 01:59", utc: "2026-03-08T06:59:00.000Z", note: "before" },
    { zone: NY, local: "2026-03-08 02:30", utc: "2026-03-08T07:30:00.000Z", note: "gap→03:30" },
    { zone: NY, local: "2026-03-08 03:00", utc: "2026-03-08T07:00:00.000Z", note: "after" },
    { zone: NY, local: "2026-03-08 23:59", utc: "2026-03-09T03:59:00.000Z", note: "late" },
    // 2026-11-01: 01:00–01:59 happens twice, the earlier (EDT) one is chosen
    { zone: NY, local: "2026-11-01 00:30", utc: "2026-11-01T04:30:00.000Z", note: "before" },
    { zone: NY, local: "2026-11-01 01:30", utc: "2026-11-01T05:30:00.000Z", note: "overlap" },
    { zone: NY, local: "2026-11-01 02:00", utc: "2026-11-01T07:00:00.000Z", note: "after" },
    // London
    { zone: LONDON, local: "2026-03-29 00:30", utc: "2026-03-29T00:30:00.000Z", note: "GMT" },
    { zone: LONDON, local: "2026-03-29 01:30", utc: "2026-03-29T01:30:00.000Z", note: "gap" },
    { zone: LONDON, local: "2026-03-29 02:00", utc: "2026-03-29T01:00:00.000Z", note: "BST" },
    { zone: LONDON, local: "2026-10-25 01:30", utc: "2026-10-25T00:30:00.000Z", note: "overlap" },
    { zone: LONDON, local: "2026-10-25 02:00", utc: "2026-10-25T02:00:00.000Z", note: "GMT" },
    // Kathmandu +5:45
    { zone: KATHMANDU, local: "2026-06-16 00:00", utc: "2026-06-15T18:15:00.000Z", note: "" },
    { zone: KATHMANDU, local: "2026-01-01 05:45", utc: "2026-01-01T00:00:00.000Z", note: "" },
    // Chatham +13:45 / +12:45
    { zone: CHATHAM, local: "2026-01-16 00:00", utc: "2026-01-15T10:15:00.000Z", note: "summer" },
    { zone: CHATHAM, local: "2026-07-16 00:00", utc: "2026-07-15T11:15:00.000Z", note: "winter" },
    { zone: CHATHAM, local: "2026-04-05 03:00", utc: "2026-04-04T13:15:00.000Z", note: "overlap" },
    { zone: CHATHAM, local: "2026-09-27 03:00", utc: "2026-09-26T14:15:00.000Z", note: "gap" },
    // St John's −3:30 / −2:30
    { zone: ST_JOHNS, local: "2026-01-10 00:00", utc: "2026-01-10T03:30:00.000Z", note: "NST" },
    { zone: ST_JOHNS, local: "2026-07-10 00:00", utc: "2026-07-10T02:30:00.000Z", note: "NDT" },
    { zone: ST_JOHNS, local: "2026-03-08 02:30", utc: "2026-03-08T06:00:00.000Z", note: "gap" },
  ];

  test.each(cases)("$local in $zone → $utc ($note)", ({ zone, local, utc }) => {
    const [day = "", time = ""] = local.split(" ");
    const [hour, minute] = time.split(":").map(Number);
    expect(zonedTimeToUtc(day, hour ?? Number.NaN, minute ?? Number.NaN, zone).toISOString()).toBe(utc);
  });

  test("round-trips every existing quarter hour of the DST days", () => {
    const days: { zone: string; day: string; gapHour?: number; gapEndHour?: number }[] = [
      { zone: NY, day: "2026-03-08", gapHour: 2, gapEndHour: 3 },
      { zone: NY, day: "2026-11-01" },
      { zone: LONDON, day: "2026-03-29", gapHour: 1, gapEndHour: 2 },
      { zone: LONDON, day: "2026-10-25" },
      { zone: ST_JOHNS, day: "2026-03-08", gapHour: 2, gapEndHour: 3 },
      { zone: KATHMANDU, day: "2026-06-16" },
      { zone: CHATHAM, day: "2026-04-05" },
    ];
    for (const { zone, day, gapHour, gapEndHour } of days) {
      for (let hour = 0; hour < 24; hour++) {
        if (hour === gapHour) continue;
        for (const minute of [0, 15, 30, 45]) {
          const instant = zonedTimeToUtc(day, hour, minute, zone);
          expect({ zone, day: localDay(instant, zone), hour: localHour(instant, zone) }).toEqual({
            zone,
            day,
            hour,
          });
        }
      }
      if (gapHour !== undefined && gapEndHour !== undefined) {
        // A skipped wall time moves forward by the gap instead of backwards.
        expect(localHour(zonedTimeToUtc(day, gapHour, 15, zone), zone)).toBe(gapEndHour);
      }
    }
  });

  test("rejects malformed input", () => {
    expect(() => zonedTimeToUtc("2026-02-30", 0, 0, NY)).toThrow(RangeError);
    expect(() => zonedTimeToUtc("2026-2-3", 0, 0, NY)).toThrow(RangeError);
    expect(() => zonedTimeToUtc("2026-13-01", 0, 0, NY)).toThrow(RangeError);
    expect(() => zonedTimeToUtc("2026-03-08", 24, 0, NY)).toThrow(RangeError);
    expect(() => zonedTimeToUtc("2026-03-08", 1.5, 0, NY)).toThrow(RangeError);
    expect(() => zonedTimeToUtc("2026-03-08", 1, 60, NY)).toThrow(RangeError);
    expect(() => zonedTimeToUtc("2026-03-08", 1, 0, "Nowhere/Special")).toThrow(RangeError);
  });
});

describe("calendar arithmetic", () => {
  test.each([
    { day: "2026-03-07", delta: 1, expected: "2026-03-08" },
    { day: "2026-03-08", delta: 1, expected: "2026-03-09" },
    { day: "2026-01-01", delta: -1, expected: "2025-12-31" },
    { day: "2026-02-28", delta: 1, expected: "2026-03-01" },
    { day: "2028-02-28", delta: 1, expected: "2028-02-29" },
    { day: "2026-11-24", delta: -119, expected: "2026-07-28" },
    { day: "2026-11-24", delta: 0, expected: "2026-11-24" },
  ])("addDays($day, $delta) = $expected", ({ day, delta, expected }) => {
    expect(addDays(day, delta)).toBe(expected);
    expect(daysBetween(day, expected)).toBe(delta);
  });

  test.each([
    { day: "2026-03-08", weekday: 0 },
    { day: "2026-03-14", weekday: 6 },
    { day: "2026-11-24", weekday: 2 },
    { day: "2026-01-01", weekday: 4 },
  ])("dayOfWeek($day) = $weekday", ({ day, weekday }) => {
    expect(dayOfWeek(day)).toBe(weekday);
  });
});

describe("utcOffsetMinutes", () => {
  test.each([
    { zone: NY, instant: "2026-03-08T06:59:00Z", minutes: -300 },
    { zone: NY, instant: "2026-03-08T07:00:00Z", minutes: -240 },
    { zone: LONDON, instant: "2026-10-25T00:59:00Z", minutes: 60 },
    { zone: LONDON, instant: "2026-10-25T01:00:00Z", minutes: 0 },
    { zone: KATHMANDU, instant: "2026-06-15T00:00:00Z", minutes: 345 },
    { zone: CHATHAM, instant: "2026-01-15T00:00:00Z", minutes: 825 },
    { zone: CHATHAM, instant: "2026-07-15T00:00:00Z", minutes: 765 },
    { zone: ST_JOHNS, instant: "2026-01-15T00:00:00Z", minutes: -210 },
    { zone: ST_JOHNS, instant: "2026-07-15T00:00:00Z", minutes: -150 },
  ])("$zone at $instant is $minutes", ({ zone, instant, minutes }) => {
    expect(utcOffsetMinutes(new Date(instant), zone)).toBe(minutes);
  });
});
