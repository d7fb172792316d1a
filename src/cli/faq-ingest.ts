// `hilo faq-ingest <file.csv>`: brings the FAQ table to exactly the rows of an RFC 4180 CSV file
// (header id,question,answer). The whole file is validated before anything is touched; a malformed file
// is reported line by line (exit 1) and nothing is written. Re-running with the same file embeds nothing.
import { parseArgs } from "node:util";
import { FaqChangedDuringIngestError, FaqSchemaError, ingestFaq, parseFaqCsv } from "../faq";
import { withTimeout } from "../infra/dependency";
import { createFaqDb } from "../infra/faq-db";
import { createOpenAiClient } from "../infra/openai";
import { EXIT_STARTUP, loadConfigOrExit } from "../lifecycle/run";
import { createLlm } from "../llm/client";
import { createLogger } from "../observability/logger";

const EXIT_USAGE = 64;
const EXIT_FAILED = 1;

export const FAQ_INGEST_USAGE = `Usage: hilo faq-ingest <file.csv>

Brings the FAQ table to exactly the rows of the file (RFC 4180 CSV, header id,question,answer):
new and changed rows are embedded, unchanged rows are kept, rows missing from the file are removed,
all in one transaction. Prints: added N, updated N, unchanged N, removed N.`;

function usageError(message: string): never {
  process.stderr.write(`hilo faq-ingest: ${message}\n\n${FAQ_INGEST_USAGE}\n`);
  process.exit(EXIT_USAGE);
}

function fail(message: string, exitCode = EXIT_FAILED): never {
  process.stderr.write(`hilo faq-ingest: ${message}\n`);
  process.exit(exitCode);
}

function parseOptions(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: { help: { type: "boolean", short: "h" } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    usageError(error instanceof Error ? error.message : String(error));
  }
}

/** The CSV path, or undefined when help was asked for. */
function parseFileArgument(argv: string[]): string | undefined {
  const { values, positionals } = parseOptions(argv);
  if (values.help) return undefined;
  const [file, ...extra] = positionals;
  if (file === undefined) usageError("a CSV file is required");
  if (extra.length > 0) usageError(`unexpected argument '${extra[0]}'`);
  return file;
}

export async function runFaqIngestCommand(argv: string[]): Promise<void> {
  const file = parseFileArgument(argv);
  if (file === undefined) {
    console.log(FAQ_INGEST_USAGE);
    return;
  }
  const config = loadConfigOrExit();

  let text: string;
  try {
    text = await Bun.file(file).text();
  } catch (error) {
    fail(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = parseFaqCsv(text);
  if (!parsed.ok) {
    for (const problem of parsed.problems)
      process.stderr.write(`${file}:${problem.line}: ${problem.message}\n`);
    fail(`${parsed.problems.length} problem(s) in ${file}; nothing was written`);
  }

  const timeoutMs = config.HILO_STARTUP_CHECK_TIMEOUT_MS;
  const faqDb = createFaqDb(config.FAQ_DB_URL, timeoutMs);
  const log = createLogger(config.HILO_LOG_LEVEL, { mode: "faq-ingest" });
  const llm = createLlm(createOpenAiClient(config.OPENAI_BASE_URL, config.OPENAI_API_KEY, timeoutMs).client, {
    log,
    maxConcurrent: config.HILO_MAX_CONCURRENT_MODEL_CALLS,
  });
  let failure: { message: string; exitCode: number } | undefined;
  try {
    await withTimeout(faqDb.name, timeoutMs, faqDb.check()).catch((error: unknown) => {
      throw new UnreachableError(error instanceof Error ? error.message : String(error));
    });
    const counts = await ingestFaq({
      sql: faqDb.sql,
      llm,
      embedding: { model: config.HILO_EMBEDDING_MODEL, dimensions: config.HILO_EMBEDDING_DIMENSIONS },
      rows: parsed.rows,
      signal: new AbortController().signal,
    });
    console.log(
      `added ${counts.added}, updated ${counts.updated}, unchanged ${counts.unchanged}, removed ${counts.removed}`,
    );
  } catch (error) {
    failure = describeFailure(error);
  } finally {
    await faqDb.close();
  }
  if (failure) fail(failure.message, failure.exitCode);
}

class UnreachableError extends Error {}

/** Every failure leaves the table as it was (one transaction), which the message says. */
function describeFailure(error: unknown): { message: string; exitCode: number } {
  if (error instanceof UnreachableError) {
    return { message: `start-up failed: postgres is unreachable (${error.message})`, exitCode: EXIT_STARTUP };
  }
  if (error instanceof FaqSchemaError) return { message: error.message, exitCode: EXIT_STARTUP };
  if (error instanceof FaqChangedDuringIngestError) return { message: error.message, exitCode: EXIT_FAILED };
  const reason = error instanceof Error ? error.message : String(error);
  return { message: `ingest failed, nothing was written: ${reason}`, exitCode: EXIT_FAILED };
}
