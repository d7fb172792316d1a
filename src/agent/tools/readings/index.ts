// The readings tools over the MongoDB watch readings, in the order the model sees them.
import type { ToolDefinition } from "../../tool";
import { getBpMetricsSummary } from "./bp-metrics-summary";
import { getBpReadingHistory } from "./bp-reading-history";
import { getUserHeartRateMetrics } from "./heart-rate-metrics";
import { getLatestBpReading } from "./latest-bp-reading";
import { getMorningVsEveningDelta } from "./morning-vs-evening-delta";
import { getRollingBpAverage } from "./rolling-bp-average";
import { getUserSleepMetrics } from "./sleep-metrics";
import { getUserStepMetrics } from "./step-metrics";
import { summarizeLastNDays } from "./summarize-last-n-days";

export const READINGS_TOOLS: ToolDefinition[] = [
  summarizeLastNDays,
  getLatestBpReading,
  getBpReadingHistory,
  getBpMetricsSummary,
  getMorningVsEveningDelta,
  getRollingBpAverage,
  getUserSleepMetrics,
  getUserStepMetrics,
  getUserHeartRateMetrics,
];
