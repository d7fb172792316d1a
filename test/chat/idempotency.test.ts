// One Idempotency-Key never pays for two model turns: attach while running, replay when done,
// 422 for another body, and exactly one re-run after a failure.
import { afterAll, describe, expect, test } from "bun:test";
import { readSse, tokenText } from "../support/sse";
import { requestsMatching, script, uniqueMatch } from "../support/standin";
import { buildTestApp, newIdempotencyKey, openSession, send } from "./harness";

const app = buildTestApp();
afterAll(() => app.close());

const agentCalls = async (match: string) =>
  (await requestsMatching(match)).filter((body) => !body.response_format).length;

describe("Idempotency-Key", () => {
  test("50 concurrent sends with one key: one model call, fifty identical answers", async () => {
    const user = await openSession(app);
    const match = uniqueMatch("burst");
    const answer = "One answer for everyone, streamed slowly enough that the retries overlap it.";
    await script(match, [{ content: answer, tokenDelayMs: 5 }]);
    const key = newIdempotencyKey();
    const responses = await Promise.all(
      Array.from({ length: 50 }, () => send(app, user, `burst ${match}`, { key })),
    );
    const turnIds = new Set(responses.map((response) => response.headers.get("x-turn-id")));
    expect(turnIds.size).toBe(1);
    const results = await Promise.all(responses.map((response) => readSse(response)));
    for (const result of results) {
      expect(tokenText(result.events)).toBe(answer);
      expect(result.events.at(-1)?.event).toBe("end");
    }
    expect(await agentCalls(match)).toBe(1);
  });

  test("a retry after done replays the stored answer without a model call", async () => {
    const user = await openSession(app);
    const match = uniqueMatch("replay");
    await script(match, [{ content: "Stored once." }]);
    const key = newIdempotencyKey();
    const first = await readSse(await send(app, user, `replay ${match}`, { key }));
    const again = await readSse(await send(app, user, `replay ${match}`, { key }));
    expect(tokenText(again.events)).toBe("Stored once.");
    expect(again.events.map((event) => event.id)).toEqual(first.events.map((event) => event.id));
    expect(await agentCalls(match)).toBe(1);
  });

  test("the same key with another body is 422 and runs nothing", async () => {
    const user = await openSession(app);
    const match = uniqueMatch("reuse");
    await script(match, [{ content: "First body." }]);
    const key = newIdempotencyKey();
    await readSse(await send(app, user, `original ${match}`, { key }));
    const response = await send(app, user, `different ${match}`, { key });
    expect(response.status).toBe(422);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
      "idempotency_key_reused",
    );
    expect(await agentCalls(match)).toBe(1);
  });

  test("after a failed turn, a retry re-runs it once, even when two retries race", async () => {
    const user = await openSession(app);
    const match = uniqueMatch("rerun");
    // 400 is not retried by the model layer, so the first attempt fails at once.
    await script(match, [
      { error: { status: 400, message: "bad request" } },
      { content: "Second time lucky.", delayMs: 100 },
    ]);
    const key = newIdempotencyKey();
    const failed = await readSse(await send(app, user, `rerun ${match}`, { key }));
    expect(failed.events.map((event) => event.event)).toEqual(["error", "end"]);
    expect(failed.events[0]?.data).toMatchObject({ retryable: true });

    const [a, b] = await Promise.all([
      send(app, user, `rerun ${match}`, { key }),
      send(app, user, `rerun ${match}`, { key }),
    ]);
    const [ra, rb] = await Promise.all([readSse(a), readSse(b)]);
    expect(tokenText(ra.events)).toBe("Second time lucky.");
    expect(tokenText(rb.events)).toBe("Second time lucky.");
    expect(await agentCalls(match)).toBe(2);
  });
});
