// get_user_step_metrics: daily steps over a window: average, total, lowest and highest day, daily trend.

import { roundSteps } from "../../../readings/rounding";
import { defineDailyMetricTool } from "./daily-metric";

export const getUserStepMetrics = defineDailyMetricTool({
  name: "get_user_step_metrics",
  description: [
    "The user's daily step counts over the last N days: average, total, lowest and highest day, daily trend.",
    "Use for activity questions ('how many steps do I average?', 'was I more active this week?'). Returns",
    "daily_average, total, the lowest and highest day with dates, the per-day counts, and trend = average of",
    "the earlier vs the later half of the days with the change. includes_today_so_far=true means today's count",
    "is still growing. For several metrics at once prefer summarize_last_n_days. status 'no_readings' = no step",
    "data in the window; stale=true = the newest day with steps is before today.",
  ].join("\n"),
  field: "steps",
  round: roundSteps,
  names: {
    days: "days",
    average: "daily_average",
    total: "total",
    lowest: "lowest",
    highest: "highest",
    value: "steps",
  },
  todayIsPartial: true,
});
