// Text shaping shared by the safety regexes: one lower-case, straight-apostrophe form to match
// against, and the sentence split Layer 3 and the emergency past-tense rule work on.

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
