// Follow-up suggestions: parsed from a json_schema reply, cleaned, at most three, and fail-open.
import { describe, expect, test } from "bun:test";
import { cleanSuggestions, generateSuggestions } from "../../src/agent/suggestions";
import { requestsMatching, script, testLlm, uniqueMatch } from "../support/standin";

const MODEL = "gpt-4o";

function suggest(question: string, extra: { signal?: AbortSignal; timeoutMs?: number } = {}) {
  return generateSuggestions({
    llm: testLlm(),
    model: MODEL,
    question,
    answer: "Your average this week was 124/79, inside your target range.",
    signal: extra.signal ?? new AbortController().signal,
    timeoutMs: extra.timeoutMs,
  });
}

describe("generateSuggestions", () => {
  test("returns the model's questions, cleaned and capped at three", async () => {
    const match = uniqueMatch("suggest-ok");
    const question = `How was my blood pressure this week? ${match}`;
    await script(
      match,
      [
        {
          content: JSON.stringify({
            suggestions: [
              "1. How did I sleep this week?",
              "  How did I sleep this week?  ",
              "",
              "What about last month?",
              "Am I walking enough?",
              "One more than allowed?",
            ],
          }),
        },
      ],
      "json",
    );
    expect(await suggest(question)).toEqual([
      "How did I sleep this week?",
      "What about last month?",
      "Am I walking enough?",
    ]);
    const [body] = await requestsMatching(match);
    expect(body?.response_format).toMatchObject({ type: "json_schema", json_schema: { strict: true } });
    expect(JSON.stringify(body?.messages)).toContain("Ask Hilo answered");
  });

  test("unscripted, the stand-in's schema-shaped reply is enough", async () => {
    const suggestions = await suggest(`Did I sleep well? ${uniqueMatch("suggest-offline")}`);
    expect(suggestions.length).toBeGreaterThan(0);
    expect(suggestions.length).toBeLessThanOrEqual(3);
  });

  test("a failing model gives an empty list, not an error", async () => {
    const match = uniqueMatch("suggest-500");
    await script(
      match,
      [{ error: { status: 500 } }, { error: { status: 500 } }, { error: { status: 500 } }],
      "json",
    );
    expect(await suggest(`Anything? ${match}`)).toEqual([]);
    expect(await requestsMatching(match)).toHaveLength(3);
  });

  test("a reply that is not the expected JSON gives an empty list", async () => {
    const match = uniqueMatch("suggest-garbage");
    await script(match, [{ content: "Sure! Here are some ideas." }], "json");
    expect(await suggest(`Ideas? ${match}`)).toEqual([]);
  });

  test("a model that does not answer in time gives an empty list, in time", async () => {
    const match = uniqueMatch("suggest-hang");
    await script(match, [{ hang: true }], "json");
    const started = performance.now();
    expect(await suggest(`Slow? ${match}`, { timeoutMs: 300 })).toEqual([]);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  test("an aborted turn gives an empty list", async () => {
    expect(await suggest(`Aborted ${uniqueMatch("suggest-abort")}`, { signal: AbortSignal.abort() })).toEqual(
      [],
    );
  });
});

describe("cleanSuggestions", () => {
  const cases: [string, string[], string[]][] = [
    ["keeps good questions", ["How did I sleep?", "Am I on track?"], ["How did I sleep?", "Am I on track?"]],
    [
      "strips list markers and quotes",
      ["- How did I sleep?", "2) “Am I on track?”"],
      ["How did I sleep?", "Am I on track?"],
    ],
    ["drops repeats of the question", ["What was my average?", "How did I sleep?"], ["How did I sleep?"]],
    ["drops case and punctuation duplicates", ["How did I sleep?", "how did i sleep"], ["How did I sleep?"]],
    ["drops over-long items", ["x".repeat(200), "Short?"], ["Short?"]],
    ["caps at three", ["a?", "b?", "c?", "d?"], ["a?", "b?", "c?"]],
  ];
  test.each(cases)("%s", (_label, raw, expected) => {
    expect(cleanSuggestions(raw, "What was my average?")).toEqual(expected);
  });
});
