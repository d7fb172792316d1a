// The shapes a language pack fills in: the emergency, medical-advice and injection rules of
// Layer 1 and the answer patterns of Layer 3 for one language. English keeps its rules beside the
// engines (emergency.ts, medical-advice.ts, injection.ts, layer3.ts); Spanish, German and French
// each have one file in this folder, so a reader of that language reviews one file.

import type { EmergencyCategory, InjectionCategory, MedicalAdviceCategory } from "../categories";
import type { Language } from "../language";
import { foldSource } from "../normalise";

export interface SymptomRule {
  category: EmergencyCategory;
  /** Global (matchAll); every match is checked, so one negated mention does not hide another. */
  pattern: RegExp;
  /** Whether a direct negation or a distant past before the match cancels it. */
  suppressible: boolean;
  /**
   * When set (global), the sentence must also hold one of these, not itself negated: "chest" +
   * "tight", "short of breath" + "suddenly". "My chest is fine, no pain" has no live cue.
   */
  cue?: RegExp;
}

/** What cancels a suppressible symptom in one language (see emergency.ts). */
export interface Suppression {
  /** A negation governing the symptom, anchored at the end of the text before it. */
  negationBefore: RegExp;
  /** Weeks or more ago. */
  distantPast: RegExp;
  /** Signs it is happening now, which override a distant past in the same sentence. */
  happeningNow: RegExp;
}

export interface AdviceRule {
  category: MedicalAdviceCategory;
  pattern: RegExp;
  /** When set, the message must also mention (or name) a medication somewhere. */
  needs?: "medication" | "named_medication";
}

export interface InjectionRule {
  category: InjectionCategory;
  pattern: RegExp;
  /** A second pattern the message must also contain (kept apart to stay linear). */
  alsoNeeds?: RegExp;
}

/** Layer 3 in one language, each tested sentence by sentence on the folded answer. */
export interface AnswerPatterns {
  /** A sentence sending the user to a clinician, exempt as a whole. */
  redirect: RegExp;
  /** A medication instruction: take, re-time, split, double up, skip, stop. */
  prescription: RegExp;
  /** A dose stated as advice. */
  dosage: RegExp;
  /** A condition stated as the user's. */
  diagnosis: RegExp;
}

export interface LanguagePack {
  language: Language;
  emergency: SymptomRule[];
  suppression: Suppression;
  advice: AdviceRule[];
  injection: InjectionRule[];
  answer: AnswerPatterns;
}

/**
 * A regex from alternatives written in the language's own spelling (accents, umlauts), matched
 * against folded text (see foldSource).
 */
export function folded(alternatives: readonly string[], flags = ""): RegExp {
  return new RegExp(foldSource(alternatives.join("|")), flags);
}
