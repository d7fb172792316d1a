// get_user_sleep_metrics: average sleep per night over a window, shortest and longest night, daily trend.
// A night is filed under the local day it ended on (the morning after).

import { roundHours } from "../../../readings/rounding";
import { defineDailyMetricTool } from "./daily-metric";

export const getUserSleepMetrics = defineDailyMetricTool({
  name: "get_user_sleep_metrics",
  description: [
    "The user's sleep over the last N days: average hours per night, shortest and longest night, daily trend.",
    "Use for sleep questions ('how much am I sleeping?', 'did I sleep better this week?'). A night is filed",
    "under the day it ended. Returns average_hours and per-night hours (1 decimal), the shortest and longest",
    "night with dates, and trend = average of the earlier vs the later half of the nights with the change.",
    "For several metrics at once prefer summarize_last_n_days. status 'no_readings' = no sleep data in the",
    "window; stale=true = the newest night is from before today.",
  ].join("\n"),
  field: "sleep_hours",
  round: roundHours,
  names: { days: "nights", average: "average_hours", lowest: "shortest", highest: "longest", value: "hours" },
});
