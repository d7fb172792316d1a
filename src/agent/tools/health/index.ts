// The health-data tools over the MongoDB watch readings, in the order the model sees them.
import type { ToolDefinition } from "../../tool.ts";
import { getBpMetricsSummary } from "./bp-metrics-summary.ts";
import { getBpReadingHistory } from "./bp-reading-history.ts";
import { getUserHeartRateMetrics } from "./heart-rate-metrics.ts";
import { getLatestBpReading } from "./latest-bp-reading.ts";
import { getMorningVsEveningDelta } from "./morning-vs-evening-delta.ts";
import { getRollingBpAverage } from "./rolling-bp-average.ts";
import { getUserSleepMetrics } from "./sleep-metrics.ts";
import { getUserStepMetrics } from "./step-metrics.ts";
import { summarizeLastNDays } from "./summarize-last-n-days.ts";

export const HEALTH_TOOLS: ToolDefinition[] = [
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
