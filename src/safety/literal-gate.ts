// A pre-filter that skips rules which cannot match: every rule's pattern is read once (at start-up)
// for the literal strings any match of it must contain ("suicid" in `\bsuicid\w*`, one of "dolor
// de pecho" / "dolor del pecho" in `dolor (?:de|del) pecho`), and one scan of the message tells
// which of those literals occur. A rule none of whose literals occurs is not run. The filter is
// exact in one direction only, which is the one that matters: it never skips a rule that would
// have matched (a rule with no usable literal always runs).
//
// Why: Layer 1 holds a few hundred patterns in four languages, and each full scan of a
// 4,000-character message costs microseconds; most messages contain the literals of a handful.

/**
 * Literals shorter than this (spaces aside) occur in most messages and filter nothing: a rule whose
 * requirement has one always runs. Common words (below) filter little and make the scan stop
 * often, so another requirement of the same rule is preferred when there is one; when there is
 * none the common word still gates the rule (measured: cheaper than running the rule every time).
 */
const MIN_LITERAL_CHARS = 3;
const COMMON_WORDS = new Set(
  [
    "the and you for are was not but had has his her its one all can out get got how why who did too now any may way day use see say off own new old two let yet ago our she him i'm it's",
    "what with your read does take have this that from when will would could should which there their about into some more just also like want need time been were they them then than over only very after each",
  ]
    .join(" ")
    .split(" "),
);
const isWeak = (literal: string) => {
  const word = literal.trim();
  return word.length < MIN_LITERAL_CHARS || COMMON_WORDS.has(word);
};
/** Alternatives multiplied out into literals ("dolor (?:de|del) pecho") up to this many. */
const MAX_LITERALS_PER_RULE = 24;
/** A rule whose requirement is a union of more literals than this always runs. */
const MAX_REQUIRED_LITERALS = 400;

type Requirement = readonly string[] | undefined;

interface Atom {
  /** The strings the atom matches exactly, when it is a literal or an alternation of literals. */
  exact?: readonly string[];
  /** Literals any match of the atom contains, when known. */
  required: Requirement;
  /** Lookarounds and anchors: they consume nothing. */
  zeroWidth?: boolean;
}

/**
 * The literals at least one of which occurs in every match of the pattern (lower-case sources
 * only: the rules here are written against normalised text), or undefined when there is none to
 * rely on. Supports the syntax the rules use: groups, alternation, quantifiers, classes, escapes,
 * lookarounds and backreferences.
 */
export function requiredLiterals(source: string): string[] | undefined {
  let at = 0;

  const alternation = (): { required: Requirement; exact?: readonly string[] } => {
    const branches = [sequence()];
    while (source[at] === "|") {
      at++;
      branches.push(sequence());
    }
    const exact = branches.every((branch) => branch.exact !== undefined)
      ? branches.flatMap((branch) => branch.exact ?? [])
      : undefined;
    const required = branches.some((branch) => branch.required === undefined)
      ? undefined
      : branches.flatMap((branch) => branch.required ?? []);
    return { required, exact };
  };

  const sequence = (): { required: Requirement; exact?: readonly string[] } => {
    const candidates: (readonly string[])[] = [];
    let run: string[] = [""];
    let exact = true;
    const flush = () => {
      if (run.some((literal) => literal.length > 0)) candidates.push(run);
      run = [""];
    };
    while (at < source.length && source[at] !== "|" && source[at] !== ")") {
      const atom = parseAtom();
      const { min, max } = parseQuantifier();
      if (atom.zeroWidth === true) continue;
      if (atom.exact !== undefined && min === 1 && max === 1) {
        const product = run.flatMap((prefix) => (atom.exact ?? []).map((literal) => prefix + literal));
        if (product.length <= MAX_LITERALS_PER_RULE) {
          run = product;
          continue;
        }
      }
      exact = false;
      if (atom.exact !== undefined && min >= 1) {
        // "s+" or a long product: the atom's own strings are required, then the run breaks.
        const product = run.flatMap((prefix) => (atom.exact ?? []).map((literal) => prefix + literal));
        if (product.length <= MAX_LITERALS_PER_RULE) run = product;
        flush();
        if (product.length > MAX_LITERALS_PER_RULE) candidates.push(atom.exact);
        continue;
      }
      flush();
      if (min >= 1 && atom.required !== undefined) candidates.push(atom.required);
    }
    const required = best(run.some((literal) => literal.length > 0) ? [...candidates, run] : candidates);
    return { required, exact: exact ? run : undefined };
  };

  const parseAtom = (): Atom => {
    const char = source[at] ?? "";
    if (char === "\\") return parseEscape();
    if (char === "[") {
      at++;
      if (source[at] === "^") at++;
      if (source[at] === "]") at++;
      while (at < source.length && source[at] !== "]") at += source[at] === "\\" ? 2 : 1;
      at++;
      return { required: undefined };
    }
    if (char === "(") {
      at++;
      let lookaround = false;
      if (source.startsWith("?:", at)) at += 2;
      else if (source.startsWith("?=", at) || source.startsWith("?!", at)) {
        at += 2;
        lookaround = true;
      } else if (source.startsWith("?<=", at) || source.startsWith("?<!", at)) {
        at += 3;
        lookaround = true;
      } else if (source.startsWith("?<", at)) at = source.indexOf(">", at) + 1;
      const inner = alternation();
      at++; // ")"
      if (lookaround) return { required: undefined, zeroWidth: true };
      return { required: inner.required, exact: inner.exact };
    }
    at++;
    if (char === ".") return { required: undefined };
    if (char === "^" || char === "$") return { required: undefined, zeroWidth: true };
    return { required: [char], exact: [char] };
  };

  const parseEscape = (): Atom => {
    const next = source[at + 1] ?? "";
    at += 2;
    if (next === "b" || next === "B") return { required: undefined, zeroWidth: true };
    if ("dDwWsS".includes(next)) return { required: undefined };
    if (next === "p" || next === "P") {
      at = source.indexOf("}", at) + 1;
      return { required: undefined };
    }
    if (next === "k") {
      at = source.indexOf(">", at) + 1;
      return { required: undefined };
    }
    if (/[1-9]/.test(next)) return { required: undefined };
    if (next === "u" || next === "x") {
      const digits = next === "u" ? 4 : 2;
      const char = String.fromCharCode(Number.parseInt(source.slice(at, at + digits), 16));
      at += digits;
      return { required: [char], exact: [char] };
    }
    const char =
      ({ n: "\n", t: "\t", r: "\r", f: "\f", v: "\v", "0": "\0" } as Record<string, string>)[next] ?? next;
    return { required: [char], exact: [char] };
  };

  const parseQuantifier = (): { min: number; max: number } => {
    const char = source[at];
    let bounds = { min: 1, max: 1 };
    if (char === "*") bounds = { min: 0, max: Number.POSITIVE_INFINITY };
    else if (char === "+") bounds = { min: 1, max: Number.POSITIVE_INFINITY };
    else if (char === "?") bounds = { min: 0, max: 1 };
    else if (char === "{") {
      const braces = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(at));
      if (braces === null) return bounds; // a literal "{", read as an atom next
      at += braces[0].length - 1;
      const min = Number(braces[1]);
      bounds = {
        min,
        max: braces[2] === undefined ? min : braces[3] === "" ? Number.POSITIVE_INFINITY : Number(braces[3]),
      };
    } else return bounds;
    at++;
    if (source[at] === "?") at++; // lazy
    return bounds;
  };

  const { required } = alternation();
  const tooShort = (literal: string) => literal.trim().length < MIN_LITERAL_CHARS;
  if (required === undefined || required.some(tooShort)) return undefined;
  return [...new Set(required)];
}

/**
 * Of several requirements of a sequence, the most selective: no weak literal, then the longest
 * shortest literal, then the fewest.
 */
function best(candidates: readonly (readonly string[])[]): Requirement {
  let chosen: Requirement;
  let chosenScore = -1;
  for (const candidate of candidates) {
    if (candidate.length > MAX_REQUIRED_LITERALS) continue;
    const shortest = Math.min(...candidate.map((literal) => literal.trim().length));
    const score = (candidate.some(isWeak) ? 0 : 10_000) + shortest * 100 - candidate.length;
    if (score > chosenScore) {
      chosen = candidate;
      chosenScore = score;
    }
  }
  return chosen;
}

/**
 * The top-level alternatives of a pattern's source ("a|b(?:c|d)" -> "a", "b(?:c|d)"): a rule
 * written as one long alternation is gated (and run) alternative by alternative, so one common
 * word in one alternative does not make all of them run.
 */
export function topLevelAlternatives(source: string): string[] {
  const alternatives: string[] = [];
  let depth = 0;
  let inClass = false;
  let start = 0;
  for (let at = 0; at < source.length; at++) {
    const char = source[at];
    if (char === "\\") {
      at++;
      continue;
    }
    if (inClass) {
      if (char === "]") inClass = false;
      continue;
    }
    if (char === "[") inClass = true;
    else if (char === "(") depth++;
    else if (char === ")") depth--;
    else if (char === "|" && depth === 0) {
      alternatives.push(source.slice(start, at));
      start = at + 1;
    }
  }
  alternatives.push(source.slice(start));
  return alternatives;
}

/** A pattern split into its top-level alternatives, each with the pattern's flags. */
export function splitAlternatives(pattern: RegExp): RegExp[] {
  const alternatives = topLevelAlternatives(pattern.source);
  return alternatives.length === 1
    ? [pattern]
    : alternatives.map((source) => new RegExp(source, pattern.flags));
}

export interface LiteralGate {
  /** For each pattern given to `literalGate`, in order: false when it cannot match the text. */
  mayMatch(text: string): boolean[];
}

/**
 * Every gate files its literals in one shared index, so a message is scanned once for all of
 * them (Layer 1's three checks each hold a gate): the index is rebuilt when a gate adds literals,
 * which happens only while the modules load, and the scan of the last text is kept for the next
 * gate that asks about the same string.
 */
const shared = {
  literals: [] as string[],
  idOf: new Map<string, number>(),
  index: undefined as LiteralIndex | undefined,
  lastText: undefined as string | undefined,
  lastFound: new Uint8Array(0) as Uint8Array,
};

function literalId(literal: string): number {
  const known = shared.idOf.get(literal);
  if (known !== undefined) return known;
  const id = shared.literals.length;
  shared.literals.push(literal);
  shared.idOf.set(literal, id);
  shared.index = undefined;
  shared.lastText = undefined;
  return id;
}

function foundLiterals(text: string): Uint8Array {
  if (text === shared.lastText) return shared.lastFound;
  shared.index ??= indexLiterals(shared.literals);
  shared.lastFound = findLiterals(text, shared.index);
  shared.lastText = text;
  return shared.lastFound;
}

/** A gate over a fixed list of patterns, built once. */
export function literalGate(patterns: readonly RegExp[]): LiteralGate {
  // A case-insensitive pattern could match literals of another case: it always runs.
  const requiredIds = patterns.map((pattern) =>
    pattern.flags.includes("i") ? undefined : requiredLiterals(pattern.source)?.map(literalId),
  );
  return {
    mayMatch(text: string): boolean[] {
      const found = foundLiterals(text);
      return requiredIds.map((ids) => ids === undefined || ids.some((id) => found[id] === 1));
    },
  };
}

/**
 * Each literal is filed under its rarest four-character window (rare letters first: "suicid"
 * under "uici", not "suic"), so that a message's common letter runs rarely lead to a comparison.
 * A hashed table of the windows in use is read at each position; a hit looks the window up and
 * compares the few literals filed there. Literals of three characters, or with a character
 * outside ASCII (none after folding, but the gate does not rely on it), are looked for with
 * `includes`.
 */
interface IndexedLiteral {
  id: number;
  literal: string;
  /** Where its window starts inside it. */
  offset: number;
}

interface LiteralIndex {
  count: number;
  windows: Uint8Array;
  byWindow: Map<number, IndexedLiteral[]>;
  other: IndexedLiteral[];
}

const WINDOW_CHARS = 4;
const WINDOW_TABLE_SIZE = 1 << 16;
/** Four 7-bit characters in one number; the rolling key in findLiterals computes the same. */
const windowKey = (text: string, at: number) =>
  ((text.charCodeAt(at) * 128 + text.charCodeAt(at + 1)) * 128 + text.charCodeAt(at + 2)) * 128 +
  text.charCodeAt(at + 3);
const windowSlot = (key: number) => (key ^ (key >>> 13)) & (WINDOW_TABLE_SIZE - 1);
/**
 * English letter frequency, most frequent first: a window's rarity is the sum of its letters'
 * ranks. A space starts or ends every word, so a window across one counts as common.
 */
const LETTERS_BY_FREQUENCY = "etaoinshrdlcumwfgypbvkjxqz";
const rarity = (window: string) =>
  [...window].reduce((sum, char) => {
    if (char === " ") return sum - LETTERS_BY_FREQUENCY.length;
    const rank = LETTERS_BY_FREQUENCY.indexOf(char);
    return sum + (rank < 0 ? LETTERS_BY_FREQUENCY.length : rank);
  }, 0);

const isAscii = (text: string) => [...text].every((char) => char.charCodeAt(0) < 128);

function indexLiterals(literals: readonly string[]): LiteralIndex {
  const windows = new Uint8Array(WINDOW_TABLE_SIZE);
  const byWindow = new Map<number, IndexedLiteral[]>();
  const other: IndexedLiteral[] = [];
  literals.forEach((literal, id) => {
    if (!isAscii(literal) || literal.length < WINDOW_CHARS) {
      other.push({ id, literal, offset: 0 });
      return;
    }
    let offset = 0;
    for (let at = 1; at + WINDOW_CHARS <= literal.length; at++) {
      const window = literal.slice(at, at + WINDOW_CHARS);
      if (rarity(window) > rarity(literal.slice(offset, offset + WINDOW_CHARS))) offset = at;
    }
    const key = windowKey(literal, offset);
    windows[windowSlot(key)] = 1;
    const filed = byWindow.get(key) ?? [];
    filed.push({ id, literal, offset });
    byWindow.set(key, filed);
  });
  return { count: literals.length, windows, byWindow, other };
}

/** found[id] === 1 for each literal of the index that occurs in the text. */
function findLiterals(text: string, { count, windows, byWindow, other }: LiteralIndex): Uint8Array {
  const found = new Uint8Array(count);
  // The window's key rolled along one character at a time; a character outside ASCII spoils
  // only the windows it is in, which no literal of the index has.
  let key = (text.charCodeAt(0) * 128 + text.charCodeAt(1)) * 128 + text.charCodeAt(2);
  for (let end = WINDOW_CHARS - 1; end < text.length; end++) {
    key = (key % 2097152) * 128 + text.charCodeAt(end);
    if (windows[windowSlot(key)] === 0) continue;
    const filed = byWindow.get(key);
    if (filed === undefined) continue;
    const at = end - (WINDOW_CHARS - 1);
    for (const { id, literal, offset } of filed) {
      if (found[id] === 0 && at >= offset && text.startsWith(literal, at - offset)) found[id] = 1;
    }
  }
  for (const { id, literal } of other) if (text.includes(literal)) found[id] = 1;
  return found;
}
