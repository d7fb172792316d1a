// The six goal tools as the agent calls them through the registry: the envelope the model reads, the
// turn's user and watch (never the arguments'), and another user's goal as "not found".
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { MongoClient } from "mongodb";
import { createToolRegistry } from "../../src/agent/registry";
import { MAX_OPEN_GOALS_PER_USER } from "../../src/goals/service";
import { GOAL_TOOLS } from "../../src/goals/tools";
import { closeDeps, createDeps } from "../../src/infra/deps";
import type { Llm } from "../../src/llm/client";
import { addDays } from "../../src/readings/local-day";
import { newUserId, testConfig } from "../support/stack";
import {
  type GoalUser,
  goalToolContext,
  insertEvaluations,
  insertGoal,
  removeGoalUser,
  type Standin,
  seedGoalUser,
  standinLlm,
  standinRequests,
  startGoalStandin,
  testMongo,
} from "./harness";

const deps = createDeps(testConfig());
const registry = createToolRegistry(GOAL_TOOLS);
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

const run = (name: string, args: unknown, who: { userId: string; watchId: string | null } = user) =>
  registry.run(name, JSON.stringify(args), goalToolContext(deps, llm, who));

describe("goal tools", () => {
  test("create_goal → list_goals → confirm_goal → get_goal_progress → update_goal → delete_goal", async () => {
    const created = await run("create_goal", { description: "sleep at least 7 hours 5 of 7 days" });
    expect(created).toMatchObject({
      ok: true,
      data: {
        status: "awaiting_confirmation",
        recipe: expect.stringContaining("A day counts when value >= 7"),
        preview: expect.any(Array),
      },
    });
    const goalId = (created as { data: { goal_id: string } }).data.goal_id;

    const listed = await run("list_goals", { status: "awaiting_confirmation" });
    expect(listed).toMatchObject({ ok: true, data: { goals: [{ goal_id: goalId }], more: false } });

    expect(await run("confirm_goal", { goal_id: goalId })).toMatchObject({
      ok: true,
      data: { status: "active", goal_id: goalId, starts_on: user.today, ends_on: addDays(user.today, 6) },
    });
    // As the nightly job would have written them.
    await insertEvaluations(deps, goalId, [{ period: user.today, value: 7.5, hit: true }]);
    expect(await run("get_goal_progress", { goal_id: goalId })).toMatchObject({
      ok: true,
      data: {
        status: "active",
        progress: { hits: 1, current_streak: 0, days_left: 7 },
        last_evaluations: [{ day: user.today, value: 7.5, hit: true, no_data: false }],
      },
    });

    const updated = await run("update_goal", {
      goal_id: goalId,
      description: "walk 7000 steps 3 days in a row",
    });
    expect(updated).toMatchObject({ ok: true, data: { status: "awaiting_confirmation", goal_id: goalId } });
    expect(await run("delete_goal", { goal_id: goalId })).toEqual({
      ok: true,
      data: { status: "deleted", goal_id: goalId },
    });
    expect(await run("get_goal_progress", { goal_id: goalId })).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
  });

  test("another user's goal id is not found for every goal tool", async () => {
    const goal = await insertGoal(deps, newUserId("other"));
    for (const [name, args] of [
      ["confirm_goal", { goal_id: goal.id }],
      ["get_goal_progress", { goal_id: goal.id }],
      ["update_goal", { goal_id: goal.id, description: "walk 9000 steps 5 of 7 days" }],
      ["delete_goal", { goal_id: goal.id }],
    ] as const) {
      expect(await run(name, args)).toMatchObject({ ok: false, error: { code: "not_found" } });
    }
  });

  test("a user or watch in the arguments is refused, never used", async () => {
    const result = await run("create_goal", { description: "walk 8000 steps", user_id: "demo-bob" });
    expect(result).toMatchObject({ ok: false, error: { code: "invalid_arguments" } });
    const watch = await run("list_goals", { watch_id: "w-1" });
    expect(watch).toMatchObject({ ok: false, error: { code: "invalid_arguments" } });
  });

  test("a user without a watch cannot create a goal", async () => {
    const result = await run(
      "create_goal",
      { description: "walk 8000 steps 5 of 7 days" },
      {
        userId: newUserId("nowatch"),
        watchId: null,
      },
    );
    expect(result).toMatchObject({ ok: false, error: { code: "not_found" } });
  });

  test("an illegal change reaches the model as a failure with the reason", async () => {
    const goal = await insertGoal(deps, user.userId, { status: "missed", startsOn: "2026-01-01" });
    expect(await run("confirm_goal", { goal_id: goal.id })).toEqual({
      ok: false,
      error: {
        code: "failed",
        message: "the goal is missed; only a goal that is awaiting confirmation can be confirmed",
      },
    });
  });

  test("the same goal asked twice in a session (a re-run turn) is one row and one compile", async () => {
    const ctx = goalToolContext(deps, llm, { userId: newUserId("twice"), watchId: user.watchId });
    const marker = `twice-${crypto.randomUUID().slice(0, 8)}`;
    const args = JSON.stringify({ description: `walk 9000 steps 5 of 7 days ${marker}` });
    const first = await registry.run("create_goal", args, ctx);
    const second = await registry.run("create_goal", args, ctx);
    expect(first).toMatchObject({ ok: true, data: { status: "awaiting_confirmation" } });
    expect(second).toEqual(first);
    expect(await standinRequests(standin, marker)).toHaveLength(1);
    // Another session asking the same is a goal of its own.
    const elsewhere = await registry.run("create_goal", args, { ...ctx, sessionId: crypto.randomUUID() });
    expect((elsewhere as { data: { goal_id: string } }).data.goal_id).not.toBe(
      (first as { data: { goal_id: string } }).data.goal_id,
    );
  });

  test("a user with 20 goals in progress is told to finish one first, without a model call", async () => {
    const busy = { userId: newUserId("busy"), watchId: user.watchId };
    for (let i = 0; i < MAX_OPEN_GOALS_PER_USER; i++) await insertGoal(deps, busy.userId);
    const marker = `cap-${crypto.randomUUID().slice(0, 8)}`;
    const result = await run("create_goal", { description: `walk 9000 steps 5 of 7 days ${marker}` }, busy);
    expect(result).toMatchObject({
      ok: true,
      data: { status: "could_not_compile", reason: expect.stringMatching(/20 goals in progress/) },
    });
    expect(await standinRequests(standin, marker)).toHaveLength(0);
  });

  test("could_not_compile is data the assistant relays, not an error", async () => {
    expect(await run("create_goal", { description: "feel calmer at work" })).toMatchObject({
      ok: true,
      data: { status: "could_not_compile", reason: expect.any(String) },
    });
  });
});
