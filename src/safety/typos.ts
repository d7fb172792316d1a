// One-letter typos in the words that decide a verdict ("chest pian", "suicde", "overdoze",
// "stroek", "lisinipril"): each is rewritten to the word the rules know before any rule runs, so
// every rule tolerates them without a fuzzy pattern of its own.
//
// - Only the key terms below are corrected, never other words, and only at one edit (one letter
//   inserted, dropped, replaced, or two neighbours swapped), spaces included ("chestpain").
// - A single word is a key term only from six letters on: at four or five letters nearly every
//   one-letter change is another real word ("pain" / "paint", "faint" / "paint").
// - In a term of several words, the edit may fall in a word of four letters or more ("chest
//   pian"), or move a space ("chestpain", "kill my self"); never in a short word ("passed our",
//   "end me life").
// - A real word one edit from a key term, or from a word of one, is never corrected: "painted",
//   "strike", "cooking", "chest paint" stay as they are. protected-words.ts lists them (see there
//   how it is made).
//
// Cost: the text is split into words once; each run of one to four words is looked up by its
// first two and its last two letters (one edit leaves one of the pairs intact from six letters
// on), and only the few terms found are compared letter by letter. No string is built unless a
// correction is made.

import { MEDICATION_NAMES } from "./medication-terms";
import { normaliseForMatching } from "./normalise";
import { PROTECTED_WORDS } from "./protected-words";

/** In each language's own spelling; folded like the text before use. */
const KEY_TERMS_AS_WRITTEN: readonly string[] = [
  // English
  "chest pain",
  "chest pains",
  "chest tightness",
  "heart attack",
  "suicide",
  "suicidal",
  "kill myself",
  "killing myself",
  "end my life",
  "overdose",
  "overdosed",
  "overdosing",
  "stroke",
  "breathe",
  "breath",
  "breathing",
  "breathless",
  "unconscious",
  "unresponsive",
  "fainted",
  "fainting",
  "seizure",
  "collapsed",
  "slurred",
  "slurring",
  "drooping",
  "numbness",
  "paralysed",
  "paralyzed",
  "bleeding",
  "choking",
  "passed out",
  "blacked out",
  "tablets",
  "capsules",
  "painkillers",
  "sleeping pills",
  "medication",
  "medicine",
  "instructions",
  "system prompt",
  "previous",
  "ignore",
  // Spanish
  "dolor de pecho",
  "dolor en el pecho",
  "dolor torácico",
  "infarto",
  "ataque al corazón",
  "suicidarme",
  "suicidio",
  "matarme",
  "quitarme la vida",
  "sobredosis",
  "respirar",
  "desmayé",
  "desmayado",
  "desmayada",
  "inconsciente",
  "convulsiones",
  "pastillas",
  "comprimidos",
  "medicamentos",
  "derrame cerebral",
  "instrucciones",
  // German
  "Brustschmerzen",
  "Brustschmerz",
  "Herzinfarkt",
  "Selbstmord",
  "umbringen",
  "Überdosis",
  "Schlaganfall",
  "ohnmächtig",
  "bewusstlos",
  "Atemnot",
  "Luftnot",
  "Tabletten",
  "Medikamente",
  "Krampfanfall",
  "Anweisungen",
  // French
  "douleur thoracique",
  "douleur à la poitrine",
  "mal à la poitrine",
  "crise cardiaque",
  "infarctus",
  "suicider",
  "suicidaire",
  "surdose",
  "respirer",
  "évanoui",
  "évanouie",
  "inconscient",
  "inconsciente",
  "convulsions",
  "comprimés",
  "cachets",
  "médicaments",
];

/** Single words shorter than this are never corrected (see the header). */
const MIN_WORD_TERM_CHARS = 6;
/** In a term of several words, words shorter than this are never edited. */
const MIN_EDITED_WORD_CHARS = 4;

export const KEY_TERMS: readonly string[] = [
  ...new Set([
    ...KEY_TERMS_AS_WRITTEN.map(normaliseForMatching),
    ...MEDICATION_NAMES.filter((name) => /^[a-z]+$/.test(name) && name.length >= 7),
  ]),
].filter((term) => term.includes(" ") || term.length >= MIN_WORD_TERM_CHARS);

const MIN_TERM_CHARS = Math.min(...KEY_TERMS.map((term) => term.length));
const MAX_TERM_CHARS = Math.max(...KEY_TERMS.map((term) => term.length));
/** A term of three words may arrive as four ("sui cide attempt") or as two ("chestpain"). */
const MAX_WORDS_PER_CANDIDATE = Math.max(...KEY_TERMS.map((term) => term.split(" ").length)) + 1;

const PAIR_TABLE_SIZE = 128 * 128;
/** Two ASCII characters as one number; a pair with another character never indexes a term. */
const pairKey = (text: string, at: number) => {
  const first = text.charCodeAt(at);
  const second = text.charCodeAt(at + 1);
  return first < 128 && second < 128 ? first * 128 + second : -1;
};
const NO_TERMS: readonly string[] = [];
// Maps, not 16,384-slot arrays of arrays: a few hundred pairs are in use, and building the full
// tables cost ~12 ms of every process's start-up.
const TERMS_BY_FIRST_PAIR = new Map<number, string[]>();
const TERMS_BY_LAST_PAIR = new Map<number, string[]>();
/**
 * For each pair, the lengths of the terms starting (ending) with it, one bit per length: one
 * array read rules out nearly every candidate, and a candidate of length n needs a term of
 * length n - 1, n or n + 1.
 */
const FIRST_PAIR_LENGTHS = new Uint32Array(PAIR_TABLE_SIZE);
const LAST_PAIR_LENGTHS = new Uint32Array(PAIR_TABLE_SIZE);
if (MAX_TERM_CHARS > 30)
  throw new Error("a key term of more than 30 characters does not fit the length bits");
const fitsLength = (lengths: number, length: number) => ((lengths >>> (length - 1)) & 0b111) !== 0;
for (const term of KEY_TERMS) {
  for (const [index, table, key] of [
    [TERMS_BY_FIRST_PAIR, FIRST_PAIR_LENGTHS, pairKey(term, 0)],
    [TERMS_BY_LAST_PAIR, LAST_PAIR_LENGTHS, pairKey(term, term.length - 2)],
  ] as const) {
    if (key < 0) continue;
    table[key] = (table[key] ?? 0) | (1 << term.length);
    const terms = index.get(key);
    if (terms) terms.push(term);
    else index.set(key, [term]);
  }
}

/** Letters, digits and the apostrophe: what a word is made of once normalised. */
const isWordChar = (code: number) =>
  (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || code === 39 || code >= 128;
const SPACE = 32;

interface Correction {
  start: number;
  end: number;
  term: string;
}

/**
 * Rewrites one-edit misspellings of the key terms in normalised text to the terms themselves.
 * Returns the same string when there is nothing to correct.
 */
export function correctKeyTermTypos(normalised: string): string {
  const words = wordBounds(normalised);
  const count = words.length / 2;
  const corrections: Correction[] = [];
  let coveredUntil = 0;
  for (let first = 0; first < count; first++) {
    const start = words[2 * first] ?? 0;
    if (start < coveredUntil) continue;
    const firstPair = pairKey(normalised, start);
    const firstLengths = firstPair < 0 ? 0 : (FIRST_PAIR_LENGTHS[firstPair] ?? 0);
    // Only words joined by one space form a run.
    let lastWord = first;
    while (
      lastWord + 1 < count &&
      lastWord + 1 < first + MAX_WORDS_PER_CANDIDATE &&
      (words[2 * lastWord + 2] ?? 0) === (words[2 * lastWord + 1] ?? 0) + 1 &&
      normalised.charCodeAt(words[2 * lastWord + 1] ?? 0) === SPACE
    ) {
      lastWord++;
    }
    // Longest run first, so "chest pian" is corrected as the phrase, not as "chest" alone.
    for (let last = lastWord; last >= first; last--) {
      const end = words[2 * last + 1] ?? 0;
      const length = end - start;
      if (length < MIN_TERM_CHARS - 1 || length > MAX_TERM_CHARS + 1) continue;
      const lastPair = pairKey(normalised, end - 2);
      const lastLengths = lastPair < 0 ? 0 : (LAST_PAIR_LENGTHS[lastPair] ?? 0);
      if (!fitsLength(firstLengths, length) && !fitsLength(lastLengths, length)) continue;
      const term = termOneEditFrom(normalised, start, end, firstPair, lastPair);
      if (term === undefined) continue;
      if (term !== "" && isTypoOf(normalised.slice(start, end), term)) {
        corrections.push({ start, end, term });
      }
      // An exact key term or a correction: the words inside it are not looked at again.
      coveredUntil = end;
      break;
    }
  }
  if (corrections.length === 0) return normalised;
  let corrected = "";
  let cursor = 0;
  for (const { start, end, term } of corrections) {
    corrected += normalised.slice(cursor, start) + term;
    cursor = end;
  }
  return corrected + normalised.slice(cursor);
}

/** Reused between calls (grown when a longer text comes): no allocation per message. */
let boundsBuffer = new Int32Array(4096);

/** Start and end (exclusive) of each word, flat: [start0, end0, start1, end1, …]. */
function wordBounds(text: string): Int32Array {
  if (boundsBuffer.length < text.length + 1) boundsBuffer = new Int32Array(text.length + 1);
  const bounds = boundsBuffer;
  let count = 0;
  for (let at = 0; at < text.length; ) {
    if (!isWordChar(text.charCodeAt(at))) {
      at++;
      continue;
    }
    bounds[count++] = at;
    while (at < text.length && isWordChar(text.charCodeAt(at))) at++;
    bounds[count++] = at;
  }
  return bounds.subarray(0, count);
}

/** Whether a candidate one edit from a term is a typo of it rather than other real words. */
function isTypoOf(candidate: string, term: string): boolean {
  if (!term.includes(" ")) return !PROTECTED_WORDS.has(candidate);
  const words = candidate.split(" ");
  const termWords = term.split(" ");
  // A space added or dropped: "chestpain", "kill my self".
  if (words.length !== termWords.length) return true;
  const changed = termWords.flatMap((word, index) => (words[index] === word ? [] : [index]));
  // A swap across a space changes two words ("chestp ain"); one edit changes one word.
  if (changed.length !== 1) return true;
  const index = changed[0] ?? 0;
  const word = words[index] ?? "";
  return (termWords[index] ?? "").length >= MIN_EDITED_WORD_CHARS && !PROTECTED_WORDS.has(word);
}

/**
 * The key term text[start, end) is at most one edit from: "" when it is one exactly, undefined
 * when there is none.
 */
function termOneEditFrom(
  text: string,
  start: number,
  end: number,
  firstPair: number,
  lastPair: number,
): string | undefined {
  const byFirst = TERMS_BY_FIRST_PAIR.get(firstPair) ?? NO_TERMS;
  const byLast = TERMS_BY_LAST_PAIR.get(lastPair) ?? NO_TERMS;
  let found: string | undefined;
  for (const terms of [byFirst, byLast]) {
    for (const term of terms) {
      const distance = editDistanceUpToOne(text, start, end, term);
      if (distance === 0) return "";
      if (distance === 1) found ??= term;
    }
  }
  return found;
}

/** 0 for equal, 1 for one insertion, deletion, substitution or swap of neighbours, else 2. */
function editDistanceUpToOne(text: string, start: number, end: number, term: string): 0 | 1 | 2 {
  const n = end - start;
  const m = term.length;
  if (n - m > 1 || m - n > 1) return 2;
  const shorter = Math.min(n, m);
  let prefix = 0;
  while (prefix < shorter && text.charCodeAt(start + prefix) === term.charCodeAt(prefix)) prefix++;
  if (prefix === n && n === m) return 0;
  let suffix = 0;
  while (suffix < shorter - prefix && text.charCodeAt(end - 1 - suffix) === term.charCodeAt(m - 1 - suffix)) {
    suffix++;
  }
  if (n !== m) return prefix + suffix >= shorter ? 1 : 2;
  const differing = n - prefix - suffix;
  if (differing === 1) return 1;
  const swapped =
    differing === 2 &&
    text.charCodeAt(start + prefix) === term.charCodeAt(prefix + 1) &&
    text.charCodeAt(start + prefix + 1) === term.charCodeAt(prefix);
  return swapped ? 1 : 2;
}
