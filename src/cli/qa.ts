// `hilo qa run <file.csv>`: a QA evaluation run from the command line. The same run as POST
// /dev/qa-runs (the file checked whole first, a `qa-run` task with one row per question, each question
// through the real chat turn as the QA user), answered in this process rather than by the workers, so
// it needs no worker and ends when the run does; then a summary table. The run stays readable at
// GET /dev/qa-runs/:id. Exit 0 when every question was answered, 1 when one failed or the file was bad.
import { parseArgs } from "node:util";
import { createChat } from "../chat/chat";
import { closeDeps, createDeps } from "../infra/deps";
import { EXIT_STARTUP, loadConfigOrExit } from "../lifecycle/run";
import { checkDepsInOrder, StartupError } from "../lifecycle/startup-checks";
import { createLogger } from "../observability/logger";
import { parseQaCsv } from "../qa/csv";
import { type QaRunReport, readQaRun } from "../qa/report";
import { answerQaQuestion, createQaRun } from "../qa/run";

const EXIT_USAGE = 64;
const EXIT_FAILED = 1;
/** As many questions at once as one worker answers (the qa-question queue's concurrency). */
const DEFAULT_CONCURRENCY = 4;

export const QA_USAGE = `Usage: hilo qa run <file.csv> [--concurrency N]

Runs a QA evaluation: every question of the file (RFC 4180 CSV, header id,question or
id,question,expected_tools, tool names separated by ;) goes through the live chat turn as the QA user
(HILO_QA_USER_ID), N at a time (default ${DEFAULT_CONCURRENCY}), in this process. A file with any bad
line is refused whole (file:line: problem). Prints one line per question as it finishes, then a summary
table; the run is also stored and readable at GET /dev/qa-runs/<run id>.
Exit 0 when every question was answered, 1 when one failed.`;

function usageError(message: string): never {
  process.stderr.write(`hilo qa: ${message}\n\n${QA_USAGE}\n`);
  process.exit(EXIT_USAGE);
}

function fail(message: string, exitCode = EXIT_FAILED): never {
  process.stderr.write(`hilo qa: ${message}\n`);
  process.exit(exitCode);
}

function parseOptions(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: { help: { type: "boolean", short: "h" }, concurrency: { type: "string" } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    usageError(error instanceof Error ? error.message : String(error));
  }
}

/** The file and the concurrency, or undefined when help was asked for. */
function parseCommand(argv: string[]): { file: string; concurrency: number } | undefined {
  const parsed = parseOptions(argv);
  const { values, positionals } = parsed;
  if (values.help) return undefined;
  const [verb, file, ...extra] = positionals;
  if (verb !== "run")
    usageError(verb === undefined ? "a subcommand is required" : `unknown subcommand '${verb}'`);
  if (file === undefined) usageError("a CSV file is required");
  if (extra.length > 0) usageError(`unexpected argument '${extra[0]}'`);
  const concurrency = Number(values.concurrency ?? DEFAULT_CONCURRENCY);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
    usageError("--concurrency must be a whole number from 1 to 64");
  }
  return { file, concurrency };
}

export async function runQaCommand(argv: string[]): Promise<void> {
  const command = parseCommand(argv);
  if (command === undefined) {
    console.log(QA_USAGE);
    return;
  }
  const { file, concurrency } = command;
  const config = loadConfigOrExit();
  let text: string;
  try {
    text = await Bun.file(file).text();
  } catch (error) {
    fail(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }

  const log = createLogger(config.HILO_LOG_LEVEL === "info" ? "warn" : config.HILO_LOG_LEVEL, { mode: "qa" });
  const deps = createDeps(config);
  const chat = createChat(deps, log);
  const toolNames = new Set(chat.tools.names);
  // Checked before any connection, so a bad file costs nothing and says everything at once.
  const parsed = parseQaCsv(text, toolNames);
  if (!parsed.ok) {
    for (const problem of parsed.problems)
      process.stderr.write(`${file}:${problem.line}: ${problem.message}\n`);
    fail(`${parsed.problems.length} problem(s) in ${file}; nothing was run`);
  }

  try {
    await checkDepsInOrder(deps, () => {});
  } catch (error) {
    if (error instanceof StartupError) fail(error.message, EXIT_STARTUP);
    throw error;
  }

  let exitCode = 0;
  try {
    const run = await createQaRun({
      ctx: { deps, toolNames, requestedBy: "cli", dispatch: async () => {} },
      input: { csv: text, filename: file },
    });
    process.stderr.write(
      `run ${run.runId}: ${run.total} question(s), ${Math.min(concurrency, run.total)} at a time\n`,
    );
    let next = 1;
    let finished = 0;
    const answerNext = async (): Promise<void> => {
      for (let position = next++; position <= run.total; position = next++) {
        const outcome = await answerQaQuestion({
          ctx: { chat, log },
          input: { taskId: run.runId, position },
        });
        finished++;
        const what =
          "status" in outcome ? `${outcome.status} ${outcome.latency_ms ?? "-"} ms` : outcome.skipped;
        process.stderr.write(`[${finished}/${run.total}] #${position} ${what}\n`);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, run.total) }, answerNext));
    const report = await readQaRun(deps.appDb.db, run.runId);
    if (!report) throw new Error(`run ${run.runId} vanished`);
    process.stdout.write(formatQaSummary(report));
    if (report.progress.failed > 0 || report.progress.pending > 0) exitCode = EXIT_FAILED;
  } finally {
    await chat.stop();
    await closeDeps(deps);
  }
  process.exit(exitCode);
}

const COLUMN_MAX_CHARS = 48;

/** A plain-text table of the run, one row per question, then the totals. */
export function formatQaSummary(report: QaRunReport): string {
  const header = ["#", "id", "status", "verdict", "tools", "expected", "safety", "ms", "error"];
  const rows = report.results.map((result) => [
    String(result.position),
    result.id,
    result.status,
    result.verdict ?? "-",
    result.tools_called?.join(" ") || "-",
    result.expected_tools === null ? "-" : result.tools_match ? "ok" : "MISSING",
    result.safety_hits?.map((hit) => `L${hit.layer}:${hit.action}`).join(" ") || "-",
    result.latency_ms === null ? "-" : String(result.latency_ms),
    result.error ?? "",
  ]);
  const cells = [header, ...rows].map((row) => row.map((cell) => clip(cell.replace(/\s+/g, " "))));
  const widths = header.map((_, column) => Math.max(...cells.map((row) => row[column]?.length ?? 0)));
  const lines = cells.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join("  ")
      .trimEnd(),
  );
  lines.splice(1, 0, widths.map((width) => "-".repeat(width)).join("  "));
  const { progress, latency_ms: latency } = report;
  const expected = report.results.filter((result) => result.tools_match !== null);
  lines.push(
    "",
    `run ${report.run_id}: ${report.status}; ${progress.done} answered, ${progress.failed} failed, ${progress.pending} pending of ${progress.total}`,
    latency === null
      ? "latency: none answered"
      : `latency (send to done): p50 ${latency.p50} ms, p95 ${latency.p95} ms, max ${latency.max} ms`,
    `expected tools called: ${expected.filter((result) => result.tools_match).length} of ${expected.length}`,
    `judge: ${countBy(report.results.map((result) => result.verdict ?? "none"))}`,
  );
  return `${lines.join("\n")}\n`;
}

function clip(text: string): string {
  return text.length > COLUMN_MAX_CHARS ? `${text.slice(0, COLUMN_MAX_CHARS - 1)}…` : text;
}

function countBy(values: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].map(([value, count]) => `${value} ${count}`).join(", ") || "-";
}
