// The literal pre-filter: what a pattern needs, and that it never skips a pattern that matches.
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { literalGate, requiredLiterals, topLevelAlternatives } from "../../src/safety/literal-gate";

describe("requiredLiterals", () => {
  const cases: [string, string[] | undefined][] = [
    [String.raw`\bsuicid\w*`, ["suicid"]],
    [String.raw`\bdolor (?:de|del) pecho`, ["dolor de pecho", "dolor del pecho"]],
    [String.raw`\bchest (?:\w+ ){0,2}?pain|\bheart attack`, ["chest ", "heart attack"]],
    ["(?:ab)+c", undefined],
    [String.raw`\bod'?d\b`, undefined],
    [String.raw`(?<![\d.])\d+ ?mg`, undefined],
    [String.raw`\b(?:what|which) dose\b`, ["what dose", "which dose"]],
    [String.raw`[\[({<]at[\])}>]`, undefined],
    [String.raw`\bsomething{2,3}x`, ["something"]],
    [String.raw`(?:^|, )tome\b`, ["tome", ", tome"]],
  ];
  for (const [source, literals] of cases) {
    test(source, () => expect(requiredLiterals(source)).toEqual(literals));
  }
});

describe("topLevelAlternatives", () => {
  test("splits at top-level bars only", () => {
    expect(topLevelAlternatives(String.raw`a|b(?:c|d)|[|]e|\|f`)).toEqual([
      "a",
      "b(?:c|d)",
      "[|]e",
      String.raw`\|f`,
    ]);
  });
});

describe("literalGate", () => {
  const patterns = [
    /\bchest (?:\w+ ){0,2}?pain/,
    /\bsuicid\w*/,
    /\b(?:can't|cannot) breathe/,
    /\bdolor (?:de|del|en el) pecho/,
    /\d+ ?mg/,
    /\bhaving a (?:heart attack|stroke)\b/,
  ];
  const gate = literalGate(patterns);

  test("a pattern with no literal always may match", () => {
    expect(gate.mayMatch("nothing here")[4]).toBe(true);
  });

  test("patterns whose literals are absent are skipped", () => {
    expect(gate.mayMatch("my average was 128/82")).toEqual([false, false, false, false, true, false]);
  });

  test("never skips a pattern that matches (random texts built from the patterns' words)", () => {
    const words = [
      "chest",
      "pain",
      "suicide",
      "can't",
      "breathe",
      "dolor",
      "de",
      "del",
      "en",
      "el",
      "pecho",
      "having",
      "a",
      "heart",
      "attack",
      "stroke",
      "10",
      "mg",
      "my",
      "x",
    ];
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...words), { maxLength: 12 }),
        fc.constantFrom(" ", ""),
        (parts, joiner) => {
          const text = parts.join(joiner);
          const mayMatch = gate.mayMatch(text);
          patterns.forEach((pattern, index) => {
            if (pattern.test(text)) expect(mayMatch[index]).toBe(true);
          });
        },
      ),
      { numRuns: 2000 },
    );
  });
});
