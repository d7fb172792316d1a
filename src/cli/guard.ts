// `hilo guard [--model]`: runs the local safety layers over JSON lines on stdin, one verdict line out
// per line in. Needs no configuration, datastore, network or model (Layers 1 and 3 are pure), so it
// works on a laptop, in CI and against a production binary alike.
//
// In:  {"layer":1|3,"text":"...","timezone"?:"Europe/London"}   (blank lines are skipped)
// Out: {"verdict":"emergency"|"medical_advice"|"injection"|"pass"|"flag","redacted":"...","categories":[...]}
// For layer 3 `redacted` is the text unchanged: Layer 3 does not redact (see src/safety/layer3.ts).
// A line that is not JSON or not that shape stops the run with exit 1 and a message naming the
// line; the verdicts for the lines before it have already been written.
//
// `--model` also asks the model guard (src/safety/guard.ts) about every layer-1 line Layer 1 passed,
// exactly as a turn would: the redacted text, HILO_GUARD_MODEL, HILO_GUARD_DEADLINE_MS, the endpoint
// of OPENAI_BASE_URL. Its verdict joins that line as
// "model":{"verdict":"pass"} | {"verdict":"emergency"|"medical_advice"|"injection","language":".."}
// | {"verdict":"degraded","reason":".."} (an error or a late answer: a turn would go on, fail-open).
// Verdict lines keep the input's order while up to HILO_MAX_CONCURRENT_MODEL_CALLS calls run at once.
// An unknown option exits 64 (as every `hilo` command); with --model, a configuration that is
// invalid or turns the guard off (HILO_GUARD_DEADLINE_MS=0) exits 2 before a line is read.

import { parseArgs } from "node:util";
import { z } from "zod";
import { createOpenAiClient } from "../infra/openai";
import { EXIT_CONFIG, loadConfigOrExit } from "../lifecycle/run";
import { createLlm } from "../llm/client";
import { createLogger } from "../observability/logger";
import { type GuardVerdict, guardMessage } from "../safety/guard";
import { checkAssistantAnswer, screenUserMessage } from "../safety/index";

const EXIT_USAGE = 64;

export const GUARD_USAGE = `Usage: hilo guard [--model] < lines.jsonl

Reads {"layer":1|3,"text":"...","timezone"?:"..."} lines on stdin and writes one verdict line per
line: Layers 1 and 3, offline, no configuration needed.

  --model  also run the model guard on every layer-1 line Layer 1 passed, against the configured
           endpoint (OPENAI_BASE_URL, OPENAI_API_KEY, HILO_GUARD_MODEL, HILO_GUARD_DEADLINE_MS);
           its verdict is added to the line as "model"`;

const GuardInput = z.object({
  layer: z.literal([1, 3]),
  text: z.string(),
  timezone: z.string().optional(),
});

const EXPECTED_SHAPE = '{"layer":1|3,"text":"...","timezone"?:"..."}';

type ModelGuardVerdict =
  | { verdict: "pass" }
  | { verdict: string; language: string | undefined }
  | { verdict: "degraded"; reason: string | undefined };

interface GuardOutput {
  verdict: string;
  redacted: string;
  categories: string[];
  model?: ModelGuardVerdict;
}

/** A layer-1 message Layer 1 passed, as a turn would hand it to the model guard. */
interface PassedMessage {
  redacted: string;
  timezone: string | undefined;
}

type LineResult =
  | { ok: true; output: GuardOutput | undefined; passed?: PassedMessage }
  | { ok: false; error: string };

interface ModelGuard {
  /** Lines whose model call may be outstanding at once. */
  maxInFlight: number;
  verdictFor(message: PassedMessage): Promise<ModelGuardVerdict>;
}

function usageError(message: string): never {
  process.stderr.write(`hilo guard: ${message}\n\n${GUARD_USAGE}\n`);
  process.exit(EXIT_USAGE);
}

function parseGuardOptions(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: { model: { type: "boolean" }, help: { type: "boolean", short: "h" } },
      strict: true,
    }).values;
  } catch (error) {
    usageError(error instanceof Error ? error.message : String(error));
  }
}

export async function runGuardCommand(argv: string[]): Promise<void> {
  const options = parseGuardOptions(argv);
  if (options.help) {
    console.log(GUARD_USAGE);
    return;
  }
  const modelGuard = options.model ? createModelGuard() : undefined;
  const writer = createVerdictWriter(modelGuard?.maxInFlight ?? 0);
  const decoder = new TextDecoder();
  let pending = "";
  let lineNumber = 0;
  const handle = async (lines: string[]): Promise<boolean> => {
    for (const line of lines) {
      lineNumber += 1;
      const result = guardLine(line);
      if (!result.ok) {
        await writer.drain();
        process.stderr.write(`hilo guard: line ${lineNumber}: ${result.error}\n`);
        process.exitCode = 1;
        return false;
      }
      const { output, passed } = result;
      if (output === undefined) continue;
      if (modelGuard && passed) {
        await writer.add(modelGuard.verdictFor(passed).then((model) => ({ ...output, model })));
      } else {
        await writer.add(output);
      }
    }
    await writer.flush();
    return true;
  };

  for await (const chunk of Bun.stdin.stream()) {
    pending += decoder.decode(chunk, { stream: true });
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    if (!(await handle(lines))) return;
  }
  pending += decoder.decode();
  if (pending.length > 0 && !(await handle([pending]))) return;
  await writer.drain();
}

/** One input line to its verdict; undefined output for a blank line. */
function guardLine(line: string): LineResult {
  if (line.trim().length === 0) return { ok: true, output: undefined };
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (error) {
    return { ok: false, error: `not valid JSON (${(error as Error).message})` };
  }
  const input = GuardInput.safeParse(parsed);
  if (!input.success) {
    const problems = input.error.issues
      .map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : "line"}: ${issue.message}`)
      .join("; ");
    return { ok: false, error: `expected ${EXPECTED_SHAPE} (${problems})` };
  }
  const { layer, text, timezone } = input.data;
  if (layer === 1) {
    const verdict = screenUserMessage(text, { timezone });
    return {
      ok: true,
      output: { verdict: verdict.verdict, redacted: verdict.redacted, categories: verdict.categories },
      passed: verdict.verdict === "pass" ? { redacted: verdict.redacted, timezone } : undefined,
    };
  }
  const verdict = checkAssistantAnswer(text);
  return { ok: true, output: { verdict: verdict.verdict, redacted: text, categories: verdict.categories } };
}

/**
 * Verdict lines in input order. A verdict still waiting for the model queues, and so does every
 * line after it; at most `maxInFlight` wait, beyond that `add` waits for the oldest. Lines are
 * written in batches (`flush`), so the offline run writes once per chunk of stdin, as it always has.
 */
function createVerdictWriter(maxInFlight: number) {
  const waiting: Promise<GuardOutput>[] = [];
  let out = "";
  const flush = async (): Promise<void> => {
    if (out.length === 0) return;
    const batch = out;
    out = "";
    await Bun.write(Bun.stdout, batch);
  };
  const writeOldest = async (): Promise<boolean> => {
    const oldest = waiting.shift();
    if (oldest === undefined) return false;
    // What is already decided goes out before waiting on the model.
    await flush();
    out += `${JSON.stringify(await oldest)}\n`;
    return true;
  };
  return {
    add: async (verdict: GuardOutput | Promise<GuardOutput>): Promise<void> => {
      if (!(verdict instanceof Promise) && waiting.length === 0) {
        out += `${JSON.stringify(verdict)}\n`;
        return;
      }
      waiting.push(Promise.resolve(verdict));
      while (waiting.length > maxInFlight) await writeOldest();
    },
    flush,
    /** Every waiting verdict, then the rest: called before an error message and at the end. */
    drain: async (): Promise<void> => {
      let more = true;
      while (more) more = await writeOldest();
      await flush();
    },
  };
}

/** The model guard on the turn's settings; refuses (exit 2) a configuration where it is off. */
function createModelGuard(): ModelGuard {
  const config = loadConfigOrExit();
  if (config.HILO_GUARD_DEADLINE_MS === 0) {
    process.stderr.write(
      "hilo guard: --model needs HILO_GUARD_DEADLINE_MS above 0 (0 turns the model guard off)\n",
    );
    process.exit(EXIT_CONFIG);
  }
  // stdout carries verdict lines only: info and debug log lines would land there, so nothing below
  // warn is logged (a guard that failed open warns on stderr).
  const log = createLogger(config.HILO_LOG_LEVEL === "error" ? "error" : "warn", { mode: "guard" });
  const openai = createOpenAiClient(
    config.OPENAI_BASE_URL,
    config.OPENAI_API_KEY,
    config.HILO_STARTUP_CHECK_TIMEOUT_MS,
  );
  const llm = createLlm(openai.client, { log, maxConcurrent: config.HILO_MAX_CONCURRENT_MODEL_CALLS });
  // Never aborted: a run ends when stdin does, each call on its own deadline.
  const signal = new AbortController().signal;
  return {
    // As many lines in flight as the limiter lets call at once: a call that queued in the limiter
    // would spend its deadline waiting and come back degraded, which a turn would not.
    maxInFlight: config.HILO_MAX_CONCURRENT_MODEL_CALLS,
    verdictFor: async (message) =>
      describeGuardVerdict(
        await guardMessage({
          llm,
          model: config.HILO_GUARD_MODEL,
          message: message.redacted,
          // Only the canned reply's hotline depends on the zone, and the reply is not printed.
          timezone: message.timezone ?? "UTC",
          deadlineMs: config.HILO_GUARD_DEADLINE_MS,
          signal,
          log,
        }),
      ),
  };
}

/** The guard's verdict as a line shows it: its category and language, or why it failed open. */
function describeGuardVerdict(verdict: GuardVerdict): ModelGuardVerdict {
  if (verdict.kind === "pass") return { verdict: "pass" };
  const [entry] = verdict.audit;
  if (entry === undefined) throw new Error(`the model guard's ${verdict.kind} verdict has no audit entry`);
  return verdict.kind === "trip"
    ? { verdict: entry.category, language: entry.detail?.language }
    : { verdict: "degraded", reason: entry.detail?.reason };
}
