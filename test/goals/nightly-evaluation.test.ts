// The evaluation of goals against the real MariaDB (goals, goal_evaluations, hilo_users) and the
// MongoDB stand-in, with hand-computed fixtures. Recipe of every goal: the day's average systolic,
// hit when `value < 130`. The fixtures live in 2031: a real sweep on the shared stack (a dev
// scheduler, another test's worker) sweeps at today's 02:00 and never finds these goals due.
//
// Zones worked out by hand: Los Angeles leaves PDT (-7) for PST (-8) on 2031-11-02, a 25-hour day;
// Sydney enters AEDT (+11) from AEST (+10) on 2031-10-05, a 23-hour day. At 2031-11-04T02:00Z it is
// Nov 3, 18:00 in Los Angeles (yesterday: Nov 2) and Nov 4, 13:00 in Sydney (yesterday: Nov 3).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { goalEvaluations, goals } from "../../src/db/schema";
import { ERRORS_BEFORE_ERRORED, evaluateGoal, evaluateGoals } from "../../src/goals/evaluate";
import { periodEndsAt } from "../../src/goals/periods";
import { removeUnconfirmedGoals } from "../../src/goals/retention";
import { ChunkOutageError, evaluateGoalChunk } from "../../src/goals/sweep";
import { closeDeps, createDeps } from "../../src/infra/deps";
import { createLogger } from "../../src/observability/logger";
import { WATCH_DAILY_COLLECTION } from "../../src/readings/documents";
import { freePort } from "../support/processes";
import { testConfig } from "../support/stack";
import { letters, type NightlyHarness, nightlyHarness } from "./nightly-support";

const LA = "America/Los_Angeles";
const SYDNEY = "Australia/Sydney";
const NIGHT_1 = new Date("2031-11-04T02:00:00Z");
const NIGHT_2 = new Date("2031-11-05T02:00:00Z");
const DAY_MS = 86_400_000;
const log = createLogger("error");

/** H M N H H M by local day: 125, 135, (none), 128, 129, 131. */
const MIXED_DAYS = {
  "2031-10-30": 125,
  "2031-10-31": 135,
  "2031-11-02": 128,
  "2031-11-03": 129,
  "2031-11-04": 131,
};

let h: NightlyHarness;
beforeAll(async () => {
  h = await nightlyHarness();
});
afterAll(async () => {
  await h.close();
});

async function sweep(ids: string[], at: Date) {
  const rows = await Promise.all(ids.map((id) => h.row(id)));
  return evaluateGoals(h.deps, log, rows, { at, onlyDue: true });
}

describe("across zones: a Sydney and a Los Angeles user in the same sweep", () => {
  test("each is judged on the local days that have ended in their own zone", async () => {
    const sydney = await h.user(SYDNEY);
    const la = await h.user(LA);
    await h.days(sydney, MIXED_DAYS);
    await h.days(la, MIXED_DAYS);
    // 3 hits in a 5-day window, Oct 30 – Nov 3.
    const terms = { kind: "count_hits_in_window", target: 3, windowDays: 5, startsOn: "2031-10-30" } as const;
    const sydneyGoal = await h.goal(sydney, { ...terms, nextDueAt: periodEndsAt("2031-10-30", SYDNEY) });
    const laGoal = await h.goal(la, { ...terms, nextDueAt: periodEndsAt("2031-10-30", LA) });

    const night1 = await sweep([sydneyGoal, laGoal], NIGHT_1);
    expect(night1).toMatchObject({ evaluated: 2, achieved: 1, failed: 0, outages: 0 });

    // Sydney: Oct 30 – Nov 3 = H M N H H, the third hit on Nov 3 (also the window's end).
    expect(await h.evaluations(sydneyGoal)).toEqual([
      { period: "2031-10-30", value: 125, hit: true, noData: false },
      { period: "2031-10-31", value: 135, hit: false, noData: false },
      { period: "2031-11-01", value: null, hit: false, noData: true },
      { period: "2031-11-02", value: 128, hit: true, noData: false },
      { period: "2031-11-03", value: 129, hit: true, noData: false },
    ]);
    const sydneyRow = await h.row(sydneyGoal);
    expect(sydneyRow).toMatchObject({ status: "achieved", lastEvaluatedDay: "2031-11-03", nextDueAt: null });
    expect(sydneyRow.decidedAt).toBeInstanceOf(Date);

    // Los Angeles: its Nov 3 is still going on, so Oct 30 – Nov 2 = H M N H: two hits, active, due
    // when Nov 3 ends in Los Angeles (08:00Z, PST).
    expect(letters(await h.evaluations(laGoal))).toBe("HMNH");
    expect(await h.row(laGoal)).toMatchObject({
      status: "active",
      lastEvaluatedDay: "2031-11-02",
      nextDueAt: new Date("2031-11-04T08:00:00Z"),
      decidedAt: null,
    });

    const night2 = await sweep([sydneyGoal, laGoal], NIGHT_2);
    expect(night2).toMatchObject({ evaluated: 1, achieved: 1, notDue: 1 });
    expect(letters(await h.evaluations(laGoal))).toBe("HMNHH");
    expect(await h.row(laGoal)).toMatchObject({ status: "achieved", lastEvaluatedDay: "2031-11-03" });
    // Sydney's decided goal was left alone: still its five rows.
    expect(await h.evaluations(sydneyGoal)).toHaveLength(5);
  });
});

describe("across a DST change, each local day counts once", () => {
  test("a 3-day streak through Los Angeles' 25-hour day is reached on its third local day", async () => {
    const la = await h.user(LA);
    await h.days(la, { "2031-11-01": 120, "2031-11-02": 121, "2031-11-03": 122 });
    const goal = await h.goal(la, {
      kind: "streak",
      target: 3,
      windowDays: 7,
      startsOn: "2031-11-01",
      nextDueAt: periodEndsAt("2031-11-01", LA),
    });
    await sweep([goal], NIGHT_1);
    // Two local days (Nov 1, Nov 2 of 25 hours), not three: the run is 2.
    expect(await h.row(goal)).toMatchObject({ status: "active", lastEvaluatedDay: "2031-11-02" });
    await sweep([goal], NIGHT_2);
    expect(letters(await h.evaluations(goal))).toBe("HHH");
    expect(await h.row(goal)).toMatchObject({ status: "achieved", lastEvaluatedDay: "2031-11-03" });
  });

  test("a sustained pattern over Sydney's 23-hour day is decided when its 4-day window ends", async () => {
    const kept = await h.user(SYDNEY);
    const broken = await h.user(SYDNEY);
    await h.days(kept, { "2031-10-03": 110, "2031-10-04": 112, "2031-10-05": 114, "2031-10-06": 116 });
    // No document on the window's last day: no_data, not a hit.
    await h.days(broken, { "2031-10-03": 110, "2031-10-04": 112, "2031-10-05": 114 });
    const terms = { kind: "sustained_pattern", target: 4, windowDays: 4, startsOn: "2031-10-03" } as const;
    const keptGoal = await h.goal(kept, { ...terms, nextDueAt: periodEndsAt("2031-10-03", SYDNEY) });
    const brokenGoal = await h.goal(broken, { ...terms, nextDueAt: periodEndsAt("2031-10-03", SYDNEY) });

    // 2031-10-06T02:00Z is Oct 6, 13:00 AEDT: Oct 3 – 5 are done, the window is not.
    await sweep([keptGoal, brokenGoal], new Date("2031-10-06T02:00:00Z"));
    for (const goal of [keptGoal, brokenGoal]) {
      expect(letters(await h.evaluations(goal))).toBe("HHH");
      expect(await h.row(goal)).toMatchObject({
        status: "active",
        lastEvaluatedDay: "2031-10-05",
        // Oct 6 ends at 00:00 AEDT on Oct 7 = 13:00Z on Oct 6.
        nextDueAt: new Date("2031-10-06T13:00:00Z"),
      });
    }

    await sweep([keptGoal, brokenGoal], new Date("2031-10-07T02:00:00Z"));
    expect(letters(await h.evaluations(keptGoal))).toBe("HHHH");
    expect(await h.row(keptGoal)).toMatchObject({
      status: "achieved",
      lastEvaluatedDay: "2031-10-06",
      nextDueAt: null,
    });
    expect(letters(await h.evaluations(brokenGoal))).toBe("HHHN");
    expect(await h.row(brokenGoal)).toMatchObject({
      status: "missed",
      lastEvaluatedDay: "2031-10-06",
      nextDueAt: null,
    });
  });
});

describe("no_data and the window's end", () => {
  test("a day without data breaks a streak and is stored as no_data", async () => {
    const la = await h.user(LA);
    await h.days(la, { "2031-10-30": 120, "2031-11-01": 121, "2031-11-02": 140 });
    const goal = await h.goal(la, {
      kind: "streak",
      target: 2,
      windowDays: 7,
      startsOn: "2031-10-30",
      nextDueAt: periodEndsAt("2031-10-30", LA),
    });
    await sweep([goal], NIGHT_1);
    expect(await h.evaluations(goal)).toEqual([
      { period: "2031-10-30", value: 120, hit: true, noData: false },
      { period: "2031-10-31", value: null, hit: false, noData: true },
      { period: "2031-11-01", value: 121, hit: true, noData: false },
      { period: "2031-11-02", value: 140, hit: false, noData: false },
    ]);
    expect((await h.row(goal)).status).toBe("active");
  });

  test("a count goal that ends short is missed on its last day, not before", async () => {
    const sydney = await h.user(SYDNEY);
    await h.days(sydney, { "2031-10-30": 140, "2031-10-31": 141, "2031-11-01": 142 });
    // 3 of 5 days from Oct 30: after three misses the target is out of reach, but the window is not over.
    const goal = await h.goal(sydney, {
      kind: "count_hits_in_window",
      target: 3,
      windowDays: 5,
      startsOn: "2031-10-30",
      nextDueAt: periodEndsAt("2031-10-30", SYDNEY),
    });
    await sweep([goal], new Date("2031-11-02T02:00:00Z")); // Sydney yesterday: Nov 1
    expect(await h.row(goal)).toMatchObject({ status: "active", lastEvaluatedDay: "2031-11-01" });
    await sweep([goal], NIGHT_1); // through Nov 3, the window's end
    expect(letters(await h.evaluations(goal))).toBe("MMMNN");
    expect(await h.row(goal)).toMatchObject({ status: "missed", lastEvaluatedDay: "2031-11-03" });
  });
});

describe("idempotence", () => {
  test("evaluating the same night again, or by hand for the same day, changes nothing", async () => {
    const la = await h.user(LA);
    await h.days(la, MIXED_DAYS);
    const goal = await h.goal(la, {
      kind: "streak",
      target: 5,
      windowDays: 30,
      startsOn: "2031-10-30",
      nextDueAt: periodEndsAt("2031-10-30", LA),
    });
    await sweep([goal], NIGHT_1);
    const rowsBefore = await h.deps.appDb.db
      .select()
      .from(goalEvaluations)
      .where(eq(goalEvaluations.goalId, goal));
    const goalBefore = await h.row(goal);

    expect(await sweep([goal], NIGHT_1)).toMatchObject({ evaluated: 0, notDue: 1 });
    const byHand = await evaluateGoal(h.deps, await h.row(goal), { at: NIGHT_1, through: "2031-11-02" });
    expect(byHand).toMatchObject({ outcome: "not_due" });

    expect(
      await h.deps.appDb.db.select().from(goalEvaluations).where(eq(goalEvaluations.goalId, goal)),
    ).toEqual(rowsBefore);
    expect(await h.row(goal)).toEqual(goalBefore);
  });

  test("rows written before a crash are kept as first written; the re-run rolls up what is stored", async () => {
    const sydney = await h.user(SYDNEY);
    await h.days(sydney, MIXED_DAYS);
    const goal = await h.goal(sydney, {
      kind: "count_hits_in_window",
      target: 3,
      windowDays: 5,
      startsOn: "2031-10-30",
      nextDueAt: periodEndsAt("2031-10-30", SYDNEY),
    });
    const crash = new Error("the worker died here");
    await expect(
      evaluateGoal(h.deps, await h.row(goal), {
        at: NIGHT_1,
        afterRowsWritten: async () => {
          throw crash;
        },
      }),
    ).rejects.toBe(crash);
    expect(letters(await h.evaluations(goal))).toBe("HMNHH");
    expect(await h.row(goal)).toMatchObject({ status: "active", lastEvaluatedDay: null });

    // The watch re-syncs Oct 30 as a miss before the re-run: the stored hit stands.
    await h.deps.mongo.db
      .collection(WATCH_DAILY_COLLECTION)
      .updateOne({ watch_id: sydney.watchId, day: "2031-10-30" }, { $set: { avg_systolic: 150 } });
    const rerun = await evaluateGoal(h.deps, await h.row(goal), { at: NIGHT_1 });
    expect(rerun).toMatchObject({ outcome: "evaluated", status: "achieved" });
    expect((await h.evaluations(goal))[0]).toEqual({
      period: "2031-10-30",
      value: 125,
      hit: true,
      noData: false,
    });
  });

  test("a goal paused while it was evaluated stays paused; its rows are kept", async () => {
    const la = await h.user(LA);
    await h.days(la, MIXED_DAYS);
    const goal = await h.goal(la, {
      kind: "streak",
      target: 2,
      windowDays: 7,
      startsOn: "2031-10-30",
      nextDueAt: periodEndsAt("2031-10-30", LA),
    });
    const stale = await h.row(goal);
    await h.deps.appDb.db.update(goals).set({ status: "paused" }).where(eq(goals.id, goal));
    const result = await evaluateGoal(h.deps, stale, { at: NIGHT_1 });
    expect(result).toMatchObject({ outcome: "not_due", reason: "the goal changed while it was evaluated" });
    expect(await h.row(goal)).toMatchObject({ status: "paused", lastEvaluatedDay: null });
    expect(letters(await h.evaluations(goal))).toBe("HMNH");
  });
});

describe("failures", () => {
  test(`a broken recipe fails alone, counted once a night; the ${ERRORS_BEFORE_ERRORED}rd makes the goal errored`, async () => {
    const la = await h.user(LA);
    await h.days(la, MIXED_DAYS);
    const terms = {
      kind: "streak",
      target: 9,
      windowDays: 30,
      startsOn: "2031-10-30",
      nextDueAt: periodEndsAt("2031-10-30", LA),
    } as const;
    // `$project` without `day` drops the day the server needs: the run breaks the recipe contract.
    const bad = await h.goal(la, {
      ...terms,
      recipe: { pipeline: [{ $project: { value: "$avg_systolic" } }] },
    });
    const good = await h.goal(la, terms);

    const first = await sweep([bad, good], NIGHT_1);
    expect(first).toMatchObject({ evaluated: 1, failed: 1, errored: 0, outages: 0 });
    expect(letters(await h.evaluations(good))).toBe("HMNH");
    expect(await h.evaluations(bad)).toEqual([]);
    const afterFirst = await h.row(bad);
    expect(afterFirst).toMatchObject({ status: "active", evaluationErrors: 1, lastEvaluatedDay: null });
    expect(afterFirst.errorMessage).toContain("day");
    // The same night's chunk re-run does not count the failure again.
    expect(await sweep([bad], NIGHT_1)).toMatchObject({ failed: 0, notDue: 1 });
    expect((await h.row(bad)).evaluationErrors).toBe(1);

    expect(await sweep([bad], NIGHT_2)).toMatchObject({ failed: 1, errored: 0 });
    expect(await sweep([bad], new Date(NIGHT_2.getTime() + DAY_MS))).toMatchObject({ failed: 1, errored: 1 });
    expect(await h.row(bad)).toMatchObject({ status: "errored", evaluationErrors: 3 });
    expect(await sweep([bad], new Date(NIGHT_2.getTime() + 2 * DAY_MS))).toMatchObject({
      failed: 0,
      notDue: 1,
    });
  });

  test("a success resets the count of failures", async () => {
    const sydney = await h.user(SYDNEY);
    await h.days(sydney, MIXED_DAYS);
    const goal = await h.goal(sydney, {
      kind: "streak",
      target: 9,
      windowDays: 30,
      startsOn: "2031-10-30",
      nextDueAt: periodEndsAt("2031-10-30", SYDNEY),
    });
    await h.deps.appDb.db
      .update(goals)
      .set({ evaluationErrors: 2, errorMessage: "earlier" })
      .where(eq(goals.id, goal));
    await sweep([goal], NIGHT_1);
    expect(await h.row(goal)).toMatchObject({ status: "active", evaluationErrors: 0, errorMessage: null });
  });

  test("a goal whose user left the platform fails with a reason", async () => {
    const ghost = {
      userId: `goals-ghost-${Bun.randomUUIDv7().slice(-12)}`,
      watchId: "watch-ghost",
      timezone: LA,
    };
    const goal = await h.goal(ghost, {
      kind: "streak",
      target: 2,
      windowDays: 7,
      startsOn: "2031-10-30",
      nextDueAt: periodEndsAt("2031-10-30", LA),
    });
    try {
      expect(await sweep([goal], NIGHT_1)).toMatchObject({ failed: 1 });
      expect(await h.row(goal)).toMatchObject({
        evaluationErrors: 1,
        errorMessage: "the user no longer exists on the platform",
      });
    } finally {
      await h.deps.appDb.db.delete(goals).where(eq(goals.id, goal));
    }
  });

  test("a profile whose zone is not an IANA zone fails the goal, not its neighbours", async () => {
    const moved = await h.user("+05:00");
    const fine = await h.user(LA);
    await h.days(fine, MIXED_DAYS);
    const terms = { kind: "streak", target: 9, windowDays: 30, startsOn: "2031-10-30" } as const;
    const broken = await h.goal(moved, { ...terms, nextDueAt: periodEndsAt("2031-10-30", LA) });
    const neighbour = await h.goal(fine, { ...terms, nextDueAt: periodEndsAt("2031-10-30", LA) });
    expect(await sweep([broken, neighbour], NIGHT_1)).toMatchObject({ evaluated: 1, failed: 1 });
    expect((await h.row(broken)).errorMessage).toBe("the user's time zone '+05:00' is not an IANA zone");
    expect(letters(await h.evaluations(neighbour))).toBe("HMNH");
  });

  test("a MongoDB outage is not the goal's failure: the chunk fails for a retry and the goal stays due", async () => {
    const la = await h.user(LA);
    const goal = await h.goal(la, {
      kind: "streak",
      target: 2,
      windowDays: 7,
      startsOn: "2031-10-30",
      nextDueAt: periodEndsAt("2031-10-30", LA),
    });
    const down = createDeps(
      testConfig({
        MONGO_URL: `mongodb://127.0.0.1:${await freePort()}/nothing?directConnection=true`,
        HILO_STARTUP_CHECK_TIMEOUT_MS: "300",
      }),
    );
    try {
      await expect(
        evaluateGoalChunk(down, log, { at: NIGHT_1.toISOString(), goalIds: [goal] }),
      ).rejects.toBeInstanceOf(ChunkOutageError);
    } finally {
      await closeDeps(down);
    }
    expect(await h.row(goal)).toMatchObject({
      status: "active",
      evaluationErrors: 0,
      lastEvaluatedDay: null,
      nextDueAt: periodEndsAt("2031-10-30", LA),
    });
    expect(await h.evaluations(goal)).toEqual([]);
  });
});

describe("retention of unconfirmed goals", () => {
  test("an unconfirmed goal older than 7 days is removed; a younger one and confirmed ones stay", async () => {
    const user = await h.user(LA);
    const at = NIGHT_1;
    const base = { kind: "streak", target: 2, windowDays: 7, startsOn: "2031-10-02", nextDueAt: at } as const;
    const old = await h.goal(user, { ...base, status: "awaiting_confirmation" });
    const young = await h.goal(user, { ...base, status: "awaiting_confirmation" });
    const oldActive = await h.goal(user, base);
    const age = (days: number) => new Date(at.getTime() - days * DAY_MS);
    await h.deps.appDb.db
      .update(goals)
      .set({ updatedAt: age(7.01) })
      .where(eq(goals.id, old));
    await h.deps.appDb.db
      .update(goals)
      .set({ updatedAt: age(6.99) })
      .where(eq(goals.id, young));
    await h.deps.appDb.db
      .update(goals)
      .set({ updatedAt: age(30) })
      .where(eq(goals.id, oldActive));

    expect(await removeUnconfirmedGoals(h.deps, at)).toBeGreaterThanOrEqual(1);
    const left = await h.deps.appDb.db
      .select({ id: goals.id })
      .from(goals)
      .where(eq(goals.userId, user.userId));
    expect(left.map((row) => row.id).sort()).toEqual([young, oldActive].sort());
  });
});
