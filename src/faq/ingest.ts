// `faq-ingest` as a verb that does not know its transport: validated rows in, the FAQ table brought to
// exactly those rows, embedding only what is new or changed. Re-running it with the same file costs
// nothing but one SELECT.
import { createHash } from "node:crypto";
import type postgres from "postgres";
import type { Llm } from "../llm/client";
import type { FaqRow } from "./csv";
import { checkFaqSchema, type FaqEmbeddingSpec } from "./schema";
import { type FaqEntryWrite, readContentHashes, writeFaqChanges } from "./store";

/** Inputs per embeddings request (OpenAI accepts up to 2,048; small batches retry cheaply). */
export const EMBED_BATCH_SIZE = 64;
/** Embedding requests in flight at once during one ingest (the Llm limiter caps the process anyway). */
const EMBED_CONCURRENCY = 4;

/** sha256 of question and answer, unambiguous about where one ends (JSON array, not concatenation). */
export function faqContentHash(row: Pick<FaqRow, "question" | "answer">): string {
  return createHash("sha256")
    .update(JSON.stringify([row.question, row.answer]))
    .digest("hex");
}

/** The text a row is embedded from: question and answer together (seed §7), so either can match. */
export function faqEmbeddingInput(row: Pick<FaqRow, "question" | "answer">): string {
  return `${row.question}\n\n${row.answer}`;
}

export interface FaqIngestPlan {
  readonly added: readonly FaqRow[];
  readonly updated: readonly FaqRow[];
  readonly unchanged: number;
  readonly removedIds: readonly string[];
}

/** Diffs the file against the stored hashes. Pure. */
export function planFaqIngest(
  rows: readonly FaqRow[],
  storedHashes: ReadonlyMap<string, string>,
): FaqIngestPlan {
  const added: FaqRow[] = [];
  const updated: FaqRow[] = [];
  let unchanged = 0;
  const inFile = new Set<string>();
  for (const row of rows) {
    inFile.add(row.id);
    const stored = storedHashes.get(row.id);
    if (stored === undefined) added.push(row);
    else if (stored !== faqContentHash(row)) updated.push(row);
    else unchanged += 1;
  }
  const removedIds = [...storedHashes.keys()].filter((id) => !inFile.has(id));
  return { added, updated, unchanged, removedIds };
}

export interface FaqIngestCounts {
  added: number;
  updated: number;
  unchanged: number;
  removed: number;
}

export interface IngestFaqInput {
  sql: postgres.Sql;
  llm: Llm;
  embedding: FaqEmbeddingSpec;
  /** Already validated (parseFaqCsv): unique ids, nothing empty. */
  rows: readonly FaqRow[];
  signal: AbortSignal;
}

/**
 * Brings faq_entries to exactly `rows`. Checks the table against the embedding spec first (vectors of
 * another model must never be mixed in), embeds new and changed rows in batches, then writes everything
 * and deletes what the file no longer has in one transaction. Any failure leaves the table as it was.
 */
export async function ingestFaq(input: IngestFaqInput): Promise<FaqIngestCounts> {
  const { sql, rows } = input;
  await checkFaqSchema(sql, input.embedding);
  const stored = await readContentHashes(sql);
  const plan = planFaqIngest(rows, stored);
  const toEmbed = [...plan.added, ...plan.updated];
  const counts = {
    added: plan.added.length,
    updated: plan.updated.length,
    unchanged: plan.unchanged,
    removed: plan.removedIds.length,
  };
  if (toEmbed.length === 0 && plan.removedIds.length === 0) return counts;

  const embeddings = await embedRows(input, toEmbed);
  const upserts: FaqEntryWrite[] = toEmbed.map((row, index) => {
    const embedding = embeddings[index];
    if (embedding === undefined) throw new Error(`no embedding came back for FAQ row ${row.id}`);
    return {
      id: row.id,
      question: row.question,
      answer: row.answer,
      contentHash: faqContentHash(row),
      embedding,
    };
  });
  await writeFaqChanges(sql, { upserts, keepIds: rows.map((row) => row.id), basedOn: stored });
  return counts;
}

async function embedRows(input: IngestFaqInput, rows: readonly FaqRow[]): Promise<Float32Array[]> {
  const batches: FaqRow[][] = [];
  for (let start = 0; start < rows.length; start += EMBED_BATCH_SIZE) {
    batches.push(rows.slice(start, start + EMBED_BATCH_SIZE));
  }
  const results: Float32Array[][] = new Array(batches.length);
  // The first failure stops the other batches: the ingest is lost anyway, so no more calls are paid for.
  const abort = new AbortController();
  const signal = AbortSignal.any([input.signal, abort.signal]);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < batches.length) {
      const index = next;
      next += 1;
      const batch = batches[index] ?? [];
      try {
        results[index] = await input.llm.embed(
          { ...input.embedding, input: batch.map(faqEmbeddingInput) },
          { signal },
        );
      } catch (error) {
        abort.abort(error);
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(EMBED_CONCURRENCY, batches.length) }, worker));
  return results.flat();
}
