// Every way another user could reach a goal that is not theirs over HTTP: all 404, nothing changed.
import { afterAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { goals } from "../../src/db/schema";
import { buildTestApp, clientHeaders, newUserId } from "../support/stack";
import { insertGoal } from "./harness";

const app = buildTestApp();
afterAll(() => app.close());

describe("another user's goal", () => {
  test("is 404 on every route and stays unchanged; it never shows in their list", async () => {
    const owner = newUserId("owner");
    const intruder = newUserId("intruder");
    const goal = await insertGoal(app.deps, owner);
    for (const [method, path] of [
      ["GET", `/v1/goals/${goal.id}`],
      ["POST", `/v1/goals/${goal.id}/confirm`],
      ["POST", `/v1/goals/${goal.id}/pause`],
      ["POST", `/v1/goals/${goal.id}/resume`],
      ["DELETE", `/v1/goals/${goal.id}`],
    ] as const) {
      const response = await app.request(path, { method, headers: clientHeaders(intruder) });
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: "not_found" } });
    }
    const list = await app.request("/v1/goals", { headers: clientHeaders(intruder) });
    expect(await list.json()).toEqual({ goals: [], next_cursor: null });
    const [row] = await app.deps.appDb.db.select().from(goals).where(eq(goals.id, goal.id));
    expect(row?.status).toBe("awaiting_confirmation");
  });

  test("a user id in another case is another user", async () => {
    const owner = newUserId("Owner");
    const goal = await insertGoal(app.deps, owner);
    const response = await app.request(`/v1/goals/${goal.id}`, {
      headers: clientHeaders(owner.toLowerCase()),
    });
    expect(response.status).toBe(404);
  });

  test("ids that are not ours are 404 without a query: other case, padding, SQL", async () => {
    const owner = newUserId("owner");
    const goal = await insertGoal(app.deps, owner);
    for (const id of [goal.id.toUpperCase(), `${goal.id}%20`, "1%20OR%201=1", "..%2F..%2Fsessions"]) {
      const response = await app.request(`/v1/goals/${id}`, { headers: clientHeaders(owner) });
      expect(response.status).toBe(404);
    }
  });

  test("a cursor from another user's list reveals nothing of theirs", async () => {
    const owner = newUserId("owner");
    for (let i = 0; i < 3; i++) await insertGoal(app.deps, owner);
    const first = await app.request("/v1/goals?limit=1", { headers: clientHeaders(owner) });
    const { next_cursor: cursor } = (await first.json()) as { next_cursor: string };
    const other = await app.request(`/v1/goals?limit=10&cursor=${encodeURIComponent(cursor)}`, {
      headers: clientHeaders(newUserId("intruder")),
    });
    expect(await other.json()).toEqual({ goals: [], next_cursor: null });
  });
});
