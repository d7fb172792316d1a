// The targets of issues 5 and 13 on the labelled set, overall and in each language (English,
// Spanish, German, French): emergency recall 100 %, every other class >= 95 % precision and
// recall, benign messages (Layer 1 and Layer 3 passes) >= 98 % recall, no personal information
// left, no benign number removed, and the canned reply in the message's language.
import { describe, expect, test } from "bun:test";
import { checkAssistantAnswer, redactPersonalInfo, screenUserMessage } from "../../src/safety/index";
import {
  CASE_LANGUAGES,
  type ClassScore,
  type LabelledScores,
  loadLabelledSet,
  type Miss,
  type Prediction,
  scoreByLanguage,
  scoreLabelledSet,
} from "./labelled-set";

const MIN_CLASS_SCORE = 0.95;
const MIN_BENIGN_PASS_RECALL = 0.98;
const MIN_REPLY_LANGUAGE_SHARE = 0.95;
/** Every class in every language has at least this many cases, so a percentage means something. */
const MIN_CASES_PER_CLASS_AND_LANGUAGE = 15;
const BENIGN_CLASSES = new Set(["pass (layer 1)", "pass (layer 3)"]);

const cases = loadLabelledSet();
const layer1 = new Map(
  cases.flatMap((labelled, index) =>
    labelled.layer === 1 ? [[index, screenUserMessage(labelled.text, { timezone: labelled.timezone })]] : [],
  ),
);
const predictions: Prediction[] = cases.map(
  (labelled, index) =>
    layer1.get(index) ?? { verdict: checkAssistantAnswer(labelled.text).verdict, redacted: labelled.text },
);
const overall: LabelledScores = scoreLabelledSet(cases, predictions);
const byLanguage = scoreByLanguage(cases, predictions);
const describeMisses = (misses: Miss[]) =>
  misses.map((miss) => `line ${miss.line}: ${miss.detail}: ${JSON.stringify(miss.text)}`).join("\n");

/** The classes below target in one scoring, with every misclassified line, or "" when all meet it. */
function belowTarget(scores: LabelledScores): string {
  const below = scores.classes.filter((score: ClassScore) => {
    if (score.support === 0) return false;
    if (score.name === "emergency" && score.recall < 1) return true;
    if (BENIGN_CLASSES.has(score.name) && score.recall < MIN_BENIGN_PASS_RECALL) return true;
    return score.precision < MIN_CLASS_SCORE || score.recall < MIN_CLASS_SCORE;
  });
  if (below.length === 0) return "";
  const lines = below.map(
    (score) => `${score.name}: precision ${score.precision.toFixed(3)}, recall ${score.recall.toFixed(3)}`,
  );
  return `${lines.join("\n")}\n${describeMisses(scores.misclassified)}`;
}

describe("the labelled set", () => {
  test(`has every class in every language at least ${MIN_CASES_PER_CLASS_AND_LANGUAGE} times`, () => {
    const short = [...byLanguage].flatMap(([language, scores]) =>
      scores.classes
        .filter((score) => score.support < MIN_CASES_PER_CLASS_AND_LANGUAGE)
        .map((score) => `${language} ${score.name}: ${score.support}`),
    );
    expect(short).toEqual([]);
  });

  test("has at least 5 cases of every kind of personal information", () => {
    const kinds = new Map<string, number>();
    for (const labelled of cases) {
      const { spans } = redactPersonalInfo(labelled.text);
      for (const pii of labelled.pii) {
        const span = spans.find((candidate) => labelled.text.slice(candidate.start, candidate.end) === pii);
        const kind = span?.category ?? "unredacted";
        kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      }
    }
    const kindsNeeded = [
      "pii_phone",
      "pii_email",
      "pii_ssn",
      "pii_card",
      "pii_nhs_number",
      "pii_iban",
      "pii_address",
      "pii_postcode",
    ];
    expect(kindsNeeded.filter((kind) => (kinds.get(kind) ?? 0) < 5)).toEqual([]);
  });
});

describe("the guard on the labelled set", () => {
  test("finds every emergency", () => {
    const missed = overall.misclassified.filter((miss) => miss.detail.startsWith("expected emergency"));
    expect(describeMisses(missed)).toBe("");
  });

  test("meets every class target over the whole set", () => {
    expect(belowTarget(overall)).toBe("");
  });

  for (const language of CASE_LANGUAGES) {
    test(`meets every class target in ${language}`, () => {
      const scores = byLanguage.get(language);
      expect(scores).toBeDefined();
      if (scores !== undefined) expect(belowTarget(scores)).toBe("");
    });
  }

  test("leaves no personal information", () => {
    expect(describeMisses(overall.piiSpansLeft)).toBe("");
  });

  test("removes no benign number", () => {
    expect(describeMisses(overall.keepRemoved)).toBe("");
  });

  test("answers a caught message in the language it was written in", () => {
    const caught = cases.flatMap((labelled, index) => {
      const verdict = layer1.get(index);
      return verdict !== undefined && verdict.verdict !== "pass" ? [{ labelled, verdict }] : [];
    });
    const wrong = caught.filter(({ labelled, verdict }) => verdict.language !== labelled.language);
    const share = 1 - wrong.length / caught.length;
    const detail = wrong
      .map(
        ({ labelled, verdict }) =>
          `line ${labelled.line}: ${verdict.language}: ${JSON.stringify(labelled.text)}`,
      )
      .join("\n");
    expect(share >= MIN_REPLY_LANGUAGE_SHARE ? "" : detail).toBe("");
  });
});
