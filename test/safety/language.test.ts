// Which language a message is written in, from its common words.
import { describe, expect, test } from "bun:test";
import { guessLanguage, type Language } from "../../src/safety/language";
import { normaliseForMatching } from "../../src/safety/normalise";

const guess = (text: string) => guessLanguage(normaliseForMatching(text));

describe("guessLanguage", () => {
  const cases: [string, Language | undefined][] = [
    ["What was my average blood pressure this week?", "en"],
    ["¿Cuál fue mi media de tensión esta semana?", "es"],
    ["Wie war mein Blutdruck diese Woche?", "de"],
    ["Quelle était ma tension moyenne cette semaine ?", "fr"],
    ["Tengo dolor en el pecho", "es"],
    ["Ich will nicht mehr leben", "de"],
    ["Je ne veux plus vivre", "fr"],
    ["128/82", undefined],
    ["suicidio", undefined],
  ];
  for (const [text, language] of cases) {
    test(`${JSON.stringify(text)} -> ${language}`, () => expect(guess(text)).toBe(language));
  }

  test("words two languages share do not tip it: 'de la' is Spanish and French", () => {
    expect(guess("de la")).toBeUndefined();
  });

  test("reads only the first words of a long message", () => {
    expect(
      guess(`${"the weather was nice and I walked. ".repeat(40)}tengo dolor en el pecho y mucho miedo`),
    ).toBe("en");
  });
});
