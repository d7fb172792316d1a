// IBANs in a message: a country code, two check digits and the account, written in one piece or
// in groups of four, in either case. Only a string of the country's exact length that passes the
// ISO 13616 mod-97 check counts, so a word that happens to start "de12" stays a word.

/** Lengths from the SWIFT IBAN registry, for the countries our users are likely to bank in. */
const IBAN_LENGTH_BY_COUNTRY: Record<string, number> = {
  AD: 24,
  AT: 20,
  BE: 16,
  BG: 22,
  CH: 21,
  CY: 28,
  CZ: 24,
  DE: 22,
  DK: 18,
  EE: 20,
  ES: 24,
  FI: 18,
  FR: 27,
  GB: 22,
  GI: 23,
  GR: 27,
  HR: 21,
  HU: 28,
  IE: 22,
  IS: 26,
  IT: 27,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  MC: 27,
  MT: 31,
  NL: 18,
  NO: 15,
  PL: 28,
  PT: 25,
  RO: 24,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
};

/** A start: two letters and two digits not glued to a word before them. */
const IBAN_START = /(?<![\p{L}\p{N}])[a-z]{2}\d{2}/giu;
const ALPHANUMERIC = /[A-Za-z0-9]/;

export interface IbanSpan {
  start: number;
  end: number;
}

export function findIbans(text: string): IbanSpan[] {
  const found: IbanSpan[] = [];
  IBAN_START.lastIndex = 0;
  for (let start = IBAN_START.exec(text); start !== null; start = IBAN_START.exec(text)) {
    const length = IBAN_LENGTH_BY_COUNTRY[start[0].slice(0, 2).toUpperCase()];
    if (length === undefined) continue;
    const end = ibanEnd(text, start.index, length);
    if (end === undefined) continue;
    found.push({ start: start.index, end });
    IBAN_START.lastIndex = end;
  }
  return found;
}

/**
 * Where an IBAN of `length` characters starting at `start` ends, reading its characters through
 * single spaces or dashes between groups; undefined when the characters run on past it, fall
 * short, or fail the check.
 */
function ibanEnd(text: string, start: number, length: number): number | undefined {
  let characters = "";
  let at = start;
  while (characters.length < length && at < text.length) {
    const char = text[at] ?? "";
    if (ALPHANUMERIC.test(char)) {
      characters += char;
      at++;
    } else if ((char === " " || char === "-") && ALPHANUMERIC.test(text[at + 1] ?? "")) {
      at++;
    } else {
      break;
    }
  }
  if (characters.length < length || ALPHANUMERIC.test(text[at] ?? "")) return undefined;
  return passesIbanCheck(characters.toUpperCase()) ? at : undefined;
}

/** ISO 13616: the first four characters moved to the end, letters as 10-35, the number mod 97 is 1. */
export function passesIbanCheck(iban: string): boolean {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const code = char.charCodeAt(0);
    const value = code >= 65 ? code - 55 : code - 48;
    if (value < 0 || value > 35) return false;
    remainder = value >= 10 ? (remainder * 100 + value) % 97 : (remainder * 10 + value) % 97;
  }
  return remainder === 1;
}
