// The nightly evaluation of a batch of goals (a chunk job, or `hilo goals evaluate`), top to bottom,
// with no model call (seed §6, diagram 11):
//   1. per goal, in isolation: the user's zone and watch from the profile, read now (a user who moved
//      is judged in the new zone); the due periods, from the day after `last_evaluated_day` (or
//      `starts_on`) to the user's yesterday; one run of the stored recipe over them (one aggregate
//      round trip, time- and size-capped);
//   2. the rows of every goal, one per goal per period, INSERTed against UNIQUE(goal_id, period), so
//      a re-run or a rescued job writes nothing new: persist first, then advance;
//   3. the stored history of those goals, read back in one query;
//   4. per goal: the roll-up of the STORED rows into a verdict, and one compare-and-set UPDATE on
//      status = 'active' that records it and moves `last_evaluated_day` and `next_due_at`.
// Steps 2 and 3 are one statement for the whole batch: MySQL round trips per goal stay near one.
// A failure of the goal's own (its recipe, its user gone) is counted on the goal: the third in a row
// makes it `errored`. A datastore failure is an outage: the goal stays due, its neighbours go on, and
// the caller fails the job so BullMQ retries it.
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import {
  MongoNetworkError,
  MongoNotConnectedError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
} from "mongodb";
import { affectedRows } from "../chat/claims";
import { goalEvaluations, goals } from "../db/schema";
import type { Deps } from "../infra/deps";
import type { Logger } from "../observability/logger";
import { isIanaTimeZone, localDay } from "../readings/local-day";
import { readUserProfile, type UserProfile } from "../users/service";
import { compileComparison } from "./comparison";
import { daysFrom, duePeriods, nextPeriod, type PeriodCursor, periodEndsAt, windowEnd } from "./periods";
import { recipeSchema } from "./recipe";
import { type EvaluatedDay, type GoalTerms, rollUp, type Verdict } from "./rollup";
import { runRecipe } from "./run-recipe";

/** Failed evaluations in a row that make a goal `errored` (issue #15). */
export const ERRORS_BEFORE_ERRORED = 3;
/**
 * After a failed evaluation the goal is due again just after the sweep instant that failed it: a
 * re-run of the same chunk skips it (so one night counts once), the next night's sweep picks it up.
 */
const RETRY_AFTER_FAILURE_MS = 1_000;
/**
 * Goals of a batch worked on at once: each waits mostly on a MongoDB or MySQL round trip, so a few in
 * flight keep a worker busy without crowding the pools (MySQL 10, MongoDB 50 connections).
 */
export const GOALS_IN_FLIGHT = 8;
/** Rows per INSERT: a year-long catch-up of 200 goals is 73,200 rows, sent in slices. */
const ROWS_PER_INSERT = 2_000;

export type GoalRow = typeof goals.$inferSelect;

export type GoalEvaluation =
  | {
      readonly goalId: string;
      readonly outcome: "evaluated";
      readonly from: string;
      readonly to: string;
      readonly status: Verdict["status"];
    }
  /** Already evaluated through the user's yesterday (or `through`), or no longer active. */
  | { readonly goalId: string; readonly outcome: "not_due"; readonly reason: string }
  /** The goal's own failure, counted; `status` is `errored` on the third in a row. */
  | {
      readonly goalId: string;
      readonly outcome: "failed";
      readonly error: string;
      readonly errors: number;
      readonly status: "active" | "errored";
    };

export interface EvaluationTally {
  evaluated: number;
  notDue: number;
  failed: number;
  errored: number;
  achieved: number;
  missed: number;
  /** Goals left due because a datastore failed under them. */
  outages: number;
}

export function emptyTally(): EvaluationTally {
  return { evaluated: 0, notDue: 0, failed: 0, errored: 0, achieved: 0, missed: 0, outages: 0 };
}

export interface EvaluateOptions {
  /** The sweep's instant (the schedule's period) or, by hand, now: periods ending by then are due. */
  readonly at: Date;
  /** A person may ask for less than everything due: periods after this local day wait. */
  readonly through?: string;
  /** The sweep evaluates only goals whose next_due_at has come; by hand, every active goal asked for. */
  readonly onlyDue: boolean;
  /** Called per goal after the batch's rows are written, before that goal moves (crash tests stop here). */
  readonly afterRowsWritten?: (goalId: string) => Promise<void>;
  /** Each goal's outcome and how long its work took (the CLI prints it, the benchmark times it). */
  readonly onResult?: (result: GoalEvaluation, ms: number) => void;
}

/** A goal's own failure: counted against it, never retried as a job. */
class GoalFailure extends Error {}

/** Datastore outages are the job's to retry; everything else a recipe run throws is the goal's own. */
export function isOutage(error: unknown): boolean {
  for (let cause: unknown = error; cause instanceof Error; cause = cause.cause) {
    if (
      cause instanceof MongoNetworkError ||
      cause instanceof MongoServerSelectionError ||
      cause instanceof MongoNotConnectedError ||
      cause instanceof MongoTopologyClosedError
    ) {
      return true;
    }
  }
  return false;
}

/** A goal with its due days run and its new rows ready; it moves once they are stored. */
interface Planned {
  readonly goal: GoalRow;
  readonly zone: string;
  readonly terms: GoalTerms;
  readonly cursor: PeriodCursor;
  /** The last period evaluated once these rows are stored. */
  readonly evaluatedThrough: string | null;
  readonly rows: (typeof goalEvaluations.$inferInsert)[];
  readonly started: number;
}

/** Runs `work` over `items`, `lanes` at a time. */
async function inLanes<T>(
  items: readonly T[],
  lanes: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    for (let item = items[next++]; item !== undefined; item = items[next++]) await work(item);
  };
  await Promise.all(Array.from({ length: Math.min(lanes, items.length) }, lane));
}

/**
 * Evaluates the goals, each in isolation: never throws for one goal. A goal's own failure is counted
 * on it; a datastore failure under a goal is tallied as an outage (and logged), the goal stays due,
 * and the caller decides whether that fails the job.
 */
export async function evaluateGoals(
  deps: Pick<Deps, "appDb" | "usersDb" | "mongo">,
  log: Logger,
  candidates: readonly GoalRow[],
  options: EvaluateOptions,
): Promise<EvaluationTally> {
  const tally = emptyTally();
  const record = (result: GoalEvaluation, started: number) => {
    options.onResult?.(result, performance.now() - started);
    if (result.outcome === "evaluated") {
      tally.evaluated++;
      if (result.status === "achieved") tally.achieved++;
      if (result.status === "missed") tally.missed++;
    } else if (result.outcome === "failed") {
      tally.failed++;
      if (result.status === "errored") tally.errored++;
      log.warn("goal evaluation failed", {
        goal_id: result.goalId,
        errors: result.errors,
        error: result.error,
      });
    } else {
      tally.notDue++;
    }
  };
  const outage = (goalIds: readonly string[], error: unknown) => {
    tally.outages += goalIds.length;
    log.error("goal evaluation interrupted by an outage", { goal_ids: goalIds.slice(0, 20), error });
  };

  const due = candidates.filter(
    (goal) =>
      !options.onlyDue || (goal.nextDueAt !== null && goal.nextDueAt.getTime() <= options.at.getTime()),
  );
  tally.notDue += candidates.length - due.length;

  // 1. Each goal's due days, from its recipe run.
  const planned: Planned[] = [];
  const profiles = new Map<string, Promise<UserProfile | null>>();
  await inLanes(due, GOALS_IN_FLIGHT, async (goal) => {
    const started = performance.now();
    try {
      const plan = await planGoal(deps, goal, options, profiles, started);
      if ("rows" in plan) planned.push(plan);
      else record(plan, started);
    } catch (error) {
      outage([goal.id], error);
    }
  });

  // 2 and 3. Every row of the batch, then every stored history of the batch.
  let histories: Map<string, EvaluatedDay[]>;
  try {
    await writeRows(
      deps,
      planned.flatMap((plan) => plan.rows),
    );
    histories = await readHistories(
      deps,
      planned.map((plan) => plan.goal.id),
    );
  } catch (error) {
    outage(
      planned.map((plan) => plan.goal.id),
      error,
    );
    return tally;
  }

  // 4. Each goal's verdict from what is stored.
  await inLanes(planned, GOALS_IN_FLIGHT, async (plan) => {
    try {
      await options.afterRowsWritten?.(plan.goal.id);
      record(await settleGoal(deps, plan, histories.get(plan.goal.id) ?? []), plan.started);
    } catch (error) {
      outage([plan.goal.id], error);
    }
  });
  return tally;
}

/** One goal through the same steps, throwing on an outage (tests and callers with a single goal). */
export async function evaluateGoal(
  deps: Pick<Deps, "appDb" | "usersDb" | "mongo">,
  goal: GoalRow,
  options: Omit<EvaluateOptions, "onlyDue" | "onResult">,
): Promise<GoalEvaluation> {
  const started = performance.now();
  const plan = await planGoal(deps, goal, options, new Map(), started);
  if (!("rows" in plan)) return plan;
  await writeRows(deps, plan.rows);
  await options.afterRowsWritten?.(goal.id);
  const histories = await readHistories(deps, [goal.id]);
  return settleGoal(deps, plan, histories.get(goal.id) ?? []);
}

/**
 * Step 1 for one goal: its outcome when it is not due or failed (recorded on the goal), else its rows.
 * Throws only on an outage.
 */
async function planGoal(
  deps: Pick<Deps, "appDb" | "usersDb" | "mongo">,
  goal: GoalRow,
  options: Pick<EvaluateOptions, "at" | "through">,
  profiles: Map<string, Promise<UserProfile | null>>,
  started: number,
): Promise<Planned | GoalEvaluation> {
  if (goal.status !== "active") {
    return { goalId: goal.id, outcome: "not_due", reason: `the goal is ${goal.status}` };
  }
  try {
    const profile = await readProfileOnce(deps, profiles, goal.userId);
    if (!profile) throw new GoalFailure("the user no longer exists on the platform");
    if (!isIanaTimeZone(profile.timezone)) {
      throw new GoalFailure(`the user's time zone '${profile.timezone}' is not an IANA zone`);
    }
    return await planInZone(deps, goal, profile, options, started);
  } catch (error) {
    if (isOutage(error) || !(error instanceof GoalFailure)) throw error;
    return recordFailure(deps, goal, error.message, options.at);
  }
}

/** Several goals of one user in a batch share one profile read; a failed read is not remembered. */
function readProfileOnce(
  deps: Pick<Deps, "usersDb">,
  profiles: Map<string, Promise<UserProfile | null>>,
  userId: string,
): Promise<UserProfile | null> {
  let profile = profiles.get(userId);
  if (!profile) {
    profile = readUserProfile(deps.usersDb, userId);
    profile.catch(() => profiles.delete(userId));
    profiles.set(userId, profile);
  }
  return profile;
}

async function planInZone(
  deps: Pick<Deps, "appDb" | "mongo">,
  goal: GoalRow,
  profile: UserProfile,
  options: Pick<EvaluateOptions, "at" | "through">,
  started: number,
): Promise<Planned | GoalEvaluation> {
  const zone = profile.timezone;
  // Fixed on the first evaluation when confirmation left it unset, so a later move does not shift it.
  const firstPeriod = goal.startsOn ?? localDay(goal.confirmedAt ?? goal.createdAt, zone);
  const terms: GoalTerms = {
    kind: goal.kind,
    target: goal.target,
    firstPeriod,
    windowEnd:
      goal.kind === "streak" ? null : (goal.endsOn ?? windowEnd(goal.kind, firstPeriod, goal.windowDays)),
  };
  const cursor: PeriodCursor = {
    firstPeriod,
    lastEvaluatedDay: goal.lastEvaluatedDay,
    windowEnd: terms.windowEnd,
  };
  const range = duePeriods(cursor, options.at, zone, options.through);
  const waitingFor = nextPeriod(cursor);

  if (range === null && waitingFor !== null) {
    // Nothing has ended yet in the user's zone (or a person asked for an earlier day): only make sure
    // the goal is due when its next period has ended in the zone it is in now.
    const dueAt = periodEndsAt(waitingFor, zone);
    if (goal.nextDueAt?.getTime() !== dueAt.getTime()) {
      await deps.appDb.db
        .update(goals)
        .set({ nextDueAt: dueAt, startsOn: firstPeriod, timezone: zone })
        .where(and(eq(goals.id, goal.id), eq(goals.status, "active")));
    }
    return { goalId: goal.id, outcome: "not_due", reason: `waiting for ${waitingFor} to end in ${zone}` };
  }
  if (range === null) {
    // The whole window is stored but the goal is still active (a pause crossed its last run): decide it.
    return { goal, zone, terms, cursor, evaluatedThrough: goal.lastEvaluatedDay, rows: [], started };
  }

  let results: Awaited<ReturnType<typeof runRecipe>>;
  try {
    const recipe = recipeSchema.parse(goal.recipe);
    results = await runRecipe(deps, { watchId: profile.watchId }, recipe, range, {
      predicate: compileComparison(recipe.comparison),
    });
  } catch (error) {
    if (isOutage(error)) throw error;
    throw new GoalFailure(error instanceof Error ? error.message : String(error));
  }
  const byDay = new Map(results.map((result) => [result.day, result]));
  const rows = daysFrom(range.from, range.to).map((period) => {
    const result = byDay.get(period);
    const value = result?.value ?? null;
    return {
      goalId: goal.id,
      period,
      value,
      hit: value !== null && result?.hit === true,
      noData: value === null,
    };
  });
  return { goal, zone, terms, cursor, evaluatedThrough: range.to, rows, started };
}

/** Step 2. UNIQUE(goal_id, period): a row that is already there stays exactly as it was first written. */
async function writeRows(deps: Pick<Deps, "appDb">, rows: readonly (typeof goalEvaluations.$inferInsert)[]) {
  for (let from = 0; from < rows.length; from += ROWS_PER_INSERT) {
    await deps.appDb.db
      .insert(goalEvaluations)
      .values(rows.slice(from, from + ROWS_PER_INSERT))
      .onDuplicateKeyUpdate({ set: { goalId: sql`${goalEvaluations.goalId}` } });
  }
}

/** Step 3: the stored days of these goals, by goal, in period order. */
async function readHistories(
  deps: Pick<Deps, "appDb">,
  goalIds: readonly string[],
): Promise<Map<string, EvaluatedDay[]>> {
  const histories = new Map<string, EvaluatedDay[]>();
  if (goalIds.length === 0) return histories;
  const rows = await deps.appDb.db
    .select({
      goalId: goalEvaluations.goalId,
      period: goalEvaluations.period,
      hit: goalEvaluations.hit,
      noData: goalEvaluations.noData,
    })
    .from(goalEvaluations)
    .where(inArray(goalEvaluations.goalId, [...goalIds]))
    .orderBy(asc(goalEvaluations.goalId), asc(goalEvaluations.period));
  for (const { goalId, ...day } of rows) {
    const history = histories.get(goalId);
    if (history) history.push(day);
    else histories.set(goalId, [day]);
  }
  return histories;
}

/** Step 4 for one goal: the verdict from the stored rows, recorded by a compare-and-set. */
async function settleGoal(
  deps: Pick<Deps, "appDb">,
  plan: Planned,
  history: readonly EvaluatedDay[],
): Promise<GoalEvaluation> {
  const { goal, zone, terms, evaluatedThrough } = plan;
  const verdict = rollUp(terms, history, evaluatedThrough);
  const next = nextPeriod({ ...plan.cursor, lastEvaluatedDay: evaluatedThrough });
  const decided = verdict.status !== "active";
  const updated = await deps.appDb.db
    .update(goals)
    .set({
      status: verdict.status,
      startsOn: terms.firstPeriod,
      lastEvaluatedDay: evaluatedThrough,
      nextDueAt: decided || next === null ? null : periodEndsAt(next, zone),
      timezone: zone,
      evaluationErrors: 0,
      errorMessage: null,
      decidedAt: decided ? new Date() : null,
      updatedAt: new Date(),
    })
    .where(and(eq(goals.id, goal.id), eq(goals.status, "active")));
  if (affectedRows(updated) === 0) {
    // Paused or deleted meanwhile: the rows stay (they are true days), the user's change wins.
    return { goalId: goal.id, outcome: "not_due", reason: "the goal changed while it was evaluated" };
  }
  const to = evaluatedThrough ?? terms.firstPeriod;
  return {
    goalId: goal.id,
    outcome: "evaluated",
    from: plan.rows[0]?.period ?? to,
    to,
    status: verdict.status,
  };
}

async function recordFailure(
  deps: Pick<Deps, "appDb">,
  goal: GoalRow,
  message: string,
  at: Date,
): Promise<GoalEvaluation> {
  const errors = goal.evaluationErrors + 1;
  const status = errors >= ERRORS_BEFORE_ERRORED ? "errored" : "active";
  // Compare-and-set on the count read: two runs racing on one failure count it once.
  await deps.appDb.db
    .update(goals)
    .set({
      status,
      evaluationErrors: errors,
      errorMessage: message.slice(0, 500),
      nextDueAt: new Date(at.getTime() + RETRY_AFTER_FAILURE_MS),
      updatedAt: new Date(),
    })
    .where(
      and(
        eq(goals.id, goal.id),
        eq(goals.status, "active"),
        eq(goals.evaluationErrors, goal.evaluationErrors),
      ),
    );
  return { goalId: goal.id, outcome: "failed", error: message, errors, status };
}
