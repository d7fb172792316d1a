// The user-memory verbs, without transport: save (merging near-duplicates), recall, list, delete.
// Chat tools and HTTP routes both call these; every query is scoped by the user in `ctx`.
import { and, desc, eq, sql } from "drizzle-orm";
import type { Config } from "../config";
import { beforeCursor, type Cursor, toPage } from "../db/cursor";
import { memories } from "../db/schema";
import type { AppDb } from "../infra/app-db";
import type { Llm } from "../llm/client";
import type { MemoryPool, MemoryPoolCache } from "./cache";
import { normalised, packRows, topMatches } from "./vectors";

/** One fact, short enough to sit on one line of the system prompt. */
export const MEMORY_MAX_CHARS = 300;
export const RECALL_QUERY_MAX_CHARS = 500;
export const RECALL_DEFAULT_LIMIT = 5;
export const RECALL_MAX_LIMIT = 10;
/**
 * Newest memories a recall or a duplicate check looks at. The save policy keeps pools at a few hundred
 * facts; this bounds the memory and the scoring time of a pathological one (5,000 × 1,536 floats ≈ 30 MB).
 */
export const RECALL_POOL_MAX_ROWS = 5_000;
/** Decimal digits that round-trip a float32 exactly: stored vectors lose nothing and stay compact. */
const FLOAT32_DIGITS = 9;

export interface MemoryEmbedder {
  /** Stored with every row: vectors of another model (or size) are never compared with these. */
  readonly model: string;
  readonly dimensions: number;
  embed(text: string, signal: AbortSignal): Promise<Float32Array>;
}

export function llmEmbedder(
  llm: Llm,
  config: Pick<Config, "HILO_EMBEDDING_MODEL" | "HILO_EMBEDDING_DIMENSIONS">,
): MemoryEmbedder {
  const model = config.HILO_EMBEDDING_MODEL;
  const dimensions = config.HILO_EMBEDDING_DIMENSIONS;
  return {
    model,
    dimensions,
    embed: async (text, signal) => {
      const [vector] = await llm.embed({ model, dimensions, input: [text] }, { signal });
      if (vector === undefined) throw new Error(`embedding model ${model} returned no vector`);
      return vector;
    },
  };
}

export interface MemoryThresholds {
  /** Cosine at or above which a new fact replaces the saved one it matches. */
  dedup: number;
  /** Cosine below which a saved fact is not recalled. */
  recall: number;
}

export function memoryThresholds(
  config: Pick<Config, "HILO_MEMORY_DEDUP_THRESHOLD" | "HILO_MEMORY_RECALL_THRESHOLD">,
): MemoryThresholds {
  return { dedup: config.HILO_MEMORY_DEDUP_THRESHOLD, recall: config.HILO_MEMORY_RECALL_THRESHOLD };
}

/** Who acts and on which stores: all that listing and deleting need. */
export interface MemoryCtx {
  readonly userId: string;
  readonly db: AppDb;
  /** The process's pool cache: every write here invalidates the user's entry. */
  readonly cache: MemoryPoolCache;
}

/** Saving and recalling also embed text, within the caller's budget. */
export interface MemorySearchCtx extends MemoryCtx {
  readonly embedder: MemoryEmbedder;
  readonly thresholds: MemoryThresholds;
  readonly signal: AbortSignal;
  /** The chat session a saved fact came from; null outside a chat. */
  readonly sessionId: string | null;
}

export interface SavedMemory {
  /** "updated" when the fact matched a saved one closely enough to replace it. */
  status: "saved" | "updated";
  memoryId: string;
  content: string;
}

export async function saveMemory({
  ctx,
  input,
}: {
  ctx: MemorySearchCtx;
  input: { content: string };
}): Promise<SavedMemory> {
  const content = input.content.replace(/\s+/g, " ").trim();
  if (content === "") throw new RangeError("a memory needs some text");
  // The embedding call is the slow part and needs no lock; the check-then-write below does.
  const vector = await ctx.embedder.embed(content, ctx.signal);
  const embedding = Array.from(vector, (value) => Number(value.toPrecision(FLOAT32_DIGITS)));
  const row = {
    content,
    embedding,
    embeddingModel: ctx.embedder.model,
    sourceSessionId: ctx.sessionId,
  };
  return writeMemories(ctx, async () => {
    const pool = await recallPool(ctx);
    const [nearest] = topMatches(pool.matrix, normalised(vector), 1, ctx.thresholds.dedup);
    const nearestId = nearest === undefined ? undefined : pool.ids[nearest.row];
    if (nearestId !== undefined) {
      const [result] = await ctx.db
        .update(memories)
        .set({ ...row, updatedAt: sql`CURRENT_TIMESTAMP(3)` })
        .where(and(eq(memories.id, nearestId), eq(memories.userId, ctx.userId)));
      if (result.affectedRows === 1) return { status: "updated", memoryId: nearestId, content };
      // The matched memory was deleted since the pool was loaded (the user, from the app): a new row.
    }
    const memoryId = Bun.randomUUIDv7();
    await ctx.db.insert(memories).values({ id: memoryId, userId: ctx.userId, ...row });
    return { status: "saved", memoryId, content };
  });
}

export interface RecalledMemory {
  memoryId: string;
  content: string;
  /** Cosine similarity with the query, unrounded. */
  similarity: number;
  savedAt: Date;
}

/** The saved facts most similar to `query`, best first, none below the recall threshold. */
export async function recallMemories({
  ctx,
  input,
}: {
  ctx: MemorySearchCtx;
  input: { query: string; limit: number };
}): Promise<RecalledMemory[]> {
  const pool = await recallPool(ctx);
  // Nothing to search: skip the embedding call.
  if (pool.matrix.count === 0) return [];
  const query = normalised(await ctx.embedder.embed(input.query, ctx.signal));
  return topMatches(pool.matrix, query, input.limit, ctx.thresholds.recall).map(({ row, score }) => ({
    memoryId: pool.ids[row] ?? "",
    content: pool.contents[row] ?? "",
    similarity: score,
    savedAt: pool.savedAt[row] ?? new Date(0),
  }));
}

export interface ListedMemory {
  memoryId: string;
  content: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface MemoryPage {
  items: ListedMemory[];
  nextCursor: string | null;
}

/** The user's memories, most recently saved or updated first (the prelude's order), by cursor. */
export async function listMemories({
  ctx,
  input,
}: {
  ctx: MemoryCtx;
  input: { limit: number; cursor: Cursor | null };
}): Promise<MemoryPage> {
  const { cursor, limit } = input;
  const rows = await ctx.db
    .select({
      memoryId: memories.id,
      content: memories.content,
      createdAt: memories.createdAt,
      updatedAt: memories.updatedAt,
    })
    .from(memories)
    .where(and(eq(memories.userId, ctx.userId), beforeCursor(memories.updatedAt, memories.id, cursor)))
    .orderBy(desc(memories.updatedAt), desc(memories.id))
    .limit(limit + 1);
  return toPage(rows, limit, (row) => ({ at: row.updatedAt, id: row.memoryId }));
}

/** False when the user has no memory with this id (another user's memory counts as none). */
export async function deleteMemory({
  ctx,
  input,
}: {
  ctx: MemoryCtx;
  input: { memoryId: string };
}): Promise<boolean> {
  return writeMemories(ctx, async () => {
    const [result] = await ctx.db
      .delete(memories)
      .where(and(eq(memories.id, input.memoryId), eq(memories.userId, ctx.userId)));
    return result.affectedRows === 1;
  });
}

/**
 * Every write of a user's memories: one at a time per user in this process, so a fact saved twice in
 * one tool round is merged rather than inserted twice (two api instances saving the same fact at the
 * same instant can still both insert), and the user's cached pool dropped afterwards, also after a
 * failed write, which may or may not have reached the table.
 */
function writeMemories<T>(ctx: MemoryCtx, write: () => Promise<T>): Promise<T> {
  return ctx.cache.exclusive(ctx.userId, async () => {
    try {
      return await write();
    } finally {
      ctx.cache.invalidate(ctx.userId);
    }
  });
}

function recallPool(ctx: MemorySearchCtx): Promise<MemoryPool> {
  return ctx.cache.pool(ctx.userId, () => loadRecallPool(ctx.db, ctx.userId, ctx.embedder));
}

/** Reads the user's newest memories of the current embedding model and packs them for scoring. */
export async function loadRecallPool(
  db: AppDb,
  userId: string,
  embedder: Pick<MemoryEmbedder, "model" | "dimensions">,
): Promise<MemoryPool> {
  const rows = await db
    .select({
      id: memories.id,
      content: memories.content,
      embedding: memories.embedding,
      savedAt: memories.updatedAt,
    })
    .from(memories)
    .where(and(eq(memories.userId, userId), eq(memories.embeddingModel, embedder.model)))
    .orderBy(desc(memories.updatedAt), desc(memories.id))
    .limit(RECALL_POOL_MAX_ROWS);
  const kept: { id: string; content: string; savedAt: Date; vector: number[] }[] = [];
  for (const row of rows) {
    const vector = storedVector(row.embedding, embedder.dimensions);
    // A vector of another size (the configured dimensions changed) cannot be compared: left out.
    if (vector !== null) kept.push({ ...row, vector });
  }
  return {
    matrix: packRows(
      kept.map((row) => row.vector),
      embedder.dimensions,
    ),
    ids: kept.map((row) => row.id),
    contents: kept.map((row) => row.content),
    savedAt: kept.map((row) => row.savedAt),
  };
}

// mysql2 parses JSON columns itself; a driver or proxy that passes the text through gives a string.
function storedVector(raw: unknown, dimensions: number): number[] | null {
  const value: unknown = typeof raw === "string" ? JSON.parse(raw) : raw;
  if (!Array.isArray(value) || value.length !== dimensions) return null;
  return value.every((item) => typeof item === "number") ? value : null;
}
