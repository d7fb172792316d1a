// The daily report (07:00 UTC, for the previous UTC day): what our own tables say about that day,
// counted in a few grouped reads. Read-only, so a retry or a stalled job's re-run computes the same
// report; the processor stores it as the run's result in background_tasks, where `hilo report`
// finds it. Model calls and their latency live only in Prometheus, so the report says so instead of
// guessing.
import { and, count, countDistinct, desc, eq, gte, inArray, lt, sql } from "drizzle-orm";
import {
  backgroundTasks,
  goalEvaluations,
  intercomHandovers,
  memories,
  safetyAudit,
  turnClaims,
} from "../db/schema";
import type { Deps } from "../infra/deps";

export const DAILY_REPORT_KIND = "daily-report";

const DAY_MS = 24 * 60 * 60 * 1_000;

/** What the report cannot count from our tables, printed as such. */
const NOT_STORED = {
  model_calls: "not stored (Prometheus hilo_* metrics only)",
  model_call_p95_ms: "not stored (Prometheus hilo_* metrics only)",
  faq_no_match_rate: "not stored (FAQ searches are not recorded)",
} as const;

export interface DailyReport {
  /** The reported UTC day, YYYY-MM-DD. */
  day: string;
  /** Turns whose claim was created that day, by how they ended. */
  turns: {
    started: number;
    done: number;
    /** Failed for any reason but the turn budget. */
    failed: number;
    timeout: number;
    /** Still running when the report ran (a claim the reconciler has not reaped yet). */
    running: number;
    failed_by_reason: Record<string, number>;
  };
  /** Layer 1 decisions by category (rule hits and redacted personal information). */
  layer1_by_category: Record<string, number>;
  /** Turns the model guard let through because it failed (fail-open). */
  model_guard_failed_open: number;
  layer3_flags_by_category: Record<string, number>;
  /** Layer 4: approved, revise (turns the judge sent to a rewrite), degraded (judge failed open). */
  judge: { approved: number; revise: number; rewrite_failed: number; degraded: number };
  memory_saves: number;
  /** Handovers created that day, by their current status. */
  handovers_by_status: Record<string, number>;
  /** Goal evaluations whose (user-local) period is that day. */
  goals: { achieved: number; missed: number; no_data: number };
  not_stored: typeof NOT_STORED;
}

/** The UTC day before `at`: the day a 07:00 fire reports on. */
export function previousUtcDay(at: Date): string {
  return new Date(at.getTime() - DAY_MS).toISOString().slice(0, 10);
}

/** True for a real calendar day in YYYY-MM-DD form (2026-02-30 is not one). */
export function isUtcDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00.000Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}

function tally(rows: readonly { key: string | null; n: number }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const row of rows) {
    const key = row.key ?? "(none)";
    out[key] = (out[key] ?? 0) + row.n;
  }
  return out;
}

export async function computeDailyReport(deps: Deps, day: string): Promise<DailyReport> {
  const db = deps.appDb.db;
  const from = new Date(`${day}T00:00:00.000Z`);
  const to = new Date(from.getTime() + DAY_MS);

  const [claimRows, safetyRows, reviseRows, memoryRows, handoverRows, goalRows] = await Promise.all([
    db
      .select({ status: turnClaims.status, reason: turnClaims.failureReason, n: count() })
      .from(turnClaims)
      .where(and(gte(turnClaims.createdAt, from), lt(turnClaims.createdAt, to)))
      .groupBy(turnClaims.status, turnClaims.failureReason),
    db
      .select({
        layer: safetyAudit.layer,
        category: safetyAudit.category,
        action: safetyAudit.action,
        n: count(),
      })
      .from(safetyAudit)
      .where(
        and(
          gte(safetyAudit.createdAt, from),
          lt(safetyAudit.createdAt, to),
          inArray(safetyAudit.layer, [1, 3, 4]),
        ),
      )
      .groupBy(safetyAudit.layer, safetyAudit.category, safetyAudit.action),
    // A revised answer writes one row per violated rule; the verdict is counted once per turn.
    db
      .select({ action: safetyAudit.action, n: countDistinct(safetyAudit.turnId) })
      .from(safetyAudit)
      .where(
        and(
          gte(safetyAudit.createdAt, from),
          lt(safetyAudit.createdAt, to),
          eq(safetyAudit.layer, 4),
          inArray(safetyAudit.action, ["rewritten", "rewrite_failed"]),
        ),
      )
      .groupBy(safetyAudit.action),
    db
      .select({ n: count() })
      .from(memories)
      .where(and(gte(memories.createdAt, from), lt(memories.createdAt, to))),
    db
      .select({ key: intercomHandovers.status, n: count() })
      .from(intercomHandovers)
      .where(and(gte(intercomHandovers.createdAt, from), lt(intercomHandovers.createdAt, to)))
      .groupBy(intercomHandovers.status),
    db
      .select({ hit: goalEvaluations.hit, noData: goalEvaluations.noData, n: count() })
      .from(goalEvaluations)
      .where(eq(goalEvaluations.period, day))
      .groupBy(goalEvaluations.hit, goalEvaluations.noData),
  ]);

  const turns = { started: 0, done: 0, failed: 0, timeout: 0, running: 0 };
  const failedReasons: { key: string | null; n: number }[] = [];
  for (const row of claimRows) {
    turns.started += row.n;
    if (row.status === "failed") {
      failedReasons.push({ key: row.reason, n: row.n });
      if (row.reason === "timeout") turns.timeout += row.n;
      else turns.failed += row.n;
    } else {
      turns[row.status] += row.n;
    }
  }

  const layer1: { key: string; n: number }[] = [];
  const layer3: { key: string; n: number }[] = [];
  let guardFailedOpen = 0;
  const judge = { approved: 0, revise: 0, rewrite_failed: 0, degraded: 0 };
  for (const row of safetyRows) {
    if (row.layer === 1 && row.action === "guard_failed_open") guardFailedOpen += row.n;
    else if (row.layer === 1) layer1.push({ key: row.category, n: row.n });
    else if (row.layer === 3) layer3.push({ key: row.category, n: row.n });
    else if (row.action === "approved") judge.approved += row.n;
    else if (row.action === "judge_failed_open") judge.degraded += row.n;
  }
  for (const row of reviseRows) {
    judge.revise += row.n;
    if (row.action === "rewrite_failed") judge.rewrite_failed += row.n;
  }

  const goals = { achieved: 0, missed: 0, no_data: 0 };
  for (const row of goalRows) {
    if (row.noData) goals.no_data += row.n;
    else if (row.hit) goals.achieved += row.n;
    else goals.missed += row.n;
  }

  return {
    day,
    turns: { ...turns, failed_by_reason: tally(failedReasons) },
    layer1_by_category: tally(layer1),
    model_guard_failed_open: guardFailedOpen,
    layer3_flags_by_category: tally(layer3),
    judge,
    memory_saves: memoryRows[0]?.n ?? 0,
    handovers_by_status: tally(handoverRows),
    goals,
    not_stored: NOT_STORED,
  };
}

export interface StoredDailyReport {
  runId: string;
  finishedAt: Date | null;
  report: DailyReport;
}

/** The latest successful report run for `day`, or null when none ran. */
export async function findStoredDailyReport(deps: Deps, day: string): Promise<StoredDailyReport | null> {
  const [row] = await deps.appDb.db
    .select({
      id: backgroundTasks.id,
      finishedAt: backgroundTasks.finishedAt,
      result: backgroundTasks.result,
    })
    .from(backgroundTasks)
    .where(
      and(
        eq(backgroundTasks.kind, DAILY_REPORT_KIND),
        eq(backgroundTasks.status, "done"),
        sql`JSON_UNQUOTE(JSON_EXTRACT(${backgroundTasks.params}, '$.payload.day')) = ${day}`,
      ),
    )
    .orderBy(desc(backgroundTasks.finishedAt))
    .limit(1);
  if (!row) return null;
  return { runId: row.id, finishedAt: row.finishedAt, report: row.result as DailyReport };
}

function counts(record: Record<string, number>): string {
  const entries = Object.entries(record).sort(([a], [b]) => a.localeCompare(b));
  return entries.length === 0 ? "none" : entries.map(([key, n]) => `${key} ${n}`).join(", ");
}

/** The report as the lines `hilo report` prints (and a notifier would post). */
export function formatDailyReport(report: DailyReport): string {
  const { turns, judge, goals } = report;
  return [
    `Ask Hilo daily report for ${report.day} (UTC)`,
    `turns: ${turns.started} started; done ${turns.done}, failed ${turns.failed}, timeout ${turns.timeout}, still running ${turns.running}`,
    `  failed by reason: ${counts(turns.failed_by_reason)}`,
    `model calls: ${report.not_stored.model_calls}`,
    `model call p95 latency: ${report.not_stored.model_call_p95_ms}`,
    `layer 1 hits: ${counts(report.layer1_by_category)}`,
    `model guard failed open: ${report.model_guard_failed_open}`,
    `layer 3 flags: ${counts(report.layer3_flags_by_category)}`,
    `judge: approved ${judge.approved}, revise ${judge.revise} (rewrite failed ${judge.rewrite_failed}), degraded ${judge.degraded}`,
    `memory saves: ${report.memory_saves}`,
    `FAQ no-match rate: ${report.not_stored.faq_no_match_rate}`,
    `handovers: ${counts(report.handovers_by_status)}`,
    `goals: achieved ${goals.achieved}, missed ${goals.missed}, no data ${goals.no_data}`,
  ].join("\n");
}
