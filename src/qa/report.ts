// Reading QA runs back: a run's progress and its per-question results (GET /dev/qa-runs/:id, the CLI's
// summary), the recent runs, and the results as CSV. Progress is counted from the question rows, the
// only record of what is finished, never from the job runs the base processor also writes.
import { and, asc, desc, eq, gt, sql } from "drizzle-orm";
import { csvRecord } from "../csv/write";
import { backgroundTasks, qaResults } from "../db/schema";
import type { AppDb } from "../infra/app-db";
import { QA_MAX_QUESTIONS } from "./csv";
import { QA_RUN_KIND } from "./run";

export type QaRunStatus = "queued" | "running" | "done" | "failed";

export interface QaProgress {
  total: number;
  pending: number;
  done: number;
  failed: number;
}

export interface QaRunSummary {
  run_id: string;
  status: QaRunStatus;
  filename: string | null;
  requested_by: string | null;
  /** The run could not be queued (its status is `failed`); null otherwise. */
  error: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  progress: QaProgress;
}

export interface QaQuestionResult {
  position: number;
  id: string;
  question: string;
  expected_tools: string[] | null;
  status: "pending" | "done" | "failed";
  answer: string | null;
  tools_called: string[] | null;
  /** Every expected tool was called; null when the file expected none or the question is pending. */
  tools_match: boolean | null;
  safety_hits: { layer: number; category: string; action: string }[] | null;
  verdict: string | null;
  latency_ms: number | null;
  error: string | null;
  session_id: string | null;
  turn_id: string | null;
  finished_at: string | null;
}

export interface QaRunReport extends QaRunSummary {
  /** Latency of the answered questions (send to `done`), in ms; null until one is answered. */
  latency_ms: { p50: number; p95: number; max: number } | null;
  results: QaQuestionResult[];
}

const RUN_COLUMNS = {
  id: backgroundTasks.id,
  status: backgroundTasks.status,
  params: backgroundTasks.params,
  error: backgroundTasks.error,
  requestedBy: backgroundTasks.requestedBy,
  createdAt: backgroundTasks.createdAt,
  startedAt: backgroundTasks.startedAt,
  finishedAt: backgroundTasks.finishedAt,
};

type RunRow = Pick<
  typeof backgroundTasks.$inferSelect,
  "id" | "status" | "params" | "error" | "requestedBy" | "createdAt" | "startedAt" | "finishedAt"
>;

/** Which results a read returns: those after a position, at most `limit` of them (all by default). */
export interface ResultWindow {
  after: number;
  limit: number;
}

export const ALL_RESULTS: ResultWindow = { after: 0, limit: QA_MAX_QUESTIONS };

/**
 * The run, its progress and latency over every question, and the results in `window` in file order.
 * A console polling a 10,000-question run asks for the progress and a page, not the whole run each time.
 */
export async function readQaRun(
  db: AppDb,
  runId: string,
  window: ResultWindow = ALL_RESULTS,
): Promise<QaRunReport | null> {
  const [run] = await db
    .select(RUN_COLUMNS)
    .from(backgroundTasks)
    .where(and(eq(backgroundTasks.id, runId), eq(backgroundTasks.kind, QA_RUN_KIND)));
  if (!run) return null;
  const [outline, rows] = await Promise.all([
    db
      .select({ status: qaResults.status, latencyMs: qaResults.latencyMs })
      .from(qaResults)
      .where(eq(qaResults.taskId, runId)),
    db
      .select()
      .from(qaResults)
      .where(and(eq(qaResults.taskId, runId), gt(qaResults.position, window.after)))
      .orderBy(asc(qaResults.position))
      .limit(window.limit),
  ]);
  const progress: QaProgress = { total: outline.length, pending: 0, done: 0, failed: 0 };
  for (const row of outline) progress[row.status]++;
  const latencies = outline
    .map((row) => row.latencyMs)
    .filter((ms): ms is number => ms !== null)
    .sort((a, b) => a - b);
  const results = rows.map(
    (row): QaQuestionResult => ({
      position: row.position,
      id: row.questionId,
      question: row.question,
      expected_tools: row.expectedTools ?? null,
      status: row.status,
      answer: row.answer,
      tools_called: row.toolsCalled ?? null,
      tools_match:
        row.expectedTools && row.toolsCalled
          ? row.expectedTools.every((name) => row.toolsCalled?.includes(name))
          : null,
      safety_hits: row.safetyHits ?? null,
      verdict: row.verdict,
      latency_ms: row.latencyMs,
      error: row.error,
      session_id: row.sessionId,
      turn_id: row.turnId,
      finished_at: row.finishedAt?.toISOString() ?? null,
    }),
  );
  return { ...summaryOf(run, progress), latency_ms: latencySummary(latencies), results };
}

/** The newest runs first, each with its progress (one grouped count over their question rows). */
export async function listQaRuns(db: AppDb, limit: number): Promise<QaRunSummary[]> {
  const runs = await db
    .select(RUN_COLUMNS)
    .from(backgroundTasks)
    .where(eq(backgroundTasks.kind, QA_RUN_KIND))
    .orderBy(desc(backgroundTasks.createdAt), desc(backgroundTasks.id))
    .limit(limit);
  if (runs.length === 0) return [];
  const counts = await db
    .select({
      taskId: qaResults.taskId,
      status: qaResults.status,
      count: sql<number>`COUNT(*)`.mapWith(Number),
    })
    .from(qaResults)
    .where(
      sql`${qaResults.taskId} IN (${sql.join(
        runs.map((run) => sql`${run.id}`),
        sql`, `,
      )})`,
    )
    .groupBy(qaResults.taskId, qaResults.status);
  return runs.map((run) => {
    const progress: QaProgress = { total: 0, pending: 0, done: 0, failed: 0 };
    for (const count of counts) {
      if (count.taskId !== run.id) continue;
      progress[count.status] += count.count;
      progress.total += count.count;
    }
    return summaryOf(run, progress);
  });
}

export const QA_CSV_COLUMNS = [
  "position",
  "id",
  "question",
  "expected_tools",
  "status",
  "answer",
  "tools_called",
  "tools_match",
  "verdict",
  "safety_hits",
  "latency_ms",
  "error",
  "session_id",
  "turn_id",
] as const;

/** The results as RFC 4180 CSV: lists joined with `;`, safety hits as `layer:category:action`. */
export function qaRunCsv(report: QaRunReport): string {
  const lines = [csvRecord(QA_CSV_COLUMNS)];
  for (const result of report.results) {
    lines.push(
      csvRecord([
        result.position,
        result.id,
        result.question,
        result.expected_tools?.join(";") ?? null,
        result.status,
        result.answer,
        result.tools_called?.join(";") ?? null,
        result.tools_match,
        result.verdict,
        result.safety_hits?.map((hit) => `${hit.layer}:${hit.category}:${hit.action}`).join(";") ?? null,
        result.latency_ms,
        result.error,
        result.session_id,
        result.turn_id,
      ]),
    );
  }
  return lines.join("");
}

function summaryOf(run: RunRow, progress: QaProgress): QaRunSummary {
  const params = (run.params ?? {}) as { filename?: unknown };
  return {
    run_id: run.id,
    status: run.status,
    filename: typeof params.filename === "string" ? params.filename : null,
    requested_by: run.requestedBy,
    error: run.error,
    created_at: run.createdAt.toISOString(),
    started_at: run.startedAt?.toISOString() ?? null,
    finished_at: run.finishedAt?.toISOString() ?? null,
    progress,
  };
}

/** Nearest-rank percentiles of sorted latencies. */
function latencySummary(sorted: readonly number[]): QaRunReport["latency_ms"] {
  if (sorted.length === 0) return null;
  const rank = (p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
  return { p50: rank(50), p95: rank(95), max: sorted.at(-1) ?? 0 };
}
