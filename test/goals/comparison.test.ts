// Check 2 as tables: what a comparison decides for a value, and every trick in its text refused before
// anything runs.
import { describe, expect, test } from "bun:test";
import { ComparisonError, compileComparison, MAX_COMPARISON_CHARS } from "../../src/goals/comparison";

describe("compileComparison decides", () => {
  const cases: [string, number, boolean][] = [
    ["value < 135", 134, true],
    ["value < 135", 135, false],
    ["value <= 135", 135, true],
    ["value > 7", 7.5, true],
    ["value >= 8000", 7999, false],
    ["value == 0", 0, true],
    ["value != 0", 0, false],
    ["value >= 7 && value <= 9", 8, true],
    ["value >= 7 && value <= 9", 9.5, false],
    ["value < 5 || value > 10", 11, true],
    ["!(value > 130)", 120, true],
    ["value / 60 >= 7", 420, true],
    ["VALUE < 1", 0, true],
    ["value - 2 ^ 3 > 0", 9, true],
    ["(value) < 135", 100, true],
  ];
  test.each(cases)("%s with value %d is %p", (text, value, expected) => {
    expect(compileComparison(text)(value)).toBe(expected);
  });
});

describe("compileComparison refuses", () => {
  const cases: [string, string, RegExp][] = [
    ["a number, not a condition", "value + 1", /must be a condition/],
    ["a bare value", "value", /must be a condition/],
    ["calls", "abs(value) < 5", /unknown function "abs"/],
    ["eval", 'eval("1") < value', /unknown function "eval"|only numbers/],
    ["member access", "value.constructor < 1", /property access/],
    ["computed member access", "value['__proto__'] < 1", /property access/],
    [
      "the constructor escape",
      'constructor.constructor("return process")() < 1',
      /property access|only the listed functions/,
    ],
    ["assignment", "value = 1", /could not parse|not allowed/],
    ["compound assignment", "value += 1", /could not parse|not allowed/],
    ["strings", 'value < "135"', /only numbers/],
    ["a string equality", "'a' == 'a'", /only numbers/],
    ["booleans", "true", /only numbers/],
    ["null", "value == null", /only numbers/],
    ["other names", "steps > 1000", /unknown name "steps"/],
    ["this", "this < 1", /"this" is not allowed/],
    ["two statements", "value < 1; value > 2", /one expression/],
    ["a sequence", "(value, 1) < 2", /one expression|not allowed/],
    ["a ternary", "value < 1 ? 1 : 0", /not allowed/],
    ["an array", "[1] < value", /not allowed/],
    ["bitwise or", "value < 130 | 1", /operator "\|" is not allowed/],
    ["bitwise and", "value & 1", /operator "&" is not allowed/],
    ["bitwise not", "~value < 1", /operator "~" is not allowed/],
    ["logic on numbers", "value && 1", /needs true\/false conditions/],
    ["arithmetic on conditions", "(value < 1) + 1 > 0", /needs numbers/],
    ["comparing conditions", "(value < 1) == (value > 2)", /needs numbers/],
    ["a negated number", "!value", /needs true\/false conditions/],
    ["an escaped name", "\\u0076alue < 1", /could not parse|unknown name/],
    ["empty", "  ", /empty/],
    ["too long", `value < ${"1".repeat(MAX_COMPARISON_CHARS)}`, /longer than 200/],
    ["too deep", `${"!(".repeat(20)}value < 1${")".repeat(20)}`, /deeper than/],
  ];
  test.each(cases)("%s", (_label, text, message) => {
    let caught: unknown;
    try {
      compileComparison(text);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ComparisonError);
    expect(caught instanceof Error ? caught.message : "").toMatch(message);
  });

  test("a division by zero is an error when it runs, not a silent miss", () => {
    const decide = compileComparison("value / 0 < 1");
    expect(() => decide(5)).toThrow(/division by zero/);
  });
  test("a result that overflows is an error", () => {
    expect(() => compileComparison("value ^ 400 > 1")(10)).toThrow(/not a finite number/);
  });
});
