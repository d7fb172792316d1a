// The process-wide model-call budget: counts every call, is spent at its number, refills after its
// window, and every call of an Llm is counted where it takes a concurrency slot.
import { describe, expect, test } from "bun:test";
import { createModelCallBudget } from "../../src/limits/model-calls";
import { script, testLlm, uniqueMatch } from "../support/standin";

describe("the model-call budget", () => {
  test("is spent exactly at its number and refills after its window", async () => {
    const budget = createModelCallBudget(3, 1);
    budget.record();
    budget.record();
    expect(await budget.spentForMs()).toBe(0);
    budget.record();
    const spentForMs = await budget.spentForMs();
    expect(spentForMs).toBeGreaterThan(0);
    expect(spentForMs).toBeLessThanOrEqual(1_000);
    await Bun.sleep(spentForMs + 50);
    expect(await budget.spentForMs()).toBe(0);
  });

  test("0 is no ceiling", async () => {
    const budget = createModelCallBudget(0);
    for (let i = 0; i < 100; i++) budget.record();
    expect(await budget.spentForMs()).toBe(0);
  });

  test("every attempt of every model call counts, retries included, and none is refused", async () => {
    const llm = testLlm({ maxCallsPerMinute: 2 });
    const match = uniqueMatch("budget");
    await script(match, [{ error: { status: 503 } }, { content: "second attempt" }, { content: "again" }]);
    const ask = async () => {
      let text = "";
      for await (const chunk of llm.streamChat(
        { model: "gpt-4o", messages: [{ role: "user", content: `hi ${match}` }] },
        { signal: AbortSignal.timeout(10_000) },
      )) {
        text += chunk.choices[0]?.delta.content ?? "";
      }
      return text;
    };
    expect(await ask()).toBe("second attempt");
    expect(await llm.calls.spentForMs()).toBeGreaterThan(0);
    // Past the ceiling, a call of a running turn still goes through.
    expect(await ask()).toBe("again");
  });
});
