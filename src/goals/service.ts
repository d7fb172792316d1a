// The goal verbs, without transport: chat tools and HTTP routes call the same functions with a `ctx`
// naming who acts, and every query filters by that user, so another user's goal is simply not found.
// Creating or editing compiles first (compile.ts) and writes only a checked recipe; every status change
// is one compare-and-set UPDATE ... WHERE status = <the status it was read in> (lifecycle.ts).
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { affectedRows } from "../chat/claims";
import { beforeCursor, type Cursor, type Page, toPage } from "../db/cursor";
import { isEntityId } from "../db/ids";
import { goalEvaluations, goals } from "../db/schema";
import { illegalTransition, notFound } from "../errors";
import type { AppDb } from "../infra/app-db";
import { localDay } from "../readings/local-day";
import { type CompileGoalCtx, compileGoal, previewRange } from "./compile";
import { canTransition, type GoalAction, type GoalStatus, TRANSITIONS, transitionRefusal } from "./lifecycle";
import { periodEndsAt, windowEnd } from "./periods";
import { type DayResult, type Recipe, recipeSchema } from "./recipe";
import { type GoalProgress, goalProgress } from "./rollup";
import { runRecipe } from "./run-recipe";

/** Goals a user may have that are not finished (awaiting, active, paused, errored): bounds model spend. */
export const MAX_OPEN_GOALS_PER_USER = 20;
/** Evaluation rows read for progress: more than any window (366 days), enough for any streak shown. */
const MAX_EVALUATIONS_READ = 400;

export type GoalRow = typeof goals.$inferSelect;
export type GoalEvaluationRow = typeof goalEvaluations.$inferSelect;

/** Who acts, on which store, at what time: all that reading and status changes need. */
export interface GoalCtx {
  readonly userId: string;
  readonly db: AppDb;
  now(): Date;
}

/** Creating and editing also compile, for the user's watch, in their zone, from a chat session. */
export interface GoalCompileCtx extends GoalCtx {
  readonly watchId: string | null;
  readonly timezone: string;
  readonly sessionId: string | null;
  readonly compiler: CompileGoalCtx;
}

export type CompiledGoal =
  | { status: "awaiting_confirmation"; goal: GoalRow; recipe: Recipe; preview: DayResult[] }
  | { status: "could_not_compile"; reason: string };

const OPEN_STATUSES: GoalStatus[] = ["awaiting_confirmation", "active", "paused", "errored"];

/** The recipe of a stored goal (written by this service only after it passed the same schema). */
export function storedRecipe(goal: GoalRow): Recipe {
  return recipeSchema.parse(goal.recipe);
}

export async function createGoal({
  ctx,
  input,
}: {
  ctx: GoalCompileCtx;
  input: { description: string };
}): Promise<CompiledGoal> {
  const watchId = requireWatch(ctx);
  const description = input.description.trim();
  const [open] = await ctx.db
    .select({ n: sql<number>`count(*)` })
    .from(goals)
    .where(and(eq(goals.userId, ctx.userId), inArray(goals.status, OPEN_STATUSES)));
  if (Number(open?.n ?? 0) >= MAX_OPEN_GOALS_PER_USER) {
    return {
      status: "could_not_compile",
      reason: `you already have ${MAX_OPEN_GOALS_PER_USER} goals in progress; delete or finish one first`,
    };
  }
  const today = localDay(ctx.now(), ctx.timezone);
  const already = await sameGoalInSession(ctx, description);
  if (already !== null) {
    const recipe = storedRecipe(already);
    const preview = await runRecipe(ctx.compiler.deps, { watchId }, recipe, previewRange(today));
    return { status: "awaiting_confirmation", goal: already, recipe, preview };
  }
  const compiled = await compileGoal({ ctx: ctx.compiler, input: { description, watchId, today } });
  if (compiled.status === "could_not_compile") return compiled;
  const { recipe } = compiled;
  const id = Bun.randomUUIDv7();
  await ctx.db.insert(goals).values({
    id,
    userId: ctx.userId,
    watchId,
    sessionId: ctx.sessionId,
    description,
    status: "awaiting_confirmation",
    kind: recipe.kind,
    recipe,
    target: recipe.target,
    windowDays: recipe.window_days,
    timezone: ctx.timezone,
  });
  const goal = await findGoal(ctx, id);
  if (goal === null) throw new Error(`goal ${id} vanished right after its insert`);
  return { status: "awaiting_confirmation", goal, recipe, preview: compiled.preview };
}

/**
 * The goal this session already made from the same words and that still waits for its yes: a re-run of
 * the chat turn (or the model calling create_goal twice) finds it instead of paying for a second compile
 * and leaving a second row.
 */
async function sameGoalInSession(ctx: GoalCompileCtx, description: string): Promise<GoalRow | null> {
  if (ctx.sessionId === null) return null;
  const [goal] = await ctx.db
    .select()
    .from(goals)
    .where(
      and(
        eq(goals.userId, ctx.userId),
        eq(goals.sessionId, ctx.sessionId),
        eq(goals.status, "awaiting_confirmation"),
        eq(goals.description, description),
      ),
    )
    .limit(1);
  return goal ?? null;
}

/**
 * A new description: recompiled, and back to `awaiting_confirmation` with its history cleared (the old
 * evaluations judged another recipe). When the new description does not compile, the goal is unchanged.
 */
export async function updateGoalDescription({
  ctx,
  input,
}: {
  ctx: GoalCompileCtx;
  input: { goalId: string; description: string };
}): Promise<CompiledGoal> {
  const goal = await getOwnGoal(ctx, input.goalId);
  if (!canTransition("edit", goal.status)) throw illegalTransition(transitionRefusal("edit", goal.status));
  const watchId = requireWatch(ctx);
  const description = input.description.trim();
  const compiled = await compileGoal({
    ctx: ctx.compiler,
    input: { description, watchId, today: localDay(ctx.now(), ctx.timezone) },
  });
  if (compiled.status === "could_not_compile") return compiled;
  const { recipe } = compiled;
  await ctx.db.transaction(async (tx) => {
    const result = await tx
      .update(goals)
      .set({
        description,
        watchId,
        status: TRANSITIONS.edit.to,
        kind: recipe.kind,
        recipe,
        target: recipe.target,
        windowDays: recipe.window_days,
        timezone: ctx.timezone,
        startsOn: null,
        endsOn: null,
        lastEvaluatedDay: null,
        nextDueAt: null,
        errorMessage: null,
        evaluationErrors: 0,
        confirmedAt: null,
        updatedAt: sql`CURRENT_TIMESTAMP(3)`,
      })
      .where(ownGoalInStatus(ctx, goal.id, goal.status));
    // The model call took a while: a pause, a nightly verdict or a delete may have come first.
    if (affectedRows(result) !== 1) await refuseChanged(ctx, goal.id, "edit");
    await tx.delete(goalEvaluations).where(eq(goalEvaluations.goalId, goal.id));
  });
  return {
    status: "awaiting_confirmation",
    goal: await getOwnGoal(ctx, goal.id),
    recipe,
    preview: compiled.preview,
  };
}

/**
 * `awaiting_confirmation` → `active`. The first period is the user's local today in the goal's zone;
 * it becomes due for the nightly sweep when that day has ended there.
 */
export async function confirmGoal({
  ctx,
  input,
}: {
  ctx: GoalCtx;
  input: { goalId: string };
}): Promise<GoalRow> {
  const goal = await getOwnGoal(ctx, input.goalId);
  const now = ctx.now();
  const startsOn = localDay(now, goal.timezone);
  return transition(ctx, goal, "confirm", {
    confirmedAt: now,
    startsOn,
    endsOn: windowEnd(goal.kind, startsOn, goal.windowDays),
    lastEvaluatedDay: null,
    nextDueAt: periodEndsAt(startsOn, goal.timezone),
  });
}

export async function pauseGoal({
  ctx,
  input,
}: {
  ctx: GoalCtx;
  input: { goalId: string };
}): Promise<GoalRow> {
  return transition(ctx, await getOwnGoal(ctx, input.goalId), "pause", {});
}

/**
 * `paused` or `errored` → `active`. Days that passed meanwhile are evaluated by the next sweep from the
 * stored data, like any backlog; an errored goal starts counting errors from zero.
 */
export async function resumeGoal({
  ctx,
  input,
}: {
  ctx: GoalCtx;
  input: { goalId: string };
}): Promise<GoalRow> {
  const goal = await getOwnGoal(ctx, input.goalId);
  return transition(ctx, goal, "resume", {
    errorMessage: null,
    evaluationErrors: 0,
    nextDueAt: goal.nextDueAt ?? ctx.now(),
  });
}

/** Removes the goal and its evaluations (FK cascade), whatever its status. False when not the user's. */
export async function deleteGoal({
  ctx,
  input,
}: {
  ctx: GoalCtx;
  input: { goalId: string };
}): Promise<boolean> {
  if (!isEntityId(input.goalId)) return false;
  const result = await ctx.db
    .delete(goals)
    .where(and(eq(goals.id, input.goalId), eq(goals.userId, ctx.userId)));
  return affectedRows(result) === 1;
}

/** The user's goals, newest first, keyset-paged on (created_at, id). */
export async function listGoals({
  ctx,
  input,
}: {
  ctx: GoalCtx;
  input: { limit: number; cursor: Cursor | null; statuses?: readonly GoalStatus[] };
}): Promise<Page<GoalRow>> {
  const rows = await ctx.db
    .select()
    .from(goals)
    .where(
      and(
        eq(goals.userId, ctx.userId),
        input.statuses === undefined || input.statuses.length === 0
          ? undefined
          : inArray(goals.status, [...input.statuses]),
        beforeCursor(goals.createdAt, goals.id, input.cursor),
      ),
    )
    .orderBy(desc(goals.createdAt), desc(goals.id))
    .limit(input.limit + 1);
  return toPage(rows, input.limit, (row) => ({ at: row.createdAt, id: row.id }));
}

export interface GoalDetail {
  goal: GoalRow;
  recipe: Recipe;
  /** Null until the goal is confirmed (it has no first period yet). */
  progress: GoalProgress | null;
  /** Stored evaluations, oldest first (at most MAX_EVALUATIONS_READ, the newest). */
  evaluations: GoalEvaluationRow[];
}

/** One goal with its progress and evaluation series; not_found when it is not the user's. */
export async function getGoalDetail({
  ctx,
  input,
}: {
  ctx: GoalCtx;
  input: { goalId: string };
}): Promise<GoalDetail> {
  const goal = await getOwnGoal(ctx, input.goalId);
  const recent = await ctx.db
    .select()
    .from(goalEvaluations)
    .where(eq(goalEvaluations.goalId, goal.id))
    .orderBy(desc(goalEvaluations.period))
    .limit(MAX_EVALUATIONS_READ);
  const evaluations = recent.reverse();
  const recipe = storedRecipe(goal);
  if (goal.startsOn === null) return { goal, recipe, progress: null, evaluations };
  const terms = {
    kind: goal.kind,
    target: goal.target,
    firstPeriod: goal.startsOn,
    windowEnd:
      goal.kind === "streak" ? null : (goal.endsOn ?? windowEnd(goal.kind, goal.startsOn, goal.windowDays)),
  };
  const history = evaluations.map((row) => ({ period: row.period, hit: row.hit, noData: row.noData }));
  return { goal, recipe, progress: goalProgress(terms, history, goal.lastEvaluatedDay), evaluations };
}

// ---- shared steps ----------------------------------------------------------------------------------

async function transition(
  ctx: GoalCtx,
  goal: GoalRow,
  action: GoalAction,
  changes: Partial<typeof goals.$inferInsert>,
): Promise<GoalRow> {
  if (!canTransition(action, goal.status)) throw illegalTransition(transitionRefusal(action, goal.status));
  const result = await ctx.db
    .update(goals)
    .set({ ...changes, status: TRANSITIONS[action].to, updatedAt: sql`CURRENT_TIMESTAMP(3)` })
    .where(ownGoalInStatus(ctx, goal.id, goal.status));
  if (affectedRows(result) !== 1) await refuseChanged(ctx, goal.id, action);
  return getOwnGoal(ctx, goal.id);
}

function ownGoalInStatus(ctx: GoalCtx, goalId: string, status: GoalStatus) {
  return and(eq(goals.id, goalId), eq(goals.userId, ctx.userId), eq(goals.status, status));
}

/** After a compare-and-set lost: not_found if the goal went away, else the refusal for its new status. */
async function refuseChanged(ctx: GoalCtx, goalId: string, action: GoalAction): Promise<never> {
  const now = await findGoal(ctx, goalId);
  if (now === null) throw notFound("goal");
  throw illegalTransition(transitionRefusal(action, now.status));
}

export async function getOwnGoal(ctx: GoalCtx, goalId: string): Promise<GoalRow> {
  const goal = await findGoal(ctx, goalId);
  if (goal === null) throw notFound("goal");
  return goal;
}

async function findGoal(ctx: GoalCtx, goalId: string): Promise<GoalRow | null> {
  // An id we never issued names nothing: answered before any query.
  if (!isEntityId(goalId)) return null;
  const [goal] = await ctx.db
    .select()
    .from(goals)
    .where(and(eq(goals.id, goalId), eq(goals.userId, ctx.userId)))
    .limit(1);
  return goal ?? null;
}

function requireWatch(ctx: GoalCompileCtx): string {
  if (ctx.watchId === null) throw notFound("watch linked to this user");
  return ctx.watchId;
}
