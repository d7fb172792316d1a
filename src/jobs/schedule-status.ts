// Whether each schedule ran when it should have, read from the runs the base processor records in
// background_tasks (kind = the schedule's queue). A schedule is overdue when its last successful run
// finished longer ago than its period plus FRESHNESS_GRACE_MS, or it never succeeded: a probe cannot
// tell a fresh deployment from a broken one, so it says so (fail-closed).
import { Cron } from "croner";
import { and, desc, eq } from "drizzle-orm";
import { backgroundTasks } from "../db/schema";
import type { AppDb } from "../infra/app-db";
import type { ScheduleDeclaration } from "./schedules";

/**
 * A daily job has two hours past its period (26 h) before it counts as overdue: room for its retries
 * with backoff and a catch-up after a short outage, well before the next night's run.
 */
export const FRESHNESS_GRACE_MS = 2 * 60 * 60 * 1000;

export interface RunSummary {
  status: "queued" | "running" | "done" | "failed";
  startedAt: Date | null;
  finishedAt: Date | null;
  error: string | null;
}

export interface ScheduleStatus {
  schedule: string;
  lastRun: RunSummary | null;
  lastSuccessAt: Date | null;
  /** The time after which, without a new success, the schedule is overdue. */
  dueBy: Date | null;
  overdue: boolean;
}

/** The time between two consecutive fires of the cron (a day for a daily schedule). */
export function cronPeriodMs(cron: string, at: Date): number {
  const [first, second] = new Cron(cron, { timezone: "UTC", paused: true }).nextRuns(2, at);
  if (!first || !second) throw new Error(`cron '${cron}' never fires twice after ${at.toISOString()}`);
  return second.getTime() - first.getTime();
}

/** Pure: the verdict for one schedule given its last success. */
export function freshness(
  cron: string,
  lastSuccessAt: Date | null,
  now: Date,
): { dueBy: Date | null; overdue: boolean } {
  if (!lastSuccessAt) return { dueBy: null, overdue: true };
  const dueBy = new Date(lastSuccessAt.getTime() + cronPeriodMs(cron, lastSuccessAt) + FRESHNESS_GRACE_MS);
  return { dueBy, overdue: now.getTime() > dueBy.getTime() };
}

export async function readScheduleStatus(
  db: AppDb,
  schedules: readonly ScheduleDeclaration[],
  now: Date,
): Promise<ScheduleStatus[]> {
  return Promise.all(
    schedules.map(async (schedule) => {
      const columns = {
        status: backgroundTasks.status,
        startedAt: backgroundTasks.startedAt,
        finishedAt: backgroundTasks.finishedAt,
        error: backgroundTasks.error,
      };
      // Both served by the (kind, created_at) index.
      const [lastRun] = await db
        .select(columns)
        .from(backgroundTasks)
        .where(eq(backgroundTasks.kind, schedule.queue))
        .orderBy(desc(backgroundTasks.createdAt))
        .limit(1);
      const [lastSuccess] = await db
        .select(columns)
        .from(backgroundTasks)
        .where(and(eq(backgroundTasks.kind, schedule.queue), eq(backgroundTasks.status, "done")))
        .orderBy(desc(backgroundTasks.createdAt))
        .limit(1);
      const lastSuccessAt = lastSuccess?.finishedAt ?? null;
      return {
        schedule: schedule.name,
        lastRun: lastRun ?? null,
        lastSuccessAt,
        ...freshness(schedule.cron, lastSuccessAt, now),
      };
    }),
  );
}

/** One line per schedule, for `hilo jobs status`. */
export function formatScheduleStatus(statuses: readonly ScheduleStatus[]): string {
  const when = (at: Date | null | undefined) => at?.toISOString() ?? "never";
  return statuses
    .map((status) => {
      const run = status.lastRun;
      const outcome = run ? `${run.status}${run.error ? ` (${run.error})` : ""}` : "no run";
      const verdict = status.overdue ? "OVERDUE" : "ok";
      return `${status.schedule}  last run ${when(run?.startedAt)} ${outcome}  last success ${when(status.lastSuccessAt)}  due by ${when(status.dueBy)}  ${verdict}`;
    })
    .join("\n");
}
