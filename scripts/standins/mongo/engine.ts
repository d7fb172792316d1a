// Query, projection, sort, update and aggregation evaluation on top of mingo, with one shared
// operator context (all mingo operators, script execution disabled, our timezone-correct date
// operators and BSON-aware $type taking precedence), and a few shortcuts where mingo does far more
// work than MongoDB: no document copies for stages that only read, top-n for $sort + $limit,
// one-pass $min/$max expressions and field paths read directly by accumulators.
import { Binary, Code, Decimal128, Long, MaxKey, MinKey, ObjectId, Timestamp } from "bson";
import type { Iterator } from "mingo/lazy";
import type { Any, AnyObject, Options } from "mingo/types";
import { dateOperators } from "./dates";
import { CommandError, errorMessage } from "./errors";
import {
  Aggregator,
  accumulatorOperators,
  Context,
  compare,
  evalExpr,
  expressionOperators,
  Lazy,
  update as mingoUpdate,
  ProcessingMode,
  pipelineOperators,
  projectionOperators,
  Query,
  queryOperators,
  resolve,
  setValue,
  windowOperators,
} from "./mingo";
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

type AccumulatorOp = (coll: AnyObject[], expr: Any, options: Options) => Any;

/**
 * Accumulators over a plain field path ("$field"). mingo evaluates the argument once per document
 * through its general expression machinery, which builds a fresh options object every time;
 * resolving the path directly gives the same values (missing as null, as mingo's $push has it), and
 * they then go through mingo's own accumulator.
 */
function fieldPathFirst(accumulate: AccumulatorOp): AccumulatorOp {
  return (coll, expr, options) => {
    if (typeof expr !== "string" || expr.length < 2 || expr[0] !== "$" || expr[1] === "$") {
      return accumulate(coll, expr, options);
    }
    const path = expr.slice(1);
    // With a null argument mingo's accumulators take the collection itself as the values.
    const values = coll.map((doc) => resolve(doc, path) ?? null) as AnyObject[];
    return accumulate(values, null, options);
  };
}

const FIELD_PATH_ACCUMULATORS = {
  $sum: fieldPathFirst(accumulatorOperators.$sum),
  $avg: fieldPathFirst(accumulatorOperators.$avg),
  $min: fieldPathFirst(accumulatorOperators.$min),
  $max: fieldPathFirst(accumulatorOperators.$max),
  $push: fieldPathFirst(accumulatorOperators.$push),
  $addToSet: fieldPathFirst(accumulatorOperators.$addToSet),
};

/**
 * $min/$max as expressions. mingo runs them through its accumulators, which sort the values to pick
 * one; MongoDB takes the extreme in one pass. Numbers (the common case, e.g. clamping a value) are
 * compared here; any other values go to mingo's accumulator, and a single non-array value is its
 * own extreme, as on MongoDB. mingo looks expression operators up first even for accumulators, and
 * then hands them the group's documents as an array (a document never is one): that goes straight
 * to the accumulator.
 */
function extremeOf(op: "$min" | "$max") {
  const accumulate = FIELD_PATH_ACCUMULATORS[op];
  return (obj: AnyObject | AnyObject[], expr: Any, options: Options): Any => {
    if (Array.isArray(obj)) return accumulate(obj, expr, options);
    const values = evalExpr(obj, expr, options);
    if (!Array.isArray(values)) return values ?? null;
    let extreme: number | null = null;
    for (const v of values) {
      if (v === null || v === undefined) continue;
      if (typeof v !== "number" || Number.isNaN(v)) return accumulate(values as AnyObject[], null, options);
      if (extreme === null || (op === "$max" ? v > extreme : v < extreme)) extreme = v;
    }
    return extreme;
  };
}

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

// ---- read-only stages ----------------------------------------------------------------------

// Stages that never write into their input documents, so stored documents (and the one input a
// $facet hands to all its branches) can be fed to them without copying. $project is absent: mingo
// removes excluded nested fields from a shallow copy, i.e. from the shared nested object.
const READ_ONLY_STAGES = new Set([
  "$match",
  "$sort",
  "$limit",
  "$skip",
  "$group",
  "$count",
  "$sortByCount",
  "$bucket",
  "$bucketAuto",
  "$sample",
  // Copies the input of any branch that writes (see $facetSharingInput).
  "$facet",
]);

export function stageName(stage: Doc): string {
  return Object.keys(stage)[0] ?? "";
}

/**
 * Whether a stage leaves its input documents untouched. $set/$addFields copy each document before
 * setting top-level fields, but a dotted path writes into the nested object the copy shares.
 */
function isReadOnlyStage(stage: unknown): boolean {
  if (!isPlainObject(stage)) return false;
  const name = stageName(stage);
  if (name === "$set" || name === "$addFields") {
    const fields = stage[name];
    return isPlainObject(fields) && Object.keys(fields).every((field) => !field.includes("."));
  }
  return READ_ONLY_STAGES.has(name);
}

// ---- $sort + $limit ------------------------------------------------------------------------

/**
 * The kept documents are an insertion-sorted array, so one input document can cost up to n
 * comparisons; for larger limits mingo's full sort is the better deal.
 */
const TOP_N_MAX_LIMIT = 100;

interface TopN {
  readonly keys: readonly (readonly [field: string, direction: 1 | -1])[];
  readonly n: number;
}

/** A `$sort` directly followed by a small `$limit`, which MongoDB coalesces into a top-n sort. */
function topNOf(stage: AnyObject, next: AnyObject | undefined, options: Partial<Options>): TopN | null {
  const spec = stage.$sort;
  const n = next?.$limit;
  if (!isPlainObject(spec) || typeof n !== "number" || !Number.isInteger(n) || n < 1) return null;
  if (n > TOP_N_MAX_LIMIT || options.collation !== undefined) return null;
  const keys = Object.entries(spec);
  if (keys.length === 0 || !keys.every(([, direction]) => direction === 1 || direction === -1)) return null;
  return { keys: keys as [string, 1 | -1][], n };
}

/** Sort keys the top-n pass orders exactly as mingo's $sort does; anything else takes the full sort. */
function isPlainSortKey(v: unknown): boolean {
  return (
    v === null ||
    typeof v === "string" ||
    typeof v === "boolean" ||
    (typeof v === "number" && !Number.isNaN(v)) ||
    v instanceof Date
  );
}

/**
 * The first `n` documents in sort order, in one pass over the input instead of sorting all of it
 * (MongoDB's top-n sort for `$sort` + `$limit`). Ties keep input order, as mingo's stable $sort
 * does. Null when a sort key is an array, an object or NaN: those take mingo's own sort.
 */
function firstInSortOrder(docs: readonly AnyObject[], topN: TopN): AnyObject[] | null {
  const cmp = (a: readonly unknown[], b: readonly unknown[]): number => {
    for (let i = 0; i < topN.keys.length; i++) {
      const order = compare(a[i], b[i]);
      if (order !== 0) return order * (topN.keys[i]?.[1] ?? 1);
    }
    return 0;
  };
  const top: { doc: AnyObject; key: unknown[] }[] = [];
  for (const doc of docs) {
    // Missing sorts as null, as in MongoDB (and mingo's $sort).
    const key = topN.keys.map(([field]) => resolve(doc, field) ?? null);
    if (!key.every(isPlainSortKey)) return null;
    const last = top.at(-1);
    if (top.length === topN.n && last !== undefined && cmp(key, last.key) >= 0) continue;
    let at = top.length;
    while (at > 0 && cmp(key, top[at - 1]?.key ?? []) < 0) at--;
    top.splice(at, 0, { doc, key });
    if (top.length > topN.n) top.pop();
  }
  return top.map((entry) => entry.doc);
}

// ---- running pipelines ---------------------------------------------------------------------

/**
 * Runs `pipeline` over documents it must not write into (stored documents, or the input a $facet
 * shares between branches). Read-only stages see them as they are; the first stage that may write
 * gets copies of what reaches it, usually far fewer documents than the input (after a $sort and
 * $limit, a $project copies one document). A `$sort` + small `$limit` runs as a top-n pass.
 */
function runOverShared(docs: AnyObject[], pipeline: AnyObject[], options: Partial<Options>): AnyObject[] {
  let out = docs;
  let shared = true;
  let from = 0;
  const runUpTo = (end: number) => {
    if (end > from) out = new Aggregator(pipeline.slice(from, end), options).run(out);
    from = end;
  };
  for (let i = 0; i < pipeline.length; i++) {
    const stage = pipeline[i] ?? {};
    if (shared && !isReadOnlyStage(stage)) {
      runUpTo(i);
      out = out.map(cloneValue);
      shared = false;
    }
    const topN = topNOf(stage, pipeline[i + 1], options);
    if (topN === null) continue;
    runUpTo(i);
    const first = firstInSortOrder(out, topN);
    if (first === null) continue;
    out = first;
    i += 1;
    from = i + 1;
  }
  runUpTo(pipeline.length);
  return out;
}

/**
 * mingo's $facet deep-copies every input document once per branch, in case a branch writes into
 * them; MongoDB copies nothing. Here every branch reads the shared input through runOverShared.
 */
const $facetSharingInput = (coll: Iterator, expr: AnyObject, options: Options): Iterator =>
  coll.transform((docs) => {
    const facets: AnyObject = {};
    for (const [name, branch] of Object.entries(expr)) {
      if (!Array.isArray(branch)) {
        throw new CommandError("BadValue", `arguments to $facet must be arrays, ${name} is not`);
      }
      facets[name] = runOverShared(docs as AnyObject[], branch as AnyObject[], options);
    }
    return Lazy([facets]);
  });

// ---- mingo context -------------------------------------------------------------------------

// Context.addOps keeps operators already registered, so overrides go in first.
const CONTEXT = Context.init({
  expression: {
    ...dateOperators,
    $type: $typeExpr,
    $function: $functionInternalOnly,
    $min: extremeOf("$min"),
    $max: extremeOf("$max"),
  },
  accumulator: FIELD_PATH_ACCUMULATORS,
  query: { $type: $typeQuery },
  pipeline: { $project: $projectOrdered, $facet: $facetSharingInput },
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

/** Runs a pipeline over documents it never writes into (see runOverShared). */
export function runPipeline(docs: Doc[], pipeline: Doc[], opts?: EvalOptions): Doc[] {
  if (pipeline.length === 0) return docs;
  return evaluate(
    () => runOverShared(docs as AnyObject[], pipeline as AnyObject[], mingoOptions(opts)) as Doc[],
  );
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
