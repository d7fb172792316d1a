// Layer 1 personal-information redaction: phone numbers, e-mail addresses (also spelled out, as
// "jane at example dot com"), US social security numbers, payment cards, NHS numbers, IBANs,
// street addresses and UK postcodes are replaced in place; every other number is left alone.
//
// Health users type numbers all the time (128/82, 07:30, 12,345 steps, order #123456789,
// HILO-8F2K-19X3), so a number is only redacted when its shape says what it is:
// - it is found as a run of digit groups joined by single spaces, dashes or dots (never "/",
//   ":" or ","), not glued to a letter, "#", "/", "-" or "." on either side, except on its left
//   to a phone word ("call07700 900123", "phone+44…", "Tel.0170…");
// - a word just before it can exempt it (order, ref, serial, device, id, IMEI, invoice…) or
//   claim it (phone, call, card, visa, SSN, NHS…);
// - then the shape decides: "+" or "00" international, NANP 3-3-4 with valid area and exchange,
//   national trunk "0" numbers of 10-12 digits, SSN 3-2-4 with valid area/group/serial,
//   13-19-digit card numbers in card groupings that pass Luhn, and NHS numbers (ten digits,
//   3-3-4 or in one piece, passing the mod-11 check; after "NHS" even where they would also
//   pass for a North American phone number).
// IBANs (iban.ts) are found by their country code, length and mod-97 check; addresses and
// postcodes (addresses.ts) by the street words and postcode shapes of English, German, French and
// Spanish. Both are found before the digit runs, whose numbers inside them are then not
// classified again.
// Every pattern is linear: digit groups and separators never overlap, and runs are only entered
// at their left edge (lookbehind), so a 4,000-character message is scanned once.

import { findAddresses } from "./addresses";
import { findIbans } from "./iban";

export type PersonalInfoCategory =
  | "pii_phone"
  | "pii_email"
  | "pii_ssn"
  | "pii_card"
  | "pii_nhs_number"
  | "pii_iban"
  | "pii_address"
  | "pii_postcode";

export interface PersonalInfoSpan {
  category: PersonalInfoCategory;
  /** Offsets into the original text, end exclusive. */
  start: number;
  end: number;
}

export interface RedactionResult {
  text: string;
  spans: PersonalInfoSpan[];
}

const PLACEHOLDER: Record<PersonalInfoCategory, string> = {
  pii_phone: "[phone]",
  pii_email: "[email]",
  pii_ssn: "[ssn]",
  pii_card: "[card]",
  pii_nhs_number: "[nhs_number]",
  pii_iban: "[iban]",
  pii_address: "[address]",
  pii_postcode: "[postcode]",
};

const EMAIL = /(?<![\w.%+-])[\w.%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;

/**
 * "@" spelled out: bracketed ("[at]", "(at)", "{at}", "<at>", also "(@)") or the bare word "at"
 * (English, German), "arroba" (Spanish) or "arobase" (French) between spaces.
 */
const SPELLED_AT = String.raw`\s*[\[({<]\s*(?:at|@|arroba|arobase)\s*[\])}>]\s*|\s+(?:at|arroba|arobase)\s+`;
/** "." spelled out the same ways ("dot", German "Punkt", Spanish "punto", French "point"), or a literal dot. */
const SPELLED_DOT = String.raw`\s*[\[({<]\s*(?:dot|punkt|punto|point)\s*[\])}>]\s*|\s+(?:dot|punkt|punto|point)\s+|\.`;
const LOCAL_TOKEN = String.raw`[\p{L}\p{N}][\p{L}\p{N}_%+-]*`;
const DOMAIN_LABEL = String.raw`[\p{L}\p{N}][\p{L}\p{N}-]*`;
/** Generic TLDs people write, or any two letters (country codes: uk, de, fr, es, io…). */
const TOP_LEVEL_DOMAIN = "com|org|net|edu|gov|mil|int|info|biz|name|pro|mobi|app|dev|xyz|[a-z]{2}";

/**
 * An e-mail address with "@" or "." spelled out: a local part of one to three tokens, an "at",
 * one to four domain labels and a top-level domain. The repetitions are bounded and a match is
 * only entered at the start of a token, so the scan stays linear. `isSpelledOutEmail` then weeds
 * out sentences the shape also fits ("looked at webmd.com", "at this point in time").
 */
/**
 * A token matched whole, never given back letter by letter ("(?=(x))\k<x>" is an atomic group):
 * what follows a token is a separator, never a token character, so backing off inside one could
 * not help a match, and not trying it keeps the scan fast.
 */
const atomic = (name: string, token: string) => `(?=(?<${name}>${token}))\\k<${name}>`;
const SPELLED_OUT_EMAIL = new RegExp(
  String.raw`(?<![\p{L}\p{N}_.%+@'’/-])(?<local>${atomic("localFirst", LOCAL_TOKEN)}(?:(?:${SPELLED_DOT})${atomic("localNext", LOCAL_TOKEN)}){0,2})` +
    `(?<at>${SPELLED_AT})(?<domain>${atomic("domainFirst", DOMAIN_LABEL)}(?:(?:${SPELLED_DOT})${atomic("domainNext", DOMAIN_LABEL)}){0,3})` +
    String.raw`(?<lastDot>${SPELLED_DOT})(?<tld>${TOP_LEVEL_DOMAIN})(?![\p{L}\p{N}_-]|\.[\p{L}\p{N}])`,
  "giu",
);

/**
 * Words that end a phrase before a bare "at" followed by a place, a time or a website: "looked at
 * webmd.com", "the guidance at nhs.uk", "info at hilo.com". A local part that is one of them is
 * not a mailbox (role addresses such as info@ or support@ are not personal anyway).
 */
const WORDS_BEFORE_AT = new Set(
  [
    // pronouns, places and forms of "be" and "have"
    "i it me you him her us we they them this that one here there home online",
    "is am are was were be been being has have had",
    // verbs that take "at" a place, a time or a site
    "look looks looked looking stay stays stayed staying arrive arrived work works worked working",
    "live lives lived living find found read check checked see seen saw visit visited go went get got",
    "buy bought sold order ordered book booked sign signed up register registered shop shopped",
    "posted hosted published listed located mentioned recommended linked contacted available",
    "meet met start started stop stopped wake woke ate slept",
    // things a website offers
    "info information more details help support contact advice guidance guide article page site",
    "website app tool calculator forum blog post summary form survey portal service store",
  ].flatMap((words) => words.split(" ")),
);

/**
 * A run of digit groups: an optional "+", then groups of digits (optionally in parentheses)
 * joined by one space, dash or dot, or by nothing after a closing parenthesis: "(212)555-0147".
 * It starts after a character that does not glue it to a longer token, or right after a word that
 * names a phone number, typed without a space ("call07700 900123", "mynumberis+44…", "Tel.0170…");
 * the shape still decides, so "number12345678" or "ordernumber07700900123" stay as they are.
 */
const GLUED_PHONE_WORD = String.raw`(?<![\p{L}\p{N}_])(?:my)?(?:phone|telephone|tel|mobile|mob|cell|cellphone|call|text|sms|whatsapp|landline|fax|handy|number|num[eé]ro|nummer|telefon)(?:number|no|nr)?(?:is|es|ist)?[.#=-]?`;
const DIGIT_RUN = new RegExp(
  String.raw`(?:(?<![\p{L}\p{N}_#/.,+@\\-])|(?<=${GLUED_PHONE_WORD}))\+?(?:\(\d+\)|\d+)(?:(?:[ .-]|(?<=\)))(?:\(\d+\)|\d+))*`,
  "giu",
);
const DIGIT_GROUP = /\(?\d+\)?/g;

/** Characters that glue a run to a longer token on its right ("20mg", "128/82", "97%"). */
const GLUED_RIGHT = /^(?:[\p{L}\p{N}_/%°@]|[.-][\p{L}\p{N}]|:\d)/u;

/** How much text before a number its context words are looked for in. */
const CONTEXT_WINDOW_CHARS = 32;

/** Words that say a number is an identifier of a thing, not of a person. */
const EXEMPT_CONTEXT =
  /\b(?:order|orders|ref|reference|serial|s\/n|sn|device|id|imei|tracking|invoice|booking|confirmation|ticket|(?<!in )case|model|part|batch|(?<!a )lot|firmware|version|receipt|transaction|policy|account|acct|zip|postcode|postal|no\.|bestell\p{L}*|auftrag\p{L}*|rechnung\p{L}*|kundennummer|sendung\p{L}*|pedido|factura|referencia|seguimiento|commande|facture|r[ée]f[ée]rence|suivi|colis)(?![\p{L}])/gu;
const PHONE_CONTEXT =
  /\b(?:phone|call|calling|tel|telephone|mobile|cell|cellphone|text|sms|whatsapp|landline|fax|handy|num[eé]ro|telefon|reach me|ll[aá]m\p{L}*|tel[eé]fono|m[oó]vil|anruf\p{L}*|rufen|ruf|festnetz|appel\p{L}*|portable|t[ée]l[ée]phone)(?![\p{L}])/gu;
const CARD_CONTEXT =
  /\b(?:card|visa|mastercard|amex|discover|credit|debit|cc|paid with|charged to|payment)\b/u;
const SSN_CONTEXT = /\b(?:ssn|social security|social sec)\b/u;
const NHS_CONTEXT = /\b(?:nhs|national health|chi (?:number|no))\b/u;

interface DigitGroup {
  /** Offset of the group (with its parentheses and a leading "+") in the original text. */
  start: number;
  end: number;
  digits: string;
  /** The separator before this group: "" for the first one or after ")". */
  separatorBefore: string;
}

/** The most groups a phone ("+33 6 12 34 56 78") or card (4-4-4-4-3) is written in. */
const MAX_GROUPS_PER_NUMBER = 6;
/** Numbers redacted only after a phone word are written in few groups ("612 345 678"). */
const MAX_GROUPS_WITH_PHONE_WORD = 4;
/** The shortest personal number is a 7-digit local phone number, the longest a 19-digit card. */
const MIN_DIGITS = 7;
const MAX_DIGITS = 19;

export function redactPersonalInfo(text: string): RedactionResult {
  const spans: PersonalInfoSpan[] = [];
  if (text.includes("@")) {
    for (const match of text.matchAll(EMAIL)) {
      spans.push({ category: "pii_email", start: match.index, end: match.index + match[0].length });
    }
  }
  spans.push(...spelledOutEmails(text, spans));
  const overlaps = (start: number, end: number) => spans.some((span) => start < span.end && end > span.start);
  for (const { start, end } of findIbans(text)) {
    if (!overlaps(start, end)) spans.push({ category: "pii_iban", start, end });
  }
  for (const { kind, start, end } of findAddresses(text)) {
    if (!overlaps(start, end))
      spans.push({ category: kind === "address" ? "pii_address" : "pii_postcode", start, end });
  }
  for (const match of text.matchAll(DIGIT_RUN)) {
    const start = match.index;
    if (spans.some((span) => start < span.end && start + match[0].length > span.start)) continue;
    spans.push(...numbersInRun(text, start, match[0]));
  }
  spans.sort((a, b) => a.start - b.start);
  let redacted = "";
  let cursor = 0;
  for (const span of spans) {
    redacted += text.slice(cursor, span.start) + PLACEHOLDER[span.category];
    cursor = span.end;
  }
  return { text: redacted + text.slice(cursor), spans };
}

/**
 * A spelled-out address has an "at" followed by a domain: the full scan runs only when some "at"
 * of the message is ("at 7:30 with breakfast" is not), which most messages never pass.
 */
const SPELLED_AT_MARKER = new RegExp(SPELLED_AT, "giu");
const DOMAIN_AFTER_AT = new RegExp(
  `${atomic("tailFirst", DOMAIN_LABEL)}(?:(?:${SPELLED_DOT})${atomic("tailNext", DOMAIN_LABEL)}){0,3}(?:${SPELLED_DOT})(?:${TOP_LEVEL_DOMAIN})(?![\\p{L}\\p{N}_-]|\\.[\\p{L}\\p{N}])`,
  "yiu",
);

function mayHoldSpelledOutEmail(text: string): boolean {
  SPELLED_AT_MARKER.lastIndex = 0;
  for (let marker = SPELLED_AT_MARKER.exec(text); marker !== null; marker = SPELLED_AT_MARKER.exec(text)) {
    DOMAIN_AFTER_AT.lastIndex = marker.index + marker[0].length;
    if (DOMAIN_AFTER_AT.test(text)) return true;
    // The marker's trailing space may be the next marker's leading one: "at at".
    SPELLED_AT_MARKER.lastIndex = marker.index + 1;
  }
  return false;
}

function spelledOutEmails(text: string, emails: PersonalInfoSpan[]): PersonalInfoSpan[] {
  const found: PersonalInfoSpan[] = [];
  if (!mayHoldSpelledOutEmail(text)) return found;
  SPELLED_OUT_EMAIL.lastIndex = 0;
  for (let match = SPELLED_OUT_EMAIL.exec(text); match !== null; match = SPELLED_OUT_EMAIL.exec(text)) {
    const start = match.index;
    const end = start + match[0].length;
    if (
      isSpelledOutEmail(match[0], match.groups ?? {}) &&
      !emails.some((span) => start < span.end && end > span.start)
    ) {
      found.push({ category: "pii_email", start, end });
    } else {
      // A rejected match consumes nothing: a real address may start inside it ("me at jane dot de at …").
      SPELLED_OUT_EMAIL.lastIndex = start + 1;
    }
  }
  return found;
}

/** The checks on a spelled-out address's parts that a regex cannot say simply. */
function isSpelledOutEmail(address: string, parts: Record<string, string | undefined>): boolean {
  const { local = "", at = "", domain = "", lastDot = "", tld = "" } = parts;
  const atWord = at.trim().toLowerCase();
  // "Mum at home.It was late": after a literal dot a top-level domain is in one case, never Title case.
  if (lastDot === "." && tld !== tld.toLowerCase() && tld !== tld.toUpperCase()) return false;
  // "reading at 6.am", "meet at 5 dot 30": a domain name starts with a word, not a time.
  if (!/^[\p{L}\p{N}-]*\p{L}/u.test(domain)) return false;
  // Web addresses are not mailboxes: "leaflet at www.nhs.uk".
  if (/^www\b/i.test(domain)) return false;
  // French "point" for "." only next to French "arobase": "pain at this point in time" is English.
  if (/[\s[({<]point[\s\])}>]/i.test(address) && !atWord.includes("arobase")) return false;
  if (atWord === "at" && WORDS_BEFORE_AT.has(local.toLowerCase())) return false;
  // The least disguised form, a bare "at" and one real dot before a two-letter ending, is also a
  // missing space in a sentence ("my pressure at home.it was 140"): it needs one more sign of a
  // mailbox, a name with ".", "_" or a digit, a domain of several labels, or a mail provider.
  if (
    atWord === "at" &&
    lastDot === "." &&
    tld.length === 2 &&
    !domain.includes(".") &&
    !/[._\d]/.test(local) &&
    !MAIL_PROVIDERS.has(domain.toLowerCase())
  ) {
    return false;
  }
  return true;
}

/** Mail providers whose name alone marks "x at provider.de" as an address. */
const MAIL_PROVIDERS = new Set(
  "gmail googlemail yahoo ymail hotmail outlook live msn icloud me mac aol gmx web t-online freenet posteo mailbox proton protonmail pm tutanota zoho yandex mail orange free laposte sfr wanadoo libero virgilio telefonica movistar btinternet sky virginmedia".split(
    " ",
  ),
);

/**
 * Classifies a run of digit groups. The whole run is tried first; if it is not personal
 * information, shorter pieces split at spaces are tried left to right, so "415 555 0134 8am" still
 * yields the phone number and "128 130 125 140 135" yields nothing.
 */
function numbersInRun(text: string, runStart: number, run: string): PersonalInfoSpan[] {
  // Most runs are a reading, a time or a count: too short to hold a personal number at all.
  if (run.length < MIN_DIGITS) return [];
  const groups = parseGroups(run, runStart);
  // digitsBefore[i]: digits in groups[0..i), so a piece's length is known without building it.
  const digitsBefore = [0];
  for (const group of groups) digitsBefore.push((digitsBefore.at(-1) ?? 0) + group.digits.length);
  if ((digitsBefore.at(-1) ?? 0) < MIN_DIGITS) return [];
  const runEnd = runStart + run.length;
  const gluedRight = GLUED_RIGHT.test(text.slice(runEnd, runEnd + 2));
  if (!gluedRight && groups.length <= MAX_GROUPS_PER_NUMBER) {
    const category = classifyNumber(text, groups);
    if (category !== undefined) return [{ category, start: runStart, end: runEnd }];
  }
  const found: PersonalInfoSpan[] = [];
  let from = 0;
  while (from < groups.length) {
    const first = groups[from];
    if (first === undefined) break;
    let next = from + 1;
    if (from === 0 || first.separatorBefore === " ") {
      const longest = Math.min(groups.length, from + MAX_GROUPS_PER_NUMBER);
      for (let to = longest; to > from; to--) {
        const last = groups[to - 1];
        const after = groups[to];
        if (last === undefined) continue;
        if (to === groups.length ? gluedRight : after?.separatorBefore !== " ") continue;
        if (from === 0 && to === groups.length) continue; // the whole run was tried above
        const digitCount = (digitsBefore[to] ?? 0) - (digitsBefore[from] ?? 0);
        if (digitCount < MIN_DIGITS || digitCount > MAX_DIGITS) continue;
        const category = classifyNumber(text, groups.slice(from, to));
        if (category !== undefined) {
          found.push({ category, start: first.start, end: last.end });
          next = to;
          break;
        }
      }
    }
    from = next;
  }
  return found;
}

function parseGroups(run: string, runStart: number): DigitGroup[] {
  const groups: DigitGroup[] = [];
  let previousEnd = run.startsWith("+") ? 1 : 0;
  for (const match of run.matchAll(DIGIT_GROUP)) {
    const isFirst = groups.length === 0;
    groups.push({
      start: runStart + (isFirst ? 0 : match.index),
      end: runStart + match.index + match[0].length,
      digits: match[0].replace(/[()]/g, ""),
      separatorBefore: isFirst ? "" : run.slice(previousEnd, match.index),
    });
    previousEnd = match.index + match[0].length;
  }
  return groups;
}

type Nearest = "exempt" | "phone" | "none";

interface ContextWords {
  /** The lower-cased text just before the number, on its line. */
  before: string;
  /** Which of the exempting and phone words comes last before the number. */
  nearest: Nearest;
}

function readContext(text: string, start: number): ContextWords {
  const window = text.slice(Math.max(0, start - CONTEXT_WINDOW_CHARS), start).toLowerCase();
  const before = window.slice(window.lastIndexOf("\n") + 1);
  const exemptAt = lastMatchAt(EXEMPT_CONTEXT, before);
  const phoneAt = lastMatchAt(PHONE_CONTEXT, before);
  const nearest = exemptAt < 0 && phoneAt < 0 ? "none" : exemptAt > phoneAt ? "exempt" : "phone";
  return { before, nearest };
}

/** Index of the last match of a global pattern, -1 if none (exec, not matchAll: no regex clone per call). */
function lastMatchAt(pattern: RegExp, text: string): number {
  let at = -1;
  pattern.lastIndex = 0;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) at = match.index;
  return at;
}

/**
 * The shape decides first and the words before the number (read only when a shape fits) second.
 * Words that claim a number win over exempting ones: "order paid with card 4012 8888 8888 1881".
 */
function classifyNumber(text: string, groups: DigitGroup[]): PersonalInfoCategory | undefined {
  const first = groups[0];
  const last = groups.at(-1);
  if (first === undefined || last === undefined) return undefined;
  const digits = groups.map((group) => group.digits).join("");
  if (digits.length < MIN_DIGITS || digits.length > MAX_DIGITS) return undefined;
  const raw = text.slice(first.start, last.end);
  let words: ContextWords | undefined;
  const context = (): ContextWords => {
    words ??= readContext(text, first.start);
    return words;
  };

  // A leading "+" is a dialling prefix: "whatsapp:+4915112345678" is a phone even where its digits pass Luhn.
  const international = raw.startsWith("+");
  const ssn = international ? undefined : ssnShape(groups, digits);
  if (ssn !== undefined) {
    const claimed = SSN_CONTEXT.test(context().before);
    if (ssn === "formatted" || claimed) {
      return context().nearest === "exempt" && !claimed ? undefined : "pii_ssn";
    }
  }
  if (!international && isCardNumber(groups, digits)) {
    return context().nearest === "exempt" && !CARD_CONTEXT.test(context().before) ? undefined : "pii_card";
  }
  if (!international && isNhsNumber(groups, digits)) {
    if (NHS_CONTEXT.test(context().before)) return "pii_nhs_number";
    // A valid North American number is more likely a phone than an NHS number (both redacted).
    if (context().nearest !== "exempt" && !isNanpNumber(groups, digits)) return "pii_nhs_number";
  }
  if (looksLikeDate(raw)) return undefined;
  const phone = phoneShape(raw, groups, digits);
  if (phone === undefined || context().nearest === "exempt") return undefined;
  return phone === "phone" || context().nearest === "phone" ? "pii_phone" : undefined;
}

/**
 * US SSN with valid area, group and serial: "formatted" as 3-2-4 with one kind of separator, or
 * nine "bare" digits (which count only after a word such as "SSN").
 */
function ssnShape(groups: DigitGroup[], digits: string): "formatted" | "bare" | undefined {
  const lengths = groups.map((group) => group.digits.length).join("-");
  const separators = new Set(groups.slice(1).map((group) => group.separatorBefore));
  const formatted = lengths === "3-2-4" && separators.size === 1 && !separators.has(".");
  if (!formatted && lengths !== "9") return undefined;
  const area = Number(digits.slice(0, 3));
  const group = Number(digits.slice(3, 5));
  const serial = Number(digits.slice(5));
  // SSA rules: no area 000, 666 or 900-999; no group 00; no serial 0000.
  if (area === 0 || area === 666 || area >= 900 || group === 0 || serial === 0) return undefined;
  return formatted ? "formatted" : "bare";
}

/**
 * 13-19 digits with a card-network prefix passing Luhn, either contiguous or in a card grouping (4-4-4-4, 4-4-4-4-3,
 * 4-6-5 Amex, 4-6-4 Diners) with one kind of separator, so that a list of readings or years
 * that happens to pass Luhn is not taken for a card.
 */
function isCardNumber(groups: DigitGroup[], digits: string): boolean {
  if (digits.length < 13 || digits.length > 19 || !hasCardIssuerPrefix(digits) || !passesLuhn(digits)) {
    return false;
  }
  if (groups.length === 1) return true;
  const separators = new Set(groups.slice(1).map((group) => group.separatorBefore));
  if (separators.size !== 1 || separators.has(".") || separators.has("")) return false;
  const lengths = groups.map((group) => group.digits.length);
  const inFours = lengths.slice(0, -1).every((length) => length === 4) && (lengths.at(-1) ?? 0) <= 4;
  const amexOrDiners = lengths.length === 3 && lengths[0] === 4 && lengths[1] === 6;
  return inFours || amexOrDiners;
}

/**
 * Card networks issue from 3 (Amex, Diners, JCB), 4 (Visa), 5 (Mastercard), 6 (Discover,
 * UnionPay, Maestro) and 2221-2720 (Mastercard 2-series); "2023 2024 2025 2026" is not a card.
 */
function hasCardIssuerPrefix(digits: string): boolean {
  const first = digits[0] ?? "";
  if ("3456".includes(first)) return true;
  const prefix = Number(digits.slice(0, 4));
  return prefix >= 2221 && prefix <= 2720;
}

/**
 * Ten digits, in one piece or 3-3-4 with one kind of separator, whose last digit is the mod-11
 * check of the first nine (weights 10 down to 2; a check of 10 is never issued).
 */
function isNhsNumber(groups: DigitGroup[], digits: string): boolean {
  if (digits.length !== 10) return false;
  const lengths = groups.map((group) => group.digits.length).join("-");
  const separators = new Set(groups.slice(1).map((group) => group.separatorBefore));
  if (lengths !== "10" && !(lengths === "3-3-4" && separators.size === 1 && !separators.has(".")))
    return false;
  return passesNhsCheck(digits);
}

export function passesNhsCheck(digits: string): boolean {
  if (!/^\d{10}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(digits[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 10) return false;
  return (check === 11 ? 0 : check) === Number(digits[9]);
}

export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** d.m.yyyy, dd/mm/yy and ISO yyyy-mm-dd at the start of a run are dates, whatever follows. */
function looksLikeDate(raw: string): boolean {
  return /^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b|^\d{4}-\d{2}-\d{2}\b/.test(raw);
}

/** "phone" when the shape alone says so, "with_phone_word" when it needs "call", "phone"… before it. */
function phoneShape(
  raw: string,
  groups: DigitGroup[],
  digits: string,
): "phone" | "with_phone_word" | undefined {
  const count = digits.length;
  if (raw.startsWith("+")) return count >= 8 && count <= 15 ? "phone" : undefined;
  // International with the "00" prefix: 0044 20 7946 0958.
  if (digits.startsWith("00")) {
    return digits[2] !== "0" && count >= 10 && count <= 15 && groups.length > 1 ? "phone" : undefined;
  }
  if (isNanpNumber(groups, digits)) return "phone";
  // National numbers with a trunk 0: UK 07700 900123, 020 7946 0958; FR 06 12 34 56 78; DE 030 1234567.
  if (
    digits[0] === "0" &&
    digits[1] !== "0" &&
    (count === 10 || count === 11 || (count === 12 && groups.length > 1))
  ) {
    return "phone";
  }
  // "call 555-0134", "my number is 612 345 678": shapes too common to redact without the word.
  if (count === 7 && /^[2-9]\d\d[ .-]\d{4}$/.test(raw)) return "with_phone_word";
  if (count >= 8 && count <= 15 && groups.length <= MAX_GROUPS_WITH_PHONE_WORD) return "with_phone_word";
  return undefined;
}

/** North American numbers: [1] NXX NXX XXXX, grouped 3-3-4 or bare, area and exchange 2-9. */
function isNanpNumber(groups: DigitGroup[], digits: string): boolean {
  const lengths = groups.map((group) => group.digits.length).join("-");
  let national: string;
  if (lengths === "3-3-4" || lengths === "10") national = digits;
  else if ((lengths === "1-3-3-4" || lengths === "11") && digits.startsWith("1")) national = digits.slice(1);
  else return false;
  return /^[2-9]\d\d[2-9]\d{6}$/.test(national);
}
