// Bad input and illegal changes on the goal routes: clear 4xx JSON, never a 500.
import { afterAll, describe, expect, test } from "bun:test";
import { buildTestApp, clientHeaders, newUserId } from "../support/stack";
import { insertGoal } from "./harness";

const app = buildTestApp();
afterAll(() => app.close());

const request = (userId: string, method: string, path: string) =>
  app.request(path, { method, headers: clientHeaders(userId) });

describe("goal routes refuse", () => {
  test.each([
    ["a limit of 0", "?limit=0"],
    ["a limit over 100", "?limit=101"],
    ["a limit that is not a number", "?limit=ten"],
    ["an unknown status", "?status=done"],
    ["a forged cursor", "?cursor=bm90LWEtY3Vyc29y"],
  ])("%s with 400 invalid_request", async (_label, query) => {
    const response = await request(newUserId("err"), "GET", `/v1/goals${query}`);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: "invalid_request" } });
  });

  test("an illegal transition with 409 illegal_transition naming the status", async () => {
    const userId = newUserId("err");
    const achieved = await insertGoal(app.deps, userId, { status: "achieved", startsOn: "2026-01-01" });
    for (const action of ["confirm", "pause", "resume"]) {
      const response = await request(userId, "POST", `/v1/goals/${achieved.id}/${action}`);
      expect(response.status).toBe(409);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("illegal_transition");
      expect(body.error.message).toContain("the goal is achieved");
    }
    const waiting = await insertGoal(app.deps, userId);
    const pause = await request(userId, "POST", `/v1/goals/${waiting.id}/pause`);
    expect(pause.status).toBe(409);
  });

  test("an unknown goal with 404, and a missing header with 400 before anything else", async () => {
    const unknown = Bun.randomUUIDv7();
    const response = await request(newUserId("err"), "GET", `/v1/goals/${unknown}`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: "not_found", message: "goal not found" } });
    const noZone = await app.request("/v1/goals", {
      headers: Object.fromEntries(
        Object.entries(clientHeaders("x")).filter(([name]) => name !== "X-Timezone"),
      ),
    });
    expect(noZone.status).toBe(400);
  });

  test("creating a goal over HTTP does not exist (goals are made in chat)", async () => {
    const response = await app.request("/v1/goals", {
      method: "POST",
      headers: { ...clientHeaders(newUserId("err")), "content-type": "application/json" },
      body: JSON.stringify({ description: "walk more" }),
    });
    expect(response.status).toBe(404);
  });
});
