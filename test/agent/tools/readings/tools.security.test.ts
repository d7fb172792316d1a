// Identity stays server-side: two users' data never mix, the model cannot name another user or watch,
// and a user with no linked watch gets "not found", not someone else's numbers.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
  dailyDoc,
  okData,
  READINGS_TOOL_NAMES,
  reading,
  type ToolHarness,
  toolHarness,
  type Who,
} from "./harness";

const TZ = "Europe/London";
const NOW = "2026-05-20T12:00:00Z"; // 13:00 BST
const ALICE = "watch-alice";
// A watch id that extends Alice's: an equality match must not treat one as a prefix of the other.
const BOB = "watch-alice-2";

let harness: ToolHarness;

function dayOf(watchId: string, day: string, at: string, pressure: [number, number], pulse: number) {
  return dailyDoc(watchId, day, TZ, {
    avg: pressure,
    last: { at, systolic: pressure[0], diastolic: pressure[1], daypart: "morning" },
    heart_rate: pulse,
    sleep_hours: watchId === ALICE ? 8 : 5,
    steps: watchId === ALICE ? 10000 : 2000,
    in_target_pct: watchId === ALICE ? 100 : 0,
    bp_category: watchId === ALICE ? "Optimal" : "Hypertension 2",
    reading_count: 1,
  });
}

beforeAll(async () => {
  harness = await toolHarness();
  // Same days, same times, very different numbers.
  await harness.insert(
    [
      reading(ALICE, "2026-05-19T07:00:00Z", 110, 70, 60),
      reading(ALICE, "2026-05-20T07:00:00Z", 112, 72, 62),
      reading(BOB, "2026-05-19T07:00:00Z", 170, 105, 90),
      reading(BOB, "2026-05-20T07:00:00Z", 172, 107, 92),
    ],
    [
      dayOf(ALICE, "2026-05-19", "2026-05-19T07:00:00Z", [110, 70], 60),
      dayOf(ALICE, "2026-05-20", "2026-05-20T07:00:00Z", [112, 72], 62),
      dayOf(BOB, "2026-05-19", "2026-05-19T07:00:00Z", [170, 105], 90),
      dayOf(BOB, "2026-05-20", "2026-05-20T07:00:00Z", [172, 107], 92),
    ],
  );
});

afterAll(async () => {
  await harness.close();
});

const alice: Who = { watchId: ALICE, timezone: TZ, now: NOW, userId: "user-alice" };
const bob: Who = { watchId: BOB, timezone: TZ, now: NOW, userId: "user-bob" };

describe("two users in one database", () => {
  test("each summary holds only its own watch's data", async () => {
    expect(okData(await harness.run("summarize_last_n_days", { days: 7 }, alice))).toMatchObject({
      days_with_data: 2,
      blood_pressure: {
        average: { systolic: 111, diastolic: 71 }, // (110+112)/2, (70+72)/2
        readings: 2,
        in_target: { percent: 100, readings_in_target: 2, readings_graded: 2 },
        category_days: { Optimal: 2, "Hypertension 2": 0 },
      },
      sleep: { average_hours: 8, nights: 2 },
      steps: { total: 20000 },
      heart_rate: { average_bpm: 61 },
    });
    expect(okData(await harness.run("summarize_last_n_days", { days: 7 }, bob))).toMatchObject({
      days_with_data: 2,
      blood_pressure: {
        average: { systolic: 171, diastolic: 106 },
        readings: 2,
        in_target: { percent: 0, readings_in_target: 0, readings_graded: 2 },
        category_days: { Optimal: 0, "Hypertension 2": 2 },
      },
      sleep: { average_hours: 5, nights: 2 },
      steps: { total: 4000 },
      heart_rate: { average_bpm: 91 },
    });
  });

  test("reading lists and extremes never include the other watch", async () => {
    const history = okData(await harness.run("get_bp_reading_history", { days: 7 }, alice)) as {
      readings: { systolic: number }[];
    };
    expect(history.readings.map((r) => r.systolic)).toEqual([112, 110]);
    expect(okData(await harness.run("get_bp_metrics_summary", { days: 7 }, alice))).toMatchObject({
      worst_reading: { systolic: 112, diastolic: 72 },
    });
    expect(okData(await harness.run("get_latest_bp_reading", {}, bob))).toMatchObject({
      reading: { systolic: 172, diastolic: 107 },
    });
    expect(okData(await harness.run("get_user_heart_rate_metrics", { days: 7 }, alice))).toMatchObject({
      resting_estimate: { bpm: 60, readings: 2 },
    });
  });
});

describe("identity comes from the server-side context only", () => {
  const forged = [
    { user_id: "user-bob" },
    { watch_id: BOB },
    { timezone: "UTC" },
    { days: 7, watch_id: BOB },
  ];

  for (const name of READINGS_TOOL_NAMES) {
    test.each(forged)(`${name} rejects %j`, async (args) => {
      const result = await harness.run(name, args, alice);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe("invalid_arguments");
    });
  }

  test("every exported schema forbids extra properties", () => {
    for (const tool of harness.registry.openAiTools()) {
      expect(tool.function.parameters.additionalProperties).toBe(false);
      expect(Object.keys(tool.function.parameters.properties as object)).not.toContain("user_id");
    }
  });

  test.each(READINGS_TOOL_NAMES)("%s: no watch linked → not_found, no data", async (name) => {
    const result = await harness.run(name, {}, { watchId: null, timezone: TZ, now: NOW });
    expect(result).toEqual({
      ok: false,
      error: { code: "not_found", message: "no watch is linked to this user" },
    });
  });
});
