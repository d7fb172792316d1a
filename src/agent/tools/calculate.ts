// `calculate`: deterministic arithmetic, so every figure the agent reports is computed, not guessed.
// The expression language (parser, walker, caps) is shared with goal comparisons in src/expressions;
// this file only says what arithmetic allows: numbers, two constants and a few functions.
import { z } from "zod";
import {
  ARITHMETIC_OPERATORS,
  compileExpression,
  ExpressionError,
  type ExpressionFunction,
  type ExpressionGrammar,
  SIGN_OPERATORS,
} from "../../expressions/compile";
import { defineTool, ToolError } from "../tool";

export { ExpressionError };

export const MAX_EXPRESSION_CHARS = 500;
/** Deep enough for a sum of ~60 terms written out with `+`; `sum()`/`avg()` need no depth per item. */
export const MAX_EXPRESSION_DEPTH = 64;
/** Results are rounded to this many significant digits (hides binary noise such as 0.1 + 0.2). */
export const RESULT_SIGNIFICANT_DIGITS = 10;
const MAX_ROUND_DIGITS = 10;

const FUNCTIONS = new Map<string, ExpressionFunction>([
  ["abs", { minArgs: 1, maxArgs: 1, apply: ([x = 0]) => Math.abs(x) }],
  ["sqrt", { minArgs: 1, maxArgs: 1, apply: ([x = 0]) => Math.sqrt(x) }],
  ["floor", { minArgs: 1, maxArgs: 1, apply: ([x = 0]) => Math.floor(x) }],
  ["ceil", { minArgs: 1, maxArgs: 1, apply: ([x = 0]) => Math.ceil(x) }],
  ["pow", { minArgs: 2, maxArgs: 2, apply: ([x = 0, y = 0]) => x ** y }],
  ["round", { minArgs: 1, maxArgs: 2, apply: ([x = 0, digits = 0]) => roundTo(x, digits) }],
  ["min", { minArgs: 1, maxArgs: 100, apply: (args) => Math.min(...args) }],
  ["max", { minArgs: 1, maxArgs: 100, apply: (args) => Math.max(...args) }],
  ["sum", { minArgs: 1, maxArgs: 100, apply: (args) => args.reduce((a, b) => a + b, 0) }],
  ["avg", { minArgs: 1, maxArgs: 100, apply: (args) => args.reduce((a, b) => a + b, 0) / args.length }],
]);

const ARITHMETIC: ExpressionGrammar = {
  maxChars: MAX_EXPRESSION_CHARS,
  maxDepth: MAX_EXPRESSION_DEPTH,
  constants: new Map([
    ["pi", Math.PI],
    ["e", Math.E],
  ]),
  variables: new Set(),
  functions: FUNCTIONS,
  unary: SIGN_OPERATORS,
  binary: ARITHMETIC_OPERATORS,
  binaryHint: "use + - * / % ^",
};

/**
 * Evaluates an arithmetic expression: numbers, `pi`, `e`, the functions abs, sqrt, floor, ceil, pow,
 * round(x, digits?), min, max, sum, avg; unary - and +; binary + - * / % and ^ (or **) for powers;
 * parentheses. Names are case-insensitive. `^` is a power (right-associative) and unary minus binds
 * tighter than it, as in spreadsheets: -2^2 = 4, write -(2^2) for -4. The result is rounded to
 * RESULT_SIGNIFICANT_DIGITS significant digits. Throws ExpressionError with a message fit for the model.
 */
export function evaluateExpression(expression: string): number {
  const value = compileExpression(expression, ARITHMETIC).evaluate({});
  return roundSignificant(value as number);
}

/** Half away from zero, at `digits` decimals (negative digits round to tens, hundreds, …). */
function roundTo(value: number, digits: number): number {
  if (!Number.isInteger(digits) || Math.abs(digits) > MAX_ROUND_DIGITS) {
    throw new ExpressionError(
      `round() digits must be a whole number from -${MAX_ROUND_DIGITS} to ${MAX_ROUND_DIGITS}`,
    );
  }
  const rounded = shiftDecimal(Math.round(shiftDecimal(Math.abs(value), digits)), -digits);
  return Math.sign(value) * rounded;
}

// Moves the decimal point through the exponent of the number's text, which avoids 1.005 * 100 = 100.49999….
function shiftDecimal(value: number, places: number): number {
  const [mantissa, exponent = "0"] = String(value).split("e");
  return Number(`${mantissa}e${Number(exponent) + places}`);
}

function roundSignificant(value: number): number {
  const rounded = Number(value.toPrecision(RESULT_SIGNIFICANT_DIGITS));
  // Normalise -0 (e.g. -0.0000000000001 rounded) to 0.
  return rounded === 0 ? 0 : rounded;
}

export const calculateTool = defineTool({
  name: "calculate",
  description:
    "Evaluate an arithmetic expression exactly. Use it for every sum, difference, average, percentage or " +
    "other arithmetic before you state the number. Supports numbers, + - * / % ^ and parentheses, pi, e, " +
    "and abs, sqrt, floor, ceil, pow(x, y), round(x, digits), min, max, sum, avg. " +
    "Example: avg(128, 131, 125) or (131 - 124) / 124 * 100.",
  input: z.strictObject({
    expression: z
      .string()
      .min(1)
      .max(MAX_EXPRESSION_CHARS)
      .describe("The arithmetic expression to evaluate."),
  }),
  handler: async ({ expression }) => {
    try {
      return { expression, result: evaluateExpression(expression) };
    } catch (error) {
      if (error instanceof ExpressionError) throw new ToolError("invalid_arguments", error.message);
      throw error;
    }
  },
});
