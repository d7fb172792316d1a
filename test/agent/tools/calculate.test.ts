// The calculator as tables: what it computes, and every way a hostile or sloppy expression is refused.
import { describe, expect, test } from "bun:test";
import { createToolRegistry } from "../../../src/agent/registry";
import {
  calculateTool,
  ExpressionError,
  evaluateExpression,
  MAX_EXPRESSION_CHARS,
  MAX_EXPRESSION_DEPTH,
} from "../../../src/agent/tools/calculate";
import { closeDeps, testDeps, toolContext } from "../harness";

describe("evaluateExpression computes", () => {
  const cases: [string, number][] = [
    ["1 + 2", 3],
    ["2 + 3 * 4", 14],
    ["(2 + 3) * 4", 20],
    ["10 / 4", 2.5],
    ["10 % 4", 2],
    ["-5 + 2", -3],
    ["+5", 5],
    ["--5", 5],
    ["2 ^ 10", 1024],
    ["2 ** 10", 1024],
    ["2 ^ 3 ^ 2", 512],
    ["2 + 3 ^ 2", 11],
    ["2 * 3 ^ 2", 18],
    ["-2 ^ 2", 4],
    ["-(2 ^ 2)", -4],
    ["0.1 + 0.2", 0.3],
    ["1 / 3", 0.3333333333],
    ["2 / 3 * 100", 66.66666667],
    ["(131 - 124) / 124 * 100", 5.64516129],
    ["1e3 + 1", 1001],
    [".5 * 4", 2],
    // Results carry 10 significant digits.
    ["pi", Number(Math.PI.toPrecision(10))],
    ["e", Number(Math.E.toPrecision(10))],
    ["PI * 2", 6.283185307],
    ["abs(-7.5)", 7.5],
    ["sqrt(16)", 4],
    ["floor(7.9)", 7],
    ["ceil(7.1)", 8],
    ["pow(2, 8)", 256],
    ["round(2.5)", 3],
    ["round(-2.5)", -3],
    ["round(1.005, 2)", 1.01],
    ["round(1234.5678, 1)", 1234.6],
    ["round(1234, -2)", 1200],
    ["round(0.000012345, 7)", 0.0000123],
    ["min(3, 1, 2)", 1],
    ["max(3, 1, 2)", 3],
    ["sum(120, 125, 130)", 375],
    ["avg(120, 125, 131)", 125.3333333],
    ["ROUND(avg(128, 131, 125), 1)", 128],
    ["123456789012345", 123456789000000],
    ["-0 * 5", 0],
    // Parentheses leave no node in the tree, so redundant ones cost no depth.
    [`${"(".repeat(240)}1${")".repeat(240)}`, 1],
    ["(abs)(-1)", 1],
  ];
  test.each(cases)("%s = %d", (expression, expected) => {
    expect(evaluateExpression(expression)).toBe(expected);
  });
});

describe("evaluateExpression refuses", () => {
  const cases: [string, string, RegExp][] = [
    ["the classic sandbox escape", 'constructor.constructor("return process")()', /property access|function/],
    ["a bare constructor", "constructor", /unknown name "constructor"/],
    ["__proto__", "__proto__", /unknown name "__proto__"/],
    ["prototype lookups through a call", "toString()", /unknown function "toString"/],
    ["hasOwnProperty", "hasOwnProperty(1)", /unknown function/],
    ["member access", "Math.PI", /property access/],
    ["computed member access", "pi['constructor']", /property access/],
    ["method calls", "(1).toFixed(2)", /property access|only the listed functions/],
    ["process", "process.exit(1)", /property access|only the listed functions/],
    ["this", "this", /"this" is not allowed/],
    ["strings", '"abc"', /only numbers/],
    ["booleans", "true + 1", /only numbers/],
    ["null", "null", /only numbers/],
    ["arrays", "[1, 2]", /not allowed/],
    ["assignment", "x = 1", /could not parse|not allowed|unknown name/],
    ["compound", "1; 2", /one expression/],
    ["sequence", "(1, 2)", /one expression|not allowed/],
    ["ternary", "1 ? 2 : 3", /not allowed/],
    ["comparison", "1 < 2", /operator "<" is not allowed/],
    ["logical", "1 && 2", /operator "&&" is not allowed/],
    ["bitwise", "1 | 2", /operator "\|" is not allowed/],
    ["shift", "1 << 2", /operator "<<" is not allowed/],
    ["not", "!1", /operator "!" is not allowed/],
    ["bitwise not", "~1", /operator "~" is not allowed/],
    ["unknown names", "x + 1", /unknown name "x"/],
    ["unknown functions", "eval(1)", /unknown function "eval"/],
    ["calls on call results", "abs(1)(2)", /only the listed functions/],
    ["wrong arity", "sqrt(1, 2)", /sqrt\(\) takes 1 argument/],
    ["no arguments", "max()", /max\(\) takes 1 to 100/],
    ["bad round digits", "round(1.5, 0.5)", /round\(\) digits/],
    ["division by zero", "1 / 0", /division by zero/],
    ["division by a zero expression", "5 / (2 - 2)", /division by zero/],
    ["remainder by zero", "5 % 0", /division by zero/],
    ["overflow", "10 ^ 400", /not a finite number/],
    ["an infinite literal", "1e999", /not a finite number/],
    ["NaN", "sqrt(-1)", /not a finite number/],
    ["Infinity by name", "Infinity", /unknown name/],
    ["syntax errors", "1 +", /could not parse/],
    ["unbalanced parentheses", "(1 + 2", /could not parse/],
    ["percent signs", "12%", /could not parse/],
    ["empty", "   ", /empty/],
    ["10,000 characters", "1+".repeat(5_000), new RegExp(`longer than ${MAX_EXPRESSION_CHARS}`)],
    [
      "deep nesting",
      `${"(1+".repeat(100)}1${")".repeat(100)}`,
      new RegExp(`deeper than ${MAX_EXPRESSION_DEPTH}`),
    ],
    ["a long chain", Array.from({ length: 100 }, () => "1").join("+"), /deeper than/],
    ["nested unary", `${"-".repeat(100)}1`, /deeper than/],
    ["nested calls", `${"abs(".repeat(80)}1${")".repeat(80)}`, /deeper than/],
  ];
  test.each(cases)("%s", (_label, expression, message) => {
    let caught: unknown;
    try {
      evaluateExpression(expression);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ExpressionError);
    expect(caught instanceof Error ? caught.message : "").toMatch(message);
  });
});

describe("calculate tool", () => {
  const registry = createToolRegistry([calculateTool]);
  const deps = testDeps();

  test("returns the expression and its result", async () => {
    const result = await registry.run(
      "calculate",
      JSON.stringify({ expression: "avg(120, 130)" }),
      toolContext(deps),
    );
    expect(result).toEqual({ ok: true, data: { expression: "avg(120, 130)", result: 125 } });
  });

  test("refusals reach the model as invalid_arguments with the reason", async () => {
    const result = await registry.run(
      "calculate",
      JSON.stringify({ expression: "1 / 0" }),
      toolContext(deps),
    );
    expect(result).toEqual({ ok: false, error: { code: "invalid_arguments", message: "division by zero" } });
  });

  test("extra arguments and over-long expressions are refused by the schema", async () => {
    const extra = await registry.run(
      "calculate",
      JSON.stringify({ expression: "1", user_id: "x" }),
      toolContext(deps),
    );
    expect(extra).toMatchObject({ ok: false, error: { code: "invalid_arguments" } });
    const long = await registry.run(
      "calculate",
      JSON.stringify({ expression: "1+".repeat(5_000) }),
      toolContext(deps),
    );
    expect(long).toMatchObject({ ok: false, error: { code: "invalid_arguments" } });
    await closeDeps(deps);
  });
});
