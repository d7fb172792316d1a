// A goal made in chat, end to end through the real app and the stand-in's offline agent and compiler:
// the user states a goal, the assistant shows its preview and asks; the user confirms; the goal is
// active and the goals routes show it; the night's evaluation (the sweep's own code, no model) records
// the day, and asking about the goal in chat and on the goals screen shows that progress.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import type { MongoClient } from "mongodb";
import { goals } from "../../src/db/schema";
import { evaluateGoals } from "../../src/goals/evaluate";
import { createLogger } from "../../src/observability/logger";
import { openSession, send } from "../chat/harness";
import { readSse, type SseEvent } from "../support/sse";
import { buildTestApp, clientHeaders, type TestApp } from "../support/stack";
import {
  type GoalUser,
  removeGoalUser,
  type Standin,
  seedGoalUser,
  standinBaseUrl,
  startGoalStandin,
  testMongo,
} from "./harness";

let standin: Standin;
let app: TestApp;
let mongo: MongoClient;
let user: GoalUser;

beforeAll(async () => {
  standin = await startGoalStandin();
  app = buildTestApp({ OPENAI_BASE_URL: `${standinBaseUrl(standin)}/v1` });
  mongo = testMongo();
  user = await seedGoalUser(mongo, { daysWithData: 14 });
});

afterAll(async () => {
  await removeGoalUser(mongo, user);
  await mongo.close();
  await app.close();
  await standin.close();
});

function toolResults(events: SseEvent[], name: string) {
  return events.filter((event) => event.event === "tool_result" && event.data.name === name);
}

/** Sends a message and reads its whole stream. */
async function turn(sessionId: string, message: string): Promise<SseEvent[]> {
  const response = await send(app, { userId: user.userId, sessionId }, message);
  expect(response.status).toBe(200);
  const { events, ended } = await readSse(response, { timeoutMs: 30_000 });
  expect(ended).toBe(true);
  expect(events.at(-1)?.event).toBe("end");
  return events;
}

describe("a goal made in chat", () => {
  test("create → preview → confirm → a night's evaluation → progress, in chat and on the routes", async () => {
    const { sessionId } = await openSession(app, user.userId);

    const created = await turn(sessionId, "keep my evening systolic under 135 five days out of seven");
    const [result] = toolResults(created, "create_goal");
    expect(result?.data).toMatchObject({
      ok: true,
      result: { status: "awaiting_confirmation" },
    });
    const createdGoal = (result?.data.result ?? {}) as {
      goal_id: string;
      preview: { day: string; value: number | null; hit: boolean }[];
    };
    expect(createdGoal.preview).toHaveLength(14);
    // Even days back from today end in the evening with systolic 125 + i: hits at 0, 2, 4, 6, 8 back.
    expect(createdGoal.preview.filter((day) => day.hit)).toHaveLength(5);
    const answer = String(created.find((event) => event.event === "done")?.data.answer);
    expect(answer).toContain("Shall I start tracking it?");
    const [waiting] = await app.deps.appDb.db.select().from(goals).where(eq(goals.userId, user.userId));
    expect(waiting).toMatchObject({ id: createdGoal.goal_id, status: "awaiting_confirmation", sessionId });

    const confirmed = await turn(sessionId, "Yes, please confirm it and start tracking");
    const calls = confirmed.filter((event) => event.event === "tool_call").map((event) => event.data.name);
    expect(calls).toEqual(["list_goals", "confirm_goal"]);
    expect(toolResults(confirmed, "confirm_goal")[0]?.data).toMatchObject({
      ok: true,
      result: { status: "active", goal_id: createdGoal.goal_id },
    });

    const detail = await app.request(`/v1/goals/${createdGoal.goal_id}`, {
      headers: clientHeaders(user.userId),
    });
    expect(await detail.json()).toMatchObject({
      status: "active",
      metric: "last_reading_systolic",
      comparison: "value < 135",
      starts_on: user.today,
      progress: { evaluated_days: 0, hits: 0 },
      evaluations: [],
    });

    // The night after: today has ended in the user's zone, so the sweep judges it. Today's last
    // reading was 125 in the evening: a hit.
    const [active] = await app.deps.appDb.db.select().from(goals).where(eq(goals.id, createdGoal.goal_id));
    if (!active) throw new Error("the confirmed goal is gone");
    const tally = await evaluateGoals(app.deps, createLogger("error"), [active], {
      at: new Date(Date.now() + 24 * 60 * 60 * 1000),
      onlyDue: false,
    });
    expect(tally).toMatchObject({ evaluated: 1, achieved: 0, missed: 0 });

    const progress = await turn(sessionId, "How is my goal going?");
    expect(progress.filter((event) => event.event === "tool_call").map((event) => event.data.name)).toEqual([
      "list_goals",
      "get_goal_progress",
    ]);
    expect(toolResults(progress, "get_goal_progress")[0]?.data).toMatchObject({
      ok: true,
      result: { status: "active", progress: { hits: 1, current_streak: 1, evaluated_days: 1 } },
    });
    expect(String(progress.find((event) => event.event === "done")?.data.answer)).toContain(
      "1 day(s) counted so far, current streak 1",
    );
    const after = await app.request(`/v1/goals/${createdGoal.goal_id}`, {
      headers: clientHeaders(user.userId),
    });
    expect(await after.json()).toMatchObject({
      status: "active",
      last_evaluated_day: user.today,
      progress: { evaluated_days: 1, hits: 1, current_streak: 1 },
      evaluations: [{ day: user.today, value: 125, hit: true, no_data: false }],
    });
  });

  test("created in chat, confirmed and paused from the app's goals screen", async () => {
    const { sessionId } = await openSession(app, user.userId);
    const created = await turn(sessionId, "I want a goal: sleep at least 7 hours 5 of 7 days");
    const result = toolResults(created, "create_goal")[0]?.data.result as { goal_id?: string } | undefined;
    const goalId = String(result?.goal_id);
    const headers = clientHeaders(user.userId);
    const listed = await app.request("/v1/goals?status=awaiting_confirmation", { headers });
    expect(
      ((await listed.json()) as { goals: { goal_id: string }[] }).goals.map((goal) => goal.goal_id),
    ).toContain(goalId);
    const confirmed = await app.request(`/v1/goals/${goalId}/confirm`, { method: "POST", headers });
    expect(await confirmed.json()).toMatchObject({
      status: "active",
      metric: "sleep_hours",
      starts_on: user.today,
    });
    const paused = await app.request(`/v1/goals/${goalId}/pause`, { method: "POST", headers });
    expect(await paused.json()).toMatchObject({ status: "paused" });
    // Nothing waits for confirmation any more: asking to confirm in chat only looks the goals up.
    const again = await turn(sessionId, "Yes, confirm my goal");
    expect(again.filter((event) => event.event === "tool_call").map((event) => event.data.name)).toEqual([
      "list_goals",
    ]);
  });
});
