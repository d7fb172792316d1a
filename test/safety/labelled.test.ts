// The targets of issue 5 on the labelled set: emergency recall 100 %, every other class >= 95 %
// precision and recall, no personal information left, no benign number removed.
import { describe, expect, test } from "bun:test";
import { checkAssistantAnswer, redactPersonalInfo, screenUserMessage } from "../../src/safety/index.ts";
import { type LabelledScores, loadLabelledSet, type Prediction, scoreLabelledSet } from "./labelled-set.ts";

const cases = loadLabelledSet();
const predictions: Prediction[] = cases.map((labelled) =>
  labelled.layer === 1
    ? screenUserMessage(labelled.text, { timezone: labelled.timezone })
    : { verdict: checkAssistantAnswer(labelled.text).verdict, redacted: labelled.text },
);
const scores: LabelledScores = scoreLabelledSet(cases, predictions);
const describeMisses = (misses: { line: number; text: string; detail: string }[]) =>
  misses.map((miss) => `line ${miss.line}: ${miss.detail}: ${JSON.stringify(miss.text)}`).join("\n");

describe("the labelled set", () => {
  test("has at least 220 cases and 25 of every class", () => {
    expect(cases.length).toBeGreaterThanOrEqual(220);
    for (const score of scores.classes) expect(score.support).toBeGreaterThanOrEqual(25);
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
    for (const kind of ["pii_phone", "pii_email", "pii_ssn", "pii_card"]) {
      expect(kinds.get(kind) ?? 0).toBeGreaterThanOrEqual(5);
    }
  });
});

describe("the guard on the labelled set", () => {
  test("finds every emergency", () => {
    const emergency = scores.classes.find((score) => score.name === "emergency");
    const missed = scores.misclassified.filter((miss) => miss.detail.startsWith("expected emergency"));
    expect(describeMisses(missed)).toBe("");
    expect(emergency?.recall).toBe(1);
  });

  test("keeps every class at >= 95 % precision and recall", () => {
    const below = scores.classes
      .filter((score) => score.precision < 0.95 || score.recall < 0.95)
      .map(
        (score) =>
          `${score.name}: precision ${score.precision.toFixed(3)}, recall ${score.recall.toFixed(3)}`,
      );
    // On failure the message lists the classes below target and every misclassified line.
    expect(below.length === 0 ? "" : `${below.join("\n")}\n${describeMisses(scores.misclassified)}`).toBe("");
  });

  test("leaves no personal information", () => {
    expect(describeMisses(scores.piiSpansLeft)).toBe("");
  });

  test("removes no benign number", () => {
    expect(describeMisses(scores.keepRemoved)).toBe("");
  });
});
