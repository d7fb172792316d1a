// `search_faq` over the real demo FAQ: paraphrased product questions find their entry first, off-topic
// questions find nothing, and the ranking runs in PostgreSQL on the HNSW index.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createToolRegistry } from "../../src/agent/registry";
import type { ToolResult } from "../../src/agent/tool";
import { ingestFaq } from "../../src/faq/ingest";
import { ensureFaqSchema } from "../../src/faq/schema";
import { NEAREST_SQL } from "../../src/faq/store";
import { type SearchFaqResult, searchFaqTool } from "../../src/faq/tool";
import { closeDeps, createDeps, type Deps } from "../../src/infra/deps";
import { toolContext } from "../agent/harness";
import { testConfig } from "../support/stack";
import { testLlm } from "../support/standin";
import {
  demoFaqRows,
  embeddingCalls,
  type ScratchPostgres,
  startScratchPostgres,
  uniqueEmbeddingModel,
} from "./harness";

const model = uniqueEmbeddingModel();
const registry = createToolRegistry([searchFaqTool]);
let pg: ScratchPostgres;
let deps: Deps;

beforeAll(async () => {
  pg = await startScratchPostgres();
  const embedding = { model, dimensions: 1536 };
  await ensureFaqSchema(pg.sql, embedding);
  await ingestFaq({
    sql: pg.sql,
    llm: testLlm(),
    embedding,
    rows: await demoFaqRows(),
    signal: new AbortController().signal,
  });
  deps = createDeps(testConfig({ FAQ_DB_URL: pg.url, HILO_EMBEDDING_MODEL: model }));
});

afterAll(async () => {
  await closeDeps(deps);
  await pg.stop();
});

const search = (args: unknown, on: Deps = deps): Promise<ToolResult> =>
  registry.run("search_faq", JSON.stringify(args), toolContext(on));

function resultOf(envelope: ToolResult): SearchFaqResult {
  if (!envelope.ok) throw new Error(`search_faq failed: ${envelope.error.code}: ${envelope.error.message}`);
  return envelope.data as SearchFaqResult;
}

function matchesOf(envelope: ToolResult) {
  const result = resultOf(envelope);
  if (!("matches" in result)) throw new Error(`expected matches, got ${JSON.stringify(result)}`);
  return result.matches;
}

describe("search_faq", () => {
  // None of these shares its wording with the FAQ question it should find.
  const paraphrases: [query: string, id: string, topic: string][] = [
    ["my watch is not charging", "faq-001", "How do I charge my Hilo watch?"],
    ["what is the battery life", "faq-002", "How long does the battery last?"],
    ["is it water resistant", "faq-008", "Is the Hilo watch waterproof?"],
    ["the app does not sync my readings", "faq-009", "How do I sync my readings with the app?"],
    ["move the watch to a new phone", "faq-011", "How do I pair Hilo with a new phone?"],
    ["export my readings for my doctor", "faq-014", "How do I share my data with my doctor?"],
    ["swap the watch strap", "faq-029", "How do I change the strap?"],
    ["is my data used for AI training", "faq-036", "Is my data used to train AI models?"],
    ["delete my data", "faq-037", "How do I delete my account and data?"],
  ];
  for (const [query, id, question] of paraphrases) {
    test(`"${query}" finds ${id} (${question}) first`, async () => {
      const matches = matchesOf(await search({ query }));
      expect(matches[0]?.id).toBe(id);
      expect(matches[0]?.question).toBe(question);
    });
  }

  test("matches are best first, above the threshold, at most `limit`, with their answer", async () => {
    const matches = matchesOf(await search({ query: "how do I charge the watch", limit: 5 }));
    expect(matches.length).toBeGreaterThan(1);
    expect(matches.length).toBeLessThanOrEqual(5);
    const similarities = matches.map((match) => match.similarity);
    expect(similarities).toEqual([...similarities].sort((a, b) => b - a));
    for (const match of matches) {
      expect(match.similarity).toBeGreaterThanOrEqual(deps.config.HILO_FAQ_MATCH_THRESHOLD);
      expect(match.similarity).toBeLessThanOrEqual(1);
      expect(match.answer.length).toBeGreaterThan(20);
    }
    expect(matchesOf(await search({ query: "how do I charge the watch" })).length).toBeLessThanOrEqual(3);
  });

  for (const query of ["what is the weather tomorrow in Paris", "how many legs does a spider have"]) {
    test(`an off-topic question ("${query}") is no_match`, async () => {
      expect(resultOf(await search({ query }))).toEqual({ status: "no_match" });
    });
  }

  test("a stricter threshold turns a weak match into no_match", async () => {
    const strict = createDeps(
      testConfig({ FAQ_DB_URL: pg.url, HILO_EMBEDDING_MODEL: model, HILO_FAQ_MATCH_THRESHOLD: "0.95" }),
    );
    try {
      expect(resultOf(await search({ query: "my watch is not charging" }, strict))).toEqual({
        status: "no_match",
      });
    } finally {
      await closeDeps(strict);
    }
  });

  test("one search embeds only the query, once", async () => {
    const before = await embeddingCalls(model);
    await search({ query: "what is the warranty" });
    expect((await embeddingCalls(model)) - before).toBe(1);
  });

  const badInputs: [string, unknown][] = [
    ["an empty query", { query: "   " }],
    ["no query", {}],
    ["a user_id argument", { query: "charging", user_id: "someone-else" }],
    ["a limit above the maximum", { query: "charging", limit: 50 }],
    ["a fractional limit", { query: "charging", limit: 1.5 }],
    ["a query longer than 500 characters", { query: "charge ".repeat(100) }],
  ];
  for (const [name, args] of badInputs) {
    test(`${name} is invalid_arguments and embeds nothing`, async () => {
      const before = await embeddingCalls(model);
      const envelope = await search(args);
      expect(envelope.ok).toBe(false);
      if (!envelope.ok) expect(envelope.error.code).toBe("invalid_arguments");
      expect((await embeddingCalls(model)) - before).toBe(0);
    });
  }

  test("an unreachable FAQ database is `unavailable` for the turn, not a crash", async () => {
    const down = createDeps(
      testConfig({
        FAQ_DB_URL: "postgres://postgres:postgres@127.0.0.1:1/postgres",
        HILO_EMBEDDING_MODEL: model,
      }),
    );
    try {
      const envelope = await search({ query: "charging" }, down);
      expect(envelope).toEqual({
        ok: false,
        error: { code: "unavailable", message: "search_faq is temporarily unavailable" },
      });
    } finally {
      await closeDeps(down);
    }
  });

  test("the ranking query is served by the HNSW index", async () => {
    // 42 rows are cheaper to scan, so the planner is told not to; the query shape must allow the index.
    const plan = await pg.sql.begin(async (tx) => {
      await tx`SET LOCAL enable_seqscan = off`;
      const [row] = await tx<
        { v: string }[]
      >`SELECT embedding::text AS v FROM faq_entries WHERE id = 'faq-001'`;
      return tx.unsafe<{ "QUERY PLAN": string }[]>(`EXPLAIN ${NEAREST_SQL}`, [row?.v ?? "", 3, 0.2]);
    });
    expect(plan.map((line) => line["QUERY PLAN"]).join("\n")).toContain("faq_entries_embedding_hnsw");
  });
});
