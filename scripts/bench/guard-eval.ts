/**
 * Runs the labelled safety set (test/safety/labelled.jsonl) through `hilo guard` — one process,
 * every line on stdin, exactly as an operator would — and prints precision / recall / support per
 * class, overall and per language (English, Spanish, German, French), personal-information spans
 * left, benign numbers removed and throughput; then times Layer 1 in this process: p50 / p99 per
 * message over the labelled set, and over a 4,000-character message in each language. Exits 1 when
 * a target of issues 5 and 13 is missed (emergency recall 100 %, every other class >= 95 %, benign
 * passes >= 98 % recall, in every language; nothing left, nothing removed; Layer 1 p99 < 1 ms on
 * the 4,000-character messages). Last, the first-token delay the model guard adds to a chat turn on
 * the local stack's OpenAI stand-in (guard-latency.ts): skipped, with a line saying so, when the
 * stack is not running; a measurement that breaks on a running stack fails the run.
 *
 *   bun scripts/bench/guard-eval.ts                      # through `bun src/main.ts guard`
 *   bun scripts/bench/guard-eval.ts --binary dist/hilo   # through a compiled binary
 *   bun scripts/bench/guard-eval.ts --repeat 50          # lines for the throughput run: set x 50
 */
import { parseArgs } from "node:util";
import { z } from "zod";
import { screenUserMessage } from "../../src/safety/index.ts";
import { GUARD_FROM_SOURCE, runGuardProcess } from "../../test/safety/guard-process.ts";
import {
  CASE_LANGUAGES,
  type LabelledCase,
  type LabelledScores,
  loadLabelledSet,
  type Prediction,
  scoreByLanguage,
  scoreLabelledSet,
} from "../../test/safety/labelled-set.ts";
import { LONG_MESSAGE_CHARS, longMessage } from "../../test/safety/long-messages.ts";
import { reportGuardLatency } from "./guard-latency.ts";

const DEFAULT_REPEAT = 20;
const MIN_CLASS_SCORE = 0.95;
const MIN_BENIGN_PASS_RECALL = 0.98;
const P99_TARGET_MS = 1;
/** Timing: runs per message, rounds (the median round is reported, so one noisy burst on a shared machine does not decide), warm-up runs. */
const LONG_MESSAGE_RUNS = 1000;
const TIMING_ROUNDS = 5;
const SET_RUNS_PER_MESSAGE = 20;
const WARM_UP_RUNS = 200;

const { values } = parseArgs({
  args: Bun.argv.slice(2),
  options: { binary: { type: "string" }, repeat: { type: "string" } },
});
const command = values.binary === undefined ? GUARD_FROM_SOURCE : [values.binary, "guard"];
const repeat = Number(values.repeat ?? DEFAULT_REPEAT);
if (!Number.isInteger(repeat) || repeat < 1)
  throw new Error(`--repeat must be a positive integer, got ${values.repeat}`);

const GuardOutput = z.object({ verdict: z.string(), redacted: z.string(), categories: z.array(z.string()) });

async function runGuard(cases: LabelledCase[]): Promise<{ predictions: Prediction[]; seconds: number }> {
  const input = cases
    .map(({ layer, text, timezone }) =>
      JSON.stringify(timezone === undefined ? { layer, text } : { layer, text, timezone }),
    )
    .join("\n");
  const { code, stdout, stderr, seconds } = await runGuardProcess(`${input}\n`, command);
  if (code !== 0) throw new Error(`${command.join(" ")} exited ${code}: ${stderr}`);
  const predictions = stdout
    .trimEnd()
    .split("\n")
    .map((line) => GuardOutput.parse(JSON.parse(line)));
  return { predictions, seconds };
}

const percent = (value: number) => `${(value * 100).toFixed(1)} %`;
const ms = (value: number) => `${value.toFixed(3)} ms`;

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? Number.NaN;
}

function meetsTargets(scores: LabelledScores): boolean {
  return scores.classes.every((score) => {
    if (score.support === 0) return true;
    if (score.name === "emergency" && score.recall < 1) return false;
    if (score.name.startsWith("pass") && score.recall < MIN_BENIGN_PASS_RECALL) return false;
    return score.precision >= MIN_CLASS_SCORE && score.recall >= MIN_CLASS_SCORE;
  });
}

/** Layer 1 timings of one text: p50 and p99 of each round, the round with the median p99 kept. */
function timeLayer1(text: string, runs: number): { p50: number; p99: number; worstP99: number } {
  for (let run = 0; run < WARM_UP_RUNS; run++) screenUserMessage(text);
  const rounds = Array.from({ length: TIMING_ROUNDS }, () => {
    const samples: number[] = [];
    for (let run = 0; run < runs; run++) {
      const started = performance.now();
      screenUserMessage(text);
      samples.push(performance.now() - started);
    }
    samples.sort((a, b) => a - b);
    return { p50: percentile(samples, 0.5), p99: percentile(samples, 0.99) };
  });
  rounds.sort((a, b) => a.p99 - b.p99);
  const median = rounds[Math.floor(rounds.length / 2)] ?? { p50: Number.NaN, p99: Number.NaN };
  return { ...median, worstP99: rounds.at(-1)?.p99 ?? Number.NaN };
}

const cases = loadLabelledSet();
const { predictions, seconds } = await runGuard(cases);
const scores = scoreLabelledSet(cases, predictions);
const byLanguage = scoreByLanguage(cases, predictions);
const throughputCases = Array.from({ length: repeat }, () => cases).flat();
const throughput = await runGuard(throughputCases);

console.log(`hilo guard on ${cases.length} labelled lines (${command.join(" ")})\n`);
console.log("| class | precision | recall | support | false positives | false negatives |");
console.log("|---|---:|---:|---:|---:|---:|");
for (const score of scores.classes) {
  console.log(
    `| ${score.name} | ${percent(score.precision)} | ${percent(score.recall)} | ${score.support} | ${score.falsePositives} | ${score.falseNegatives} |`,
  );
}
console.log("\nPer language, precision / recall (support):\n");
console.log(`| class | ${CASE_LANGUAGES.join(" | ")} |`);
console.log(`|---|${CASE_LANGUAGES.map(() => "---:").join("|")}|`);
for (const [index, score] of scores.classes.entries()) {
  const cells = CASE_LANGUAGES.map((language) => {
    const cell = byLanguage.get(language)?.classes[index];
    return cell === undefined || cell.support === 0
      ? "–"
      : `${percent(cell.precision)} / ${percent(cell.recall)} (${cell.support})`;
  });
  console.log(`| ${score.name} | ${cells.join(" | ")} |`);
}
console.log("");
console.log(`| personal-information spans left | ${scores.piiSpansLeft.length} of ${scores.piiSpans} |`);
console.log("|---|---|");
console.log(`| benign numbers removed | ${scores.keepRemoved.length} of ${scores.keepSpans} |`);
console.log(`| one run over the set (process start included) | ${seconds.toFixed(2)} s |`);
console.log(
  `| throughput (${throughputCases.length} lines, one process) | ${Math.round(throughputCases.length / throughput.seconds)} lines/s |`,
);

// Layer 1 in this process: every labelled message, then the long diaries.
const layer1Texts = cases.filter((labelled) => labelled.layer === 1).map((labelled) => labelled.text);
for (const text of layer1Texts) screenUserMessage(text);
const perMessage: number[] = [];
for (let run = 0; run < SET_RUNS_PER_MESSAGE; run++) {
  for (const text of layer1Texts) {
    const started = performance.now();
    screenUserMessage(text);
    perMessage.push(performance.now() - started);
  }
}
perMessage.sort((a, b) => a - b);
console.log(
  `\nLayer 1 in process (${TIMING_ROUNDS} rounds of ${LONG_MESSAGE_RUNS} runs per long message, the median round; worst round's p99 beside it):\n`,
);
console.log("| message | p50 | p99 | worst round p99 |");
console.log("|---|---:|---:|---:|");
console.log(
  `| each Layer 1 line of the set (${layer1Texts.length} × ${SET_RUNS_PER_MESSAGE}) | ${ms(percentile(perMessage, 0.5))} | ${ms(percentile(perMessage, 0.99))} | – |`,
);
let longWithinTarget = true;
for (const language of CASE_LANGUAGES) {
  const timing = timeLayer1(longMessage(language), LONG_MESSAGE_RUNS);
  if (!(timing.p99 < P99_TARGET_MS)) longWithinTarget = false;
  console.log(
    `| ${LONG_MESSAGE_CHARS.toLocaleString("en")}-character diary, ${language} | ${ms(timing.p50)} | ${ms(timing.p99)} | ${ms(timing.worstP99)} |`,
  );
}

let latencyMeasured = true;
try {
  await reportGuardLatency();
} catch (error) {
  latencyMeasured = false;
  console.log(`failed: ${error instanceof Error ? error.message : String(error)}`);
}

const misses = [...scores.misclassified, ...scores.piiSpansLeft, ...scores.keepRemoved];
if (misses.length > 0) {
  console.log("\nmisses:");
  for (const miss of misses) console.log(`  line ${miss.line}: ${miss.detail}: ${JSON.stringify(miss.text)}`);
}
const targetsMet =
  meetsTargets(scores) &&
  [...byLanguage.values()].every(meetsTargets) &&
  scores.piiSpansLeft.length === 0 &&
  scores.keepRemoved.length === 0 &&
  longWithinTarget;
console.log(`\ntargets ${targetsMet ? "met" : "MISSED"}`);
if (!targetsMet || !latencyMeasured) process.exitCode = 1;
// The app's clients are closed, but a close leaves timers behind (closeDeps' tracing race) that would
// keep the process up for seconds after the last line.
process.exit();
