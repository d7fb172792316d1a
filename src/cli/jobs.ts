// `hilo jobs status`: per schedule, the last run, its outcome, the last success and whether it is
// overdue, read from background_tasks. Exit 1 when a schedule is overdue, so a cron or a probe can
// run it as a check. Needs only the App MySQL.

import type { AppDb } from "../infra/app-db";
import { createAppDb } from "../infra/app-db";
import { withTimeout } from "../infra/dependency";
import type { Clock } from "../jobs/processor";
import { SYSTEM_CLOCK } from "../jobs/processor";
import { formatScheduleStatus, readScheduleStatus } from "../jobs/schedule-status";
import { configuredSchedules, SCHEDULES, type ScheduleDeclaration } from "../jobs/schedules";
import { EXIT_STARTUP, loadConfigOrExit } from "../lifecycle/run";

const EXIT_USAGE = 64;
export const EXIT_OVERDUE = 1;

export const JOBS_USAGE = `Usage: hilo jobs status

Prints, per schedule, the last run and its outcome, the last success and whether it is overdue
(no success within its period plus 2 h). Exits 1 when one is overdue.`;

/** The verb behind the command: prints the table and returns the exit code. */
export async function reportJobsStatus(
  db: AppDb,
  write: (text: string) => void,
  schedules: readonly ScheduleDeclaration[] = SCHEDULES,
  clock: Clock = SYSTEM_CLOCK,
): Promise<number> {
  const statuses = await readScheduleStatus(db, schedules, clock.now());
  write(`${formatScheduleStatus(statuses)}\n`);
  return statuses.some((status) => status.overdue) ? EXIT_OVERDUE : 0;
}

export async function runJobsCommand(argv: string[]): Promise<void> {
  const [subcommand] = argv;
  if (subcommand === "-h" || subcommand === "--help") {
    console.log(JOBS_USAGE);
    return;
  }
  if (subcommand !== "status") {
    process.stderr.write(`hilo jobs: unknown subcommand '${subcommand ?? ""}'\n\n${JOBS_USAGE}\n`);
    process.exit(EXIT_USAGE);
  }
  const config = loadConfigOrExit();
  const timeoutMs = config.HILO_STARTUP_CHECK_TIMEOUT_MS;
  const appDb = createAppDb(config.APP_DB_URL, timeoutMs);
  try {
    await withTimeout(appDb.name, timeoutMs, appDb.check());
  } catch (error) {
    process.stderr.write(`hilo: ${appDb.name} is unreachable (${(error as Error).message})\n`);
    await appDb.close().catch(() => {});
    process.exit(EXIT_STARTUP);
  }
  try {
    process.exitCode = await reportJobsStatus(
      appDb.db,
      (text) => process.stdout.write(text),
      configuredSchedules(config),
    );
  } finally {
    await appDb.close();
  }
}
