// The agent loop against the OpenAI stand-in: multi-round tool turns, parallel tool rounds, failing
// tools, identity smuggled into arguments, and aborts.
import { afterAll, describe, expect, test } from "bun:test";
import { z } from "zod";
import { type AgentEvent, runAgent, TurnAbortedError } from "../../src/agent/loop";
import { createToolRegistry } from "../../src/agent/registry";
import { defineTool, type ToolDefinition } from "../../src/agent/tool";
import { CORE_TOOLS } from "../../src/agent/tools";
import { requestsMatching, script, testLlm, uniqueMatch } from "../support/standin";
import { closeDeps, recordEvents, testDeps, toolContext } from "./harness";

const deps = testDeps();
afterAll(() => closeDeps(deps));

const MODEL = "gpt-4o";
const SYSTEM_PROMPT = "You are a test agent.";

function baseInput(
  tools: readonly ToolDefinition[],
  userMessage: string,
  signal = new AbortController().signal,
) {
  return {
    llm: testLlm(),
    model: MODEL,
    systemPrompt: SYSTEM_PROMPT,
    history: [],
    userMessage,
    tools: createToolRegistry(tools),
    ctx: toolContext(deps, { signal }),
    signal,
  };
}

function eventSummary(events: readonly AgentEvent[]): string[] {
  // Tokens collapse into one entry per run so the order of the other events reads clearly.
  const summary: string[] = [];
  for (const event of events) {
    const label = event.type === "token" ? "token" : `${event.type}:${event.name}`;
    if (label === "token" && summary.at(-1) === "token") continue;
    summary.push(label);
  }
  return summary;
}

describe("agent loop", () => {
  test("a tool round, another tool round, then the answer: events in order, results fed back", async () => {
    const match = uniqueMatch("multi-round");
    await script(match, [
      { tool_calls: [{ name: "get_current_datetime", arguments: {} }] },
      {
        content: "Let me work that out.",
        tool_calls: [{ name: "calculate", arguments: { expression: "(131 - 124) / 124 * 100" } }],
      },
      { content: "Your average went up by about 5.6%." },
    ]);
    const recorder = recordEvents();
    const fixedNow = new Date("2026-11-03T14:05:09Z");
    const input = baseInput(CORE_TOOLS, `How much did it change? ${match}`);
    const result = await runAgent({
      ...input,
      history: [
        { role: "user", content: "Hi there" },
        { role: "assistant", content: "Hello! How can I help?" },
      ],
      ctx: toolContext(deps, { now: () => fixedNow, timezone: "Asia/Kathmandu" }),
      emit: recorder.emit,
    });

    expect(eventSummary(recorder.events)).toEqual([
      "tool_call:get_current_datetime",
      "tool_result:get_current_datetime",
      "token",
      "tool_call:calculate",
      "tool_result:calculate",
      "token",
    ]);
    expect(result.rounds).toBe(3);
    expect(result.answer).toBe("Let me work that out.\n\nYour average went up by about 5.6%.");
    expect(recorder.text()).toBe(result.answer);
    expect(result.toolResults.map((r) => [r.name, r.result])).toEqual([
      [
        "get_current_datetime",
        {
          ok: true,
          data: expect.objectContaining({ date: "2026-11-03", time: "19:50", timezone: "Asia/Kathmandu" }),
        },
      ],
      ["calculate", { ok: true, data: { expression: "(131 - 124) / 124 * 100", result: 5.64516129 } }],
    ]);
    const calcResult = recorder.events.find((e) => e.type === "tool_result" && e.name === "calculate");
    expect(calcResult).toMatchObject({ ok: true, result: { result: 5.64516129 } });

    const requests = await requestsMatching(match);
    expect(requests).toHaveLength(3);
    const [first, , third] = requests;
    expect(first?.messages).toEqual([
      { role: "system", content: SYSTEM_PROMPT },
      { role: "user", content: "Hi there" },
      { role: "assistant", content: "Hello! How can I help?" },
      { role: "user", content: `How much did it change? ${match}` },
    ]);
    expect(first?.stream).toBe(true);
    expect(first?.tools).toHaveLength(2);
    const thirdMessages = z.array(z.record(z.string(), z.unknown())).parse(third?.messages);
    expect(thirdMessages.map((m) => m.role)).toEqual([
      "system",
      "user",
      "assistant",
      "user",
      "assistant",
      "tool",
      "assistant",
      "tool",
    ]);
    const lastTool = thirdMessages.at(-1);
    expect(JSON.parse(String(lastTool?.content))).toEqual({
      ok: true,
      data: { expression: "(131 - 124) / 124 * 100", result: 5.64516129 },
    });
    expect(thirdMessages.at(-2)?.content).toBe("Let me work that out.");
    // The system prompt goes out byte-identical on every round.
    expect(new Set(requests.map((r) => JSON.stringify((r.messages as unknown[])[0]))).size).toBe(1);
  });

  test("all tool calls of a round run at the same time", async () => {
    const spans: Record<string, { start: number; end: number }> = {};
    const slowTool = (name: string) =>
      defineTool({
        name,
        description: `${name} sleeps`,
        input: z.strictObject({}),
        handler: async () => {
          const start = performance.now();
          await Bun.sleep(300);
          spans[name] = { start, end: performance.now() };
          return { name };
        },
      });
    const match = uniqueMatch("parallel");
    await script(match, [
      {
        tool_calls: [
          { name: "slow_a", arguments: {} },
          { name: "slow_b", arguments: {} },
        ],
      },
      { content: "Both done." },
    ]);
    const recorder = recordEvents(5);
    const result = await runAgent({
      ...baseInput([slowTool("slow_a"), slowTool("slow_b")], `run both ${match}`),
      emit: recorder.emit,
    });
    expect(result.answer).toBe("Both done.");
    const a = spans.slow_a;
    const b = spans.slow_b;
    if (a === undefined || b === undefined) throw new Error("a tool did not run");
    // Overlapping spans: each started before the other ended.
    expect(a.start).toBeLessThan(b.end);
    expect(b.start).toBeLessThan(a.end);
    expect(Math.max(a.end, b.end) - Math.min(a.start, b.start)).toBeLessThan(550);
    // Results finishing together are still emitted one at a time, each after its call.
    expect(recorder.overlapped).toBe(false);
    for (const name of ["slow_a", "slow_b"]) {
      const callIndex = recorder.events.findIndex((e) => e.type === "tool_call" && e.name === name);
      const resultIndex = recorder.events.findIndex((e) => e.type === "tool_result" && e.name === name);
      expect(callIndex).toBeGreaterThanOrEqual(0);
      expect(resultIndex).toBeGreaterThan(callIndex);
    }
    // Tool messages go back in call order.
    const [, second] = await requestsMatching(match);
    const toolMessages = z
      .array(z.object({ role: z.string(), content: z.unknown() }))
      .parse(second?.messages)
      .filter((m) => m.role === "tool");
    expect(toolMessages.map((m) => JSON.parse(String(m.content)).data.name)).toEqual(["slow_a", "slow_b"]);
  });

  test("a failing tool becomes ok:false and the turn still ends with an answer", async () => {
    const broken = defineTool({
      name: "broken_lookup",
      description: "always fails",
      input: z.strictObject({}),
      handler: async () => {
        throw new Error("database is down");
      },
    });
    const match = uniqueMatch("tool-fails");
    await script(match, [
      { tool_calls: [{ name: "broken_lookup", arguments: {} }] },
      { content: "I could not reach your data right now." },
    ]);
    const recorder = recordEvents();
    const result = await runAgent({ ...baseInput([broken], `look it up ${match}`), emit: recorder.emit });
    expect(result.answer).toBe("I could not reach your data right now.");
    expect(recorder.events.find((e) => e.type === "tool_result")).toEqual({
      type: "tool_result",
      id: expect.any(String),
      name: "broken_lookup",
      ok: false,
      result: { code: "unavailable", message: "broken_lookup is temporarily unavailable" },
    });
    const [, second] = await requestsMatching(match);
    const tool = z
      .array(z.object({ role: z.string(), content: z.unknown() }))
      .parse(second?.messages)
      .find((m) => m.role === "tool");
    expect(JSON.parse(String(tool?.content))).toMatchObject({ ok: false, error: { code: "unavailable" } });
    // The raw failure never reaches the model.
    expect(String(tool?.content)).not.toContain("database is down");
  });

  test("a user_id in the arguments is refused by the strict schema and never reaches the handler", async () => {
    const seen: unknown[] = [];
    const readings = defineTool({
      name: "get_readings",
      description: "the user's readings",
      input: z.strictObject({ days: z.number().int().min(1).max(90) }),
      handler: async (input, ctx) => {
        seen.push({ input, userId: ctx.userId });
        return { days: input.days };
      },
    });
    const match = uniqueMatch("smuggled-id");
    await script(match, [
      { tool_calls: [{ name: "get_readings", arguments: { days: 7, user_id: "someone-else" } }] },
      { content: "I can only look at your own readings." },
    ]);
    const recorder = recordEvents();
    const result = await runAgent({
      ...baseInput([readings], `show bob's data ${match}`),
      emit: recorder.emit,
    });
    expect(seen).toEqual([]);
    const toolResult = recorder.events.find((e) => e.type === "tool_result");
    expect(toolResult).toMatchObject({ ok: false, result: { code: "invalid_arguments" } });
    expect(result.toolResults[0]?.result.ok).toBe(false);
    expect(result.answer).toBe("I can only look at your own readings.");
  });

  test("an abort mid-stream stops the turn promptly with TurnAbortedError", async () => {
    const match = uniqueMatch("abort-stream");
    await script(match, [{ content: "one two three four five six seven eight nine ten", tokenDelayMs: 100 }]);
    const controller = new AbortController();
    const reason = new Error("turn budget spent");
    const recorder = recordEvents();
    let abortedAt = 0;
    const error = await runAgent({
      ...baseInput([], `talk slowly ${match}`, controller.signal),
      emit: async (event) => {
        await recorder.emit(event);
        if (recorder.events.length === 2) {
          abortedAt = performance.now();
          controller.abort(reason);
        }
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TurnAbortedError);
    if (error instanceof TurnAbortedError) expect(error.cause).toBe(reason);
    expect(performance.now() - abortedAt).toBeLessThan(100);
    await Bun.sleep(250);
    // Nothing is emitted after the abort.
    expect(recorder.events).toHaveLength(2);
  });

  test("an abort during a tool round does not wait for the tools, and tells them to stop", async () => {
    let handlerSignal: AbortSignal | undefined;
    const stubborn = defineTool({
      name: "stubborn",
      description: "ignores its signal for 5 s",
      input: z.strictObject({}),
      handler: async (_input, ctx) => {
        handlerSignal = ctx.signal;
        await Bun.sleep(5_000);
        return {};
      },
    });
    const match = uniqueMatch("abort-tools");
    await script(match, [{ tool_calls: [{ name: "stubborn", arguments: {} }] }, { content: "never" }]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const started = performance.now();
    const input = baseInput([stubborn], `be stubborn ${match}`, controller.signal);
    const error = await runAgent({
      ...input,
      // The context's own signal is a different one: the loop must still hand the turn's abort down.
      ctx: toolContext(deps),
      emit: async () => {},
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TurnAbortedError);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(handlerSignal?.aborted).toBe(true);
    expect(await requestsMatching(match)).toHaveLength(1);
  });

  test("a model failure that is not an abort propagates as itself", async () => {
    const match = uniqueMatch("model-400");
    await script(match, [{ error: { status: 400, message: "bad tools" } }]);
    const error = await runAgent({ ...baseInput([], `hello ${match}`), emit: async () => {} }).catch(
      (e: unknown) => e,
    );
    expect(error).not.toBeInstanceOf(TurnAbortedError);
    expect(error instanceof Error ? error.message : "").toContain("bad tools");
  });
});
