// The one form of a message every Layer 1 rule reads: normalised (lower case, accents folded),
// with one-letter typos of the key terms corrected, and the language its common words say.
// Every language's rules read every message: a message may mix languages, and the literal
// pre-filter (literal-gate.ts) already skips the rules whose words a message lacks, so screening
// in four languages costs no more than screening in the one the message seems to be in.

import { guessLanguage, type Language } from "./language";
import { normaliseForMatching } from "./normalise";
import { correctKeyTermTypos } from "./typos";

export interface MatchText {
  /** Normalised, key-term typos corrected: what every rule is written against. */
  text: string;
  /** The language the message is written in, when its common words say so. */
  language: Language | undefined;
}

export function prepareForMatching(text: string): MatchText {
  const normalised = correctKeyTermTypos(normaliseForMatching(text));
  return { text: normalised, language: guessLanguage(normalised) };
}
