// A chat turn end to end: SSE frames, tool rounds, persistence, and the async polling path.
import { afterAll, describe, expect, test } from "bun:test";
import { and, eq, sum } from "drizzle-orm";
import { dailyStats } from "../../src/db/schema";
import { readSse, tokenText } from "../support/sse";
import { requestsMatching, script, uniqueMatch } from "../support/standin";
import { buildTestApp, clientHeaders, openSession, send } from "./harness";

const app = buildTestApp();
afterAll(() => app.close());

describe("POST /v1/sessions/:id/messages", () => {
  test("streams tokens, done, suggestions and end; every frame has a stream id and the turn id", async () => {
    const user = await openSession(app);
    const match = uniqueMatch("happy");
    const answer = "Your readings look steady this week, averaging in your target range on most days.";
    await script(match, [{ content: answer }]);

    const response = await send(app, user, `How was my week? ${match}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toStartWith("text/event-stream");
    const turnId = response.headers.get("x-turn-id");
    expect(turnId).toBeString();

    const { events, ended } = await readSse(response);
    expect(ended).toBe(true);
    expect(tokenText(events)).toBe(answer);
    const names = events.map((event) => event.event).filter((name) => name !== "token");
    // Suggestions and the judge's verdict run side by side after `done`, so their order varies.
    expect(names.slice(0, 2)).toEqual(["done", "eval_pending"]);
    expect(names.slice(2, 4).sort()).toEqual(["eval_result", "suggestions"]);
    expect(names.at(-1)).toBe("end");
    expect(names).toHaveLength(5);
    expect(events.find((event) => event.event === "eval_result")?.data).toMatchObject({
      verdict: "approved",
    });
    expect(events.find((event) => event.event === "done")?.data.answer).toBe(answer);
    for (const event of events) {
      expect(event.id).toMatch(/^\d+-\d+$/);
      expect(event.data.turn_id).toBe(turnId ?? "");
    }
    const suggestions = events.find((event) => event.event === "suggestions")?.data.suggestions;
    expect(Array.isArray(suggestions)).toBe(true);

    const status = await app.request(`/v1/sessions/${user.sessionId}/turns/${turnId}`, {
      headers: clientHeaders(user.userId),
    });
    expect(await status.json()).toEqual({
      turn_id: turnId,
      session_id: user.sessionId,
      status: "done",
      answer,
    });
  });

  test("a turn's model calls are added to the day's stats, which the daily report reads", async () => {
    const modelCallsToday = async () => {
      const day = new Date().toISOString().slice(0, 10);
      const [row] = await app.deps.appDb.db
        .select({ n: sum(dailyStats.n) })
        .from(dailyStats)
        .where(and(eq(dailyStats.day, day), eq(dailyStats.metric, "model_call")));
      return Number(row?.n ?? 0);
    };
    await app.deps.stats.flush();
    const before = await modelCallsToday();
    const user = await openSession(app);
    const match = uniqueMatch("stats");
    await script(match, [{ content: "Steady week." }]);
    const { ended } = await readSse(await send(app, user, `How was my week? ${match}`));
    expect(ended).toBe(true);
    await app.deps.stats.flush();
    // The agent's answer, the judge and the suggestions: at least three calls, none lost.
    expect((await modelCallsToday()) - before).toBeGreaterThanOrEqual(3);
  });

  test("tokens are coalesced: far fewer log entries than model chunks", async () => {
    const user = await openSession(app);
    const match = uniqueMatch("coalesce");
    const answer = Array.from({ length: 120 }, (_, i) => `word${i}`).join(" ");
    await script(match, [{ content: answer, tokenDelayMs: 0 }]);
    const { events } = await readSse(await send(app, user, `Tell me a lot ${match}`));
    expect(tokenText(events)).toBe(answer);
    const tokenEntries = events.filter((event) => event.event === "token").length;
    // 120 words arrive as ~240 chunks; the writer flushes per 128 characters or 30 ms.
    expect(tokenEntries).toBeLessThanOrEqual(Math.ceil(answer.length / 128) + 2);
  });

  test("a multi-round tool turn: two tools in one round, then another round, then the answer", async () => {
    const user = await openSession(app);
    const match = uniqueMatch("tools");
    await script(match, [
      {
        tool_calls: [
          { name: "get_current_datetime", arguments: {} },
          { name: "calculate", arguments: { expression: "(128+132)/2" } },
        ],
      },
      { tool_calls: [{ name: "calculate", arguments: { expression: "130 - 125" } }] },
      { content: "Your average was 130, five above last week." },
    ]);
    const { events } = await readSse(await send(app, user, `Compare my week ${match}`));
    const names = events.map((event) => event.event).filter((name) => name !== "token");
    expect(names.slice(0, 7)).toEqual([
      "tool_call",
      "tool_call",
      "tool_result",
      "tool_result",
      "tool_call",
      "tool_result",
      "done",
    ]);
    expect(names.at(-1)).toBe("end");
    const results = events.filter((event) => event.event === "tool_result");
    const calc = results.find(
      (event) => (event.data.result as { expression?: string }).expression === "(128+132)/2",
    );
    expect(calc?.data).toMatchObject({ name: "calculate", ok: true, result: { result: 130 } });
    expect(results.at(-1)?.data).toMatchObject({ name: "calculate", ok: true, result: { result: 5 } });

    // The model saw the tool results fed back, with the session's system prompt first.
    const bodies = (await requestsMatching(match)).filter((body) => !body.response_format);
    expect(bodies).toHaveLength(3);
    const lastMessages = bodies[2]?.messages as { role: string }[];
    expect(lastMessages.filter((message) => message.role === "tool")).toHaveLength(3);
    expect(lastMessages[0]?.role).toBe("system");
  });

  test("the system prompt is byte-identical on every turn of a session", async () => {
    const user = await openSession(app);
    const first = uniqueMatch("prompt1");
    const second = uniqueMatch("prompt2");
    await script(first, [{ content: "one" }]);
    await script(second, [{ content: "two" }]);
    await readSse(await send(app, user, `first ${first}`));
    await readSse(await send(app, user, `second ${second}`));
    // The agent's requests; the model guard's classification of each message is a request too.
    const agentRequests = async (match: string) =>
      (await requestsMatching(match)).filter((body) => body.response_format === undefined);
    const [a] = await agentRequests(first);
    const [b] = await agentRequests(second);
    const systemOf = (body: Record<string, unknown> | undefined) =>
      (body?.messages as { role: string; content: string }[] | undefined)?.[0];
    expect(systemOf(a)?.role).toBe("system");
    expect(systemOf(b)?.content).toBe(systemOf(a)?.content ?? "");
    // The second turn carries the first exchange as history.
    const messages = b?.messages as { role: string; content: string }[];
    expect(messages.map((message) => message.role)).toEqual(["system", "user", "assistant", "user"]);
  });
});

describe("Prefer: respond-async", () => {
  test("answers 202 thinking; the answer appears in the turn status and the history", async () => {
    const user = await openSession(app);
    const match = uniqueMatch("async");
    await script(match, [{ content: "Polled answer.", delayMs: 200 }]);
    const response = await send(app, user, `Poll me ${match}`, { headers: { prefer: "respond-async" } });
    expect(response.status).toBe(202);
    const accepted = (await response.json()) as { session_id: string; turn_id: string; status: string };
    expect(accepted).toEqual({ session_id: user.sessionId, turn_id: expect.any(String), status: "thinking" });

    let status: { status: string; answer?: string } = { status: "running" };
    for (let i = 0; i < 100 && status.status === "running"; i++) {
      await Bun.sleep(50);
      const poll = await app.request(`/v1/sessions/${user.sessionId}/turns/${accepted.turn_id}`, {
        headers: clientHeaders(user.userId),
      });
      status = (await poll.json()) as typeof status;
    }
    expect(status).toMatchObject({ status: "done", answer: "Polled answer." });
    const history = await app.request(`/v1/sessions/${user.sessionId}/messages`, {
      headers: clientHeaders(user.userId),
    });
    const body = (await history.json()) as { messages: { role: string; content: string }[] };
    expect(body.messages[0]).toMatchObject({ role: "assistant", content: "Polled answer." });
  });
});
