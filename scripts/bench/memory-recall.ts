/**
 * Recall latency of user memory at 50, 500 and 5,000 memories of the configured size (1,536 floats).
 *
 * Seeds one bench user per size in the local stack's App MySQL (rows written exactly as save_memory
 * writes them), then measures, p50/p95 over `--iterations` calls:
 * - score: cosine top-5 over the cached packed matrix (`topMatches`), the part the 2 ms target is about;
 * - recall: `recallMemories` end to end on a warm cache with an instant embedder, i.e. everything but the
 *   embedding call (cache lookup, query normalisation, scoring, result mapping);
 * - cold load: reading the pool from MySQL, parsing the JSON vectors and packing them (a cache miss).
 * The bench users' rows are deleted at the end (and before seeding, after an aborted run).
 *
 *   set -a; source .local/stack.env; set +a; bun scripts/bench/memory-recall.ts [--iterations 500]
 */
import { parseArgs } from "node:util";
import { inArray, like } from "drizzle-orm";
import { loadConfig } from "../../src/config/index";
import { memories } from "../../src/db/schema/index";
import { closeDeps, createDeps } from "../../src/infra/deps";
import { createMemoryPoolCache } from "../../src/memory/cache";
import {
  loadRecallPool,
  type MemoryEmbedder,
  type MemorySearchCtx,
  memoryThresholds,
  recallMemories,
} from "../../src/memory/service";
import { normalised, topMatches } from "../../src/memory/vectors";
import { mulberry32 } from "../seed/watch-data";

const SIZES = [50, 500, 5_000];
const TARGET_SIZE = 500;
const TARGET_SCORE_MS = 2;
const RECALL_LIMIT = 5;
const WARMUP_CALLS = 50;
const COLD_LOADS = 10;
const INSERT_BATCH = 100;
const QUERY_COUNT = 64;
const USER_PREFIX = "bench-memory-";

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** Deterministic, so every run scores the same vectors. */
function randomUnitVector(random: () => number, dimensions: number): Float32Array {
  return normalised(Array.from({ length: dimensions }, () => random() * 2 - 1));
}

async function timed(iterations: number, call: (i: number) => unknown): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const started = performance.now();
    await call(i);
    latencies.push(performance.now() - started);
  }
  return latencies.sort((a, b) => a - b);
}

const { values } = parseArgs({ options: { iterations: { type: "string", default: "500" } } });
const iterations = Number(values.iterations);
if (!Number.isInteger(iterations) || iterations < 1)
  throw new Error("--iterations must be a positive integer");

const config = loadConfig(process.env);
const deps = createDeps(config);
const db = deps.appDb.db;
const dimensions = config.HILO_EMBEDDING_DIMENSIONS;
const model = config.HILO_EMBEDDING_MODEL;
const random = mulberry32(20_240_601);
const users = SIZES.map((size) => ({
  size,
  userId: `${USER_PREFIX}${size}-${crypto.randomUUID().slice(0, 8)}`,
}));

try {
  await db.delete(memories).where(like(memories.userId, `${USER_PREFIX}%`));
  const seedStarted = performance.now();
  for (const { size, userId } of users) {
    for (let start = 0; start < size; start += INSERT_BATCH) {
      const batch = Array.from({ length: Math.min(INSERT_BATCH, size - start) }, (_, i) => ({
        id: Bun.randomUUIDv7(),
        userId,
        content: `Bench fact ${start + i} of ${size}`,
        // As saveMemory stores them: 9 significant digits round-trip a float32.
        embedding: Array.from(randomUnitVector(random, dimensions), (value) => Number(value.toPrecision(9))),
        embeddingModel: model,
        sourceSessionId: null,
      }));
      await db.insert(memories).values(batch);
    }
  }
  console.log(
    `seeded ${SIZES.join(" / ")} memories of ${dimensions} dimensions in ` +
      `${Math.round(performance.now() - seedStarted)} ms; ${iterations} calls per measure, ${COLD_LOADS} cold loads\n`,
  );

  const header = [
    "memories",
    "score p50 ms",
    "score p95 ms",
    "recall p50 ms",
    "recall p95 ms",
    "cold load p50 ms",
    "cold load p95 ms",
  ];
  const rows: string[][] = [];
  let targetScoreP95 = Number.NaN;
  for (const { size, userId } of users) {
    const embedder = { model, dimensions };
    const cold = await timed(COLD_LOADS, () => loadRecallPool(db, userId, embedder));
    const pool = await loadRecallPool(db, userId, embedder);
    if (pool.matrix.count !== size) throw new Error(`expected ${size} memories, loaded ${pool.matrix.count}`);

    // Queries close to a stored fact (so some pass the threshold) plus noise.
    const queries = Array.from({ length: QUERY_COUNT }, (_, i) => {
      const row = (i * 7919) % size;
      const stored = pool.matrix.values.subarray(row * dimensions, (row + 1) * dimensions);
      const noise = randomUnitVector(random, dimensions);
      return normalised(stored.map((value, d) => 0.6 * value + 0.4 * (noise[d] ?? 0)));
    });
    const queryAt = (i: number): Float32Array => queries[i % QUERY_COUNT] ?? new Float32Array(dimensions);
    const threshold = config.HILO_MEMORY_RECALL_THRESHOLD;

    const score = (i: number) => topMatches(pool.matrix, queryAt(i), RECALL_LIMIT, threshold);
    await timed(WARMUP_CALLS, score);
    const scoreTimes = await timed(iterations, score);

    let next = 0;
    const instantEmbedder: MemoryEmbedder = {
      model,
      dimensions,
      embed: async () => queryAt(next++),
    };
    const ctx: MemorySearchCtx = {
      userId,
      db,
      cache: createMemoryPoolCache(),
      embedder: instantEmbedder,
      thresholds: memoryThresholds(config),
      signal: new AbortController().signal,
      sessionId: null,
    };
    const recall = () => recallMemories({ ctx, input: { query: "bench", limit: RECALL_LIMIT } });
    await timed(WARMUP_CALLS, recall); // also loads the cache once
    const recallTimes = await timed(iterations, recall);

    if (size === TARGET_SIZE) targetScoreP95 = percentile(scoreTimes, 95);
    rows.push([
      size.toLocaleString("en-GB"),
      ...[scoreTimes, recallTimes, cold].flatMap((times) => [
        percentile(times, 50).toFixed(3),
        percentile(times, 95).toFixed(3),
      ]),
    ]);
  }

  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)),
  );
  const line = (cells: string[]) =>
    cells.map((cell, column) => cell.padStart(widths[column] ?? 0)).join("  ");
  console.log(line(header));
  console.log(line(widths.map((width) => "-".repeat(width))));
  for (const row of rows) console.log(line(row));
  console.log(
    targetScoreP95 <= TARGET_SCORE_MS
      ? `\nscore p95 at ${TARGET_SIZE} memories: ${targetScoreP95.toFixed(3)} ms (target ≤ ${TARGET_SCORE_MS} ms): ok`
      : `\nscore p95 at ${TARGET_SIZE} memories: ${targetScoreP95.toFixed(3)} ms, OVER the ${TARGET_SCORE_MS} ms target`,
  );
} finally {
  // The bench rows are disposable; a failed delete must not hide the error that got us here.
  await db
    .delete(memories)
    .where(
      inArray(
        memories.userId,
        users.map((user) => user.userId),
      ),
    )
    .catch(() => {});
  await closeDeps(deps);
}
