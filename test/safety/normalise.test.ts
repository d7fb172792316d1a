// Whether a message has anything a reader could see: invisible-only messages are refused as empty.
import { describe, expect, test } from "bun:test";
import { foldSource, hasVisibleText, normaliseForMatching } from "../../src/safety/normalise";

describe("hasVisibleText", () => {
  const invisible: [string, string][] = [
    ["nothing", ""],
    ["spaces, tabs and line breaks", " \t\n\r\u00a0\u2003\u3000"],
    ["zero-width space, non-joiner and joiner", "\u200b\u200c\u200d"],
    ["word joiner and byte-order mark", "\u2060\ufeff"],
    ["soft hyphen", "\u00ad"],
    ["left-to-right and right-to-left marks", "\u200e\u200f"],
    ["bidi embeddings and overrides", "\u202a\u202b\u202c\u202d\u202e"],
    ["bidi isolates", "\u2066\u2067\u2068\u2069"],
    ["Arabic letter mark and invisible operators", "\u061c\u2062\u2064"],
    ["Mongolian vowel separator and combining grapheme joiner", "\u180e\u034f"],
    ["variation selectors", "\ufe0f\u{e0100}"],
    ["Hangul fillers", "\u3164\u115f\uffa0"],
    ["tag characters", "\u{e0001}\u{e0041}\u{e007f}"],
    ["control characters", "\u0000\u0007\u001b\u007f"],
    ["blank Braille pattern", "\u2800"],
    ["every kind at once", " \u200b\u00ad\u202e\u2066\u3164\ufe0f\u{e0041}\u2800\n"],
  ];
  for (const [name, text] of invisible) {
    test(`${name}: nothing visible`, () => expect(hasVisibleText(text)).toBe(false));
  }

  const visible: [string, string][] = [
    ["a letter", "a"],
    ["a digit among zero-width characters", "\u200b7\u200d"],
    ["a reading after a bidi mark", "\u200f128/82"],
    ["punctuation", "?"],
    ["an emoji with its variation selector", "\u2764\ufe0f"],
    ["a joined emoji sequence", "\u{1f468}\u200d\u{1f469}"],
    ["a non-Latin letter", "\u05e9"],
    ["a lone combining accent", "\u0301"],
    ["a Braille letter", "\u2801"],
  ];
  for (const [name, text] of visible) {
    test(`${name}: visible`, () => expect(hasVisibleText(text)).toBe(true));
  }
});

describe("normaliseForMatching", () => {
  const cases: [string, string][] = [
    ["Desmayé EN LA COCINA", "desmaye en la cocina"],
    ["Ohnmächtig, Überdosis, Straße", "ohnmachtig, uberdosis, strasse"],
    ["J’ai une douleur à la poitrine, œil, « vite »", `j'ai une douleur a la poitrine, oeil, " vite "`],
    ["sui\u200bcide and ﬁne", "suicide and fine"],
    ["ＣＨＥＳＴ pain", "chest pain"],
    ["5\u00a0µg  and\t2 µg", "5 µg and 2 µg"],
    ["plain ascii stays", "plain ascii stays"],
  ];
  for (const [text, expected] of cases) {
    test(JSON.stringify(text), () => expect(normaliseForMatching(text)).toBe(expected));
  }
});

describe("foldSource", () => {
  test("accents dropped, umlauts matching both spellings, ß as ss", () => {
    const pattern = new RegExp(foldSource("ohnmächtig|évanoui|straße"));
    for (const text of ["ohnmachtig", "ohnmaechtig", "evanoui", "strasse"])
      expect(pattern.test(text)).toBe(true);
  });
});
