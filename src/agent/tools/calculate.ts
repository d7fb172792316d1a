// `calculate`: deterministic arithmetic, so every figure the agent reports is computed, not guessed.
// jsep only builds the syntax tree; we walk it ourselves and accept a small whitelist of node types,
// names and operators. Nothing is ever handed to eval / new Function, and no name is looked up on a
// JavaScript object, so `constructor`, `__proto__` and friends are just unknown names.
import jsep from "jsep";
import { z } from "zod";
import { defineTool, ToolError } from "../tool";

export const MAX_EXPRESSION_CHARS = 500;
/** Deep enough for a sum of ~60 terms written out with `+`; `sum()`/`avg()` need no depth per item. */
export const MAX_EXPRESSION_DEPTH = 64;
/** Results are rounded to this many significant digits (hides binary noise such as 0.1 + 0.2). */
export const RESULT_SIGNIFICANT_DIGITS = 10;
const MAX_ROUND_DIGITS = 10;

export class ExpressionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ExpressionError";
  }
}

const CONSTANTS = new Map<string, number>([
  ["pi", Math.PI],
  ["e", Math.E],
]);

interface MathFunction {
  minArgs: number;
  maxArgs: number;
  apply(args: readonly number[]): number;
}

const FUNCTIONS = new Map<string, MathFunction>([
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

const BINARY: Record<string, (a: number, b: number) => number> = {
  "+": (a, b) => a + b,
  "-": (a, b) => a - b,
  "*": (a, b) => a * b,
  "/": (a, b) => {
    if (b === 0) throw new ExpressionError("division by zero");
    return a / b;
  },
  "%": (a, b) => {
    if (b === 0) throw new ExpressionError("division by zero (remainder)");
    return a % b;
  },
  "**": (a, b) => a ** b,
};

const ALLOWED_NAMES = [...CONSTANTS.keys(), ...[...FUNCTIONS.keys()].map((name) => `${name}()`)].join(", ");

/**
 * Evaluates an arithmetic expression: numbers, `pi`, `e`, the functions abs, sqrt, floor, ceil, pow,
 * round(x, digits?), min, max, sum, avg; unary - and +; binary + - * / % and ^ (or **) for powers;
 * parentheses. Names are case-insensitive. `^` is a power (right-associative) and unary minus binds
 * tighter than it, as in spreadsheets: -2^2 = 4, write -(2^2) for -4. The result is rounded to
 * RESULT_SIGNIFICANT_DIGITS significant digits. Throws ExpressionError with a message fit for the model.
 */
export function evaluateExpression(expression: string): number {
  if (expression.length > MAX_EXPRESSION_CHARS) {
    throw new ExpressionError(`expression is longer than ${MAX_EXPRESSION_CHARS} characters`);
  }
  if (expression.trim() === "") throw new ExpressionError("expression is empty");
  // `^` means power here; jsep would read it as bitwise XOR. jsep already parses `**` as a
  // right-associative power above * and /, so rewriting the text leaves jsep's shared settings alone.
  const source = expression.replaceAll("^", "**");
  let tree: jsep.Expression;
  try {
    tree = jsep(source);
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/ at character \d+$/, "") : "syntax error";
    throw new ExpressionError(`could not parse the expression: ${reason}`);
  }
  const value = evaluateNode(tree, 1);
  return roundSignificant(value);
}

function evaluateNode(node: jsep.Expression, depth: number): number {
  if (depth > MAX_EXPRESSION_DEPTH) {
    throw new ExpressionError(`expression is nested deeper than ${MAX_EXPRESSION_DEPTH} levels`);
  }
  const value = evaluateNodeUnchecked(node, depth);
  if (!Number.isFinite(value)) throw new ExpressionError("the result is not a finite number");
  return value;
}

function evaluateNodeUnchecked(node: jsep.Expression, depth: number): number {
  switch (node.type) {
    case "Literal": {
      const literal = node as jsep.Literal;
      if (typeof literal.value !== "number")
        throw new ExpressionError(`only numbers are allowed, not ${literal.raw}`);
      return literal.value;
    }
    case "Identifier": {
      const name = (node as jsep.Identifier).name;
      const constant = CONSTANTS.get(name.toLowerCase());
      if (constant === undefined) {
        throw new ExpressionError(`unknown name "${name}"; allowed: ${ALLOWED_NAMES}`);
      }
      return constant;
    }
    case "UnaryExpression": {
      const unary = node as jsep.UnaryExpression;
      const argument = evaluateNode(unary.argument, depth + 1);
      if (unary.operator === "-") return -argument;
      if (unary.operator === "+") return argument;
      throw new ExpressionError(`operator "${unary.operator}" is not allowed`);
    }
    case "BinaryExpression": {
      const binary = node as jsep.BinaryExpression;
      const operate = Object.hasOwn(BINARY, binary.operator) ? BINARY[binary.operator] : undefined;
      if (operate === undefined) {
        const shown = binary.operator === "**" ? "^" : binary.operator;
        throw new ExpressionError(`operator "${shown}" is not allowed; use + - * / % ^`);
      }
      return operate(evaluateNode(binary.left, depth + 1), evaluateNode(binary.right, depth + 1));
    }
    case "CallExpression": {
      const call = node as jsep.CallExpression;
      if (call.callee.type !== "Identifier") {
        throw new ExpressionError("only the listed functions can be called, by name");
      }
      const name = (call.callee as jsep.Identifier).name;
      const fn = FUNCTIONS.get(name.toLowerCase());
      if (fn === undefined)
        throw new ExpressionError(`unknown function "${name}"; allowed: ${ALLOWED_NAMES}`);
      if (call.arguments.length < fn.minArgs || call.arguments.length > fn.maxArgs) {
        const expected = fn.minArgs === fn.maxArgs ? `${fn.minArgs}` : `${fn.minArgs} to ${fn.maxArgs}`;
        throw new ExpressionError(`${name}() takes ${expected} argument(s), got ${call.arguments.length}`);
      }
      return fn.apply(call.arguments.map((argument) => evaluateNode(argument, depth + 1)));
    }
    case "MemberExpression":
      throw new ExpressionError("property access is not allowed");
    case "ThisExpression":
      throw new ExpressionError('"this" is not allowed');
    case "Compound":
    case "SequenceExpression":
      throw new ExpressionError("give one expression only");
    default:
      throw new ExpressionError(`this kind of expression is not allowed (${node.type})`);
  }
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
