// Per-user turn limits admit what they should: up to the limit, again after the window, and never
// charge a send that does not start a model turn (replay, attach, resume, status, canned reply).
import { afterAll, describe, expect, test } from "bun:test";
import { newIdempotencyKey, openSession, send } from "../chat/harness";
import { readSse, tokenText } from "../support/sse";
import { script, uniqueMatch } from "../support/standin";
import { ASYNC, clientHeaders, limitedApps, refusal } from "./harness";

const apps = limitedApps();
afterAll(() => apps.close());

describe("per-user turn limits", () => {
  test("a user gets exactly the per-minute number of new turns", async () => {
    const app = await apps.open({ HILO_TURNS_PER_USER_PER_MINUTE: "3" });
    const user = await openSession(app);
    for (let i = 0; i < 3; i++) {
      expect((await send(app, user, `turn ${i}`, { headers: ASYNC })).status).toBe(202);
    }
    expect((await send(app, user, "one too many", { headers: ASYNC })).status).toBe(429);
  });

  test("after the window a user sends again", async () => {
    const app = await apps.open({ HILO_TURNS_PER_USER_PER_MINUTE: "2" }, { minuteSeconds: 2 });
    const user = await openSession(app);
    expect((await send(app, user, "first", { headers: ASYNC })).status).toBe(202);
    expect((await send(app, user, "second", { headers: ASYNC })).status).toBe(202);
    const refused = await refusal(await send(app, user, "third", { headers: ASYNC }));
    expect(refused.status).toBe(429);
    const waitSeconds = Number(refused.retryAfter);
    expect(waitSeconds).toBeOneOf([1, 2]);
    await Bun.sleep(waitSeconds * 1_000 + 100);
    expect((await send(app, user, "third, later", { headers: ASYNC })).status).toBe(202);
  });

  test("one user at the limit never blocks another user", async () => {
    const app = await apps.open({ HILO_TURNS_PER_USER_PER_MINUTE: "1" });
    const alice = await openSession(app);
    const bob = await openSession(app);
    expect((await send(app, alice, "mine", { headers: ASYNC })).status).toBe(202);
    expect((await send(app, alice, "mine again", { headers: ASYNC })).status).toBe(429);
    expect((await send(app, bob, "my first", { headers: ASYNC })).status).toBe(202);
  });
});

describe("what is never charged", () => {
  test("replaying, attaching to and resuming a turn, and reading its status", async () => {
    const app = await apps.open({ HILO_TURNS_PER_USER_PER_MINUTE: "2" });
    const user = await openSession(app);
    const match = uniqueMatch("replayed");
    await script(match, [{ content: "Answered once." }]);
    const key = newIdempotencyKey();
    const first = await send(app, user, `question ${match}`, { key });
    const turnId = first.headers.get("x-turn-id") ?? "";
    await readSse(first);
    for (let i = 0; i < 3; i++) {
      const replay = await readSse(await send(app, user, `question ${match}`, { key }));
      expect(tokenText(replay.events)).toBe("Answered once.");
    }
    const attached = await send(app, user, `question ${match}`, { key, headers: ASYNC });
    expect(attached.status).toBe(202);
    const resumed = await app.request(`/v1/sessions/${user.sessionId}/turns/${turnId}/events`, {
      headers: clientHeaders(user.userId),
    });
    expect((await readSse(resumed)).events.at(-1)?.event).toBe("end");
    const status = await app.request(`/v1/sessions/${user.sessionId}/turns/${turnId}`, {
      headers: clientHeaders(user.userId),
    });
    expect(status.status).toBe(200);

    // Only the first send counted: one more new turn fits in the window of two.
    expect((await send(app, user, "a second question", { headers: ASYNC })).status).toBe(202);
    expect((await send(app, user, "a third question", { headers: ASYNC })).status).toBe(429);
  });

  test("concurrent sends with one key are charged once", async () => {
    const app = await apps.open({ HILO_TURNS_PER_USER_PER_MINUTE: "3" });
    const user = await openSession(app);
    const key = newIdempotencyKey();
    // Racing sends may each be charged before the claim tells them apart; the losers are refunded.
    const racing = await Promise.all(
      Array.from({ length: 3 }, () => send(app, user, "one question, sent thrice", { key, headers: ASYNC })),
    );
    expect(racing.map((response) => response.status)).toEqual([202, 202, 202]);
    expect((await send(app, user, "second", { headers: ASYNC })).status).toBe(202);
    expect((await send(app, user, "third", { headers: ASYNC })).status).toBe(202);
    expect((await send(app, user, "fourth", { headers: ASYNC })).status).toBe(429);
  });

  test("a Layer 1 canned reply: crisis numbers get through at the limit", async () => {
    const app = await apps.open({ HILO_TURNS_PER_USER_PER_MINUTE: "1" });
    const user = await openSession(app);
    expect((await send(app, user, "how did I sleep?", { headers: ASYNC })).status).toBe(202);
    const crisis = await send(app, user, "I have crushing chest pain and my left arm is numb", {
      headers: { "X-Timezone": "America/New_York" },
    });
    expect(crisis.status).toBe(200);
    expect(tokenText((await readSse(crisis)).events)).toContain("911");
    expect((await send(app, user, "and my steps?", { headers: ASYNC })).status).toBe(429);
  });
});

describe("a re-run after a failure", () => {
  test("counts as a new turn", async () => {
    const app = await apps.open({ HILO_TURNS_PER_USER_PER_MINUTE: "2" });
    const user = await openSession(app);
    const match = uniqueMatch("rerun");
    // 400 is not retried by the model layer, so the first attempt fails at once.
    await script(match, [{ error: { status: 400, message: "bad request" } }, { content: "Second time." }]);
    const key = newIdempotencyKey();
    const failed = await readSse(await send(app, user, `rerun ${match}`, { key }));
    expect(failed.events.map((event) => event.event)).toEqual(["error", "end"]);
    const rerun = await readSse(await send(app, user, `rerun ${match}`, { key }));
    expect(tokenText(rerun.events)).toBe("Second time.");
    expect((await send(app, user, "something new", { headers: ASYNC })).status).toBe(429);
  });
});
