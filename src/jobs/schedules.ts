// Every schedule the scheduler's leader fires, declared in one list: a cron expression read in UTC,
// the queue it enqueues into, and a job id made from the period alone, so every fire of the same
// period (a double fire, a restart, a catch-up) is the same BullMQ job and runs once.

import type { Config } from "../config";
import { previousUtcDay } from "./daily-report";
import { claimRetentionQueue, dailyReportQueue, goalSweepQueue } from "./queues";

export interface ScheduleDeclaration {
  readonly name: string;
  /** Five fields (or six, with seconds), always read in UTC. */
  readonly cron: string;
  readonly queue: string;
  /** Deterministic: BullMQ ignores a second add with an id it already holds. */
  jobId(period: Date): string;
  payload(period: Date): unknown;
}

/** `2026-12-06`: the period key of a daily schedule. */
export function utcDay(period: Date): string {
  return period.toISOString().slice(0, 10);
}

/**
 * `20261206T033000Z`: a period key down to the second. BullMQ refuses job ids with one `:` in them,
 * so ids join name and period with `@` and keys carry no colons.
 */
export function utcSecond(period: Date): string {
  return period
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

export const claimRetentionSchedule: ScheduleDeclaration = {
  name: "claim-retention",
  // 03:30 UTC: the quietest hour of our users' evenings in the Americas and nights in Europe, and
  // after the 02:00 goal sweep.
  cron: "30 3 * * *",
  queue: claimRetentionQueue.name,
  jobId: (period) => `claim-retention@${utcDay(period)}`,
  payload: (period) => ({ period: utcDay(period) }),
};

export const dailyReportSchedule: ScheduleDeclaration = {
  name: "daily-report",
  // 07:00 UTC: the previous UTC day is complete, and claim retention (03:30) has long finished.
  cron: "0 7 * * *",
  queue: dailyReportQueue.name,
  // Named for the day reported on, not the day it runs.
  jobId: (period) => `daily-report@${previousUtcDay(period)}`,
  payload: (period) => ({ day: previousUtcDay(period) }),
};

/** Default of HILO_GOAL_SWEEP_CRON; configuredSchedules puts the configured one in its place. */
export const GOAL_SWEEP_DEFAULT_CRON = "0 2 * * *";

export const goalSweepSchedule: ScheduleDeclaration = {
  name: "goal-sweep",
  // 02:00 UTC: each user's last finished local day is judged, Sydney's yesterday and Los Angeles' day
  // before (their yesterday ends at 08:00 UTC; src/goals/periods.ts); before claim retention (03:30).
  cron: GOAL_SWEEP_DEFAULT_CRON,
  queue: goalSweepQueue.name,
  // Down to the second, since the cron is configurable (twice a day must be two sweeps).
  jobId: (period) => `goal-sweep@${utcSecond(period)}`,
  // The sweep's instant travels with the job: a late or repeated run judges the same days.
  payload: (period) => ({ at: period.toISOString() }),
};

export const SCHEDULES: readonly ScheduleDeclaration[] = [
  claimRetentionSchedule,
  dailyReportSchedule,
  goalSweepSchedule,
];

/** The schedules with the crons the configuration sets (today only HILO_GOAL_SWEEP_CRON). */
export function configuredSchedules(
  config: Pick<Config, "HILO_GOAL_SWEEP_CRON">,
  schedules: readonly ScheduleDeclaration[] = SCHEDULES,
): readonly ScheduleDeclaration[] {
  return schedules.map((schedule) =>
    schedule.name === goalSweepSchedule.name ? { ...schedule, cron: config.HILO_GOAL_SWEEP_CRON } : schedule,
  );
}
