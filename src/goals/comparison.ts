// Check 2 of a recipe: the comparison that turns a day's number into hit or miss. Only `value`, numbers,
// arithmetic, comparisons, `&&`, `||` and `!`; the whole expression must be a condition (true/false),
// decided from the syntax tree before anything runs. Parsed by the shared expression walker, never eval'd.
import {
  ARITHMETIC_OPERATORS,
  type BinaryOperator,
  compileExpression,
  ExpressionError,
  type ExpressionGrammar,
  SIGN_OPERATORS,
} from "../expressions/compile";

export { ExpressionError as ComparisonError };

/** Same cap as the recipe schema's `comparison` field. */
export const MAX_COMPARISON_CHARS = 200;
export const MAX_COMPARISON_DEPTH = 16;

function comparing(test: (a: number, b: number) => boolean): BinaryOperator {
  return { operand: "number", result: "boolean", apply: (a, b) => test(a as number, b as number) };
}

function joining(test: (a: boolean, b: boolean) => boolean): BinaryOperator {
  return { operand: "boolean", result: "boolean", apply: (a, b) => test(a as boolean, b as boolean) };
}

const COMPARISON: ExpressionGrammar = {
  maxChars: MAX_COMPARISON_CHARS,
  maxDepth: MAX_COMPARISON_DEPTH,
  constants: new Map(),
  variables: new Set(["value"]),
  functions: new Map(),
  unary: {
    ...SIGN_OPERATORS,
    "!": { operand: "boolean", result: "boolean", apply: (condition) => !condition },
  },
  binary: {
    ...ARITHMETIC_OPERATORS,
    "<": comparing((a, b) => a < b),
    "<=": comparing((a, b) => a <= b),
    ">": comparing((a, b) => a > b),
    ">=": comparing((a, b) => a >= b),
    "==": comparing((a, b) => a === b),
    "===": comparing((a, b) => a === b),
    "!=": comparing((a, b) => a !== b),
    "!==": comparing((a, b) => a !== b),
    "&&": joining((a, b) => a && b),
    "||": joining((a, b) => a || b),
  },
  binaryHint: "use value, numbers, + - * / % ^, < <= > >= == !=, && || and !",
};

/** Decides one day: true is a hit. Throws ComparisonError at run time (division by zero, say). */
export type DayPredicate = (value: number) => boolean;

/**
 * Compiles a goal's comparison, e.g. `value < 135` or `value >= 7 && value <= 9`. Throws ComparisonError
 * (an ExpressionError) naming what is wrong, in words the compiler model can act on.
 */
export function compileComparison(text: string): DayPredicate {
  const compiled = compileExpression(text, COMPARISON);
  if (compiled.type !== "boolean") {
    throw new ExpressionError(
      "the comparison must be a condition that is true or false, such as value < 130, not a number",
    );
  }
  return (value) => compiled.evaluate({ value }) as boolean;
}
