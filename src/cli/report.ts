// `hilo report --date YYYY-MM-DD [--json]`: prints the daily report of that UTC day as the 07:00 run
// stored it; when no run stored one (a day before the schedule existed, a failed run), it is computed
// from the tables now and said so, since claim retention may have removed part of an old day.
import { parseArgs } from "node:util";
import { closeDeps, createDeps } from "../infra/deps";
import { computeDailyReport, findStoredDailyReport, formatDailyReport, isUtcDay } from "../jobs/daily-report";
import { loadConfigOrExit } from "../lifecycle/run";

const EXIT_USAGE = 64;

export const REPORT_USAGE = `Usage: hilo report --date YYYY-MM-DD [--json]

Prints the daily report of that UTC day: the one the 07:00 UTC run stored, else one computed now.
--json prints the report as one JSON object.`;

function usageError(message: string): never {
  process.stderr.write(`hilo report: ${message}\n\n${REPORT_USAGE}\n`);
  process.exit(EXIT_USAGE);
}

export async function runReportCommand(argv: string[]): Promise<void> {
  let values: { date?: string; json?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { date: { type: "string" }, json: { type: "boolean" }, help: { type: "boolean", short: "h" } },
      strict: true,
    }));
  } catch (error) {
    usageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) {
    console.log(REPORT_USAGE);
    return;
  }
  if (values.date === undefined) usageError("--date is required");
  if (!isUtcDay(values.date)) usageError(`'${values.date}' is not a day (YYYY-MM-DD)`);
  const day = values.date;

  const deps = createDeps(loadConfigOrExit());
  try {
    const stored = await findStoredDailyReport(deps, day);
    const report = stored?.report ?? (await computeDailyReport(deps, day));
    if (values.json) {
      process.stdout.write(`${JSON.stringify(report)}\n`);
      return;
    }
    const source = stored
      ? `stored by run ${stored.runId} at ${stored.finishedAt?.toISOString() ?? "(unfinished)"}`
      : "no stored run for this day; computed now from the tables";
    console.log(`${formatDailyReport(report)}\n(${source})`);
  } finally {
    await closeDeps(deps);
  }
}
