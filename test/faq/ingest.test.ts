// The ingest verb against a real pgvector (a scratch PGlite) and the OpenAI stand-in: idempotent, embeds
// only what changed, deletes what is gone, and writes all or nothing.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { FaqRow } from "../../src/faq/csv";
import { faqContentHash, ingestFaq, planFaqIngest } from "../../src/faq/ingest";
import { ensureFaqSchema } from "../../src/faq/schema";
import { FaqChangedDuringIngestError, readContentHashes, writeFaqChanges } from "../../src/faq/store";
import type { Llm } from "../../src/llm/client";
import { testLlm } from "../support/standin";
import {
  demoFaqRows,
  embeddingCalls,
  embeddingInputs,
  failNextEmbedding,
  type ScratchPostgres,
  snapshotEntries,
  startScratchPostgres,
  uniqueEmbeddingModel,
} from "./harness";

const model = uniqueEmbeddingModel();
const embedding = { model, dimensions: 1536 };
let pg: ScratchPostgres;
let llm: Llm;
let demo: readonly FaqRow[];

beforeAll(async () => {
  pg = await startScratchPostgres();
  await ensureFaqSchema(pg.sql, embedding);
  llm = testLlm();
  demo = await demoFaqRows();
});

afterAll(async () => {
  await pg.stop();
});

const ingest = (rows: readonly FaqRow[]) =>
  ingestFaq({ sql: pg.sql, llm, embedding, rows, signal: new AbortController().signal });

describe("planFaqIngest", () => {
  const row = (id: string, answer = "A"): FaqRow => ({ id, question: `Q ${id}`, answer, line: 2 });
  test("sorts rows into added, updated, unchanged and removed by content hash", () => {
    const stored = new Map([
      ["same", faqContentHash(row("same"))],
      ["edited", faqContentHash(row("edited"))],
      ["gone", faqContentHash(row("gone"))],
    ]);
    const plan = planFaqIngest([row("same"), row("edited", "B"), row("new")], stored);
    expect(plan.added.map((r) => r.id)).toEqual(["new"]);
    expect(plan.updated.map((r) => r.id)).toEqual(["edited"]);
    expect(plan.unchanged).toBe(1);
    expect(plan.removedIds).toEqual(["gone"]);
  });

  test("the hash tells where the question ends and the answer begins", () => {
    expect(faqContentHash({ question: "ab", answer: "c" })).not.toBe(
      faqContentHash({ question: "a", answer: "bc" }),
    );
  });
});

describe("ingestFaq", () => {
  test("a first ingest embeds every row in one batched call", async () => {
    const before = await embeddingCalls(model);
    expect(await ingest(demo)).toEqual({ added: 42, updated: 0, unchanged: 0, removed: 0 });
    // 42 rows fit in one batch of 64.
    expect((await embeddingCalls(model)) - before).toBe(1);
    const [count] = await pg.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM faq_entries`;
    expect(count?.n).toBe(42);
  });

  test("the same rows again embed nothing and write nothing", async () => {
    const snapshot = await snapshotEntries(pg.sql);
    const before = await embeddingCalls(model);
    expect(await ingest(demo)).toEqual({ added: 0, updated: 0, unchanged: 42, removed: 0 });
    expect((await embeddingCalls(model)) - before).toBe(0);
    expect(await snapshotEntries(pg.sql)).toEqual(snapshot);
  });

  test("a changed row is re-embedded alone and updated in place", async () => {
    const rows = demo.map((row) =>
      row.id === "faq-008" ? { ...row, answer: `${row.answer} Hilo is now rated 5 ATM.` } : row,
    );
    const [oldRow] = await pg.sql<{ embedding: string; updated_at: Date }[]>`
      SELECT embedding::text AS embedding, updated_at FROM faq_entries WHERE id = 'faq-008'`;
    const before = await embeddingCalls(model);
    expect(await ingest(rows)).toEqual({ added: 0, updated: 1, unchanged: 41, removed: 0 });
    expect((await embeddingCalls(model)) - before).toBe(1);
    expect((await embeddingInputs(model)).at(-1)).toStartWith("Is the Hilo watch waterproof?");

    const [newRow] = await pg.sql<
      { answer: string; content_hash: string; embedding: string; updated_at: Date }[]
    >`
      SELECT answer, content_hash, embedding::text AS embedding, updated_at FROM faq_entries WHERE id = 'faq-008'`;
    expect(newRow?.answer).toEndWith("Hilo is now rated 5 ATM.");
    const editedRow = rows.find((row) => row.id === "faq-008");
    if (editedRow === undefined) throw new Error("faq-008 is missing from the demo FAQ");
    expect(newRow?.content_hash).toBe(faqContentHash(editedRow));
    expect(newRow?.embedding).not.toBe(oldRow?.embedding);
    expect(newRow?.updated_at.getTime()).toBeGreaterThan(oldRow?.updated_at.getTime() ?? Infinity);

    // Back to the demo text for the tests below: one more embedding, nothing else.
    expect(await ingest(demo)).toEqual({ added: 0, updated: 1, unchanged: 41, removed: 0 });
  });

  test("a row gone from the file is deleted without any embedding", async () => {
    const before = await embeddingCalls(model);
    const withoutOne = demo.filter((row) => row.id !== "faq-042");
    expect(await ingest(withoutOne)).toEqual({ added: 0, updated: 0, unchanged: 41, removed: 1 });
    expect((await embeddingCalls(model)) - before).toBe(0);
    expect(await pg.sql`SELECT 1 FROM faq_entries WHERE id = 'faq-042'`).toHaveLength(0);

    expect(await ingest(demo)).toEqual({ added: 1, updated: 0, unchanged: 41, removed: 0 });
  });

  test("an embedding failure in a later batch leaves the table exactly as it was", async () => {
    const snapshot = await snapshotEntries(pg.sql);
    const marker = `marker-${crypto.randomUUID()}`;
    // 70 new rows: two batches (64 + 6), and the second one fails.
    const extra: FaqRow[] = Array.from({ length: 70 }, (_, i) => ({
      id: `bulk-${String(i).padStart(3, "0")}`,
      question: `Bulk question ${i}?`,
      answer: i === 69 ? `Bulk answer ${i} ${marker}.` : `Bulk answer ${i}.`,
      line: 100 + i,
    }));
    const edited = demo.map((row) => (row.id === "faq-001" ? { ...row, answer: "Edited." } : row));
    await failNextEmbedding(marker);
    await expect(ingest([...edited.filter((row) => row.id !== "faq-002"), ...extra])).rejects.toThrow(
      /scripted embedding failure/,
    );
    expect(await snapshotEntries(pg.sql)).toEqual(snapshot);
  });

  test("a write based on hashes another writer has since changed is refused, nothing written", async () => {
    const snapshot = await snapshotEntries(pg.sql);
    const stale = new Map(await readContentHashes(pg.sql));
    stale.set("faq-001", "0".repeat(64));
    const write = writeFaqChanges(pg.sql, {
      upserts: [],
      keepIds: ["faq-001"],
      basedOn: stale,
    });
    await expect(write).rejects.toBeInstanceOf(FaqChangedDuringIngestError);
    expect(await snapshotEntries(pg.sql)).toEqual(snapshot);
  });

  test("a table of another model is refused before anything is embedded", async () => {
    const other = uniqueEmbeddingModel();
    const attempt = ingestFaq({
      sql: pg.sql,
      llm,
      embedding: { model: other, dimensions: 1536 },
      rows: demo,
      signal: new AbortController().signal,
    });
    await expect(attempt).rejects.toThrow(
      `the FAQ was embedded with ${model} but HILO_EMBEDDING_MODEL is ${other}`,
    );
    expect(await embeddingCalls(other)).toBe(0);
  });
});
