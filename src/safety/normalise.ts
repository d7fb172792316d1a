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

/** Letters NFKD does not take apart, written the way a keyboard without them would. */
const FOLDED_LETTERS: Record<string, string> = {
  ß: "ss",
  œ: "oe",
  æ: "ae",
  ø: "o",
  ł: "l",
  đ: "d",
  ð: "d",
  þ: "th",
  ı: "i",
  // NFKD turns the micro sign into Greek mu; dose units are written with the micro sign.
  μ: "µ",
};
const FOLDED_LETTER = new RegExp(`[${Object.keys(FOLDED_LETTERS).join("")}]`, "g");
/**
 * Combining marks (accents once NFKD has split them off) and format characters (zero-width
 * spaces and joiners, soft hyphens, bidi marks): "sui\u200bcide" and "suicide" must read alike.
 */
const MARK_OR_FORMAT = /[\p{M}\p{Cf}]/gu;
const NON_ASCII = /[\u0080-\uffff]/;

/**
 * Lower-cases, folds accents and compatibility forms ("é" -> "e", "ß" -> "ss", "œ" -> "oe",
 * full-width and ligature letters to plain ones), drops invisible format characters,
 * straightens typographic apostrophes and quotes, and collapses runs of spaces and tabs
 * (newlines are kept: fake "system:" lines are recognised by their line start). Every pattern in
 * this folder is written against this form, which is plain ASCII for the languages we screen, so
 * `\b` and `\w` mean what they say in Spanish, German and French too. The length may change:
 * offsets into this form never point into the original text.
 */
export function normaliseForMatching(text: string): string {
  let lower = text.toLowerCase();
  if (NON_ASCII.test(lower)) {
    lower = lower
      .normalize("NFKD")
      .replace(MARK_OR_FORMAT, "")
      .replace(FOLDED_LETTER, (letter) => FOLDED_LETTERS[letter] ?? letter);
  }
  if (TYPOGRAPHIC.test(lower)) {
    lower = lower
      .replace(/[\u2018\u2019\u02bc\u0060\u00b4\u201a\u2032]/g, "'")
      .replace(/[\u201c\u201d\u201e\u00ab\u00bb\u2033]/g, '"')
      .replace(/[\u2010-\u2015\u2212]/g, "-");
  }
  // Single plain spaces, nearly all of them, are left as they are: nothing to copy.
  return lower.replace(
    /[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]{2,}|[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]/g,
    " ",
  );
}

/** Any character the replacements above change, to skip them for most messages. */
const TYPOGRAPHIC =
  /[\u2018\u2019\u02bc\u0060\u00b4\u201a\u2032\u201c\u201d\u201e\u00ab\u00bb\u2033\u2010-\u2015\u2212]/;

/**
 * A regex source written in a language's own spelling ("desmayé", "ohnmächtig", "évanoui"),
 * turned into one that matches the folded text: accents dropped, and for German each umlaut
 * also matches its two-letter spelling ("ohnmaechtig") and "ß" matches "ss". Sources passed here
 * must not put accented letters inside a character class.
 */
export function foldSource(source: string): string {
  return source
    .replace(/ä/g, "(?:a|ae)")
    .replace(/ö/g, "(?:o|oe)")
    .replace(/ü/g, "(?:u|ue)")
    .replace(/ß/g, "ss")
    .normalize("NFD")
    .replace(/\p{M}/gu, "");
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
