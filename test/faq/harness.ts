// What the FAQ tests share: a scratch PostgreSQL + pgvector of their own (a fresh PGlite stand-in
// process, so the dev stack's faq_entries is never touched and no test-only code path exists in src),
// an embedding model name of their own (so the shared OpenAI stand-in's per-model counter counts only
// their calls even while other test runs use it), and snapshots of the table.
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { spawn } from "bun";
import postgres from "postgres";
import type { FaqRow } from "../../src/faq/csv";
import { parseFaqCsv } from "../../src/faq/csv";
import { freePort, ROOT } from "../support/processes";
import { standinUrl } from "../support/standin";

export const DEMO_FAQ_CSV = join(ROOT, "scripts/seed/faq.csv");

export interface ScratchPostgres {
  url: string;
  /** A client for assertions and setup; closed by stop(). */
  sql: postgres.Sql;
  stop(): Promise<void>;
}

/** Starts `scripts/standins/pglite/main.ts` on a free port (in-memory data) and waits until it listens. */
export async function startScratchPostgres(): Promise<ScratchPostgres> {
  const port = await freePort();
  const proc = spawn(["bun", join(ROOT, "scripts/standins/pglite/main.ts"), "--port", String(port)], {
    cwd: ROOT,
    stdout: "pipe",
    stderr: "pipe",
  });
  let output = "";
  const decoder = new TextDecoder();
  const started = performance.now();
  const reader = proc.stdout.getReader();
  while (!output.includes("listening")) {
    const timeLeft = 20_000 - (performance.now() - started);
    if (timeLeft <= 0) {
      proc.kill();
      throw new Error(`the scratch PGlite did not start: ${output}`);
    }
    const chunk = await Promise.race([reader.read(), Bun.sleep(timeLeft).then(() => undefined)]);
    if (chunk === undefined) continue;
    if (chunk.done)
      throw new Error(`the scratch PGlite exited: ${output}${await new Response(proc.stderr).text()}`);
    output += decoder.decode(chunk.value, { stream: true });
  }
  reader.releaseLock();
  const url = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
  const sql = postgres(url, { max: 2, onnotice: () => {} });
  return {
    url,
    sql,
    stop: async () => {
      await sql.end({ timeout: 5 });
      proc.kill("SIGTERM");
      await proc.exited;
    },
  };
}

/** An embedding model name no other test run uses; the stand-in embeds every model the same way. */
export function uniqueEmbeddingModel(): string {
  return `text-embedding-3-small-faqtest-${randomUUID().slice(0, 8)}`;
}

/** How many requests the shared OpenAI stand-in has served for `model` so far. */
export async function embeddingCalls(model: string): Promise<number> {
  const res = await fetch(`${standinUrl()}/_standin/stats`);
  const stats = (await res.json()) as { by_model: Record<string, number> };
  return stats.by_model[model] ?? 0;
}

/** The last-user-message previews of the embedding requests made with `model`, oldest first. */
export async function embeddingInputs(model: string): Promise<string[]> {
  const res = await fetch(`${standinUrl()}/_standin/stats`);
  const stats = (await res.json()) as {
    requests: { endpoint: string; model: string; last_user_message: string }[];
  };
  return stats.requests
    .filter((request) => request.endpoint === "embeddings" && request.model === model)
    .map((request) => request.last_user_message);
}

/** Makes the stand-in fail (HTTP 400, not retried) the next embeddings request with an input containing `match`. */
export async function failNextEmbedding(match: string): Promise<void> {
  const res = await fetch(`${standinUrl()}/_standin/script`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      endpoint: "embeddings",
      match,
      replies: [{ error: { status: 400, message: "scripted embedding failure" } }],
    }),
  });
  if (!res.ok) throw new Error(`stand-in refused the script: ${await res.text()}`);
}

export interface StoredEntry {
  id: string;
  question: string;
  answer: string;
  content_hash: string;
  updated_at: Date;
}

/** Everything an ingest may change, ordered by id, to compare before and after. */
export async function snapshotEntries(sql: postgres.Sql): Promise<StoredEntry[]> {
  return sql<StoredEntry[]>`
    SELECT id, question, answer, content_hash, updated_at FROM faq_entries ORDER BY id`;
}

export async function demoFaqRows(): Promise<readonly FaqRow[]> {
  const parsed = parseFaqCsv(await Bun.file(DEMO_FAQ_CSV).text());
  if (!parsed.ok) throw new Error(`the demo FAQ is malformed: ${JSON.stringify(parsed.problems)}`);
  return parsed.rows;
}

/** Writes an RFC 4180 CSV of `rows` under the header id,question,answer, every field quoted. */
export function toCsv(rows: readonly Pick<FaqRow, "id" | "question" | "answer">[]): string {
  const quote = (value: string) => `"${value.replaceAll('"', '""')}"`;
  return ["id,question,answer", ...rows.map((row) => [row.id, row.question, row.answer].map(quote).join(","))]
    .join("\r\n")
    .concat("\r\n");
}
