// Refused turns: 429 over a per-user limit, 503 while the model budget is spent or Redis cannot
// count. Every refusal is JSON with Retry-After where waiting helps, stores nothing and calls no model.
import { afterAll, describe, expect, test } from "bun:test";
import { openSession, send } from "../chat/harness";
import { startPrivateRedis } from "../support/private-redis";
import { readSse } from "../support/sse";
import { requestsMatching, uniqueMatch } from "../support/standin";
import { ASYNC, clientHeaders, limitedApp, limitedApps, refusal, storedRows } from "./harness";

const apps = limitedApps();
afterAll(() => apps.close());

describe("over a per-user limit", () => {
  test("the send after the limit is 429 rate_limited with Retry-After, stores nothing, calls no model", async () => {
    const app = await apps.open({ HILO_TURNS_PER_USER_PER_MINUTE: "3" });
    const user = await openSession(app);
    for (let i = 0; i < 3; i++) await send(app, user, `allowed ${i}`, { headers: ASYNC });
    const before = await storedRows(app, user.userId);
    expect(before.claims).toBe(3);

    const match = uniqueMatch("refused");
    // Not async: a refused send is a JSON error, never the start of an event stream.
    const response = await send(app, user, `refused ${match}`);
    expect(response.headers.get("content-type")).toContain("application/json");
    const refused = await refusal(response);
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe("rate_limited");
    expect(refused.body.error.message).toContain("this minute");
    const retryAfter = Number(refused.retryAfter);
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);

    expect(await storedRows(app, user.userId)).toEqual(before);
    expect(await requestsMatching(match)).toHaveLength(0);
  });

  test("the day limit refuses once the day's number is used, whatever the minute allows", async () => {
    const app = await apps.open({ HILO_TURNS_PER_USER_PER_MINUTE: "0", HILO_TURNS_PER_USER_PER_DAY: "2" });
    const user = await openSession(app);
    expect((await send(app, user, "one", { headers: ASYNC })).status).toBe(202);
    expect((await send(app, user, "two", { headers: ASYNC })).status).toBe(202);
    const refused = await refusal(await send(app, user, "three", { headers: ASYNC }));
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({
      code: "rate_limited",
      message: expect.stringContaining("daily"),
    });
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
  });

  test("a send refused by the day limit does not use up the minute", async () => {
    const app = await apps.open({ HILO_TURNS_PER_USER_PER_MINUTE: "2", HILO_TURNS_PER_USER_PER_DAY: "1" });
    const user = await openSession(app);
    expect((await send(app, user, "one", { headers: ASYNC })).status).toBe(202);
    const refused = await refusal(await send(app, user, "two", { headers: ASYNC }));
    expect(refused.body.error.message).toContain("daily");
    // The minute kept only the admitted turn: a second refusal is the day's again, not the minute's.
    const again = await refusal(await send(app, user, "three", { headers: ASYNC }));
    expect(again.body.error.message).toContain("daily");
  });
});

describe("the process-wide model-call ceiling", () => {
  test("refuses new turns with 503 once this minute's calls are spent, without cutting the running turn", async () => {
    const app = await apps.open({ HILO_MODEL_CALLS_PER_MINUTE: "1" });
    const user = await openSession(app);
    // One turn is an agent call, then the judge and the suggestions: three calls against a ceiling of
    // one. The running turn makes all of them.
    const running = await readSse(await send(app, user, "how did I sleep this week?"));
    const names = running.events.map((event) => event.event);
    expect(names).toContain("done");
    expect(names).toContain("eval_result");
    expect(names).toContain("suggestions");
    expect(names.at(-1)).toBe("end");
    const before = await storedRows(app, user.userId);

    const match = uniqueMatch("over-budget");
    const refused = await refusal(await send(app, user, `and my steps? ${match}`));
    expect(refused.status).toBe(503);
    expect(refused.body.error).toMatchObject({
      code: "unavailable",
      message: expect.stringContaining("capacity"),
    });
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(60);
    expect(await storedRows(app, user.userId)).toEqual(before);
    expect(await requestsMatching(match)).toHaveLength(0);

    // A canned Layer 1 reply calls no model, so the spent budget does not hold back crisis numbers.
    const other = await openSession(app);
    const crisis = await send(app, other, "I have crushing chest pain and my left arm is numb");
    expect(crisis.status).toBe(200);
    await readSse(crisis);
  });
});

describe("a Redis outage", () => {
  test("fails closed for new turns (503, nothing stored, no model call) and open for reads", async () => {
    const redis = await startPrivateRedis();
    const app = await limitedApp({ REDIS_URL: redis.url, HILO_REQUESTS_PER_ADDRESS_PER_MINUTE: "100" });
    try {
      const user = await openSession(app);
      await redis.stop(false);

      const match = uniqueMatch("outage");
      const response = await send(app, user, `while Redis is down ${match}`, { headers: ASYNC });
      const refused = await refusal(response);
      expect(refused.status).toBe(503);
      expect(refused.body.error.code).toBe("unavailable");
      expect(await storedRows(app, user.userId)).toEqual({ claims: 0, messages: 0 });
      expect(await requestsMatching(match)).toHaveLength(0);

      for (const path of ["/v1/sessions", `/v1/sessions/${user.sessionId}/messages`]) {
        const read = await app.request(path, { headers: clientHeaders(user.userId) });
        expect(read.status).toBe(200);
      }
    } finally {
      await app.close();
      await redis.dispose();
    }
  });
});
