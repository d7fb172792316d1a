// Check 1 of a recipe: the pipeline allowlist. A recipe's stages run against the user's `watch_daily`
// documents every night with nobody reading them first, so this is fail-closed: anything not named
// here is refused, at any depth. Two passes: a scan of every key and string of the whole tree (caps on
// size, depth and nodes; denied operators and system variables wherever they hide, in `$literal`
// included), then a walk that knows each stage and operator and what its arguments may be. The server
// adds the `$match` on the watch and the days itself (run-recipe.ts), so a condition of the model's own
// on `watch_id`, `user_id` or `day` is refused rather than trusted.
import { isIanaTimeZone } from "../readings/local-day";
import { GOAL_METRICS } from "./recipe";

export const MAX_PIPELINE_STAGES = 10;
export const MAX_PIPELINE_JSON_CHARS = 8_000;
/** Nesting of objects and arrays, counted from the pipeline array itself. */
export const MAX_PIPELINE_DEPTH = 16;
/** Objects, arrays and scalars in the whole tree. */
export const MAX_PIPELINE_NODES = 600;
const MAX_LIST_ITEMS = 50;
const MAX_STRING_CHARS = 200;
const MAX_SWITCH_BRANCHES = 20;
/** Nesting of $map/$filter/$reduce: 50 items at two levels is 2,500 steps a document, three would be 125,000. */
export const MAX_NESTED_LOOPS = 2;

/** A refused pipeline: `path` says where (e.g. `[1].$set.value.$cond.then`), the message why. */
export class SandboxError extends Error {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(path === "" ? reason : `${reason} (at pipeline${path})`);
    this.name = "SandboxError";
  }
}

/** Refused wherever they appear, by name, before the allowlist walk: the list and their kin. */
export const DENIED_OPERATORS: ReadonlySet<string> = new Set([
  "$where",
  "$function",
  "$accumulator",
  "$lookup",
  "$graphLookup",
  "$unionWith",
  "$out",
  "$merge",
  "$documents",
  "$collStats",
  "$indexStats",
  "$currentOp",
  "$listSessions",
  "$listLocalSessions",
  "$planCacheStats",
  "$sample",
  "$changeStream",
  "$search",
  "$searchMeta",
  "$vectorSearch",
  "$queryStats",
]);

/** The only system variables a recipe may use, and only with a field path after them. */
const ALLOWED_SYSTEM_VARIABLES = new Set(["ROOT", "CURRENT"]);

/** Fields the server decides; a recipe neither reads nor filters them. */
const IDENTITY_FIELDS = new Set(["watch_id", "user_id", "day", "_id", "timezone"]);

/** Fields a recipe may read: the closed metric list, plus `value`, the one field it writes. */
export const READABLE_PATHS: ReadonlySet<string> = new Set([...Object.values(GOAL_METRICS), "value"]);

const ALLOWED_STAGES = ["$match", "$set", "$addFields", "$project"] as const;

/** Operators whose argument is one expression or a list of expressions. */
const PLAIN_OPERATORS = new Set([
  "$add",
  "$subtract",
  "$multiply",
  "$divide",
  "$mod",
  "$abs",
  "$ceil",
  "$floor",
  "$round",
  "$trunc",
  "$min",
  "$max",
  "$avg",
  "$sum",
  "$eq",
  "$ne",
  "$gt",
  "$gte",
  "$lt",
  "$lte",
  "$cmp",
  "$and",
  "$or",
  "$not",
  "$ifNull",
  "$in",
  "$arrayElemAt",
  "$size",
  "$isNumber",
  "$toDouble",
  "$toInt",
]);
/** Date parts of `last_reading.at`: `{$hour: expr}` or `{$hour: {date, timezone}}`. */
const DATE_PART_OPERATORS = new Set(["$hour", "$minute", "$dayOfWeek", "$isoDayOfWeek"]);
const STRUCTURED_OPERATORS = new Set(["$cond", "$switch", "$let", "$map", "$filter", "$reduce", "$literal"]);

const QUERY_COMPARISONS = new Set(["$eq", "$ne", "$gt", "$gte", "$lt", "$lte"]);
const QUERY_OPERATORS = [...QUERY_COMPARISONS, "$in", "$nin", "$exists", "$type", "$not"];

const USER_VARIABLE_PATTERN = /^[a-z][A-Za-z0-9_]*$/;

type Scope = ReadonlySet<string>;

/** Throws SandboxError unless `pipeline` is a recipe pipeline this file allows. */
export function checkPipeline(pipeline: unknown): void {
  if (!Array.isArray(pipeline)) throw new SandboxError("", "the pipeline must be a list of stages");
  if (pipeline.length === 0) throw new SandboxError("", "the pipeline needs at least one stage");
  if (pipeline.length > MAX_PIPELINE_STAGES) {
    throw new SandboxError("", `the pipeline has more than ${MAX_PIPELINE_STAGES} stages`);
  }
  let json: string;
  try {
    json = JSON.stringify(pipeline);
  } catch {
    throw new SandboxError("", "the pipeline is not plain JSON");
  }
  if (json.length > MAX_PIPELINE_JSON_CHARS) {
    throw new SandboxError("", `the pipeline is longer than ${MAX_PIPELINE_JSON_CHARS} characters of JSON`);
  }
  scanTree(pipeline);
  pipeline.forEach((stage, index) => {
    checkStage(stage, `[${index}]`);
  });
}

// ---- pass 1: the whole tree, whatever it means ----------------------------------------------------

function scanTree(root: unknown): void {
  let nodes = 0;
  const visit = (node: unknown, path: string, depth: number): void => {
    nodes += 1;
    if (nodes > MAX_PIPELINE_NODES)
      throw new SandboxError("", `the pipeline has more than ${MAX_PIPELINE_NODES} parts`);
    if (depth > MAX_PIPELINE_DEPTH) {
      throw new SandboxError(path, `the pipeline is nested deeper than ${MAX_PIPELINE_DEPTH} levels`);
    }
    if (typeof node === "string") {
      scanString(node, path);
      return;
    }
    if (node === null || typeof node === "boolean") return;
    if (typeof node === "number") {
      if (!Number.isFinite(node)) throw new SandboxError(path, "numbers must be finite");
      return;
    }
    if (Array.isArray(node)) {
      node.forEach((item, index) => {
        visit(item, `${path}[${index}]`, depth + 1);
      });
      return;
    }
    if (!isPlainObject(node)) throw new SandboxError(path, "the pipeline may hold only JSON values");
    for (const [key, value] of Object.entries(node)) {
      const at = `${path}${keyPath(key)}`;
      if (DENIED_OPERATORS.has(key)) throw new SandboxError(at, `${key} is not allowed in a goal recipe`);
      scanString(key, at);
      visit(value, at, depth + 1);
    }
  };
  visit(root, "", 0);
}

function scanString(text: string, path: string): void {
  if (text.length > MAX_STRING_CHARS) {
    throw new SandboxError(path, `text longer than ${MAX_STRING_CHARS} characters is not allowed`);
  }
  if (!text.startsWith("$$")) return;
  const name = text.slice(2).split(".")[0] ?? "";
  if (ALLOWED_SYSTEM_VARIABLES.has(name) || USER_VARIABLE_PATTERN.test(name)) return;
  throw new SandboxError(path, `the system variable $$${name} is not allowed (only $$ROOT and $$CURRENT)`);
}

// ---- pass 2: stages, queries and expressions by meaning --------------------------------------------

function checkStage(stage: unknown, path: string): void {
  const [name, body] = singleKey(stage, path, "each stage must be an object with one stage name");
  const at = `${path}.${name}`;
  switch (name) {
    case "$match":
      checkQuery(body, at);
      return;
    case "$set":
    case "$addFields":
      checkAssignments(body, at, name);
      return;
    case "$project":
      checkProjection(body, at);
      return;
    default:
      throw new SandboxError(
        at,
        `the stage ${name} is not allowed in a goal recipe; allowed stages: ${ALLOWED_STAGES.join(", ")}`,
      );
  }
}

function checkAssignments(body: unknown, path: string, stage: string): void {
  const fields = plainObject(body, path, `${stage} takes an object of fields`);
  const keys = Object.keys(fields);
  if (keys.length === 0) throw new SandboxError(path, `${stage} needs a field`);
  for (const key of keys) {
    if (key !== "value") {
      throw new SandboxError(
        `${path}${keyPath(key)}`,
        `${stage} may only write the field "value", not "${key}"`,
      );
    }
    checkExpression(fields[key], `${path}${keyPath(key)}`, new Set(), 0);
  }
}

function checkProjection(body: unknown, path: string): void {
  const fields = plainObject(body, path, "$project takes an object of fields");
  if (Object.keys(fields).length === 0) throw new SandboxError(path, "$project needs a field");
  for (const [key, spec] of Object.entries(fields)) {
    const at = `${path}${keyPath(key)}`;
    if (key === "_id") {
      if (spec !== 0 && spec !== false) throw new SandboxError(at, "$project may only exclude _id (_id: 0)");
    } else if (key === "value") {
      if (spec !== 1 && spec !== true) checkExpression(spec, at, new Set(), 0);
    } else if (key === "day" || READABLE_PATHS.has(key)) {
      if (spec !== 1 && spec !== true) {
        throw new SandboxError(
          at,
          `$project may only keep "${key}" (${key}: 1); write new values to "value"`,
        );
      }
    } else {
      throw new SandboxError(at, `$project may not name the field "${key}"; ${fieldListHint()}`);
    }
  }
}

function checkQuery(body: unknown, path: string): void {
  const query = plainObject(body, path, "$match takes a query object");
  if (Object.keys(query).length === 0) throw new SandboxError(path, "an empty $match does nothing");
  for (const [key, condition] of Object.entries(query)) {
    const at = `${path}${keyPath(key)}`;
    if (key === "$and" || key === "$or" || key === "$nor") {
      const parts = list(condition, at, `${key} takes a list of queries`);
      if (parts.length === 0) throw new SandboxError(at, `${key} needs at least one query`);
      parts.forEach((part, index) => {
        checkQuery(part, `${at}[${index}]`);
      });
    } else if (key === "$expr") {
      checkExpression(condition, at, new Set(), 0);
    } else if (key.startsWith("$")) {
      throw new SandboxError(at, `the query operator ${key} is not allowed; use $and, $or, $nor or $expr`);
    } else {
      checkReadablePath(key, at);
      checkFieldCondition(condition, at);
    }
  }
}

function checkFieldCondition(condition: unknown, path: string): void {
  if (!isPlainObject(condition)) {
    checkQueryLiteral(condition, path);
    return;
  }
  const entries = Object.entries(condition);
  if (entries.length === 0) throw new SandboxError(path, "an empty condition is not allowed");
  for (const [operator, operand] of entries) {
    const at = `${path}${keyPath(operator)}`;
    if (QUERY_COMPARISONS.has(operator)) {
      checkQueryLiteral(operand, at);
    } else if (operator === "$in" || operator === "$nin") {
      const items = list(operand, at, `${operator} takes a list`);
      if (items.length > MAX_LIST_ITEMS)
        throw new SandboxError(at, `${operator} takes at most ${MAX_LIST_ITEMS} items`);
      items.forEach((item, index) => {
        checkQueryLiteral(item, `${at}[${index}]`);
      });
    } else if (operator === "$exists") {
      if (typeof operand !== "boolean") throw new SandboxError(at, "$exists takes true or false");
    } else if (operator === "$type") {
      if (typeof operand !== "string" && typeof operand !== "number") {
        throw new SandboxError(at, "$type takes a type name");
      }
    } else if (operator === "$not") {
      if (!isPlainObject(operand)) throw new SandboxError(at, "$not takes a condition object");
      checkFieldCondition(operand, at);
    } else {
      throw new SandboxError(
        at,
        `the condition ${operator} is not allowed in $match; allowed: ${QUERY_OPERATORS.join(", ")}`,
      );
    }
  }
}

/** A value compared against in a query: a number, text, true/false or null, never a path or object. */
function checkQueryLiteral(value: unknown, path: string): void {
  if (value === null || typeof value === "number" || typeof value === "boolean") return;
  if (typeof value === "string") {
    if (value.startsWith("$")) throw new SandboxError(path, "a $match value may not look like a field path");
    return;
  }
  throw new SandboxError(path, "a $match condition compares with a number, text, true/false or null");
}

function checkExpression(expression: unknown, path: string, scope: Scope, loops: number): void {
  if (expression === null || typeof expression === "number" || typeof expression === "boolean") return;
  if (typeof expression === "string") {
    checkStringExpression(expression, path, scope);
    return;
  }
  if (Array.isArray(expression)) {
    if (expression.length > MAX_LIST_ITEMS)
      throw new SandboxError(path, `lists hold at most ${MAX_LIST_ITEMS} items`);
    expression.forEach((item, index) => {
      checkExpression(item, `${path}[${index}]`, scope, loops);
    });
    return;
  }
  const [operator, argument] = singleKey(
    expression,
    path,
    "an expression object must be one operator such as {$add: [...]}",
  );
  const at = `${path}.${operator}`;
  if (PLAIN_OPERATORS.has(operator)) {
    checkExpression(argument, at, scope, loops);
  } else if (DATE_PART_OPERATORS.has(operator)) {
    checkDatePart(argument, at, scope, loops);
  } else if (STRUCTURED_OPERATORS.has(operator)) {
    checkStructured(operator, argument, at, scope, loops);
  } else if (operator.startsWith("$")) {
    throw new SandboxError(
      at,
      `the operator ${operator} is not allowed in a goal recipe; ${operatorListHint()}`,
    );
  } else {
    throw new SandboxError(at, "an expression object must be one operator such as {$add: [...]}");
  }
}

function checkStringExpression(text: string, path: string, scope: Scope): void {
  if (text.startsWith("$$")) {
    const [name = "", ...rest] = text.slice(2).split(".");
    if (ALLOWED_SYSTEM_VARIABLES.has(name)) {
      if (rest.length === 0)
        throw new SandboxError(path, `$$${name} must be followed by a field, e.g. $$${name}.steps`);
      checkReadablePath(rest.join("."), path);
      return;
    }
    if (!scope.has(name)) throw new SandboxError(path, `unknown variable $$${name}`);
    return;
  }
  if (text.startsWith("$")) {
    checkReadablePath(text.slice(1), path);
  }
}

function checkReadablePath(field: string, path: string): void {
  const root = field.split(".")[0] ?? "";
  if (IDENTITY_FIELDS.has(root)) {
    throw new SandboxError(
      path,
      `the recipe may not use "${root}": the server alone chooses whose data and which days a recipe reads`,
    );
  }
  if (!READABLE_PATHS.has(field))
    throw new SandboxError(path, `the field "${field}" is not available; ${fieldListHint()}`);
}

function checkDatePart(argument: unknown, path: string, scope: Scope, loops: number): void {
  if (!isPlainObject(argument) || Object.keys(argument).some((key) => key.startsWith("$"))) {
    checkExpression(argument, path, scope, loops);
    return;
  }
  const args = namedArguments(argument, path, ["date"], ["timezone"]);
  checkExpression(args.date, `${path}.date`, scope, loops);
  if (args.timezone !== undefined) {
    if (typeof args.timezone !== "string" || !isIanaTimeZone(args.timezone)) {
      throw new SandboxError(`${path}.timezone`, "timezone must be an IANA zone name such as Europe/London");
    }
  }
}

function checkStructured(
  operator: string,
  argument: unknown,
  path: string,
  scope: Scope,
  loops: number,
): void {
  switch (operator) {
    case "$literal":
      checkLiteral(argument, path);
      return;
    case "$cond": {
      if (Array.isArray(argument)) {
        if (argument.length !== 3) throw new SandboxError(path, "$cond takes [if, then, else]");
        checkExpression(argument, path, scope, loops);
        return;
      }
      const args = namedArguments(argument, path, ["if", "then", "else"], []);
      for (const key of ["if", "then", "else"]) checkExpression(args[key], `${path}.${key}`, scope, loops);
      return;
    }
    case "$switch": {
      const args = namedArguments(argument, path, ["branches"], ["default"]);
      const branches = list(args.branches, `${path}.branches`, "$switch takes a list of branches");
      if (branches.length === 0 || branches.length > MAX_SWITCH_BRANCHES) {
        throw new SandboxError(`${path}.branches`, `$switch takes 1 to ${MAX_SWITCH_BRANCHES} branches`);
      }
      branches.forEach((branch, index) => {
        const at = `${path}.branches[${index}]`;
        const parts = namedArguments(branch, at, ["case", "then"], []);
        checkExpression(parts.case, `${at}.case`, scope, loops);
        checkExpression(parts.then, `${at}.then`, scope, loops);
      });
      if (args.default !== undefined) checkExpression(args.default, `${path}.default`, scope, loops);
      return;
    }
    case "$let": {
      const args = namedArguments(argument, path, ["vars", "in"], []);
      const vars = plainObject(args.vars, `${path}.vars`, "$let vars must be an object");
      const inner = new Set(scope);
      for (const [name, value] of Object.entries(vars)) {
        declareVariable(name, `${path}.vars${keyPath(name)}`);
        checkExpression(value, `${path}.vars${keyPath(name)}`, scope, loops);
        inner.add(name);
      }
      checkExpression(args.in, `${path}.in`, inner, loops);
      return;
    }
    case "$map":
    case "$filter": {
      const body = operator === "$map" ? "in" : "cond";
      const optional = operator === "$map" ? ["as"] : ["as", "limit"];
      const args = namedArguments(argument, path, ["input", body], optional);
      checkExpression(args.input, `${path}.input`, scope, loops);
      const name = args.as === undefined ? "this" : args.as;
      if (typeof name !== "string") throw new SandboxError(`${path}.as`, `${operator} as must be a name`);
      declareVariable(name, `${path}.as`);
      checkExpression(args[body], `${path}.${body}`, new Set([...scope, name]), nestedLoop(loops, path));
      if (args.limit !== undefined) checkExpression(args.limit, `${path}.limit`, scope, loops);
      return;
    }
    case "$reduce": {
      const args = namedArguments(argument, path, ["input", "initialValue", "in"], []);
      checkExpression(args.input, `${path}.input`, scope, loops);
      checkExpression(args.initialValue, `${path}.initialValue`, scope, loops);
      checkExpression(args.in, `${path}.in`, new Set([...scope, "value", "this"]), nestedLoop(loops, path));
      return;
    }
    default:
      throw new SandboxError(path, `the operator ${operator} is not allowed in a goal recipe`);
  }
}

/** `$literal` holds plain data only: numbers, text that is not a path, true/false, null, flat lists. */
function checkLiteral(value: unknown, path: string): void {
  if (Array.isArray(value)) {
    if (value.length > MAX_LIST_ITEMS)
      throw new SandboxError(path, `lists hold at most ${MAX_LIST_ITEMS} items`);
    value.forEach((item, index) => {
      if (Array.isArray(item)) throw new SandboxError(`${path}[${index}]`, "$literal lists must be flat");
      checkLiteral(item, `${path}[${index}]`);
    });
    return;
  }
  if (value === null || typeof value === "number" || typeof value === "boolean") return;
  if (typeof value === "string" && !value.startsWith("$")) return;
  throw new SandboxError(path, "$literal holds only numbers, text, true/false, null or a list of them");
}

/** One more level of $map/$filter/$reduce: each multiplies the work per document by its list's length. */
function nestedLoop(loops: number, path: string): number {
  if (loops + 1 > MAX_NESTED_LOOPS) {
    throw new SandboxError(path, `$map, $filter and $reduce may be nested at most ${MAX_NESTED_LOOPS} deep`);
  }
  return loops + 1;
}

function declareVariable(name: string, path: string): void {
  if (!USER_VARIABLE_PATTERN.test(name)) {
    throw new SandboxError(
      path,
      `variable names start with a lower-case letter and hold letters, digits or _`,
    );
  }
}

// ---- shapes ----------------------------------------------------------------------------------------

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function plainObject(value: unknown, path: string, message: string): Record<string, unknown> {
  if (!isPlainObject(value)) throw new SandboxError(path, message);
  return value;
}

function list(value: unknown, path: string, message: string): unknown[] {
  if (!Array.isArray(value)) throw new SandboxError(path, message);
  return value;
}

function singleKey(value: unknown, path: string, message: string): [string, unknown] {
  const object = plainObject(value, path, message);
  const entries = Object.entries(object);
  const [entry] = entries;
  if (entries.length !== 1 || entry === undefined) throw new SandboxError(path, message);
  return entry;
}

function namedArguments(
  value: unknown,
  path: string,
  required: readonly string[],
  optional: readonly string[],
): Record<string, unknown> {
  const expected = [...required, ...optional];
  const args = plainObject(value, path, `expected an object with ${expected.join(", ")}`);
  for (const key of Object.keys(args)) {
    if (!expected.includes(key))
      throw new SandboxError(`${path}${keyPath(key)}`, `unexpected argument "${key}"`);
  }
  for (const key of required) {
    if (!Object.hasOwn(args, key)) throw new SandboxError(path, `missing argument "${key}"`);
  }
  return args;
}

function keyPath(key: string): string {
  return /^\$?[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

function fieldListHint(): string {
  return `a recipe reads only ${[...READABLE_PATHS].join(", ")}`;
}

function operatorListHint(): string {
  return `allowed operators: ${[...PLAIN_OPERATORS, ...DATE_PART_OPERATORS, ...STRUCTURED_OPERATORS].join(", ")}`;
}
