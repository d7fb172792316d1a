// Every query on the FAQ tables: the content hashes an ingest diffs against, the one-transaction write
// of an ingest, and the nearest-neighbour search (ranking and threshold both inside PostgreSQL).
import type postgres from "postgres";
import { FAQ_LOCK_KEY } from "./schema";

/** A row ready to be written: its content, the hash of that content, and its embedding. */
export interface FaqEntryWrite {
  readonly id: string;
  readonly question: string;
  readonly answer: string;
  readonly contentHash: string;
  readonly embedding: Float32Array;
}

export interface FaqMatch {
  readonly id: string;
  readonly question: string;
  readonly answer: string;
  /** Cosine similarity, 1 - cosine distance: 1 is the same direction, 0 unrelated. */
  readonly similarity: number;
}

/** Rows per INSERT statement: a 1,536-dimension vector is ~20 kB of text, so this keeps statements ~4 MB. */
const UPSERT_CHUNK_ROWS = 200;

/** Significant digits that identify every float4 exactly (FLT_DECIMAL_DIG), so nothing is lost. */
const FLOAT4_DIGITS = 9;

/** pgvector's text form, `[0.1,0.2,...]`; ~40% shorter than printing the float4s as doubles. */
export function toVectorLiteral(vector: Float32Array): string {
  const parts = new Array<string>(vector.length);
  for (let i = 0; i < vector.length; i++) parts[i] = (vector[i] ?? 0).toPrecision(FLOAT4_DIGITS);
  return `[${parts.join(",")}]`;
}

export async function readContentHashes(sql: postgres.ISql): Promise<Map<string, string>> {
  const rows = await sql<{ id: string; content_hash: string }[]>`SELECT id, content_hash FROM faq_entries`;
  return new Map(rows.map((row) => [row.id, row.content_hash]));
}

export class FaqChangedDuringIngestError extends Error {
  constructor() {
    super(
      "the FAQ table changed while this ingest was embedding (another faq-ingest?); nothing was written, run it again",
    );
    this.name = "FaqChangedDuringIngestError";
  }
}

export interface FaqWrite {
  /** New and changed rows. */
  readonly upserts: readonly FaqEntryWrite[];
  /** Every id of the file: all other rows are deleted. */
  readonly keepIds: readonly string[];
  /** The hashes the plan was made from; if the table no longer has exactly these, nothing is written. */
  readonly basedOn: ReadonlyMap<string, string>;
}

/**
 * Writes an ingest in ONE transaction under the FAQ lock, so readers see the old FAQ or the new one and
 * never a mix. The embeddings were computed before (no model call holds a transaction open), so the table
 * is re-read under the lock and the write refused if another writer got in between.
 */
export async function writeFaqChanges(sql: postgres.Sql, write: FaqWrite): Promise<{ removed: number }> {
  return sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(${FAQ_LOCK_KEY})`;
    const current = await readContentHashes(tx);
    if (!sameHashes(current, write.basedOn)) throw new FaqChangedDuringIngestError();
    for (let start = 0; start < write.upserts.length; start += UPSERT_CHUNK_ROWS) {
      const chunk = write.upserts.slice(start, start + UPSERT_CHUNK_ROWS);
      await tx`
        INSERT INTO faq_entries (id, question, answer, content_hash, embedding, updated_at)
        SELECT id, question, answer, content_hash, embedding::vector, now()
        FROM unnest(
          ${tx.array(chunk.map((row) => row.id))}::text[],
          ${tx.array(chunk.map((row) => row.question))}::text[],
          ${tx.array(chunk.map((row) => row.answer))}::text[],
          ${tx.array(chunk.map((row) => row.contentHash))}::text[],
          ${tx.array(chunk.map((row) => toVectorLiteral(row.embedding)))}::text[]
        ) AS incoming(id, question, answer, content_hash, embedding)
        ON CONFLICT (id) DO UPDATE SET
          question = excluded.question,
          answer = excluded.answer,
          content_hash = excluded.content_hash,
          embedding = excluded.embedding,
          updated_at = excluded.updated_at`;
    }
    const deleted =
      await tx`DELETE FROM faq_entries WHERE id <> ALL(${tx.array([...write.keepIds])}::text[])`;
    // Fresh statistics with the write: pgvector costs the HNSW scan from the index's row estimate, and a
    // stale one (a table created empty, autovacuum not yet round) makes the planner scan every row
    // instead. ANALYZE sees this transaction's rows and blocks neither readers nor writers.
    await tx`ANALYZE faq_entries`;
    return { removed: deleted.count };
  });
}

function sameHashes(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [id, hash] of a) if (b.get(id) !== hash) return false;
  return true;
}

// The inner query is the shape pgvector's HNSW index serves (ORDER BY distance to a parameter, LIMIT);
// the threshold filters its k rows afterwards, so the index still does the ranking.
export const NEAREST_SQL = `
  SELECT id, question, answer, similarity FROM (
    SELECT id, question, answer, 1 - (embedding <=> $1::vector) AS similarity
    FROM faq_entries
    ORDER BY embedding <=> $1::vector
    LIMIT $2
  ) AS nearest
  WHERE similarity >= $3
  ORDER BY similarity DESC, id`;

/** The `limit` nearest entries to `vector` whose similarity is at least `minSimilarity`, best first. */
export async function nearestFaqEntries(
  sql: postgres.Sql,
  vector: Float32Array,
  options: { limit: number; minSimilarity: number },
): Promise<FaqMatch[]> {
  const rows = await sql.unsafe<FaqMatch[]>(
    NEAREST_SQL,
    [toVectorLiteral(vector), options.limit, options.minSimilarity],
    { prepare: true },
  );
  return rows.map((row) => ({
    id: row.id,
    question: row.question,
    answer: row.answer,
    similarity: Number(row.similarity),
  }));
}
