// The goals screen over HTTP: listing with cursor paging, one goal with its progress and series, and
// the user's lifecycle actions, through the real app on the local stack.
import { afterAll, describe, expect, test } from "bun:test";
import { addDays, localDay } from "../../src/readings/local-day";
import { buildTestApp, clientHeaders, newUserId } from "../support/stack";
import { insertEvaluations, insertGoal, TEST_ZONE } from "./harness";

const app = buildTestApp();
afterAll(() => app.close());

const get = (userId: string, path: string) => app.request(path, { headers: clientHeaders(userId) });
const post = (userId: string, path: string) =>
  app.request(path, { method: "POST", headers: clientHeaders(userId) });

describe("GET /v1/goals", () => {
  test("pages the user's goals newest first with next_cursor until the last page", async () => {
    const userId = newUserId("routes");
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await insertGoal(app.deps, userId)).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor === null ? "?limit=2" : `?limit=2&cursor=${encodeURIComponent(cursor)}`;
      const response = await get(userId, `/v1/goals${query}`);
      expect(response.status).toBe(200);
      const body = (await response.json()) as { goals: { goal_id: string }[]; next_cursor: string | null };
      seen.push(...body.goals.map((goal) => goal.goal_id));
      cursor = body.next_cursor;
      pages++;
    } while (cursor !== null);
    expect(pages).toBe(3);
    // UUIDv7 ids grow with time, so newest first is the reverse of insertion.
    expect(seen).toEqual([...ids].reverse());
  });

  test("filters by status and shows the recipe in plain words", async () => {
    const userId = newUserId("routes");
    await insertGoal(app.deps, userId);
    const active = await insertGoal(app.deps, userId, { status: "active", startsOn: "2026-12-01" });
    const response = await get(userId, "/v1/goals?status=active");
    const body = (await response.json()) as { goals: Record<string, unknown>[] };
    expect(body.goals).toHaveLength(1);
    expect(body.goals[0]).toMatchObject({
      goal_id: active.id,
      title: "8,000 steps",
      status: "active",
      kind: "count_hits_in_window",
      metric: "steps",
      comparison: "value >= 8000",
      target: 5,
      window_days: 7,
      starts_on: "2026-12-01",
      recipe_summary:
        "Tracks the day's steps. A day counts when value >= 8000. Achieved as soon as 5 of the 7 days count; missed if the 7 days end short.",
    });
  });
});

describe("GET /v1/goals/:id", () => {
  test("returns progress and the evaluation series oldest first", async () => {
    const userId = newUserId("routes");
    const today = localDay(new Date(), TEST_ZONE);
    const start = addDays(today, -3);
    const goal = await insertGoal(app.deps, userId, {
      status: "active",
      startsOn: start,
      endsOn: addDays(start, 6),
      lastEvaluatedDay: addDays(start, 2),
    });
    await insertEvaluations(app.deps, goal.id, [
      { period: addDays(start, 2), value: 9100, hit: true },
      { period: start, value: 8000, hit: true },
      { period: addDays(start, 1), value: 5000, hit: false },
    ]);
    const response = await get(userId, `/v1/goals/${goal.id}`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body.progress).toEqual({
      current_streak: 1,
      longest_streak: 1,
      hits: 2,
      misses: 1,
      no_data_days: 0,
      evaluated_days: 3,
      days_left: 4,
    });
    expect(body.evaluations).toEqual([
      { day: start, value: 8000, hit: true, no_data: false },
      { day: addDays(start, 1), value: 5000, hit: false, no_data: false },
      { day: addDays(start, 2), value: 9100, hit: true, no_data: false },
    ]);
  });
});

describe("lifecycle actions", () => {
  test("confirm, pause, resume and delete", async () => {
    const userId = newUserId("routes");
    const goal = await insertGoal(app.deps, userId);
    const confirmed = await post(userId, `/v1/goals/${goal.id}/confirm`);
    expect(confirmed.status).toBe(200);
    expect(await confirmed.json()).toMatchObject({
      status: "active",
      starts_on: localDay(new Date(), TEST_ZONE),
      progress: { hits: 0, evaluated_days: 0, days_left: 7 },
      evaluations: [],
    });
    expect(await (await post(userId, `/v1/goals/${goal.id}/pause`)).json()).toMatchObject({
      status: "paused",
    });
    expect(await (await post(userId, `/v1/goals/${goal.id}/resume`)).json()).toMatchObject({
      status: "active",
    });
    const deleted = await app.request(`/v1/goals/${goal.id}`, {
      method: "DELETE",
      headers: clientHeaders(userId),
    });
    expect(deleted.status).toBe(204);
    expect((await get(userId, `/v1/goals/${goal.id}`)).status).toBe(404);
  });
});
