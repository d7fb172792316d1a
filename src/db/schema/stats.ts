// Daily usage counters the report needs and no other table holds: model calls by purpose with their
// latency as a log-scale histogram, and FAQ searches by outcome. One row per (day, metric, label,
// bucket), incremented in place, so a busy day is a few hundred rows, not one per call.
import { bigint, date, mysqlTable, primaryKey, smallint, varchar } from "drizzle-orm/mysql-core";

export const dailyStats = mysqlTable(
  "daily_stats",
  {
    /** UTC day the events happened on. */
    day: date("day", { mode: "string" }).notNull(),
    metric: varchar("metric", { length: 40 }).notNull(),
    label: varchar("label", { length: 64 }).notNull(),
    /** Histogram bucket for timed metrics (see observability/daily-stats.ts); 0 for plain counts. */
    bucket: smallint("bucket").notNull(),
    n: bigint("n", { mode: "number", unsigned: true }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.day, table.metric, table.label, table.bucket] })],
);
