// A recipe in plain words, written by the server from the checked recipe (never by the model), so what
// the user confirms is what the evaluator will run: the metric, the day's test and the verdict rule.
import type { GoalKind, GoalMetric, Recipe } from "./recipe";

export const METRIC_LABELS: Readonly<Record<GoalMetric, string>> = {
  avg_systolic: "the day's average systolic pressure (mmHg)",
  avg_diastolic: "the day's average diastolic pressure (mmHg)",
  last_reading_systolic: "the systolic pressure of the day's last reading (mmHg)",
  last_reading_diastolic: "the diastolic pressure of the day's last reading (mmHg)",
  last_reading_time: "the time of the day's last reading",
  last_reading_daypart: "the part of the day of the day's last reading",
  heart_rate: "the day's average heart rate (bpm)",
  sleep_hours: "the hours slept the night before",
  steps: "the day's steps",
  in_target_pct: "the percent of the day's readings inside the target band",
  bp_category: "the blood-pressure category of the day",
};

function verdictRule(kind: GoalKind, target: number, windowDays: number): string {
  switch (kind) {
    case "streak":
      return `achieved after ${target} day${target === 1 ? "" : "s"} in a row that count; a day without data breaks the run`;
    case "count_hits_in_window":
      return `achieved as soon as ${target} of the ${windowDays} days count; missed if the ${windowDays} days end short`;
    case "sustained_pattern":
      return `decided after ${windowDays} days: achieved if at least ${target} of them count, otherwise missed`;
  }
}

const DAYPARTS = ["night", "morning", "afternoon", "evening"];

/** The parts of the day a pipeline singles out, when it looks at the last reading's daypart. */
function dayparts(pipeline: Recipe["pipeline"]): string[] {
  const json = JSON.stringify(pipeline);
  if (!json.includes("last_reading.daypart")) return [];
  return DAYPARTS.filter((part) => json.includes(`"${part}"`));
}

/** E.g. "Tracks the day's average systolic pressure (mmHg). A day counts when value < 135. Achieved …". */
export function describeRecipe(
  recipe: Pick<Recipe, "metric" | "pipeline" | "comparison" | "kind" | "target" | "window_days">,
): string {
  const parts = dayparts(recipe.pipeline);
  return [
    `Tracks ${METRIC_LABELS[recipe.metric]}.`,
    ...(parts.length === 0
      ? []
      : [`Only days whose last reading is in the ${parts.join(" or ")} have a value.`]),
    `A day counts when ${recipe.comparison}.`,
    `${capitalise(verdictRule(recipe.kind, recipe.target, recipe.window_days))}.`,
  ].join(" ");
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
