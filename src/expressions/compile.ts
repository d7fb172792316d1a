// One expression language for every place the service evaluates text it did not write: the `calculate`
// tool and goal comparisons. jsep only builds the syntax tree; this file walks it once, checks every
// node against a grammar (the names, functions and operators a caller allows) and the types of their
// operands, and turns it into a plain function. Nothing is ever handed to eval / new Function, and no
// name is looked up on a JavaScript object, so `constructor`, `__proto__` and friends are unknown names.
import jsep from "jsep";

export class ExpressionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ExpressionError";
  }
}

export type ValueType = "number" | "boolean";
export type ExpressionValue = number | boolean;

export interface ExpressionFunction {
  readonly minArgs: number;
  readonly maxArgs: number;
  apply(args: readonly number[]): number;
}

export interface UnaryOperator {
  readonly operand: ValueType;
  readonly result: ValueType;
  apply(value: ExpressionValue): ExpressionValue;
}

export interface BinaryOperator {
  readonly operand: ValueType;
  readonly result: ValueType;
  apply(left: ExpressionValue, right: ExpressionValue): ExpressionValue;
}

/** What one caller allows. Names of constants, variables and functions are matched case-insensitively. */
export interface ExpressionGrammar {
  readonly maxChars: number;
  readonly maxDepth: number;
  /** Lower-case name → value. */
  readonly constants: ReadonlyMap<string, number>;
  /** Lower-case names of numeric inputs supplied at evaluation time. */
  readonly variables: ReadonlySet<string>;
  /** Lower-case name → function over numbers. */
  readonly functions: ReadonlyMap<string, ExpressionFunction>;
  readonly unary: Readonly<Record<string, UnaryOperator>>;
  readonly binary: Readonly<Record<string, BinaryOperator>>;
  /** Shown after a refused binary operator, e.g. "use + - * / % ^". */
  readonly binaryHint: string;
}

export interface CompiledExpression {
  /** The type the whole expression yields, decided before any evaluation. */
  readonly type: ValueType;
  /** Evaluates with the variables' values (lower-case names); throws ExpressionError at run time. */
  evaluate(variables: Readonly<Record<string, number>>): ExpressionValue;
}

type Evaluator = (variables: Readonly<Record<string, number>>) => ExpressionValue;

interface TypedNode {
  readonly type: ValueType;
  readonly run: Evaluator;
}

/** Arithmetic every grammar shares. Division by zero is an error rather than Infinity. */
export const ARITHMETIC_OPERATORS: Readonly<Record<string, BinaryOperator>> = {
  "+": numeric((a, b) => a + b),
  "-": numeric((a, b) => a - b),
  "*": numeric((a, b) => a * b),
  "/": numeric((a, b) => {
    if (b === 0) throw new ExpressionError("division by zero");
    return a / b;
  }),
  "%": numeric((a, b) => {
    if (b === 0) throw new ExpressionError("division by zero (remainder)");
    return a % b;
  }),
  "**": numeric((a, b) => a ** b),
};

export const SIGN_OPERATORS: Readonly<Record<string, UnaryOperator>> = {
  "-": { operand: "number", result: "number", apply: (value) => -(value as number) },
  "+": { operand: "number", result: "number", apply: (value) => value },
};

function numeric(apply: (a: number, b: number) => number): BinaryOperator {
  return { operand: "number", result: "number", apply: (a, b) => apply(a as number, b as number) };
}

/**
 * Parses and checks `text` against `grammar`. `^` is a power (right-associative) as in spreadsheets;
 * unary minus binds tighter than it: -2^2 = 4. Throws ExpressionError with a message fit for a model.
 */
export function compileExpression(text: string, grammar: ExpressionGrammar): CompiledExpression {
  if (text.length > grammar.maxChars) {
    throw new ExpressionError(`expression is longer than ${grammar.maxChars} characters`);
  }
  if (text.trim() === "") throw new ExpressionError("expression is empty");
  // `^` means power here; jsep would read it as bitwise XOR. jsep already parses `**` as a
  // right-associative power above * and /, so rewriting the text leaves jsep's shared settings alone.
  const source = text.replaceAll("^", "**");
  let tree: jsep.Expression;
  try {
    tree = jsep(source);
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/ at character \d+$/, "") : "syntax error";
    throw new ExpressionError(`could not parse the expression: ${reason}`);
  }
  const root = compileNode(tree, grammar, 1);
  return { type: root.type, evaluate: root.run };
}

function compileNode(node: jsep.Expression, grammar: ExpressionGrammar, depth: number): TypedNode {
  if (depth > grammar.maxDepth) {
    throw new ExpressionError(`expression is nested deeper than ${grammar.maxDepth} levels`);
  }
  const compiled = compileNodeUnchecked(node, grammar, depth);
  if (compiled.type === "boolean") return compiled;
  const { run } = compiled;
  return {
    type: "number",
    run: (variables) => {
      const value = run(variables);
      if (!Number.isFinite(value)) throw new ExpressionError("the result is not a finite number");
      return value;
    },
  };
}

function allowedNames(grammar: ExpressionGrammar): string {
  return [
    ...grammar.variables,
    ...grammar.constants.keys(),
    ...[...grammar.functions.keys()].map((name) => `${name}()`),
  ].join(", ");
}

function compileNodeUnchecked(node: jsep.Expression, grammar: ExpressionGrammar, depth: number): TypedNode {
  switch (node.type) {
    case "Literal": {
      const literal = node as jsep.Literal;
      const value = literal.value;
      if (typeof value !== "number")
        throw new ExpressionError(`only numbers are allowed, not ${literal.raw}`);
      return { type: "number", run: () => value };
    }
    case "Identifier": {
      const name = (node as jsep.Identifier).name;
      const key = name.toLowerCase();
      if (grammar.variables.has(key)) {
        return {
          type: "number",
          run: (variables) => {
            const value = Object.hasOwn(variables, key) ? variables[key] : undefined;
            if (typeof value !== "number") throw new ExpressionError(`no value for "${key}"`);
            return value;
          },
        };
      }
      const constant = grammar.constants.get(key);
      if (constant === undefined) {
        throw new ExpressionError(`unknown name "${name}"; allowed: ${allowedNames(grammar)}`);
      }
      return { type: "number", run: () => constant };
    }
    case "UnaryExpression": {
      const unary = node as jsep.UnaryExpression;
      const operator = Object.hasOwn(grammar.unary, unary.operator)
        ? grammar.unary[unary.operator]
        : undefined;
      const argument = compileNode(unary.argument, grammar, depth + 1);
      if (operator === undefined) throw new ExpressionError(`operator "${unary.operator}" is not allowed`);
      expectType(unary.operator, operator.operand, argument.type);
      const { apply } = operator;
      return { type: operator.result, run: (variables) => apply(argument.run(variables)) };
    }
    case "BinaryExpression": {
      const binary = node as jsep.BinaryExpression;
      const operator = Object.hasOwn(grammar.binary, binary.operator)
        ? grammar.binary[binary.operator]
        : undefined;
      const shown = binary.operator === "**" ? "^" : binary.operator;
      if (operator === undefined) {
        throw new ExpressionError(`operator "${shown}" is not allowed; ${grammar.binaryHint}`);
      }
      const left = compileNode(binary.left, grammar, depth + 1);
      const right = compileNode(binary.right, grammar, depth + 1);
      expectType(shown, operator.operand, left.type);
      expectType(shown, operator.operand, right.type);
      const { apply } = operator;
      return { type: operator.result, run: (variables) => apply(left.run(variables), right.run(variables)) };
    }
    case "CallExpression": {
      const call = node as jsep.CallExpression;
      if (call.callee.type !== "Identifier") {
        throw new ExpressionError("only the listed functions can be called, by name");
      }
      const name = (call.callee as jsep.Identifier).name;
      const fn = grammar.functions.get(name.toLowerCase());
      if (fn === undefined) {
        throw new ExpressionError(`unknown function "${name}"; allowed: ${allowedNames(grammar)}`);
      }
      if (call.arguments.length < fn.minArgs || call.arguments.length > fn.maxArgs) {
        const expected = fn.minArgs === fn.maxArgs ? `${fn.minArgs}` : `${fn.minArgs} to ${fn.maxArgs}`;
        throw new ExpressionError(`${name}() takes ${expected} argument(s), got ${call.arguments.length}`);
      }
      const args = call.arguments.map((argument) => compileNode(argument, grammar, depth + 1));
      for (const argument of args) expectType(`${name}()`, "number", argument.type);
      return {
        type: "number",
        run: (variables) => fn.apply(args.map((argument) => argument.run(variables) as number)),
      };
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

function expectType(operator: string, expected: ValueType, actual: ValueType): void {
  if (expected === actual) return;
  throw new ExpressionError(
    expected === "number"
      ? `"${operator}" needs numbers, not a true/false condition`
      : `"${operator}" needs true/false conditions (comparisons such as value < 130), not a number`,
  );
}
