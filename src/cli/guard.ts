// `hilo guard`: runs the local safety layers over JSON lines on stdin, one verdict line out per
// line in. Needs no configuration, datastore, network or model (Layers 1 and 3 are pure), so it
// works on a laptop, in CI and against a production binary alike.
//
// In:  {"layer":1|3,"text":"...","timezone"?:"Europe/London"}   (blank lines are skipped)
// Out: {"verdict":"emergency"|"medical_advice"|"injection"|"pass"|"flag","redacted":"...","categories":[...]}
// For layer 3 `redacted` is the text unchanged: Layer 3 does not redact (see src/safety/layer3.ts).
// A line that is not JSON or not that shape stops the run with exit 1 and a message naming the
// line; the verdicts for the lines before it have already been written.

import { z } from "zod";
import { checkAssistantAnswer, screenUserMessage } from "../safety/index";

const GuardInput = z.object({
  layer: z.literal([1, 3]),
  text: z.string(),
  timezone: z.string().optional(),
});

const EXPECTED_SHAPE = '{"layer":1|3,"text":"...","timezone"?:"..."}';

interface GuardOutput {
  verdict: string;
  redacted: string;
  categories: string[];
}

type LineResult = { ok: true; output: GuardOutput | undefined } | { ok: false; error: string };

export async function runGuardCommand(): Promise<void> {
  const decoder = new TextDecoder();
  let pending = "";
  let lineNumber = 0;
  const handle = async (lines: string[]): Promise<boolean> => {
    let out = "";
    for (const line of lines) {
      lineNumber += 1;
      const result = guardLine(line);
      if (!result.ok) {
        await Bun.write(Bun.stdout, out);
        process.stderr.write(`hilo guard: line ${lineNumber}: ${result.error}\n`);
        process.exitCode = 1;
        return false;
      }
      if (result.output !== undefined) out += `${JSON.stringify(result.output)}\n`;
    }
    if (out.length > 0) await Bun.write(Bun.stdout, out);
    return true;
  };

  for await (const chunk of Bun.stdin.stream()) {
    pending += decoder.decode(chunk, { stream: true });
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    if (!(await handle(lines))) return;
  }
  pending += decoder.decode();
  if (pending.length > 0) await handle([pending]);
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
    };
  }
  const verdict = checkAssistantAnswer(text);
  return { ok: true, output: { verdict: verdict.verdict, redacted: text, categories: verdict.categories } };
}
