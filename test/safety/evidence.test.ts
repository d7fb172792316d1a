// The judge's evidence: the tool data as valid JSON within its cap, per-reading detail dropped first,
// every aggregate kept; and the judge really receives it that way.
import { describe, expect, test } from "bun:test";
import { createLogger } from "../../src/observability/logger";
import { evidenceFor } from "../../src/safety/evidence";
import { judgeAnswer } from "../../src/safety/judge";
import { reviewAnswer } from "../../src/safety/review";
import { requestsMatching, script, testLlm, uniqueMatch } from "../support/standin";

function historyResult(readings: number) {
  return {
    id: "call_1",
    name: "get_bp_reading_history",
    arguments: '{"days":90}',
    result: {
      ok: true,
      data: {
        window: { days: 90, from: "2026-09-08", to: "2026-12-06" },
        summary: { avg_systolic: 131, avg_diastolic: 84, reading_count: readings, as_of: "2026-12-06" },
        readings: Array.from({ length: readings }, (_, i) => ({
          at: new Date(Date.UTC(2026, 8, 8) + i * 3_600_000).toISOString(),
          systolic: 120 + (i % 30),
          diastolic: 80 + (i % 10),
          pulse: 60 + (i % 20),
        })),
      },
    },
  };
}

describe("evidenceFor", () => {
  test("data within the cap is passed whole", () => {
    const results = [historyResult(3)];
    expect(evidenceFor(results, 12_000)).toEqual({ json: JSON.stringify(results), shrunk: false });
  });

  test.each([200, 2_000, 20_000])("%i readings fit the cap as valid JSON, aggregates kept", (readings) => {
    const evidence = evidenceFor(
      [
        historyResult(readings),
        {
          id: "call_2",
          name: "get_latest_bp_reading",
          result: { ok: true, data: { systolic: 128, diastolic: 82 } },
        },
      ],
      12_000,
    );
    expect(evidence.shrunk).toBe(true);
    expect(evidence.json.length).toBeLessThanOrEqual(12_000);
    const parsed = JSON.parse(evidence.json);
    expect(parsed[0].result.data.summary).toEqual({
      avg_systolic: 131,
      avg_diastolic: 84,
      reading_count: readings,
      as_of: "2026-12-06",
    });
    expect(parsed[0].result.data.window).toEqual({ days: 90, from: "2026-09-08", to: "2026-12-06" });
    expect(parsed[1].result.data).toEqual({ systolic: 128, diastolic: 82 });
    // The list keeps its ends and says how much it left out.
    const kept = parsed[0].result.data.readings as unknown[];
    const note = kept.find(
      (item) => typeof item === "object" && item !== null && "omitted_items" in item,
    ) as {
      omitted_items: number;
    };
    expect(note.omitted_items + kept.length - 1).toBe(readings);
  });

  test("when even the aggregates do not fit, whole results are kept in order and the rest counted", () => {
    const many = Array.from({ length: 50 }, (_, i) => ({
      id: `call_${i}`,
      name: "summarize",
      result: { ok: true, data: { note: "x".repeat(150), i } },
    }));
    const evidence = evidenceFor(many, 2_000);
    expect(evidence.json.length).toBeLessThanOrEqual(2_000);
    const parsed = JSON.parse(evidence.json) as Record<string, unknown>[];
    const last = parsed.at(-1) as { omitted_results: number };
    expect(last.omitted_results + parsed.length - 1).toBe(50);
    expect(parsed[0]).toMatchObject({ id: "call_0" });
  });
});

describe("the judge's request", () => {
  test("carries the shrunk evidence as JSON that parses, and the verdict says it was shrunk", async () => {
    const match = uniqueMatch("evidence");
    await script(
      match,
      [{ content: JSON.stringify({ verdict: "approved", violations: [], reason: "ok" }) }],
      "json",
      "judge-model",
    );
    const verdict = await judgeAnswer({
      llm: testLlm(),
      model: "judge-model",
      question: `How was my quarter? ${match}`,
      answer: "Your average was 131/84.",
      toolResults: [historyResult(2_000)],
      signal: new AbortController().signal,
      log: createLogger("error"),
      timeoutMs: 5_000,
    });
    expect(verdict).toMatchObject({ verdict: "approved", failedOpen: false, evidenceShrunk: true });
    const [request] = await requestsMatching(match);
    const messages = request?.messages as { role: string; content: string }[];
    const material = messages.find((message) => message.role === "user")?.content ?? "";
    const json =
      material.split("Tool results the answer was based on (JSON):\n")[1]?.split("\n\nDraft answer:")[0] ??
      "";
    expect(JSON.parse(json)[0].result.data.summary.avg_systolic).toBe(131);
  });
});

describe("the review's audit", () => {
  test("says when the evidence was shrunk", async () => {
    const match = uniqueMatch("shrunkaudit");
    await script(
      match,
      [{ content: JSON.stringify({ verdict: "approved", violations: [], reason: "ok" }) }],
      "json",
      "judge-model",
    );
    const review = await reviewAnswer({
      llm: testLlm(),
      judgeModel: "judge-model",
      rewriteModel: "chat-model",
      question: `How was my quarter? ${match}`,
      answer: "Your average was 131/84.",
      toolResults: [historyResult(2_000)],
      judgeBudgetMs: 5_000,
      rewriteBudgetMs: 5_000,
      signal: new AbortController().signal,
      log: createLogger("error"),
      emit: async () => {},
    });
    expect(review).toEqual({
      replacement: null,
      audit: [
        {
          layer: 4,
          category: "approved",
          action: "approved",
          detail: { reason: "ok", evidence_shrunk: true },
        },
      ],
    });
  });
});
