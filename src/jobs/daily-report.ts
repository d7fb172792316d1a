// The daily report (07:00 UTC, for the previous UTC day): what our own tables say about that day,
// counted in a few grouped reads. Read-only, so a retry or a stalled job's re-run computes the same
// report; the processor stores it as the run's result in background_tasks, where `hilo report`
// finds it. Model calls and FAQ searches come from daily_stats, which every process adds to.
import { and, count, countDistinct, desc, eq, gte, inArray, lt, sql } from "drizzle-orm";
import {
  backgroundTasks,
  dailyStats,
  goalEvaluations,
  goals,
  intercomHandovers,
  memories,
  safetyAudit,
  turnClaims,
} from "../db/schema";
import type { Deps } from "../infra/deps";
import { quantileMs } from "../observability/daily-stats";

export const DAILY_REPORT_KIND = "daily-report";

const DAY_MS = 24 * 60 * 60 * 1_000;

export interface ModelCallStats {
  calls: number;
  /** Upper bound of the 10 %-wide latency bucket holding the 95th percentile; null with no calls. */
  p95_ms: number | null;
}

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
  /** Every model call of the day (all processes), and by purpose (chat, guard, judge, ...). */
  model_calls: ModelCallStats & { by_purpose: Record<string, ModelCallStats> };
  /** Turns the model guard let through because it failed (fail-open). */
  model_guard_failed_open: number;
  layer3_flags_by_category: Record<string, number>;
  /** Layer 4: approved, revise (turns the judge sent to a rewrite), degraded (judge failed open). */
  judge: { approved: number; revise: number; rewrite_failed: number; degraded: number };
  memory_saves: number;
  /** FAQ searches and the share that found nothing close enough (null with no searches). */
  faq: { searches: number; no_match: number; no_match_rate: number | null };
  /** Handovers created that day, by their current status. */
  handovers_by_status: Record<string, number>;
  /**
   * Goals the nightly evaluation decided that day (achieved or missed, by `decided_at`), and the
   * evaluations whose user-local period is that day.
   */
  goals: { achieved: number; missed: number; evaluations: { hit: number; miss: number; no_data: number } };
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

  const [claimRows, safetyRows, reviseRows, memoryRows, handoverRows, goalRows, statRows, goalStatusRows] =
    await Promise.all([
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
      db
        .select({
          metric: dailyStats.metric,
          label: dailyStats.label,
          bucket: dailyStats.bucket,
          n: dailyStats.n,
        })
        .from(dailyStats)
        .where(eq(dailyStats.day, day)),
      db
        .select({ key: goals.status, n: count() })
        .from(goals)
        .where(
          and(
            inArray(goals.status, ["achieved", "missed"]),
            gte(goals.decidedAt, from),
            lt(goals.decidedAt, to),
          ),
        )
        .groupBy(goals.status),
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

  const evaluations = { hit: 0, miss: 0, no_data: 0 };
  for (const row of goalRows) {
    if (row.noData) evaluations.no_data += row.n;
    else if (row.hit) evaluations.hit += row.n;
    else evaluations.miss += row.n;
  }
  const finished = tally(goalStatusRows);

  return {
    day,
    turns: { ...turns, failed_by_reason: tally(failedReasons) },
    layer1_by_category: tally(layer1),
    model_guard_failed_open: guardFailedOpen,
    layer3_flags_by_category: tally(layer3),
    judge,
    model_calls: modelCallStats(statRows.filter((row) => row.metric === "model_call")),
    memory_saves: memoryRows[0]?.n ?? 0,
    faq: faqStats(statRows.filter((row) => row.metric === "faq_search")),
    handovers_by_status: tally(handoverRows),
    goals: { achieved: finished.achieved ?? 0, missed: finished.missed ?? 0, evaluations },
  };
}

type StatRow = { label: string; bucket: number; n: number };

function modelCallStats(rows: readonly StatRow[]): DailyReport["model_calls"] {
  const summary = (of: readonly StatRow[]): ModelCallStats => ({
    calls: of.reduce((sum, row) => sum + row.n, 0),
    p95_ms: quantileMs(of, 0.95),
  });
  const purposes = [...new Set(rows.map((row) => row.label))].sort();
  const byPurpose = Object.fromEntries(
    purposes.map((purpose) => [purpose, summary(rows.filter((row) => row.label === purpose))]),
  );
  return { ...summary(rows), by_purpose: byPurpose };
}

function faqStats(rows: readonly StatRow[]): DailyReport["faq"] {
  const searches = rows.reduce((sum, row) => sum + row.n, 0);
  const noMatch = rows.filter((row) => row.label === "no_match").reduce((sum, row) => sum + row.n, 0);
  // Three decimals: a rate, not a measurement with more precision than the counts behind it.
  const rate = searches === 0 ? null : Math.round((noMatch / searches) * 1000) / 1000;
  return { searches, no_match: noMatch, no_match_rate: rate };
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

function ms(value: number | null): string {
  return value === null ? "n/a" : `≤ ${value} ms`;
}

function byPurpose(record: Record<string, ModelCallStats>): string {
  const entries = Object.entries(record);
  return entries.length === 0
    ? "none"
    : entries.map(([purpose, stats]) => `${purpose} ${stats.calls} (p95 ${ms(stats.p95_ms)})`).join(", ");
}

/** The report as the lines `hilo report` prints (and a notifier would post). */
export function formatDailyReport(report: DailyReport): string {
  const { turns, judge, faq, model_calls: modelCalls } = report;
  const { evaluations } = report.goals;
  return [
    `Ask Hilo daily report for ${report.day} (UTC)`,
    `turns: ${turns.started} started; done ${turns.done}, failed ${turns.failed}, timeout ${turns.timeout}, still running ${turns.running}`,
    `  failed by reason: ${counts(turns.failed_by_reason)}`,
    `model calls: ${modelCalls.calls}, p95 ${ms(modelCalls.p95_ms)}`,
    `  by purpose: ${byPurpose(modelCalls.by_purpose)}`,
    `layer 1 hits: ${counts(report.layer1_by_category)}`,
    `model guard failed open: ${report.model_guard_failed_open}`,
    `layer 3 flags: ${counts(report.layer3_flags_by_category)}`,
    `judge: approved ${judge.approved}, revise ${judge.revise} (rewrite failed ${judge.rewrite_failed}), degraded ${judge.degraded}`,
    `memory saves: ${report.memory_saves}`,
    `FAQ searches: ${faq.searches}, no match ${faq.no_match}${faq.no_match_rate === null ? "" : ` (${(faq.no_match_rate * 100).toFixed(1)} %)`}`,
    `handovers: ${counts(report.handovers_by_status)}`,
    `goals: achieved ${report.goals.achieved}, missed ${report.goals.missed}; evaluations: hit ${evaluations.hit}, miss ${evaluations.miss}, no data ${evaluations.no_data}`,
  ].join("\n");
}
