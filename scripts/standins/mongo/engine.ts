// Query, projection, sort, update and aggregation evaluation on top of mingo, with one shared
// operator context (all mingo operators, script execution disabled, our timezone-correct date
// operators and BSON-aware $type taking precedence).
import { Binary, Code, Decimal128, Long, MaxKey, MinKey, ObjectId, Timestamp } from "bson";
import { Aggregator } from "mingo/aggregator";
import { Context, evalExpr, ProcessingMode } from "mingo/core";
import type { Iterator } from "mingo/lazy";
import * as accumulatorOperators from "mingo/operators/accumulator";
import * as expressionOperators from "mingo/operators/expression";
import * as pipelineOperators from "mingo/operators/pipeline";
import * as projectionOperators from "mingo/operators/projection";
import * as queryOperators from "mingo/operators/query";
import * as windowOperators from "mingo/operators/window";
import { Query } from "mingo/query";
import type { Any, AnyObject, Options } from "mingo/types";
import { update as mingoUpdate } from "mingo/updater";
import { setValue } from "mingo/util";
import { dateOperators } from "./dates";
import { CommandError, errorMessage } from "./errors";
import { cloneValue, isPlainObject, pathValues } from "./store";
import type { Doc } from "./wire";

// ---- BSON type names ------------------------------------------------------------------------

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

const TYPE_ALIASES: Record<number, string> = {
  1: "double",
  2: "string",
  3: "object",
  4: "array",
  5: "binData",
  6: "undefined",
  7: "objectId",
  8: "bool",
  9: "date",
  10: "null",
  11: "regex",
  13: "javascript",
  16: "int",
  17: "timestamp",
  18: "long",
  19: "decimal",
  [-1]: "minKey",
  127: "maxKey",
};

export function bsonTypeName(v: unknown): string {
  if (v === undefined) return "missing";
  if (v === null) return "null";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "string") return "string";
  if (typeof v === "number") {
    return Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX ? "int" : "double";
  }
  if (typeof v === "bigint" || v instanceof Long) return "long";
  if (Array.isArray(v)) return "array";
  if (v instanceof Date) return "date";
  if (v instanceof RegExp) return "regex";
  if (v instanceof ObjectId) return "objectId";
  if (v instanceof Decimal128) return "decimal";
  if (v instanceof Binary) return "binData";
  if (v instanceof Timestamp) return "timestamp";
  if (v instanceof Code) return "javascript";
  if (v instanceof MinKey) return "minKey";
  if (v instanceof MaxKey) return "maxKey";
  return "object";
}

function typeMatcher(spec: unknown): (v: unknown) => boolean {
  const names = (Array.isArray(spec) ? spec : [spec]).map((s) => {
    if (typeof s === "number") {
      const name = TYPE_ALIASES[s];
      if (!name) throw new CommandError("BadValue", `Invalid numerical type code: ${s}`);
      return name;
    }
    if (typeof s !== "string")
      throw new CommandError("TypeMismatch", "type must be represented as a number or a string");
    return s;
  });
  const wanted = new Set(names);
  return (v) => {
    const t = bsonTypeName(v);
    if (wanted.has(t)) return true;
    return wanted.has("number") && (t === "int" || t === "double" || t === "long" || t === "decimal");
  };
}

const $typeQuery = (selector: string, value: Any, _options: Options) => {
  const matches = typeMatcher(value);
  return (obj: AnyObject): boolean => {
    const { leaves, arrays } = pathValues(obj as Doc, selector);
    if (arrays.length > 0 && matches(arrays[0])) return true;
    return leaves.some((v) => v !== undefined && matches(v));
  };
};

const $typeExpr = (obj: AnyObject, expr: Any, options: Options): Any => {
  const arg = Array.isArray(expr) && expr.length === 1 ? expr[0] : expr;
  return bsonTypeName(evalExpr(obj, arg, options));
};

/**
 * mingo's $setWindowFields evaluates each window through an internal `$function` whose body is a
 * closure it built itself, and mingo's own `$function` refuses to run with scriptEnabled off.
 * This replacement runs only real functions; anything a client can send over BSON is a string
 * or Code value, so client-supplied JavaScript is still never executed.
 */
const $functionInternalOnly = (obj: AnyObject, expr: Any, options: Options): Any => {
  const spec = evalExpr(obj, expr, options);
  if (!isPlainObject(spec) || typeof spec.body !== "function") {
    throw new CommandError(
      "CommandNotSupported",
      "$function (server-side JavaScript) is disabled in the mongo stand-in",
    );
  }
  const body = spec.body as (...args: unknown[]) => unknown;
  return body(...(Array.isArray(spec.args) ? spec.args : []));
};

/**
 * mingo emits projected fields sorted by name with `_id` last; MongoDB keeps `_id` first, then
 * included fields in document order, then computed fields in spec order.
 */
function projectionOrder(out: Doc, input: Doc, spec: Doc): Doc {
  const res: Doc = {};
  if ("_id" in out) res._id = out._id;
  for (const k of Object.keys(input)) if (k in out && !(k in res)) res[k] = out[k];
  for (const k of Object.keys(spec)) {
    const top = k.split(".")[0] ?? k;
    if (top in out && !(top in res)) res[top] = out[top];
  }
  for (const k of Object.keys(out)) if (!(k in res)) res[k] = out[k];
  return res;
}

const $projectOrdered = (coll: Iterator, expr: AnyObject, options: Options): Iterator => {
  // mingo's Iterator applies map stages one item at a time in order, so the tapped input is
  // the document the projection output was computed from.
  let input: Doc = {};
  const tapped = coll.map((d: unknown) => {
    input = d as Doc;
    return d;
  });
  return pipelineOperators
    .$project(tapped, expr, options)
    .map((out: unknown) => projectionOrder(out as Doc, input, expr as Doc));
};

// ---- mingo context -------------------------------------------------------------------------

// Context.addOps keeps operators already registered, so overrides go in first.
const CONTEXT = Context.init({
  expression: { ...dateOperators, $type: $typeExpr, $function: $functionInternalOnly },
  query: { $type: $typeQuery },
  pipeline: { $project: $projectOrdered },
})
  .addAccumulatorOps(accumulatorOperators)
  .addExpressionOps(expressionOperators)
  .addPipelineOps(pipelineOperators)
  .addProjectionOps(projectionOperators)
  .addQueryOps(queryOperators)
  .addWindowOps(windowOperators);

export interface EvalOptions {
  /** Resolves another collection of the same database for $lookup/$unionWith/$graphLookup. */
  readonly resolveCollection?: (name: string) => Doc[];
  readonly collation?: Doc;
  readonly variables?: Doc;
}

function mingoOptions(opts: EvalOptions = {}): Partial<Options> {
  const options: Record<string, unknown> = {
    context: CONTEXT,
    scriptEnabled: false,
    useStrictMode: true,
    failOnError: true,
    idKey: "_id",
    processingMode: ProcessingMode.CLONE_OFF,
  };
  if (opts.resolveCollection) options.collectionResolver = opts.resolveCollection;
  if (opts.collation && typeof opts.collation.locale === "string" && opts.collation.locale !== "simple") {
    options.collation = opts.collation;
  }
  if (opts.variables) options.variables = opts.variables;
  return options as Partial<Options>;
}

/** Runs mingo code and reports its failures as command errors instead of internal errors. */
export function evaluate<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof CommandError) throw err;
    const message = errorMessage(err);
    if (/immutable field '_id'/.test(message)) {
      throw new CommandError("ImmutableField", message.replace(/\.$/, ""));
    }
    if (/unregistered pipeline operator/i.test(message)) {
      throw new CommandError("Location40324", `Unrecognized pipeline stage name: ${message}`);
    }
    throw new CommandError("BadValue", message);
  }
}

// ---- queries -------------------------------------------------------------------------------

export type Predicate = (doc: Doc) => boolean;

export function compileFilter(filter: Doc | undefined, opts?: EvalOptions): Predicate {
  if (!filter || Object.keys(filter).length === 0) return () => true;
  const query = evaluate(() => new Query(filter as AnyObject, mingoOptions(opts)));
  return (doc) => evaluate(() => query.test(doc as AnyObject));
}

/** Sort spec without $natural, which only says "natural order" (possibly reversed). */
function splitSort(sort: Doc | undefined): { spec: Record<string, 1 | -1> | null; reverse: boolean } {
  if (!sort) return { spec: null, reverse: false };
  const spec: Record<string, 1 | -1> = {};
  let reverse = false;
  for (const [k, v] of Object.entries(sort)) {
    const dir = v === -1 || v === -1.0 ? -1 : 1;
    if (k === "$natural") reverse = dir === -1;
    else if (isPlainObject(v))
      continue; // { $meta: "textScore" } has no meaning here
    else spec[k] = dir;
  }
  return { spec: Object.keys(spec).length > 0 ? spec : null, reverse };
}

export interface FindSpec {
  readonly filter?: Doc;
  readonly sort?: Doc;
  readonly skip?: number;
  readonly limit?: number;
  readonly projection?: Doc;
}

/** Filters, sorts, skips, limits and projects `docs` (already in natural order). */
export function findDocs(docs: Doc[], spec: FindSpec, opts?: EvalOptions): Doc[] {
  return evaluate(() => {
    const options = mingoOptions(opts);
    const filter = (spec.filter ?? {}) as AnyObject;
    const { spec: sortSpec, reverse } = splitSort(spec.sort);
    const source = reverse ? [...docs].reverse() : docs;
    const cursor = new Query(filter, options).find<Doc>(source);
    if (sortSpec) cursor.sort(sortSpec);
    if (spec.skip) cursor.skip(spec.skip);
    if (spec.limit) cursor.limit(spec.limit);
    const matched = cursor.all();
    const projection = spec.projection;
    if (!projection || Object.keys(projection).length === 0) return matched;
    // Projection may remove nested fields in place, so it must work on copies.
    const projected = new Query(filter, options)
      .find<Doc>(matched.map(cloneValue), projection as AnyObject)
      .all();
    return projected.map((out, i) => projectionOrder(out, matched[i] ?? {}, projection));
  });
}

export function projectOne(doc: Doc, projection: Doc | undefined, filter?: Doc): Doc {
  if (!projection || Object.keys(projection).length === 0) return doc;
  return evaluate(() => {
    const cursor = new Query((filter ?? {}) as AnyObject, mingoOptions()).find<Doc>(
      [cloneValue(doc)],
      projection as AnyObject,
    );
    return projectionOrder(cursor.all()[0] ?? {}, doc, projection);
  });
}

// ---- aggregation ---------------------------------------------------------------------------

/** Runs a pipeline over documents that the caller has already copied or never mutates. */
export function runPipeline(docs: Doc[], pipeline: Doc[], opts?: EvalOptions): Doc[] {
  if (pipeline.length === 0) return docs;
  return evaluate(() => {
    const agg = new Aggregator(pipeline as AnyObject[], mingoOptions(opts));
    return agg.run<Doc>(docs as AnyObject[]);
  });
}

// ---- updates -------------------------------------------------------------------------------

export function isOperatorUpdate(update: Doc): boolean {
  const keys = Object.keys(update);
  return keys.length > 0 && keys.every((k) => k.startsWith("$"));
}

export interface UpdateContext {
  readonly filter: Doc;
  readonly arrayFilters?: Doc[];
  /** True when applying to a document being created by an upsert ($setOnInsert applies). */
  readonly inserting: boolean;
  readonly variables?: Doc;
}

/** Moves `_id` to the front, the position MongoDB always stores it in. */
export function idFirst(doc: Doc): Doc {
  if (!("_id" in doc) || Object.keys(doc)[0] === "_id") return doc;
  const { _id, ...rest } = doc;
  return { _id, ...rest };
}

/** Returns the updated copy of `doc`; `doc` itself is left untouched. */
export function applyUpdate(doc: Doc, update: Doc | Doc[], ctx: UpdateContext): Doc {
  let result: Doc;
  if (Array.isArray(update)) {
    const out = runPipeline([cloneValue(doc)], update, { variables: ctx.variables });
    result = out[0] ?? {};
  } else if (isOperatorUpdate(update)) {
    const { $setOnInsert, ...modifier } = update;
    if (ctx.inserting && isPlainObject($setOnInsert)) {
      modifier.$set = { ...(isPlainObject(modifier.$set) ? modifier.$set : {}), ...$setOnInsert };
    }
    result = cloneValue(doc);
    // mingo skips the update when its condition does not match, so the filter is passed only
    // where the positional `$` operator needs it (never for upsert seeds, which may not match).
    const positionalCondition = !ctx.inserting && usesPositional(modifier) ? ctx.filter : {};
    if (Object.keys(modifier).length > 0) {
      evaluate(() =>
        mingoUpdate(
          result,
          modifier as Parameters<typeof mingoUpdate>[1],
          ctx.arrayFilters,
          positionalCondition,
          {
            cloneMode: "deep",
            queryOptions: mingoOptions({ variables: ctx.variables }),
          },
        ),
      );
    }
  } else {
    if ("_id" in update && "_id" in doc && !sameValue(update._id, doc._id)) {
      throw immutableIdError();
    }
    result = "_id" in doc ? { _id: doc._id, ...cloneValue(update) } : cloneValue(update);
  }
  if ("_id" in doc && !sameValue(result._id, doc._id)) throw immutableIdError();
  return idFirst(result);
}

function usesPositional(modifier: Doc): boolean {
  for (const fields of Object.values(modifier)) {
    if (!isPlainObject(fields)) continue;
    for (const path of Object.keys(fields)) if (/(^|\.)\$(\.|$)/.test(path)) return true;
  }
  return false;
}

function immutableIdError(): CommandError {
  return new CommandError(
    "ImmutableField",
    "Performing an update on the path '_id' would modify the immutable field '_id'",
  );
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof ObjectId && b instanceof ObjectId) return a.equals(b);
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/** The document an upsert starts from: the equality fields of its filter. */
export function upsertSeed(filter: Doc): Doc {
  const seed: Doc = {};
  const visit = (cond: Doc) => {
    for (const [k, v] of Object.entries(cond)) {
      if (k === "$and" && Array.isArray(v)) {
        for (const c of v) if (isPlainObject(c)) visit(c);
        continue;
      }
      if (k.startsWith("$")) continue;
      if (isPlainObject(v)) {
        const keys = Object.keys(v);
        if (keys.length > 0 && keys.every((x) => x.startsWith("$"))) {
          if ("$eq" in v) setValue(seed, k, cloneValue(v.$eq));
          continue;
        }
      }
      setValue(seed, k, cloneValue(v));
    }
  };
  visit(filter);
  return seed;
}
