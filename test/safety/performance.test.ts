// The screen runs on every message: a 4,000-character message, ordinary or built to make a regex
// backtrack, must stay far from anything a user could notice. Typical cost is well under 1 ms; the
// budget here is loose and taken as the best of several runs, so a busy CI machine (GC pauses, the
// other core busy) does not flake, yet it catches a catastrophic pattern (seconds on these inputs).
// Speed itself is measured by scripts/bench/guard-eval.ts, not here.
import { describe, expect, test } from "bun:test";
import { checkAssistantAnswer, screenUserMessage } from "../../src/safety/index";
import { longMessage } from "./long-messages";

const MESSAGE_CHARS = 4000;
const BUDGET_MS = 60;
const RUNS = 5;

const fill = (unit: string) => unit.repeat(Math.ceil(MESSAGE_CHARS / unit.length)).slice(0, MESSAGE_CHARS);

const inputs: Record<string, string> = {
  "readings, times and contacts": fill(
    "My BP was 128/82 at 07:30 and 131/85 later; 12,345 steps, 20mg lisinopril, HILO-8F2K-19X3, (415) 555-0134, jane@example.com. ",
  ),
  "ordinary prose": fill(
    "Since Tuesday my readings have been higher and I wonder whether it's the coffee or the stress. ",
  ),
  "one long digit run": "1".repeat(MESSAGE_CHARS),
  "digits separated by spaces": fill("1 "),
  "two-digit groups": fill("12 "),
  "dashed digits": fill("12-"),
  "almost an e-mail": `${fill("a.")}@`,
  "repeated fillers": `should i take ${fill("my ")}`,
  "repeated clause starters": fill("you are in "),
  "repeated negations": `${fill("no ")} chest pain`,
  "repeated symptoms": fill("chest suddenly numb "),
  "repeated phone numbers": fill("+44 20 7946 0958 "),
  "repeated role markers": fill("### system\n"),
  "a week's diary in English": longMessage("en"),
  "a week's diary in Spanish": longMessage("es"),
  "a week's diary in German": longMessage("de"),
  "a week's diary in French": longMessage("fr"),
  "words one letter from key terms": fill("chest pian stroek suicde overdoze painted strike cooking "),
  "accents and umlauts": fill("Ohnmächtig évanouie desmayé Überdosis straße œil "),
  "repeated street addresses": fill("12 Baker Street, London NW1 6XE; Hauptstraße 12, 10115 Berlin; "),
  "repeated IBAN starts": fill("DE89 3704 0044 "),
  "long base64 runs": fill("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo "),
};

function bestOf(work: () => unknown): number {
  let best = Number.POSITIVE_INFINITY;
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    work();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

describe("a 4,000-character message", () => {
  for (const [name, text] of Object.entries(inputs)) {
    test(`${name}: Layer 1 and Layer 3 each stay under ${BUDGET_MS} ms`, () => {
      screenUserMessage(text); // warm the regex compiler
      checkAssistantAnswer(text);
      expect(bestOf(() => screenUserMessage(text))).toBeLessThan(BUDGET_MS);
      expect(bestOf(() => checkAssistantAnswer(text))).toBeLessThan(BUDGET_MS);
    });
  }
});
