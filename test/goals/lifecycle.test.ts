// The goal lifecycle through the service verbs: only legal transitions, each a compare-and-set, a
// description change recompiles back to awaiting_confirmation, errored can be re-activated, achieved
// and missed are final, and another user's goal is not found.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import type { MongoClient } from "mongodb";
import { goalEvaluations, goals } from "../../src/db/schema";
import { AppError } from "../../src/errors";
import { canTransition, TRANSITIONS } from "../../src/goals/lifecycle";
import {
  confirmGoal,
  deleteGoal,
  type GoalCtx,
  getGoalDetail,
  pauseGoal,
  resumeGoal,
  updateGoalDescription,
} from "../../src/goals/service";
import { closeDeps, createDeps } from "../../src/infra/deps";
import type { Llm } from "../../src/llm/client";
import { addDays, localDay } from "../../src/readings/local-day";
import { newUserId, testConfig } from "../support/stack";
import {
  type GoalUser,
  goalCompileCtx,
  insertEvaluations,
  insertGoal,
  removeGoalUser,
  type Standin,
  seedGoalUser,
  standinLlm,
  startGoalStandin,
  TEST_ZONE,
  testMongo,
} from "./harness";

const deps = createDeps(testConfig());
let mongo: MongoClient;
let standin: Standin;
let llm: Llm;
let user: GoalUser;

beforeAll(async () => {
  mongo = testMongo();
  standin = await startGoalStandin();
  llm = standinLlm(standin);
  user = await seedGoalUser(mongo, { daysWithData: 14 });
});

afterAll(async () => {
  await removeGoalUser(mongo, user);
  await mongo.close();
  await standin.close();
  await closeDeps(deps);
});

function ctxFor(userId: string, now = () => new Date()): GoalCtx {
  return { userId, db: deps.appDb.db, now };
}

async function statusOf(goalId: string) {
  const [row] = await deps.appDb.db.select().from(goals).where(eq(goals.id, goalId));
  return row;
}

async function refusal(work: Promise<unknown>): Promise<AppError> {
  try {
    await work;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("transition table", () => {
  const statuses = ["awaiting_confirmation", "active", "paused", "achieved", "missed", "errored"] as const;
  test("achieved and missed allow nothing; errored only resume; awaiting only confirm or edit", () => {
    const allowed = (status: (typeof statuses)[number]) =>
      (Object.keys(TRANSITIONS) as (keyof typeof TRANSITIONS)[]).filter((action) =>
        canTransition(action, status),
      );
    expect(allowed("awaiting_confirmation")).toEqual(["confirm", "edit"]);
    expect(allowed("active")).toEqual(["pause", "edit"]);
    expect(allowed("paused")).toEqual(["resume", "edit"]);
    expect(allowed("errored")).toEqual(["resume", "edit"]);
    expect(allowed("achieved")).toEqual([]);
    expect(allowed("missed")).toEqual([]);
  });
});

describe("confirm", () => {
  test("starts counting on the user's local today, due when that day ends in their zone", async () => {
    const userId = newUserId("life");
    const goal = await insertGoal(deps, userId);
    // 23:30 UTC on 2026-07-01 is already 2026-07-02 in London (BST).
    const now = new Date("2026-07-01T23:30:00Z");
    const confirmed = await confirmGoal({ ctx: ctxFor(userId, () => now), input: { goalId: goal.id } });
    expect(confirmed).toMatchObject({
      status: "active",
      startsOn: "2026-07-02",
      endsOn: "2026-07-08",
      confirmedAt: now,
      nextDueAt: new Date("2026-07-02T23:00:00Z"),
    });
  });

  test("a second confirm is an illegal transition naming the status", async () => {
    const userId = newUserId("life");
    const goal = await insertGoal(deps, userId);
    await confirmGoal({ ctx: ctxFor(userId), input: { goalId: goal.id } });
    const error = await refusal(confirmGoal({ ctx: ctxFor(userId), input: { goalId: goal.id } }));
    expect(error.code).toBe("illegal_transition");
    expect(error.message).toMatch(
      /the goal is active; only a goal that is awaiting confirmation can be confirmed/,
    );
  });

  test("two confirms racing: exactly one wins, the other is refused", async () => {
    const userId = newUserId("life");
    const goal = await insertGoal(deps, userId);
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => confirmGoal({ ctx: ctxFor(userId), input: { goalId: goal.id } })),
    );
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    for (const result of results) {
      if (result.status === "rejected") expect((result.reason as AppError).code).toBe("illegal_transition");
    }
  });

  test("a streak has no window end", async () => {
    const userId = newUserId("life");
    const goal = await insertGoal(
      deps,
      userId,
      {},
      {
        title: "Steps streak",
        metric: "steps",
        pipeline: [{ $set: { value: "$steps" } }],
        comparison: "value >= 8000",
        kind: "streak",
        target: 3,
        window_days: 30,
      },
    );
    const confirmed = await confirmGoal({ ctx: ctxFor(userId), input: { goalId: goal.id } });
    expect(confirmed.endsOn).toBeNull();
  });
});

describe("pause and resume", () => {
  test("active → paused → active, keeping when it is due", async () => {
    const userId = newUserId("life");
    const goal = await insertGoal(deps, userId);
    const active = await confirmGoal({ ctx: ctxFor(userId), input: { goalId: goal.id } });
    const paused = await pauseGoal({ ctx: ctxFor(userId), input: { goalId: goal.id } });
    expect(paused.status).toBe("paused");
    const resumed = await resumeGoal({ ctx: ctxFor(userId), input: { goalId: goal.id } });
    expect(resumed.status).toBe("active");
    expect(resumed.nextDueAt).toEqual(active.nextDueAt);
  });

  test("pausing what is not active and resuming what is not paused or errored are refused", async () => {
    const userId = newUserId("life");
    const waiting = await insertGoal(deps, userId);
    expect((await refusal(pauseGoal({ ctx: ctxFor(userId), input: { goalId: waiting.id } }))).code).toBe(
      "illegal_transition",
    );
    expect((await refusal(resumeGoal({ ctx: ctxFor(userId), input: { goalId: waiting.id } }))).code).toBe(
      "illegal_transition",
    );
  });

  test("an errored goal is re-activated with its error count and message cleared", async () => {
    const userId = newUserId("life");
    const goal = await insertGoal(deps, userId, {
      status: "errored",
      startsOn: "2026-01-01",
      errorMessage: "the recipe failed to run",
      evaluationErrors: 3,
      nextDueAt: null,
    });
    const now = new Date("2026-02-01T12:00:00Z");
    const resumed = await resumeGoal({ ctx: ctxFor(userId, () => now), input: { goalId: goal.id } });
    expect(resumed).toMatchObject({
      status: "active",
      errorMessage: null,
      evaluationErrors: 0,
      nextDueAt: now,
    });
  });

  for (const final of ["achieved", "missed"] as const) {
    test(`${final} is final: confirm, pause, resume and edit are refused`, async () => {
      const userId = newUserId("life");
      const goal = await insertGoal(deps, userId, { status: final, startsOn: "2026-01-01" });
      const input = { goalId: goal.id };
      // One at a time: each refusal is awaited before the next verb starts.
      for (const attempt of [
        () => confirmGoal({ ctx: ctxFor(userId), input }),
        () => pauseGoal({ ctx: ctxFor(userId), input }),
        () => resumeGoal({ ctx: ctxFor(userId), input }),
        () =>
          updateGoalDescription({
            ctx: { ...goalCompileCtx(deps, llm, user), userId },
            input: { goalId: goal.id, description: "walk 9000 steps 5 of 7 days" },
          }),
      ]) {
        expect((await refusal(attempt())).code).toBe("illegal_transition");
      }
      expect((await statusOf(goal.id))?.status).toBe(final);
    });
  }
});

describe("edit", () => {
  test("a new description recompiles, clears the history and waits for confirmation again", async () => {
    const goal = await insertGoal(deps, user.userId, { status: "active", startsOn: addDays(user.today, -5) });
    await insertEvaluations(deps, goal.id, [
      { period: addDays(user.today, -5), value: 8500, hit: true },
      { period: addDays(user.today, -4), value: 7000, hit: false },
    ]);
    const outcome = await updateGoalDescription({
      ctx: goalCompileCtx(deps, llm, user),
      input: { goalId: goal.id, description: "keep my systolic under 128 for 3 days in a row" },
    });
    expect(outcome.status).toBe("awaiting_confirmation");
    const row = await statusOf(goal.id);
    expect(row).toMatchObject({
      status: "awaiting_confirmation",
      kind: "streak",
      target: 3,
      description: "keep my systolic under 128 for 3 days in a row",
      startsOn: null,
      lastEvaluatedDay: null,
      confirmedAt: null,
    });
    expect(row?.recipe).toMatchObject({ metric: "avg_systolic", comparison: "value < 128" });
    const left = await deps.appDb.db
      .select()
      .from(goalEvaluations)
      .where(eq(goalEvaluations.goalId, goal.id));
    expect(left).toHaveLength(0);
  });

  test("a description that does not compile leaves the goal as it was", async () => {
    const goal = await insertGoal(deps, user.userId, { status: "active", startsOn: user.today });
    const outcome = await updateGoalDescription({
      ctx: goalCompileCtx(deps, llm, user),
      input: { goalId: goal.id, description: "be kinder to people" },
    });
    expect(outcome.status).toBe("could_not_compile");
    expect(await statusOf(goal.id)).toMatchObject({ status: "active", description: goal.description });
  });
});

describe("ownership", () => {
  test("another user's goal is not found for every verb, and is left untouched", async () => {
    const owner = newUserId("owner");
    const goal = await insertGoal(deps, owner);
    const intruder = ctxFor(newUserId("intruder"));
    const input = { goalId: goal.id };
    for (const attempt of [
      () => confirmGoal({ ctx: intruder, input }),
      () => pauseGoal({ ctx: intruder, input }),
      () => resumeGoal({ ctx: intruder, input }),
      () => getGoalDetail({ ctx: intruder, input }),
    ]) {
      expect((await refusal(attempt())).code).toBe("not_found");
    }
    expect(await deleteGoal({ ctx: intruder, input })).toBe(false);
    expect((await statusOf(goal.id))?.status).toBe("awaiting_confirmation");
  });

  test("an id in another case or with a space is not found without a query", async () => {
    const userId = newUserId("life");
    const goal = await insertGoal(deps, userId);
    for (const goalId of [goal.id.toUpperCase(), `${goal.id} `]) {
      expect((await refusal(confirmGoal({ ctx: ctxFor(userId), input: { goalId } }))).code).toBe("not_found");
    }
  });

  test("delete removes the goal and its evaluations, in any status", async () => {
    const userId = newUserId("life");
    const goal = await insertGoal(deps, userId, { status: "achieved", startsOn: "2026-01-01" });
    await insertEvaluations(deps, goal.id, [{ period: "2026-01-01", value: 9000, hit: true }]);
    expect(await deleteGoal({ ctx: ctxFor(userId), input: { goalId: goal.id } })).toBe(true);
    expect(await statusOf(goal.id)).toBeUndefined();
    const left = await deps.appDb.db
      .select()
      .from(goalEvaluations)
      .where(eq(goalEvaluations.goalId, goal.id));
    expect(left).toHaveLength(0);
    expect(await deleteGoal({ ctx: ctxFor(userId), input: { goalId: goal.id } })).toBe(false);
  });
});

describe("progress", () => {
  test("counts the stored evaluations inside the goal's window", async () => {
    const userId = newUserId("life");
    const today = localDay(new Date(), TEST_ZONE);
    const start = addDays(today, -4);
    const goal = await insertGoal(deps, userId, {
      status: "active",
      startsOn: start,
      endsOn: addDays(start, 6),
      lastEvaluatedDay: addDays(today, -1),
    });
    await insertEvaluations(deps, goal.id, [
      { period: start, value: 8200, hit: true },
      { period: addDays(start, 1), value: null, hit: false },
      { period: addDays(start, 2), value: 8100, hit: true },
      { period: addDays(start, 3), value: 9000, hit: true },
    ]);
    const detail = await getGoalDetail({ ctx: ctxFor(userId), input: { goalId: goal.id } });
    expect(detail.progress).toEqual({
      currentStreak: 2,
      longestStreak: 2,
      hits: 3,
      misses: 0,
      noDataDays: 1,
      evaluatedDays: 4,
      daysLeft: 3,
    });
    expect(detail.evaluations.map((row) => row.period)).toEqual([0, 1, 2, 3].map((i) => addDays(start, i)));
  });

  test("an unconfirmed goal has no progress yet", async () => {
    const userId = newUserId("life");
    const goal = await insertGoal(deps, userId);
    expect((await getGoalDetail({ ctx: ctxFor(userId), input: { goalId: goal.id } })).progress).toBeNull();
  });
});
