/**
 * Runs the labelled safety set (test/safety/labelled.jsonl) through `hilo guard` — one process,
 * every line on stdin, exactly as an operator would — and prints precision / recall / support per
 * class, personal-information spans left, benign numbers removed and throughput. Exits 1 when a
 * target of issue 5 is missed (emergency recall 100 %, every other class >= 95 %, nothing left,
 * nothing removed).
 *
 *   bun scripts/bench/guard-eval.ts                      # through `bun src/main.ts guard`
 *   bun scripts/bench/guard-eval.ts --binary dist/hilo   # through a compiled binary
 *   bun scripts/bench/guard-eval.ts --repeat 50          # lines for the throughput run: set x 50
 */
import { parseArgs } from "node:util";
import { z } from "zod";
import { GUARD_FROM_SOURCE, runGuardProcess } from "../../test/safety/guard-process";
import {
  type LabelledCase,
  loadLabelledSet,
  type Prediction,
  scoreLabelledSet,
} from "../../test/safety/labelled-set";

const DEFAULT_REPEAT = 20;

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

const cases = loadLabelledSet();
const { predictions, seconds } = await runGuard(cases);
const scores = scoreLabelledSet(cases, predictions);
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
console.log("");
console.log(`| personal-information spans left | ${scores.piiSpansLeft.length} of ${scores.piiSpans} |`);
console.log("|---|---|");
console.log(`| benign numbers removed | ${scores.keepRemoved.length} of ${scores.keepSpans} |`);
console.log(`| one run over the set (process start included) | ${seconds.toFixed(2)} s |`);
console.log(
  `| throughput (${throughputCases.length} lines, one process) | ${Math.round(throughputCases.length / throughput.seconds)} lines/s |`,
);

const misses = [...scores.misclassified, ...scores.piiSpansLeft, ...scores.keepRemoved];
if (misses.length > 0) {
  console.log("\nmisses:");
  for (const miss of misses) console.log(`  line ${miss.line}: ${miss.detail}: ${JSON.stringify(miss.text)}`);
}
const emergency = scores.classes.find((score) => score.name === "emergency");
const targetsMet =
  emergency?.recall === 1 &&
  scores.classes.every((score) => score.precision >= 0.95 && score.recall >= 0.95) &&
  scores.piiSpansLeft.length === 0 &&
  scores.keepRemoved.length === 0;
console.log(`\ntargets ${targetsMet ? "met" : "MISSED"}`);
if (!targetsMet) process.exitCode = 1;
