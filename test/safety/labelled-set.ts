// The labelled safety set (labelled.jsonl beside this file): loading and scoring, shared by the
// target test and scripts/bench/guard-eval.ts so both count the same way.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";

export const LABELLED_SET_PATH = join(import.meta.dir, "labelled.jsonl");

const LabelledCaseSchema = z.object({
  layer: z.literal([1, 3]),
  text: z.string().min(1),
  expected: z.enum(["emergency", "medical_advice", "injection", "pass", "flag"]),
  /** Exact substrings that must not survive redaction. */
  pii: z.array(z.string().min(1)),
  /** Exact substrings that must survive redaction. */
  keep: z.array(z.string().min(1)),
  timezone: z.string().optional(),
  /** The language the case is written in; English when absent (the set's first 745 lines). */
  language: z.enum(["en", "es", "de", "fr"]).default("en"),
});

export type LabelledCase = z.infer<typeof LabelledCaseSchema> & { line: number };
export type CaseLanguage = LabelledCase["language"];
export const CASE_LANGUAGES: readonly CaseLanguage[] = ["en", "es", "de", "fr"];

export function loadLabelledSet(path: string = LABELLED_SET_PATH): LabelledCase[] {
  const cases: LabelledCase[] = [];
  readFileSync(path, "utf8")
    .split("\n")
    .forEach((text, index) => {
      if (text.trim().length === 0) return;
      const parsed = LabelledCaseSchema.safeParse(JSON.parse(text));
      if (!parsed.success) throw new Error(`${path}:${index + 1}: ${parsed.error.message}`);
      if (parsed.data.layer === 3 && parsed.data.expected !== "flag" && parsed.data.expected !== "pass") {
        throw new Error(`${path}:${index + 1}: layer 3 cases expect flag or pass`);
      }
      cases.push({ ...parsed.data, line: index + 1 });
    });
  return cases;
}

/** What the guard said about one case. */
export interface Prediction {
  verdict: string;
  redacted: string;
}

export interface ClassScore {
  name: string;
  support: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
}

export interface Miss {
  line: number;
  text: string;
  detail: string;
}

export interface LabelledScores {
  classes: ClassScore[];
  misclassified: Miss[];
  piiSpansLeft: Miss[];
  keepRemoved: Miss[];
  piiSpans: number;
  keepSpans: number;
}

/** Layer 1 and Layer 3 "pass" are different classes. */
export function classOf(layer: 1 | 3, verdict: string): string {
  return verdict === "pass" ? `pass (layer ${layer})` : verdict;
}

export const CLASS_NAMES = [
  "emergency",
  "medical_advice",
  "injection",
  "pass (layer 1)",
  "flag",
  "pass (layer 3)",
] as const;

/** The set scored for each language on its own: the cases written in it and their predictions. */
export function scoreByLanguage(
  cases: LabelledCase[],
  predictions: Prediction[],
): Map<CaseLanguage, LabelledScores> {
  return new Map(
    CASE_LANGUAGES.map((language) => {
      const indices = cases.flatMap((labelled, index) => (labelled.language === language ? [index] : []));
      return [
        language,
        scoreLabelledSet(
          indices.map((index) => cases[index] as LabelledCase),
          indices.map((index) => predictions[index] as Prediction),
        ),
      ];
    }),
  );
}

export function scoreLabelledSet(cases: LabelledCase[], predictions: Prediction[]): LabelledScores {
  if (predictions.length !== cases.length) {
    throw new Error(`got ${predictions.length} predictions for ${cases.length} cases`);
  }
  const misclassified: Miss[] = [];
  const piiSpansLeft: Miss[] = [];
  const keepRemoved: Miss[] = [];
  const counts = new Map<string, { tp: number; fp: number; fn: number; support: number }>(
    CLASS_NAMES.map((name) => [name, { tp: 0, fp: 0, fn: 0, support: 0 }]),
  );
  const count = (name: string) => {
    const entry = counts.get(name);
    if (entry === undefined) throw new Error(`unknown class ${name}`);
    return entry;
  };
  let piiSpans = 0;
  let keepSpans = 0;
  cases.forEach((labelled, index) => {
    const prediction = predictions[index];
    if (prediction === undefined) throw new Error(`no prediction for line ${labelled.line}`);
    const expected = classOf(labelled.layer, labelled.expected);
    const got = classOf(labelled.layer, prediction.verdict);
    count(expected).support += 1;
    if (expected === got) count(expected).tp += 1;
    else {
      count(expected).fn += 1;
      count(got).fp += 1;
      misclassified.push({
        line: labelled.line,
        text: labelled.text,
        detail: `expected ${expected}, got ${got}`,
      });
    }
    for (const span of labelled.pii) {
      piiSpans += 1;
      if (prediction.redacted.includes(span)) {
        piiSpansLeft.push({
          line: labelled.line,
          text: labelled.text,
          detail: `left ${JSON.stringify(span)}`,
        });
      }
    }
    for (const span of labelled.keep) {
      keepSpans += 1;
      if (!prediction.redacted.includes(span)) {
        keepRemoved.push({
          line: labelled.line,
          text: labelled.text,
          detail: `removed ${JSON.stringify(span)}`,
        });
      }
    }
  });
  const classes = CLASS_NAMES.map((name) => {
    const { tp, fp, fn, support } = count(name);
    return {
      name,
      support,
      truePositives: tp,
      falsePositives: fp,
      falseNegatives: fn,
      precision: tp + fp === 0 ? 1 : tp / (tp + fp),
      recall: tp + fn === 0 ? 1 : tp / (tp + fn),
    };
  });
  return { classes, misclassified, piiSpansLeft, keepRemoved, piiSpans, keepSpans };
}
