// Text shaping shared by the safety regexes: one lower-case, straight-apostrophe form to match
// against, the sentence split Layer 3 and the emergency past-tense rule work on, and the test for
// whether a message has anything a reader could see.

/**
 * A character that renders as nothing or as blank space: whitespace, controls, format characters
 * (zero-width space and joiners, word joiner, BOM, soft hyphen, bidi marks, embeddings and
 * isolates, tags), the other default-ignorable code points (variation selectors, Hangul fillers)
 * and the blank Braille pattern, which pads text in chat apps like a space.
 */
const VISIBLE = /[^\p{White_Space}\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\u2800]/u;

/**
 * Whether the text has at least one character that renders. A message of only zero-width and bidi
 * characters reads as empty and is refused like an empty one; the text itself is never altered.
 */
export function hasVisibleText(text: string): boolean {
  return VISIBLE.test(text);
}

/**
 * Lower-cases, straightens typographic apostrophes and quotes, and collapses runs of spaces and
 * tabs (newlines are kept: fake "system:" lines are recognised by their line start). Every
 * pattern in this folder is written against this form.
 */
export function normaliseForMatching(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc\u0060\u00b4]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u2013\u2014]/g, "-")
    .replace(/[ \t\u00a0]+/g, " ");
}

/**
 * Splits on sentence-ending punctuation followed by whitespace, on semicolons and on line
 * breaks. Decimals ("7.5") and readings ("128/82.") stay inside their sentence because the split
 * needs whitespace after the mark.
 */
export function splitSentences(text: string): string[] {
  return text
    .split(/(?<=[.!?;])\s+|\n+/)
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence.length > 0);
}
