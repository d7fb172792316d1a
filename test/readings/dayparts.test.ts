import { describe, expect, test } from "bun:test";
import {
  DAYPARTS,
  type Daypart,
  daypartAt,
  daypartHours,
  daypartOfLocalHour,
} from "../../src/readings/dayparts";

describe("daypartOfLocalHour", () => {
  // morning 05:00–11:59, afternoon 12:00–16:59, evening 17:00–21:59, night 22:00–04:59
  const expected: Daypart[] = [
    "night", // 00
    "night", // 01
    "night", // 02
    "night", // 03
    "night", // 04
    "morning", // 05
    "morning", // 06
    "morning", // 07
    "morning", // 08
    "morning", // 09
    "morning", // 10
    "morning", // 11
    "afternoon", // 12
    "afternoon", // 13
    "afternoon", // 14
    "afternoon", // 15
    "afternoon", // 16
    "evening", // 17
    "evening", // 18
    "evening", // 19
    "evening", // 20
    "evening", // 21
    "night", // 22
    "night", // 23
  ];

  test.each(expected.map((daypart, hour) => ({ hour, daypart })))(
    "$hour:00 is $daypart",
    ({ hour, daypart }) => {
      expect(daypartOfLocalHour(hour)).toBe(daypart);
    },
  );

  test.each([-1, 24, 5.5, Number.NaN])("rejects hour %p", (hour) => {
    expect(() => daypartOfLocalHour(hour)).toThrow(RangeError);
  });
});

describe("daypartAt", () => {
  const cases: { zone: string; instant: string; daypart: Daypart; local: string }[] = [
    // New York spring forward: 09:00Z is 04:00 in EST but 05:00 in EDT
    { zone: "America/New_York", instant: "2026-03-07T09:00:00Z", daypart: "night", local: "04:00 EST" },
    { zone: "America/New_York", instant: "2026-03-08T06:59:00Z", daypart: "night", local: "01:59 EST" },
    { zone: "America/New_York", instant: "2026-03-08T09:00:00Z", daypart: "morning", local: "05:00 EDT" },
    { zone: "America/New_York", instant: "2026-03-08T16:00:00Z", daypart: "afternoon", local: "12:00 EDT" },
    // New York fall back: 09:30Z is 05:30 in EDT but 04:30 in EST
    { zone: "America/New_York", instant: "2026-10-31T09:30:00Z", daypart: "morning", local: "05:30 EDT" },
    { zone: "America/New_York", instant: "2026-11-01T09:30:00Z", daypart: "night", local: "04:30 EST" },
    { zone: "America/New_York", instant: "2026-11-01T21:59:00Z", daypart: "afternoon", local: "16:59 EST" },
    { zone: "America/New_York", instant: "2026-11-01T22:00:00Z", daypart: "evening", local: "17:00 EST" },
    // London
    { zone: "Europe/London", instant: "2026-03-29T11:00:00Z", daypart: "afternoon", local: "12:00 BST" },
    { zone: "Europe/London", instant: "2026-03-28T11:00:00Z", daypart: "morning", local: "11:00 GMT" },
    { zone: "Europe/London", instant: "2026-10-25T11:30:00Z", daypart: "morning", local: "11:30 GMT" },
    { zone: "Europe/London", instant: "2026-10-24T21:00:00Z", daypart: "night", local: "22:00 BST" },
    // Half and quarter hour zones
    { zone: "Asia/Kathmandu", instant: "2026-06-15T11:14:00Z", daypart: "afternoon", local: "16:59 +0545" },
    { zone: "Asia/Kathmandu", instant: "2026-06-15T11:15:00Z", daypart: "evening", local: "17:00 +0545" },
    { zone: "America/St_Johns", instant: "2026-01-10T01:29:00Z", daypart: "evening", local: "21:59 NST" },
    { zone: "America/St_Johns", instant: "2026-01-10T01:30:00Z", daypart: "night", local: "22:00 NST" },
    { zone: "Pacific/Chatham", instant: "2026-07-15T16:14:00Z", daypart: "night", local: "04:59 +1245" },
    { zone: "Pacific/Chatham", instant: "2026-07-15T16:15:00Z", daypart: "morning", local: "05:00 +1245" },
  ];

  test.each(cases)("$instant in $zone ($local) is $daypart", ({ zone, instant, daypart }) => {
    expect(daypartAt(new Date(instant), zone)).toBe(daypart);
  });
});

describe("daypartHours", () => {
  test.each([
    { daypart: "morning", startHour: 5, endHour: 12 },
    { daypart: "afternoon", startHour: 12, endHour: 17 },
    { daypart: "evening", startHour: 17, endHour: 22 },
    { daypart: "night", startHour: 22, endHour: 5 },
  ] as const)("$daypart runs $startHour:00 until $endHour:00", ({ daypart, startHour, endHour }) => {
    expect(daypartHours(daypart)).toEqual({ startHour, endHour });
  });

  test("lists dayparts in day order", () => {
    expect(DAYPARTS).toEqual(["morning", "afternoon", "evening", "night"]);
  });
});
