// The goal shapes the outside sees: the routes' request and response schemas (the contract the apps
// build against) and the one mapping of a stored goal onto them, shared by the routes and the tools.
import { z } from "zod";
import { GOAL_KINDS, GOAL_STATUSES } from "../db/schema/goals";
import { describeRecipe } from "./describe";
import { type DayResult, GOAL_METRIC_NAMES } from "./recipe";
import type { GoalProgress } from "./rollup";
import { type GoalDetail, type GoalEvaluationRow, type GoalRow, storedRecipe } from "./service";

export const GOAL_PAGE_DEFAULT_LIMIT = 20;
export const GOAL_PAGE_MAX_LIMIT = 100;

export const goalPageQuery = z.object({
  cursor: z.string().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(GOAL_PAGE_MAX_LIMIT).default(GOAL_PAGE_DEFAULT_LIMIT),
  status: z.enum(GOAL_STATUSES).optional(),
});

// Any string routes here; one that is not an id we issued is a 404 before any query (service.ts).
export const goalParams = z.object({ id: z.string() });

const goalSummary = z.object({
  goal_id: z.string(),
  title: z.string(),
  description: z.string().describe("The goal as the user wrote it."),
  status: z.enum(GOAL_STATUSES),
  kind: z.enum(GOAL_KINDS),
  metric: z.enum(GOAL_METRIC_NAMES),
  comparison: z.string().describe("When a day counts, over the day's `value`, e.g. `value < 135`."),
  target: z.number().int(),
  window_days: z.number().int(),
  recipe_summary: z.string().describe("The recipe in plain words, written by the server from the recipe."),
  starts_on: z
    .string()
    .nullable()
    .describe("First local day that counts (YYYY-MM-DD); null until confirmed."),
  ends_on: z
    .string()
    .nullable()
    .describe("Last local day of the window; null for a streak or until confirmed."),
  last_evaluated_day: z.string().nullable(),
  error_message: z.string().nullable().describe("Why the nightly evaluation failed, when `errored`."),
  created_at: z.string(),
  confirmed_at: z.string().nullable(),
});

export const goalList = z.object({ goals: z.array(goalSummary), next_cursor: z.string().nullable() });

const progressShape = z.object({
  current_streak: z.number().int(),
  longest_streak: z.number().int(),
  hits: z.number().int(),
  misses: z.number().int(),
  no_data_days: z.number().int(),
  evaluated_days: z.number().int(),
  days_left: z.number().int().nullable().describe("Days of the window not evaluated yet; null for a streak."),
});

const evaluationShape = z.object({
  day: z.string(),
  value: z.number().nullable(),
  hit: z.boolean(),
  no_data: z.boolean(),
});

export const goalDetail = goalSummary.extend({
  progress: progressShape.nullable().describe("Null until the goal is confirmed."),
  evaluations: z.array(evaluationShape).describe("One per evaluated local day, oldest first."),
});

export type GoalSummaryView = z.infer<typeof goalSummary>;
export type GoalProgressView = z.infer<typeof progressShape>;

export function goalSummaryView(goal: GoalRow): GoalSummaryView {
  const recipe = storedRecipe(goal);
  return {
    goal_id: goal.id,
    title: recipe.title,
    description: goal.description,
    status: goal.status,
    kind: goal.kind,
    metric: recipe.metric,
    comparison: recipe.comparison,
    target: goal.target,
    window_days: goal.windowDays,
    recipe_summary: describeRecipe(recipe),
    starts_on: goal.startsOn,
    ends_on: goal.endsOn,
    last_evaluated_day: goal.lastEvaluatedDay,
    error_message: goal.errorMessage,
    created_at: goal.createdAt.toISOString(),
    confirmed_at: goal.confirmedAt?.toISOString() ?? null,
  };
}

export function progressView(progress: GoalProgress): GoalProgressView {
  return {
    current_streak: progress.currentStreak,
    longest_streak: progress.longestStreak,
    hits: progress.hits,
    misses: progress.misses,
    no_data_days: progress.noDataDays,
    evaluated_days: progress.evaluatedDays,
    days_left: progress.daysLeft,
  };
}

export function evaluationView(row: GoalEvaluationRow) {
  return { day: row.period, value: row.value, hit: row.hit, no_data: row.noData };
}

export function goalDetailView(detail: GoalDetail): z.infer<typeof goalDetail> {
  return {
    ...goalSummaryView(detail.goal),
    progress: detail.progress === null ? null : progressView(detail.progress),
    evaluations: detail.evaluations.map(evaluationView),
  };
}

/** A preview day as the tools show it: the value rounded for reading, null on a day without data. */
export function previewView(preview: readonly DayResult[]) {
  return preview.map((day) => ({
    day: day.day,
    value: day.value === null ? null : Math.round(day.value * 10) / 10,
    hit: day.hit,
  }));
}
