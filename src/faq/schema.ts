// The FAQ tables in PostgreSQL + pgvector, owned by this service: `hilo migrate` creates them with the
// configured vector size, and every long-running process checks them against its config at start.
// A vector compared with one from another model or of another size gives meaningless similarities
// without any error, so a mismatch stops the process (fail-closed) instead of serving wrong answers.
import type postgres from "postgres";

/** What the FAQ vectors must be: the embedding model and size from the config. */
export interface FaqEmbeddingSpec {
  readonly model: string;
  readonly dimensions: number;
}

/** What the database holds; null parts do not exist. */
export interface FaqSchemaState {
  /** The `vector(N)` size of faq_entries.embedding, or null when the table does not exist. */
  readonly entriesDimensions: number | null;
  /** The one faq_meta row, or null when the table or its row does not exist. */
  readonly meta: FaqEmbeddingSpec | null;
}

/** pgvector's HNSW index accepts `vector` columns of at most this many dimensions. */
export const HNSW_MAX_DIMENSIONS = 2000;

// One key for every FAQ writer (migrate and ingest), so DDL and an ingest never interleave.
export const FAQ_LOCK_KEY = 7_176_512_419_601;

export class FaqSchemaError extends Error {
  constructor(
    message: string,
    /** True when the tables do not exist at all (the fix is `hilo migrate`). */
    readonly missing = false,
  ) {
    super(message);
    this.name = "FaqSchemaError";
  }
}

export async function readFaqSchemaState(sql: postgres.ISql): Promise<FaqSchemaState> {
  const [tables] = await sql<{ entries: string | null; meta: string | null }[]>`
    SELECT to_regclass('faq_entries')::text AS entries, to_regclass('faq_meta')::text AS meta`;
  let entriesDimensions: number | null = null;
  if (tables?.entries) {
    // For a vector column the type modifier is its dimension count (-1 for an unsized `vector`).
    const [column] = await sql<{ dimensions: number }[]>`
      SELECT atttypmod AS dimensions FROM pg_attribute
      WHERE attrelid = 'faq_entries'::regclass AND attname = 'embedding' AND NOT attisdropped`;
    entriesDimensions = column?.dimensions ?? -1;
  }
  let meta: FaqEmbeddingSpec | null = null;
  if (tables?.meta) {
    const [row] = await sql<{ model: string; dimensions: number }[]>`
      SELECT embedding_model AS model, dimensions FROM faq_meta LIMIT 1`;
    meta = row ? { model: row.model, dimensions: row.dimensions } : null;
  }
  return { entriesDimensions, meta };
}

/** Every way the database disagrees with the config, as sentences; empty when they agree. */
export function faqSchemaProblems(state: FaqSchemaState, expected: FaqEmbeddingSpec): string[] {
  const problems: string[] = [];
  if (state.entriesDimensions !== null && state.entriesDimensions !== expected.dimensions) {
    problems.push(
      `faq_entries.embedding is vector(${state.entriesDimensions}) but HILO_EMBEDDING_DIMENSIONS is ${expected.dimensions}`,
    );
  }
  if (state.meta === null) {
    if (state.entriesDimensions !== null) {
      problems.push("faq_entries exists without its faq_meta row, so the model that embedded it is unknown");
    }
    return problems;
  }
  if (state.meta.model !== expected.model) {
    problems.push(
      `the FAQ was embedded with ${state.meta.model} but HILO_EMBEDDING_MODEL is ${expected.model}`,
    );
  }
  const entriesReported = state.entriesDimensions !== null && state.entriesDimensions !== expected.dimensions;
  if (state.meta.dimensions !== expected.dimensions && !entriesReported) {
    problems.push(
      `faq_meta records ${state.meta.dimensions} dimensions but HILO_EMBEDDING_DIMENSIONS is ${expected.dimensions}`,
    );
  }
  return problems;
}

function mismatchError(problems: readonly string[], state: FaqSchemaState): FaqSchemaError {
  const stored = state.meta
    ? `${state.meta.model} with ${state.entriesDimensions ?? state.meta.dimensions} dimensions`
    : "the stored model and size";
  return new FaqSchemaError(
    `the FAQ table does not match the configuration: ${problems.join("; ")}. ` +
      "Vectors of another model or size cannot be compared. Either set HILO_EMBEDDING_MODEL and " +
      `HILO_EMBEDDING_DIMENSIONS back to ${stored}, or re-ingest into a fresh FAQ table: point FAQ_DB_URL ` +
      "at an empty database (or drop faq_entries and faq_meta), run `hilo migrate`, then " +
      "`hilo faq-ingest <file.csv>`",
  );
}

/** The start-up check: throws FaqSchemaError when the tables are missing or disagree with the config. */
export async function checkFaqSchema(sql: postgres.ISql, expected: FaqEmbeddingSpec): Promise<void> {
  const state = await readFaqSchemaState(sql);
  if (state.entriesDimensions === null) {
    throw new FaqSchemaError("the FAQ table faq_entries does not exist: run `hilo migrate`", true);
  }
  const problems = faqSchemaProblems(state, expected);
  if (problems.length > 0) throw mismatchError(problems, state);
}

export type EnsureFaqSchemaResult = "created" | "unchanged";

/**
 * `hilo migrate`'s part: creates the tables and the HNSW cosine index when missing, in one transaction
 * under the FAQ lock; refuses (changing nothing) when existing tables disagree with the config.
 */
export async function ensureFaqSchema(
  sql: postgres.Sql,
  expected: FaqEmbeddingSpec,
): Promise<EnsureFaqSchemaResult> {
  const dimensions = expected.dimensions;
  // Interpolated into DDL below (a type modifier cannot be a parameter), so it must be a plain integer.
  if (!Number.isInteger(dimensions) || dimensions < 1) {
    throw new FaqSchemaError(`HILO_EMBEDDING_DIMENSIONS must be a positive integer, got ${dimensions}`);
  }
  if (dimensions > HNSW_MAX_DIMENSIONS) {
    throw new FaqSchemaError(
      `HILO_EMBEDDING_DIMENSIONS is ${dimensions} but pgvector's HNSW index supports at most ` +
        `${HNSW_MAX_DIMENSIONS} dimensions; ask the model for fewer (text-embedding-3 models accept ` +
        "a smaller `dimensions`)",
    );
  }
  // A no-op where pgvector is installed; on RDS it is on the extension allow-list, and creating it needs
  // a role with CREATE on the database (the migrate role, not necessarily the api's).
  await sql`CREATE EXTENSION IF NOT EXISTS vector`;
  return sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(${FAQ_LOCK_KEY})`;
    const state = await readFaqSchemaState(tx);
    const problems = faqSchemaProblems(state, expected);
    if (problems.length > 0) throw mismatchError(problems, state);
    // Every statement is idempotent, so a re-run also restores a dropped index or the storage setting.
    await tx.unsafe(`
      CREATE TABLE IF NOT EXISTS faq_entries (
        id text PRIMARY KEY,
        question text NOT NULL,
        answer text NOT NULL,
        -- sha256 (hex) of the question and answer: an ingest re-embeds a row only when it changes
        content_hash char(64) NOT NULL,
        embedding vector(${dimensions}) NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Vectors inline, never TOASTed: the planner does not count out-of-line storage, so with TOASTed
    // 6 kB vectors a full scan looks cheaper than the HNSW index and is chosen at a few thousand rows
    // (pgvector's troubleshooting notes; measured: 105 ms instead of 4 ms at 10k rows). A row must then
    // fit in one 8 kB page: ~6.2 kB at 1,536 dimensions, only just at the 2,000 HNSW allows.
    const [storage] = await tx<{ mode: string }[]>`
      SELECT attstorage AS mode FROM pg_attribute
      WHERE attrelid = 'faq_entries'::regclass AND attname = 'embedding'`;
    if (storage?.mode !== "p") await tx`ALTER TABLE faq_entries ALTER COLUMN embedding SET STORAGE PLAIN`;
    await tx`
      CREATE INDEX IF NOT EXISTS faq_entries_embedding_hnsw
      ON faq_entries USING hnsw (embedding vector_cosine_ops)`;
    await tx`
      CREATE TABLE IF NOT EXISTS faq_meta (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        embedding_model text NOT NULL,
        dimensions integer NOT NULL CHECK (dimensions > 0)
      )`;
    await tx`
      INSERT INTO faq_meta (embedding_model, dimensions) VALUES (${expected.model}, ${dimensions})
      ON CONFLICT (singleton) DO NOTHING`;
    return state.entriesDimensions === null ? "created" : "unchanged";
  });
}
