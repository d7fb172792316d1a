/**
 * FAQ search latency at 1,000 and 10,000 rows, p50/p95 over `--iterations` searches per case:
 * - sql: the ranking query alone (`nearestFaqEntries`: HNSW cosine, threshold in SQL) with precomputed
 *   query vectors, i.e. what the database costs;
 * - end-to-end: `searchFaq` as the tool runs it, embedding the question through the OpenAI stand-in first.
 * Also prints the query plan, whether each paraphrase of a demo entry still finds it first through the
 * index (against an exact table scan), recall@3 against the exact scan over all queries, and load times.
 *
 * Runs on its own PGlite + pgvector (the local stack's stand-in, spawned on a free port with in-memory
 * data), so the dev stack's FAQ table is never touched and nothing is left behind. The 42 demo entries are
 * ingested with `ingestFaq` (embedded by the stand-in); the rest are filler rows, written through the
 * ingest's own transaction (`writeFaqChanges`) with the HNSW index rebuilt by `ensureFaqSchema` after each
 * bulk load (row-by-row HNSW inserts cost ~6 ms a row on WASM PGlite). `--filler`:
 * - `random` (default): deterministic random unit vectors, i.e. content unrelated to any question;
 * - `lexical`: FAQ-like text from the demo vocabulary embedded by the stand-in. Its hashed word vectors
 *   make every filler row about as close to a question as the right entry, a flat landscape that is hard
 *   for any approximate index: use it to probe recall, not as the headline latency.
 *
 *   set -a; source .local/stack.env; set +a; bun scripts/bench/faq-search.ts [--iterations 300] [--filler random]
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { spawn } from "bun";
import OpenAI from "openai";
import postgres from "postgres";
import { loadConfig } from "../../src/config/index";
import { type FaqRow, parseFaqCsv } from "../../src/faq/csv";
import { faqContentHash, ingestFaq } from "../../src/faq/ingest";
import { ensureFaqSchema } from "../../src/faq/schema";
import { searchFaq } from "../../src/faq/search";
import {
  type FaqEntryWrite,
  NEAREST_SQL,
  nearestFaqEntries,
  readContentHashes,
  toVectorLiteral,
  writeFaqChanges,
} from "../../src/faq/store";
import { createLlm } from "../../src/llm/client";
import { createLogger } from "../../src/observability/logger";
import { embedText, tokenizeWords } from "../standins/openai/embeddings";

const SIZES = [1_000, 10_000];
const TARGET_SIZE = 10_000;
const TARGET_P95_MS = 20;
const LIMIT = 3;
const WARMUP_SEARCHES = 30;
const QUERY_COUNT = 100;
const ROOT = join(import.meta.dir, "../..");
const DEMO_CSV = join(ROOT, "scripts/seed/faq.csv");

/** Paraphrases of demo entries, with the entry each should find first. */
const PARAPHRASES: [query: string, id: string][] = [
  ["my watch is not charging", "faq-001"],
  ["what is the battery life", "faq-002"],
  ["is it water resistant", "faq-008"],
  ["the app does not sync my readings", "faq-009"],
  ["move the watch to a new phone", "faq-011"],
  ["export my readings for my doctor", "faq-014"],
  ["swap the watch strap", "faq-029"],
  ["delete my data", "faq-037"],
];

const { values } = parseArgs({
  options: {
    iterations: { type: "string", default: "300" },
    filler: { type: "string", default: "random" },
  },
});
const iterations = Number(values.iterations);
if (!Number.isInteger(iterations) || iterations < 1)
  throw new Error("--iterations must be a positive integer");
const filler = values.filler;
if (filler !== "random" && filler !== "lexical") throw new Error("--filler must be random or lexical");

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** mulberry32: a tiny seeded PRNG, so every run benchmarks the same rows and queries. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function sentence(vocabulary: readonly string[], words: number, random: () => number): string {
  const picked = Array.from(
    { length: words },
    () => vocabulary[Math.floor(random() * vocabulary.length)] ?? "",
  );
  const text = picked.join(" ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A deterministic random direction: Gaussian coordinates (Box-Muller), normalised. */
function randomUnitVector(dimensions: number, random: () => number): Float32Array {
  const vector = new Float32Array(dimensions);
  let norm = 0;
  for (let i = 0; i < dimensions; i++) {
    const value = Math.sqrt(-2 * Math.log(random() || Number.MIN_VALUE)) * Math.cos(2 * Math.PI * random());
    vector[i] = value;
    norm += value * value;
  }
  const scale = 1 / Math.sqrt(norm);
  for (let i = 0; i < dimensions; i++) vector[i] = (vector[i] ?? 0) * scale;
  return vector;
}

/** Filler rows `from` ..< `to` in the chosen style (text for `lexical`; text and a vector for `random`). */
function fillerRows(from: number, to: number, vocabulary: readonly string[]): FaqRow[] {
  const random = seededRandom(42 + from);
  return Array.from({ length: to - from }, (_, offset) => {
    const i = from + offset;
    return {
      id: `bench-${String(i).padStart(5, "0")}`,
      question: `${sentence(vocabulary, 6 + Math.floor(random() * 7), random)}?`,
      answer: `${sentence(vocabulary, 30 + Math.floor(random() * 41), random)}.`,
      line: i + 2,
    };
  });
}

/** The paraphrases, then random questions in the demo questions' vocabulary. */
function benchQueries(demo: readonly FaqRow[]): string[] {
  const vocabulary = [...new Set(demo.flatMap((row) => tokenizeWords(row.question)))];
  const random = seededRandom(7);
  return [
    ...PARAPHRASES.map(([query]) => query),
    ...Array.from({ length: QUERY_COUNT - PARAPHRASES.length }, () =>
      sentence(vocabulary, 4 + Math.floor(random() * 6), random),
    ),
  ];
}

async function startPglite(): Promise<{ url: string; stop(): Promise<void> }> {
  const listener = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = listener.port;
  listener.stop(true);
  const proc = spawn(["bun", join(ROOT, "scripts/standins/pglite/main.ts"), "--port", String(port)], {
    cwd: ROOT,
    stdout: "pipe",
    stderr: "inherit",
  });
  const decoder = new TextDecoder();
  let output = "";
  for await (const chunk of proc.stdout) {
    output += decoder.decode(chunk, { stream: true });
    if (output.includes("listening")) break;
  }
  if (!output.includes("listening")) throw new Error(`PGlite did not start: ${output}`);
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    stop: async () => {
      proc.kill("SIGTERM");
      await proc.exited;
    },
  };
}

async function measure(run: (i: number) => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < WARMUP_SEARCHES; i++) await run(i);
  const latencies: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const started = performance.now();
    await run(i);
    latencies.push(performance.now() - started);
  }
  return latencies.sort((a, b) => a - b);
}

const seconds = (fromMs: number) => ((performance.now() - fromMs) / 1000).toFixed(1);

const config = loadConfig(process.env);
const embedding = { model: config.HILO_EMBEDDING_MODEL, dimensions: config.HILO_EMBEDDING_DIMENSIONS };
const threshold = config.HILO_FAQ_MATCH_THRESHOLD;
const parsedDemo = parseFaqCsv(await Bun.file(DEMO_CSV).text());
if (!parsedDemo.ok) throw new Error(`the demo FAQ is malformed: ${JSON.stringify(parsedDemo.problems)}`);
const demo = parsedDemo.rows;
const vocabulary = [...new Set(demo.flatMap((row) => tokenizeWords(`${row.question} ${row.answer}`)))];
const queries = benchQueries(demo);
const queryVectors = queries.map((query) => Float32Array.from(embedText(query, embedding.dimensions)));

const pg = await startPglite();
const sql = postgres(pg.url, { max: 4, onnotice: () => {} });
const llm = createLlm(
  new OpenAI({ baseURL: config.OPENAI_BASE_URL, apiKey: config.OPENAI_API_KEY, maxRetries: 0 }),
  { log: createLogger("warn") },
);
const signal = new AbortController().signal;

try {
  await ensureFaqSchema(sql, embedding);
  await ingestFaq({ sql, llm, embedding, rows: demo, signal });
  const header = ["rows", "path", "p50 ms", "p95 ms", "max ms", `p95 ≤ ${TARGET_P95_MS}`];
  const table: string[][] = [];
  const notes: string[] = [];
  let loaded: FaqRow[] = [...demo];
  for (const size of SIZES) {
    await sql`DROP INDEX IF EXISTS faq_entries_embedding_hnsw`;
    const loadStarted = performance.now();
    const extra = fillerRows(loaded.length, size, vocabulary);
    loaded = [...loaded, ...extra];
    if (filler === "lexical") {
      await ingestFaq({ sql, llm, embedding, rows: loaded, signal });
    } else {
      const random = seededRandom(size);
      const upserts: FaqEntryWrite[] = extra.map((row) => ({
        ...row,
        contentHash: faqContentHash(row),
        embedding: randomUnitVector(embedding.dimensions, random),
      }));
      const basedOn = await readContentHashes(sql);
      await writeFaqChanges(sql, { upserts, keepIds: loaded.map((row) => row.id), basedOn });
    }
    const indexStarted = performance.now();
    await ensureFaqSchema(sql, embedding);
    notes.push(
      `${size} rows: loaded ${extra.length} ${filler} filler rows in ${((indexStarted - loadStarted) / 1000).toFixed(1)} s, ` +
        `HNSW index built in ${seconds(indexStarted)} s`,
    );

    const sqlLatencies = await measure((i) =>
      nearestFaqEntries(sql, queryVectors[i % queryVectors.length] ?? new Float32Array(), {
        limit: LIMIT,
        minSimilarity: threshold,
      }),
    );
    const endToEnd = await measure((i) =>
      searchFaq({
        sql,
        llm,
        embedding,
        query: queries[i % queries.length] ?? "",
        limit: LIMIT,
        minSimilarity: threshold,
        signal,
      }),
    );
    for (const [path, latencies] of [
      ["sql", sqlLatencies],
      ["end-to-end", endToEnd],
    ] as const) {
      const p95 = percentile(latencies, 95);
      table.push([
        String(size),
        path,
        percentile(latencies, 50).toFixed(2),
        p95.toFixed(2),
        (latencies.at(-1) ?? Number.NaN).toFixed(2),
        size === TARGET_SIZE ? (p95 <= TARGET_P95_MS ? "yes" : "NO") : "",
      ]);
    }

    // What the approximate index gives up against an exact scan (no threshold): whether each paraphrase
    // still finds its entry first, and the share of the exact top-3 it returns over all queries.
    let found = 0;
    let expected = 0;
    const firstFound = { index: 0, exact: 0 };
    for (const [i, vector] of queryVectors.entries()) {
      const approximate = await nearestFaqEntries(sql, vector, { limit: LIMIT, minSimilarity: -1 });
      const exact = await sql.begin(async (tx) => {
        await tx`SET LOCAL enable_indexscan = off`;
        return tx.unsafe<{ id: string }[]>(NEAREST_SQL, [toVectorLiteral(vector), LIMIT, -1]);
      });
      const approximateIds = new Set(approximate.map((match) => match.id));
      expected += exact.length;
      found += exact.filter((row) => approximateIds.has(row.id)).length;
      const wanted = PARAPHRASES[i]?.[1];
      if (wanted !== undefined && approximate[0]?.id === wanted) firstFound.index += 1;
      if (wanted !== undefined && exact[0]?.id === wanted) firstFound.exact += 1;
    }
    const plan = await sql.unsafe<{ "QUERY PLAN": string }[]>(`EXPLAIN ${NEAREST_SQL}`, [
      toVectorLiteral(queryVectors[0] ?? new Float32Array()),
      LIMIT,
      threshold,
    ]);
    const usesIndex = plan.some((line) => line["QUERY PLAN"].includes("faq_entries_embedding_hnsw"));
    notes.push(
      `${size} rows: plan ${usesIndex ? "uses the HNSW index" : "scans the table (exact)"}; ` +
        `paraphrase finds its entry first ${firstFound.index}/${PARAPHRASES.length} ` +
        `(exact scan ${firstFound.exact}/${PARAPHRASES.length}); ` +
        `recall@${LIMIT} vs exact ${((100 * found) / Math.max(1, expected)).toFixed(1)}% over ${queries.length} queries`,
    );
  }

  console.log(
    `FAQ search, ${embedding.dimensions} dimensions, limit ${LIMIT}, threshold ${threshold}, ${filler} filler, ` +
      `${iterations} searches per case over ${queries.length} distinct queries (own PGlite)\n`,
  );
  const widths = header.map((title, column) =>
    Math.max(title.length, ...table.map((row) => row[column]?.length ?? 0)),
  );
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join("  ");
  console.log(line(header));
  console.log(line(widths.map((width) => "-".repeat(width))));
  for (const row of table) console.log(line(row));
  console.log(`\n${notes.join("\n")}`);
} finally {
  await sql.end({ timeout: 5 });
  await pg.stop();
}
