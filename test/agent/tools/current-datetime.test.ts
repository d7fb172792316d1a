// get_current_datetime: the user's wall clock from the turn's clock and zone, DST and odd offsets included.
import { afterAll, describe, expect, test } from "bun:test";
import { createToolRegistry } from "../../../src/agent/registry";
import { currentDateTimeTool, localDateTime } from "../../../src/agent/tools/current-datetime";
import { closeDeps, testDeps, toolContext } from "../harness";

describe("localDateTime", () => {
  const cases: [string, string, string, Record<string, string>][] = [
    [
      "London in summer time",
      "2026-07-15T12:30:45Z",
      "Europe/London",
      {
        date: "2026-07-15",
        time: "13:30",
        weekday: "Wednesday",
        iso: "2026-07-15T13:30:45+01:00",
        daypart: "afternoon",
      },
    ],
    [
      "London in winter",
      "2026-01-15T23:10:00Z",
      "Europe/London",
      {
        date: "2026-01-15",
        time: "23:10",
        weekday: "Thursday",
        iso: "2026-01-15T23:10:00+00:00",
        daypart: "night",
      },
    ],
    [
      "Kathmandu's quarter-hour offset",
      "2026-11-03T14:05:09Z",
      "Asia/Kathmandu",
      {
        date: "2026-11-03",
        time: "19:50",
        weekday: "Tuesday",
        iso: "2026-11-03T19:50:09+05:45",
        utc_offset: "+05:45",
      },
    ],
    [
      "St John's negative half-hour offset, already the previous day",
      "2026-01-01T02:00:00Z",
      "America/St_Johns",
      { date: "2025-12-31", time: "22:30", weekday: "Wednesday", iso: "2025-12-31T22:30:00-03:30" },
    ],
    [
      "Los Angeles, just after the clocks went back",
      "2026-11-01T09:30:00Z",
      "America/Los_Angeles",
      {
        date: "2026-11-01",
        time: "01:30",
        weekday: "Sunday",
        iso: "2026-11-01T01:30:00-08:00",
        daypart: "night",
      },
    ],
    [
      "Auckland, already tomorrow",
      "2026-03-10T20:00:00Z",
      "Pacific/Auckland",
      {
        date: "2026-03-11",
        time: "09:00",
        weekday: "Wednesday",
        iso: "2026-03-11T09:00:00+13:00",
        daypart: "morning",
      },
    ],
  ];
  test.each(cases)("%s", (_label, instant, zone, expected) => {
    expect(localDateTime(new Date(instant), zone)).toMatchObject({ timezone: zone, ...expected });
  });
});

describe("get_current_datetime tool", () => {
  const deps = testDeps();
  afterAll(() => closeDeps(deps));
  const registry = createToolRegistry([currentDateTimeTool]);
  const now = () => new Date("2026-11-03T08:15:00Z");

  test("uses the turn's clock and the user's zone from the context", async () => {
    const result = await registry.run(
      "get_current_datetime",
      "{}",
      toolContext(deps, { now, timezone: "Europe/Berlin" }),
    );
    expect(result).toEqual({
      ok: true,
      data: {
        timezone: "Europe/Berlin",
        date: "2026-11-03",
        time: "09:15",
        weekday: "Tuesday",
        daypart: "morning",
        iso: "2026-11-03T09:15:00+01:00",
        utc_offset: "+01:00",
      },
    });
  });

  test("the model cannot choose the zone", async () => {
    const result = await registry.run(
      "get_current_datetime",
      JSON.stringify({ timezone: "Asia/Tokyo" }),
      toolContext(deps, { now }),
    );
    expect(result).toMatchObject({ ok: false, error: { code: "invalid_arguments" } });
  });

  test("empty arguments are fine", async () => {
    const result = await registry.run("get_current_datetime", "", toolContext(deps, { now }));
    expect(result.ok).toBe(true);
  });

  test("an unknown zone is a clear failure", async () => {
    const result = await registry.run(
      "get_current_datetime",
      "{}",
      toolContext(deps, { now, timezone: "Mars/Base" }),
    );
    expect(result).toEqual({
      ok: false,
      error: { code: "failed", message: "the user's time zone is not recognised" },
    });
  });
});
