// The compiled form of a goal, as stored in `goals.recipe` and read by the nightly evaluator: the
// compiler (compile.ts) writes it once, the sandbox checks (sandbox.ts, comparison.ts) have accepted it
// before it is stored, and nothing ever asks the model again to evaluate it.
import { z } from "zod";
import { GOAL_KINDS } from "../db/schema/goals";

/**
 * The closed list of daily metrics a goal may track (seed §6.1), each a field of a `watch_daily`
 * document. A recipe reads only these paths, plus `day`, which the server itself uses for the range.
 */
export const GOAL_METRICS = {
  avg_systolic: "avg_systolic",
  avg_diastolic: "avg_diastolic",
  last_reading_systolic: "last_reading.systolic",
  last_reading_diastolic: "last_reading.diastolic",
  last_reading_time: "last_reading.at",
  last_reading_daypart: "last_reading.daypart",
  heart_rate: "heart_rate",
  sleep_hours: "sleep_hours",
  steps: "steps",
  in_target_pct: "in_target_pct",
  bp_category: "bp_category",
} as const;

export type GoalMetric = keyof typeof GOAL_METRICS;
export const GOAL_METRIC_NAMES = Object.keys(GOAL_METRICS) as [GoalMetric, ...GoalMetric[]];

export type GoalKind = (typeof GOAL_KINDS)[number];

/** Longest window a goal may span: a year of local days. */
export const MAX_GOAL_WINDOW_DAYS = 366;

export const recipeSchema = z
  .strictObject({
    /** Short name the app shows, in the user's language. */
    title: z.string().trim().min(1).max(120),
    metric: z.enum(GOAL_METRIC_NAMES),
    /**
     * Aggregation stages run after the server's own `$match` (the user's watch and the day range); they
     * must leave one document per local day carrying a numeric `value` (the server projects `day` and
     * `value` at the end).
     */
    pipeline: z.array(z.record(z.string(), z.unknown())).min(1),
    /** A boolean expression over `value` (e.g. `value < 130`), parsed by comparison.ts, never eval'd. */
    comparison: z.string().trim().min(1).max(200),
    kind: z.enum(GOAL_KINDS),
    /** Hits (or consecutive hits, for a streak) that achieve the goal. */
    target: z.number().int().min(1).max(MAX_GOAL_WINDOW_DAYS),
    /** Local days the goal is judged over (for a streak: how long it stays open). */
    window_days: z.number().int().min(1).max(MAX_GOAL_WINDOW_DAYS),
  })
  // A target the window cannot hold ("8 days out of 7") could never be achieved.
  .refine((recipe) => recipe.target <= recipe.window_days, {
    message: "target must not exceed window_days",
    path: ["target"],
  });

export type Recipe = z.infer<typeof recipeSchema>;

/** One local day of a recipe's run: `value` null and `hit` false when the day has no data. */
export interface DayResult {
  readonly day: string;
  readonly value: number | null;
  readonly hit: boolean;
}
