// Generation survives the connection: drops, resumes on another api process, expiry of the log,
// budget timeouts, dead producers, and quiet streams kept alive.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { reconcileOrphanedClaims } from "../../src/chat/reconciler";
import { turnLogKey } from "../../src/chat/turn-log";
import { createLogger } from "../../src/observability/logger";
import { freePort, type HiloProcess, spawnHilo, stackEnv } from "../support/processes";
import { readSse, tokenText } from "../support/sse";
import { TEST_API_KEY } from "../support/stack";
import { script, uniqueMatch } from "../support/standin";
import { buildTestApp, clientHeaders, newIdempotencyKey, openSession, send } from "./harness";

const app = buildTestApp();
let second: HiloProcess;
let secondUrl = "";

beforeAll(async () => {
  const port = await freePort();
  second = spawnHilo(
    ["api"],
    stackEnv({ PORT: String(port), HOST: "127.0.0.1", HILO_API_KEY: TEST_API_KEY }),
  );
  await second.waitFor('"msg":"ready"', 20_000);
  secondUrl = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  second.proc.kill("SIGTERM");
  await second.exited;
  await app.close();
});

const slowAnswer = Array.from({ length: 60 }, (_, i) => `part${i}`).join(" ");

async function turnStatus(user: { userId: string; sessionId: string }, turnId: string) {
  const response = await app.request(`/v1/sessions/${user.sessionId}/turns/${turnId}`, {
    headers: clientHeaders(user.userId),
  });
  return (await response.json()) as { status: string; answer?: string };
}

async function waitForStatus(user: { userId: string; sessionId: string }, turnId: string, wanted: string) {
  for (let i = 0; i < 200; i++) {
    const status = await turnStatus(user, turnId);
    if (status.status === wanted) return status;
    await Bun.sleep(50);
  }
  throw new Error(`turn ${turnId} never reached ${wanted}`);
}

describe("a dropped client", () => {
  test("does not stop the turn: it completes and is persisted", async () => {
    const user = await openSession(app);
    const match = uniqueMatch("drop");
    await script(match, [{ content: slowAnswer, tokenDelayMs: 10 }]);
    const response = await send(app, user, `drop ${match}`);
    const turnId = response.headers.get("x-turn-id") ?? "";
    const partial = await readSse(response, {
      stop: (events) => events.some((event) => event.event === "token"),
    });
    expect(partial.ended).toBe(false);
    const status = await waitForStatus(user, turnId, "done");
    expect(status.answer).toBe(slowAnswer);
  });
});

describe("resume", () => {
  test("from a mid-stream id on a second api process sends exactly the remaining events", async () => {
    const user = await openSession(app);
    const match = uniqueMatch("resume");
    await script(match, [{ content: slowAnswer, tokenDelayMs: 15 }]);
    const response = await send(app, user, `resume ${match}`);
    const turnId = response.headers.get("x-turn-id") ?? "";
    const head = await readSse(response, {
      stop: (events) => events.filter((event) => event.event === "token").length >= 2,
    });
    const lastId = head.events.at(-1)?.id ?? "";

    const resumed = await fetch(`${secondUrl}/v1/sessions/${user.sessionId}/turns/${turnId}/events`, {
      headers: { ...clientHeaders(user.userId), "last-event-id": lastId },
    });
    expect(resumed.status).toBe(200);
    const tail = await readSse(resumed);
    expect(tail.ended).toBe(true);

    const ids = [...head.events, ...tail.events].map((event) => event.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(tail.events[0]?.id.localeCompare(lastId, undefined, { numeric: true })).toBe(1);
    expect(tokenText([...head.events, ...tail.events])).toBe(slowAnswer);
    expect(tail.events.at(-1)?.event).toBe("end");

    // The whole log, read from the start on the other instance, is the same sequence.
    const whole = await readSse(
      await fetch(`${secondUrl}/v1/sessions/${user.sessionId}/turns/${turnId}/events`, {
        headers: clientHeaders(user.userId),
      }),
    );
    expect(whole.events.map((event) => event.id)).toEqual(ids);
  });

  test("?last_event_id= works like the header (for clients that cannot set headers)", async () => {
    const user = await openSession(app);
    const match = uniqueMatch("query");
    await script(match, [{ content: "alpha beta gamma" }]);
    const response = await send(app, user, `query ${match}`);
    const turnId = response.headers.get("x-turn-id") ?? "";
    const all = await readSse(response);
    const firstId = all.events[0]?.id ?? "";
    const rest = await readSse(
      await app.request(`/v1/sessions/${user.sessionId}/turns/${turnId}/events?last_event_id=${firstId}`, {
        headers: clientHeaders(user.userId),
      }),
    );
    expect(rest.events.map((event) => event.id)).toEqual(all.events.slice(1).map((event) => event.id));
  });

  test("after the log expired, a finished turn is served from MySQL", async () => {
    const user = await openSession(app);
    const match = uniqueMatch("expired");
    await script(match, [{ content: "Remembered in MySQL." }]);
    const key = newIdempotencyKey();
    const response = await send(app, user, `expired ${match}`, { key });
    const turnId = response.headers.get("x-turn-id") ?? "";
    const live = await readSse(response);
    await app.deps.redis.redis.del(turnLogKey(turnId, 1));

    const resumed = await readSse(
      await app.request(`/v1/sessions/${user.sessionId}/turns/${turnId}/events`, {
        headers: { ...clientHeaders(user.userId), "last-event-id": live.events[0]?.id ?? "" },
      }),
    );
    expect(resumed.events.map((event) => event.event)).toEqual(["done", "end"]);
    expect(resumed.events[0]?.data.answer).toBe("Remembered in MySQL.");

    const retried = await readSse(await send(app, user, `expired ${match}`, { key }));
    expect(retried.events.map((event) => event.event)).toEqual(["token", "done", "end"]);
    expect(tokenText(retried.events)).toBe("Remembered in MySQL.");
  });
});

describe("resume from ids that are not behind the turn's end", () => {
  async function finishedTurn(tag: string) {
    const user = await openSession(app);
    const match = uniqueMatch(tag);
    await script(match, [{ content: "All done here." }]);
    const response = await send(app, user, `${tag} ${match}`);
    const turnId = response.headers.get("x-turn-id") ?? "";
    const live = await readSse(response);
    const eventsUrl = `/v1/sessions/${user.sessionId}/turns/${turnId}/events`;
    const resume = (lastEventId: string) =>
      app.request(eventsUrl, { headers: { ...clientHeaders(user.userId), "last-event-id": lastEventId } });
    return { user, turnId, live, resume };
  }

  test("an id above what Redis accepts is 400 and does not slow another user's turn", async () => {
    const { resume } = await finishedTurn("range");
    const started = performance.now();
    const refused = await resume("99999999999999999999-0");
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("invalid_header");

    // Refused at the edge, it never reaches the relay every stream on this instance shares.
    const other = await openSession(app);
    const match = uniqueMatch("bystander");
    await script(match, [{ content: "Still quick." }]);
    const bystander = await readSse(await send(app, other, `bystander ${match}`), { timeoutMs: 5_000 });
    expect(bystander.ended).toBe(true);
    expect(tokenText(bystander.events)).toBe("Still quick.");
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  test("past the end of a finished turn is 400 at once, never a stream that waits", async () => {
    const { live, resume } = await finishedTurn("pastend");
    const lastId = live.events.at(-1)?.id ?? "";
    const [ms, seq] = lastId.split("-");
    const started = performance.now();
    const response = await resume(`${ms}-${Number(seq) + 1}`);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain(
      "Last-Event-ID",
    );
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  test("from the id of `end` itself: `end` again, at once", async () => {
    const { live, resume } = await finishedTurn("atend");
    const end = live.events.at(-1);
    expect(end?.event).toBe("end");
    const started = performance.now();
    const again = await readSse(await resume(end?.id ?? ""), { timeoutMs: 2_000 });
    expect(again.ended).toBe(true);
    expect(again.events.map((event) => [event.event, event.id])).toEqual([["end", end?.id ?? ""]]);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  test("after the log expired: the replay's own ids resume exactly, its end again, past it 400", async () => {
    const { user, turnId, resume } = await finishedTurn("replayids");
    await app.deps.redis.redis.del(turnLogKey(turnId, 1));
    const replay = await readSse(
      await app.request(`/v1/sessions/${user.sessionId}/turns/${turnId}/events`, {
        headers: clientHeaders(user.userId),
      }),
    );
    expect(replay.events.map((event) => [event.event, event.id])).toEqual([
      ["token", "0-1"],
      ["done", "0-2"],
      ["end", "0-3"],
    ]);
    // A client that got the token and dropped still gets `done` (it carries the whole answer).
    const afterToken = await readSse(await resume("0-1"), { timeoutMs: 2_000 });
    expect(afterToken.events.map((event) => event.event)).toEqual(["done", "end"]);
    const afterEnd = await readSse(await resume("0-3"), { timeoutMs: 2_000 });
    expect(afterEnd.events.map((event) => [event.event, event.id])).toEqual([["end", "0-3"]]);
    expect((await resume("0-4")).status).toBe(400);
  });
});

describe("limits and failures", () => {
  test("the wall-clock budget ends the turn with timeout and a failed claim", async () => {
    const budgetApp = buildTestApp({ HILO_TURN_BUDGET_MS: "1000" });
    try {
      const user = await openSession(budgetApp);
      const match = uniqueMatch("budget");
      await script(match, [{ hang: true }]);
      const started = performance.now();
      const response = await send(budgetApp, user, `slow ${match}`);
      const turnId = response.headers.get("x-turn-id") ?? "";
      const { events } = await readSse(response);
      expect(events.map((event) => event.event)).toEqual(["timeout", "end"]);
      expect(performance.now() - started).toBeLessThan(5_000);
      expect((await turnStatus(user, turnId)).status).toBe("failed");
    } finally {
      await budgetApp.close();
    }
  });

  test("a producer that stopped heartbeating is reconciled: failed, and its stream closed", async () => {
    const user = await openSession(app);
    const match = uniqueMatch("orphan");
    await script(match, [{ content: "never finished", delayMs: 60_000 }]);
    const response = await send(app, user, `orphan ${match}`, { headers: { prefer: "respond-async" } });
    const { turn_id: turnId } = (await response.json()) as { turn_id: string };
    // Simulate a dead producer: its heartbeat is long in the past.
    await app.deps.appDb.pool.query(
      "UPDATE turn_claims SET heartbeat_at = NOW(3) - INTERVAL 1 HOUR WHERE id = ?",
      [turnId],
    );
    const reconciled = await reconcileOrphanedClaims(app.deps, createLogger("error"));
    expect(reconciled).toBeGreaterThanOrEqual(1);
    expect((await turnStatus(user, turnId)).status).toBe("failed");
    const { events } = await readSse(
      await app.request(`/v1/sessions/${user.sessionId}/turns/${turnId}/events`, {
        headers: clientHeaders(user.userId),
      }),
    );
    expect(events.slice(-2).map((event) => event.event)).toEqual(["error", "end"]);
  });

  test("quiet streams get keep-alive comments", async () => {
    const quietApp = buildTestApp({ HILO_SSE_KEEPALIVE_MS: "100" });
    try {
      const user = await openSession(quietApp);
      const match = uniqueMatch("quiet");
      await script(match, [{ content: "after a pause", delayMs: 600 }]);
      const result = await readSse(await send(quietApp, user, `quiet ${match}`));
      expect(result.comments).toBeGreaterThanOrEqual(3);
      expect(tokenText(result.events)).toBe("after a pause");
    } finally {
      await quietApp.close();
    }
  });
});
