// The roll-up of seed §6.2 and the period arithmetic, table-driven with hand-computed expectations.
// A history is written as one letter per local day from the goal's first period: H a hit, M a day with
// data that missed, N a day without data (a `no_data` row), - a day with no row at all.
import { describe, expect, test } from "bun:test";
import {
  daysFrom,
  duePeriods,
  lastFinishedDay,
  MAX_PERIODS_PER_EVALUATION,
  nextPeriod,
  periodEndsAt,
  windowEnd,
} from "../../src/goals/periods";
import type { GoalKind } from "../../src/goals/recipe";
import { type EvaluatedDay, goalProgress, rollUp } from "../../src/goals/rollup";
import { addDays } from "../../src/readings/local-day";

const LA = "America/Los_Angeles";
const SYDNEY = "Australia/Sydney";

function history(first: string, letters: string): EvaluatedDay[] {
  const days: EvaluatedDay[] = [];
  [...letters].forEach((letter, offset) => {
    if (letter === "-") return;
    days.push({ period: addDays(first, offset), hit: letter === "H", noData: letter === "N" });
  });
  return days;
}

function terms(kind: GoalKind, target: number, windowDays: number, first = "2026-10-29") {
  return { kind, target, firstPeriod: first, windowEnd: windowEnd(kind, first, windowDays) };
}

/** The last day the letters cover: what the goal's last_evaluated_day would be. */
function through(first: string, letters: string): string {
  return addDays(first, letters.length - 1);
}

describe("roll-up, by kind (first period 2026-10-29)", () => {
  const F = "2026-10-29";
  const cases: {
    name: string;
    kind: GoalKind;
    target: number;
    window: number;
    letters: string;
    expected: { status: string; decidedOn?: string };
  }[] = [
    // streak, target 3
    {
      name: "three hits in a row",
      kind: "streak",
      target: 3,
      window: 7,
      letters: "HHH",
      expected: { status: "achieved", decidedOn: "2026-10-31" },
    },
    {
      name: "the first time the run reaches 3 decides, later misses change nothing",
      kind: "streak",
      target: 3,
      window: 7,
      letters: "MHHHM",
      expected: { status: "achieved", decidedOn: "2026-11-01" },
    },
    {
      name: "a no_data day breaks the run",
      kind: "streak",
      target: 3,
      window: 7,
      letters: "HHNHH",
      expected: { status: "active" },
    },
    {
      name: "a missed day breaks the run, a later run of 3 achieves",
      kind: "streak",
      target: 3,
      window: 30,
      letters: "HHMHHH",
      expected: { status: "achieved", decidedOn: "2026-11-03" },
    },
    {
      name: "a day with no row breaks the run",
      kind: "streak",
      target: 3,
      window: 7,
      letters: "HH-HH",
      expected: { status: "active" },
    },
    {
      name: "never auto-missed, even long past window_days",
      kind: "streak",
      target: 3,
      window: 7,
      letters: "MMMMMMMMMMMMMM",
      expected: { status: "active" },
    },
    {
      name: "a streak may be reached after window_days (it stays open)",
      kind: "streak",
      target: 2,
      window: 3,
      letters: "MMMMHH",
      expected: { status: "achieved", decidedOn: "2026-11-03" },
    },
    {
      name: "target 1: the first hit",
      kind: "streak",
      target: 1,
      window: 7,
      letters: "NNMH",
      expected: { status: "achieved", decidedOn: "2026-11-01" },
    },
    // count_hits_in_window, 5 of 7
    {
      name: "five hits before the window ends achieve at once",
      kind: "count_hits_in_window",
      target: 5,
      window: 7,
      letters: "HHHHH",
      expected: { status: "achieved", decidedOn: "2026-11-02" },
    },
    {
      name: "hits need not be consecutive; no_data is not a hit",
      kind: "count_hits_in_window",
      target: 5,
      window: 7,
      letters: "HNHHMHH",
      expected: { status: "achieved", decidedOn: "2026-11-04" },
    },
    {
      name: "the window ends short: missed on its last day",
      kind: "count_hits_in_window",
      target: 5,
      window: 7,
      letters: "HHHHMMN",
      expected: { status: "missed", decidedOn: "2026-11-04" },
    },
    {
      name: "one day left and still reachable: active",
      kind: "count_hits_in_window",
      target: 5,
      window: 7,
      letters: "HHHHMM",
      expected: { status: "active" },
    },
    {
      name: "out of reach but the window has not ended: active (seed: missed when it elapses)",
      kind: "count_hits_in_window",
      target: 5,
      window: 7,
      letters: "MMMM",
      expected: { status: "active" },
    },
    {
      name: "days after the window do not count",
      kind: "count_hits_in_window",
      target: 5,
      window: 7,
      letters: "HHHHMMMH",
      expected: { status: "missed", decidedOn: "2026-11-04" },
    },
    {
      name: "a day with no row inside the window is not a hit",
      kind: "count_hits_in_window",
      target: 3,
      window: 4,
      letters: "H-HM",
      expected: { status: "missed", decidedOn: "2026-11-01" },
    },
    // sustained_pattern
    {
      name: "every day of 7 a hit: decided only when the window ends",
      kind: "sustained_pattern",
      target: 7,
      window: 7,
      letters: "HHHHHHH",
      expected: { status: "achieved", decidedOn: "2026-11-04" },
    },
    {
      name: "six of seven days so far: not decided before the end",
      kind: "sustained_pattern",
      target: 7,
      window: 7,
      letters: "HHHHHH",
      expected: { status: "active" },
    },
    {
      name: "a no_data day on the last day misses a 7-of-7 pattern",
      kind: "sustained_pattern",
      target: 7,
      window: 7,
      letters: "HHHHHHN",
      expected: { status: "missed", decidedOn: "2026-11-04" },
    },
    {
      name: "target reached early still waits for the window's end",
      kind: "sustained_pattern",
      target: 5,
      window: 7,
      letters: "HHHHH",
      expected: { status: "active" },
    },
    {
      name: "5 of 7 at the end: achieved",
      kind: "sustained_pattern",
      target: 5,
      window: 7,
      letters: "HHHHHMM",
      expected: { status: "achieved", decidedOn: "2026-11-04" },
    },
  ];
  for (const c of cases) {
    test(`${c.kind}: ${c.name}`, () => {
      const verdict = rollUp(
        terms(c.kind, c.target, c.window, F),
        history(F, c.letters),
        through(F, c.letters),
      );
      expect(verdict).toEqual(c.expected as never);
    });
  }

  test("nothing evaluated yet is active for every kind", () => {
    for (const kind of ["streak", "count_hits_in_window", "sustained_pattern"] as const) {
      expect(rollUp(terms(kind, 3, 7, F), [], null)).toEqual({ status: "active" });
    }
  });

  test("rows before the first period are ignored", () => {
    const early = [
      { period: "2026-10-27", hit: true, noData: false },
      { period: "2026-10-28", hit: true, noData: false },
    ];
    expect(rollUp(terms("streak", 3, 7, F), [...early, ...history(F, "H")], F)).toEqual({ status: "active" });
    expect(rollUp(terms("count_hits_in_window", 2, 7, F), [...early, ...history(F, "H")], F)).toEqual({
      status: "active",
    });
  });

  test("the order rows arrive in does not matter", () => {
    const rows = history(F, "HHMHHH").reverse();
    expect(rollUp(terms("streak", 3, 30, F), rows, through(F, "HHMHHH"))).toEqual({
      status: "achieved",
      decidedOn: "2026-11-03",
    });
  });
});

describe("roll-up across a DST change: each local day counts once", () => {
  // Los Angeles leaves PDT on 2026-11-01 (a 25-hour day); Sydney enters AEDT on 2026-10-04 (23 hours).
  test("a 7-day window over LA's 25-hour day spans exactly 7 local days", () => {
    expect(windowEnd("count_hits_in_window", "2026-10-29", 7)).toBe("2026-11-04");
    expect(daysFrom("2026-10-29", "2026-11-04")).toEqual([
      "2026-10-29",
      "2026-10-30",
      "2026-10-31",
      "2026-11-01",
      "2026-11-02",
      "2026-11-03",
      "2026-11-04",
    ]);
  });

  test("a streak through Sydney's 23-hour day counts it as one day", () => {
    const first = "2026-10-02";
    expect(rollUp(terms("streak", 3, 7, first), history(first, "HHH"), "2026-10-04")).toEqual({
      status: "achieved",
      decidedOn: "2026-10-04",
    });
  });

  test("a local day ends at the next local midnight, whatever the day's length", () => {
    // 2026-10-31 ends at 00:00 PDT (07:00Z); 2026-11-01 at 00:00 PST (08:00Z), 25 hours later.
    expect(periodEndsAt("2026-10-31", LA).toISOString()).toBe("2026-11-01T07:00:00.000Z");
    expect(periodEndsAt("2026-11-01", LA).toISOString()).toBe("2026-11-02T08:00:00.000Z");
    // 2026-10-03 ends at 00:00 AEST (14:00Z the day before); 2026-10-04 at 00:00 AEDT, 23 hours later.
    expect(periodEndsAt("2026-10-03", SYDNEY).toISOString()).toBe("2026-10-03T14:00:00.000Z");
    expect(periodEndsAt("2026-10-04", SYDNEY).toISOString()).toBe("2026-10-04T13:00:00.000Z");
  });
});

describe("periods due at a sweep", () => {
  const AT = new Date("2026-11-03T02:00:00Z"); // LA: Nov 2, 18:00 PST; Sydney: Nov 3, 13:00 AEDT

  test("the user's yesterday depends on the zone", () => {
    expect(lastFinishedDay(AT, LA)).toBe("2026-11-01");
    expect(lastFinishedDay(AT, SYDNEY)).toBe("2026-11-02");
  });

  test("from the first period, or the day after the last evaluated one, through yesterday", () => {
    const cursor = { firstPeriod: "2026-10-29", lastEvaluatedDay: null, windowEnd: "2026-11-04" };
    expect(duePeriods(cursor, AT, LA)).toEqual({ from: "2026-10-29", to: "2026-11-01" });
    expect(duePeriods(cursor, AT, SYDNEY)).toEqual({ from: "2026-10-29", to: "2026-11-02" });
    expect(duePeriods({ ...cursor, lastEvaluatedDay: "2026-10-31" }, AT, LA)).toEqual({
      from: "2026-11-01",
      to: "2026-11-01",
    });
  });

  test("nothing due once yesterday is evaluated, nor before the first period has ended", () => {
    const cursor = { firstPeriod: "2026-10-29", lastEvaluatedDay: "2026-11-01", windowEnd: null };
    expect(duePeriods(cursor, AT, LA)).toBeNull();
    expect(duePeriods({ ...cursor, firstPeriod: "2026-11-02", lastEvaluatedDay: null }, AT, LA)).toBeNull();
    expect(nextPeriod(cursor)).toBe("2026-11-02");
  });

  test("never past the window's end; a fully evaluated window waits for nothing", () => {
    const cursor = { firstPeriod: "2026-10-20", lastEvaluatedDay: "2026-10-22", windowEnd: "2026-10-26" };
    expect(duePeriods(cursor, AT, SYDNEY)).toEqual({ from: "2026-10-23", to: "2026-10-26" });
    expect(nextPeriod({ ...cursor, lastEvaluatedDay: "2026-10-26" })).toBeNull();
    expect(duePeriods({ ...cursor, lastEvaluatedDay: "2026-10-26" }, AT, SYDNEY)).toBeNull();
  });

  test("a person may ask for fewer days than are due", () => {
    const cursor = { firstPeriod: "2026-10-29", lastEvaluatedDay: null, windowEnd: null };
    expect(duePeriods(cursor, AT, SYDNEY, "2026-10-30")).toEqual({ from: "2026-10-29", to: "2026-10-30" });
    expect(duePeriods(cursor, AT, SYDNEY, "2026-10-28")).toBeNull();
    // Asking for a day that has not ended yet evaluates only what has.
    expect(duePeriods(cursor, AT, LA, "2026-12-31")).toEqual({ from: "2026-10-29", to: "2026-11-01" });
  });

  test("a long backlog is taken a year at a time", () => {
    const cursor = { firstPeriod: "2024-01-01", lastEvaluatedDay: null, windowEnd: null };
    const range = duePeriods(cursor, AT, LA);
    expect(range).toEqual({ from: "2024-01-01", to: addDays("2024-01-01", MAX_PERIODS_PER_EVALUATION - 1) });
  });
});

describe("progress", () => {
  const F = "2026-10-29";
  test("count goal: hits, misses, no-data days and days left", () => {
    expect(
      goalProgress(terms("count_hits_in_window", 5, 7, F), history(F, "HNHM"), through(F, "HNHM")),
    ).toEqual({
      currentStreak: 0,
      longestStreak: 1,
      hits: 2,
      misses: 1,
      noDataDays: 1,
      evaluatedDays: 4,
      daysLeft: 3,
    });
  });

  test("streak: the current run must reach the last evaluated day", () => {
    const letters = "HHMHHH";
    expect(goalProgress(terms("streak", 9, 7, F), history(F, letters), through(F, letters))).toMatchObject({
      currentStreak: 3,
      longestStreak: 3,
      daysLeft: null,
    });
    expect(goalProgress(terms("streak", 9, 7, F), history(F, "HHH-"), through(F, "HHH-"))).toMatchObject({
      currentStreak: 0,
      longestStreak: 3,
    });
  });

  test("before any evaluation the whole window is left", () => {
    expect(goalProgress(terms("sustained_pattern", 7, 7, F), [], null).daysLeft).toBe(7);
  });
});
