// src/safety/required-literals.ts must hold exactly what the rules require today: a stale entry
// would make the gate skip a rule that matches, a missing one costs start-up time.
import { describe, expect, test } from "bun:test";
import { requiredLiterals, sourceKey } from "../../src/safety/literal-gate";
import { REQUIRED_LITERALS } from "../../src/safety/required-literals";
import { requiredLiteralsEntries } from "./required-literals.generate";

const REGENERATE = "stale: run `bun test/safety/required-literals.generate.ts`";

describe("required-literals.ts", () => {
  const entries = requiredLiteralsEntries();

  test("has every gated rule pattern, with the literals the pattern requires", () => {
    const wrong = entries
      .filter(({ key, literals }) => !Bun.deepEquals(REQUIRED_LITERALS.get(key), literals))
      .map(({ source }) => source.slice(0, 80));
    expect(wrong, REGENERATE).toEqual([]);
  });

  test("has nothing else", () => {
    const keys = new Set(entries.map(({ key }) => key));
    expect(
      [...REQUIRED_LITERALS.keys()].filter((key) => !keys.has(key)),
      REGENERATE,
    ).toEqual([]);
  });

  test("covers the rules of all three screens in four languages", () => {
    // A few hundred patterns; an export that went missing would shrink this to a handful.
    expect(entries.length).toBeGreaterThan(500);
    const sample = String.raw`\bcrushing (?:pain|pressure)`;
    expect(REQUIRED_LITERALS.get(sourceKey(sample))).toEqual(requiredLiterals(sample) ?? null);
  });
});
