// `hilo goals evaluate --date YYYY-MM-DD [--goal ID]`: the nightly evaluation by hand, through the same
// code as the sweep's chunk jobs (src/goals/sweep.ts). It evaluates active goals whatever their
// next_due_at (a person asked), each through --date but never past the user's yesterday; a day
// already stored is never rewritten, so re-running a day changes nothing.
import { parseArgs } from "node:util";
import { and, asc, eq, gt } from "drizzle-orm";
import { isEntityId } from "../db/ids";
import { goals } from "../db/schema";
import { emptyTally, evaluateGoals } from "../goals/evaluate";
import { closeDeps, createDeps } from "../infra/deps";
import { isUtcDay } from "../jobs/daily-report";
import { loadConfigOrExit } from "../lifecycle/run";
import { createLogger } from "../observability/logger";

const EXIT_USAGE = 64;
const EXIT_INCOMPLETE = 1;
/** Goals read and evaluated per page when no --goal is given. */
const PAGE_GOALS = 200;

export const GOALS_USAGE = `Usage: hilo goals evaluate --date YYYY-MM-DD [--goal ID]

Evaluates active goals with the nightly code: each goal's local days from the day after its last
evaluated one through --date (never past the user's yesterday in their zone). Stored days are never
rewritten, so re-running a day changes nothing. --goal evaluates one goal.
Prints one JSON line: the tally, or the goal's outcome with --goal. Exits 1 when a datastore failed
under some goal (run it again) or the --goal is unknown or failed, 64 on bad usage.`;

function usageError(message: string): never {
  process.stderr.write(`hilo goals: ${message}\n\n${GOALS_USAGE}\n`);
  process.exit(EXIT_USAGE);
}

export async function runGoalsCommand(argv: string[]): Promise<void> {
  const [subcommand, ...rest] = argv;
  if (subcommand === "-h" || subcommand === "--help") {
    console.log(GOALS_USAGE);
    return;
  }
  if (subcommand !== "evaluate") usageError(`unknown subcommand '${subcommand ?? ""}'`);
  let values: { date?: string; goal?: string };
  try {
    ({ values } = parseArgs({
      args: rest,
      options: { date: { type: "string" }, goal: { type: "string" } },
      strict: true,
    }));
  } catch (error) {
    usageError(error instanceof Error ? error.message : String(error));
  }
  if (values.date === undefined) usageError("--date is required");
  if (!isUtcDay(values.date)) usageError(`'${values.date}' is not a day (YYYY-MM-DD)`);
  if (values.goal !== undefined && !isEntityId(values.goal)) usageError(`'${values.goal}' is not a goal id`);
  const through = values.date;

  const config = loadConfigOrExit();
  const log = createLogger(config.HILO_LOG_LEVEL, { command: "goals evaluate" });
  const deps = createDeps(config);
  const db = deps.appDb.db;
  const at = new Date();
  try {
    if (values.goal !== undefined) {
      const rows = await db.select().from(goals).where(eq(goals.id, values.goal));
      if (rows.length === 0) {
        process.stderr.write(`hilo goals: no goal ${values.goal}\n`);
        process.exitCode = EXIT_INCOMPLETE;
        return;
      }
      let outcome: unknown = null;
      const tally = await evaluateGoals(deps, log, rows, {
        at,
        through,
        onlyDue: false,
        onResult: (result) => {
          outcome = result;
        },
      });
      process.stdout.write(`${JSON.stringify(outcome ?? { goalId: values.goal, outcome: "outage" })}\n`);
      if (tally.outages > 0 || tally.failed > 0) process.exitCode = EXIT_INCOMPLETE;
      return;
    }

    const total = emptyTally();
    let after = "";
    for (;;) {
      const page = await db
        .select()
        .from(goals)
        .where(and(eq(goals.status, "active"), gt(goals.id, after)))
        .orderBy(asc(goals.id))
        .limit(PAGE_GOALS);
      const last = page.at(-1);
      if (!last) break;
      const tally = await evaluateGoals(deps, log, page, { at, through, onlyDue: false });
      for (const key of Object.keys(tally) as (keyof typeof tally)[]) total[key] += tally[key];
      after = last.id;
    }
    process.stdout.write(`${JSON.stringify({ through, ...total })}\n`);
    if (total.outages > 0) process.exitCode = EXIT_INCOMPLETE;
  } finally {
    await closeDeps(deps);
  }
}
