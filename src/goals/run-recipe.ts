// Runs a checked recipe over one watch's `watch_daily` documents for a range of local days, in one
// aggregate round trip: the replay at create time and the nightly evaluation share this code. The
// server owns the parts that decide whose data and how much: the leading `$match` on the watch and
// the day range, the final projection of `day` and `value`, a time limit and a document cap. The
// recipe's own stages only ever run between them, and are re-checked by the sandbox before each run.
import type { Document } from "mongodb";
import type { Deps } from "../infra/deps";
import { watchDailyCollection } from "../readings/documents";
import { addDays, daysBetween } from "../readings/local-day";
import { compileComparison, type DayPredicate } from "./comparison";
import type { DayResult, Recipe } from "./recipe";
import { checkPipeline } from "./sandbox";

/** Server-side limit of one recipe run; a slow recipe fails alone instead of holding a chunk. */
export const RECIPE_MAX_TIME_MS = 5_000;
/** Longest range one run may cover: a goal's longest window plus slack for catch-up runs. */
export const MAX_RUN_DAYS = 400;

const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** A recipe that ran but broke its contract (or failed on the server): the goal's evaluation error. */
export class RecipeRunError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "RecipeRunError";
  }
}

export interface RecipeScope {
  readonly watchId: string;
}

/** Inclusive range of user-local days, "YYYY-MM-DD". */
export interface DayRange {
  readonly from: string;
  readonly to: string;
}

export interface RunRecipeOptions {
  /** Default RECIPE_MAX_TIME_MS. */
  readonly maxTimeMS?: number;
  /** Rows the run may return; default one per day of the range (the recipe cannot add documents). */
  readonly maxDocuments?: number;
  /** A predicate already compiled from `recipe.comparison` (saves the parse when a caller has one). */
  readonly predicate?: DayPredicate;
}

/**
 * One DayResult per local day from `range.from` to `range.to`, oldest first. A day without a document,
 * or whose recipe row has no numeric `value` (null or missing), is `{value: null, hit: false}`.
 * Throws SandboxError when the stored pipeline no longer passes the allowlist, RecipeRunError when the
 * run fails or returns something other than one number (or null) per day of the range.
 */
export async function runRecipe(
  deps: Pick<Deps, "mongo">,
  scope: RecipeScope,
  recipe: Pick<Recipe, "pipeline" | "comparison">,
  range: DayRange,
  options: RunRecipeOptions = {},
): Promise<DayResult[]> {
  const dayCount = rangeLength(range);
  checkPipeline(recipe.pipeline);
  const predicate = options.predicate ?? compileComparison(recipe.comparison);
  const maxDocuments = options.maxDocuments ?? dayCount;
  const stages: Document[] = [
    { $match: { watch_id: scope.watchId, day: { $gte: range.from, $lte: range.to } } },
    ...recipe.pipeline,
    { $project: { _id: 0, day: 1, value: 1 } },
    // One more than allowed, so an overflow is seen rather than silently cut.
    { $limit: maxDocuments + 1 },
  ];
  let rows: Document[];
  try {
    rows = await watchDailyCollection(deps.mongo.db)
      .aggregate(stages, { maxTimeMS: options.maxTimeMS ?? RECIPE_MAX_TIME_MS, batchSize: maxDocuments + 1 })
      .toArray();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new RecipeRunError(`the recipe failed to run: ${reason}`, { cause: error });
  }
  if (rows.length > maxDocuments) {
    throw new RecipeRunError(`the recipe returned more than ${maxDocuments} documents`);
  }
  const values = valuesByDay(rows, range);
  const results: DayResult[] = [];
  for (let offset = 0; offset < dayCount; offset++) {
    const day = addDays(range.from, offset);
    const value = values.get(day) ?? null;
    results.push({ day, value, hit: value === null ? false : decide(predicate, value, day) });
  }
  return results;
}

function rangeLength(range: DayRange): number {
  if (!DAY_PATTERN.test(range.from) || !DAY_PATTERN.test(range.to)) {
    throw new RangeError(`days must be YYYY-MM-DD, got ${range.from}..${range.to}`);
  }
  const days = daysBetween(range.from, range.to) + 1;
  if (days < 1 || days > MAX_RUN_DAYS) {
    throw new RangeError(`a recipe runs over 1 to ${MAX_RUN_DAYS} days, got ${range.from}..${range.to}`);
  }
  return days;
}

function valuesByDay(rows: readonly Document[], range: DayRange): Map<string, number | null> {
  const values = new Map<string, number | null>();
  for (const row of rows) {
    const day: unknown = row.day;
    if (typeof day !== "string" || day < range.from || day > range.to) {
      throw new RecipeRunError("the recipe must keep each document's day (do not change or drop `day`)");
    }
    if (values.has(day)) throw new RecipeRunError(`the recipe returned day ${day} more than once`);
    const value: unknown = row.value;
    if (value === null || value === undefined) {
      values.set(day, null);
    } else if (typeof value === "number" && Number.isFinite(value)) {
      values.set(day, value);
    } else {
      throw new RecipeRunError(
        `the recipe's value on ${day} is ${describe(value)}; it must be a number (or null when the day does not count)`,
      );
    }
  }
  return values;
}

function decide(predicate: DayPredicate, value: number, day: string): boolean {
  try {
    return predicate(value);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new RecipeRunError(`the comparison failed on ${day} (value ${value}): ${reason}`, { cause: error });
  }
}

function describe(value: unknown): string {
  if (typeof value === "number") return String(value);
  if (typeof value === "string") return "text";
  if (typeof value === "boolean") return "true/false";
  if (Array.isArray(value)) return "a list";
  return "an object";
}
