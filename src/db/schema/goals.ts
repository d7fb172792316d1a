// Goals compiled once from plain language, and their deterministic nightly evaluations.
import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  date,
  double,
  index,
  int,
  json,
  mysqlEnum,
  mysqlTable,
  text,
  uniqueIndex,
  varchar,
} from "drizzle-orm/mysql-core";
import { exactText, id, userId, utc } from "./columns";

export const GOAL_STATUSES = [
  "awaiting_confirmation",
  "active",
  "paused",
  "achieved",
  "missed",
  "errored",
] as const;
export const GOAL_KINDS = ["streak", "count_hits_in_window", "sustained_pattern"] as const;

export const goals = mysqlTable(
  "goals",
  {
    id: id().primaryKey(),
    userId: userId(),
    watchId: exactText("watch_id", { length: 64 }).notNull(),
    sessionId: id("session_id"),
    description: text("description").notNull(),
    status: mysqlEnum("status", GOAL_STATUSES).notNull(),
    kind: mysqlEnum("kind", GOAL_KINDS).notNull(),
    // The compiled recipe: an allow-listed aggregation pipeline and a comparison expression.
    recipe: json("recipe").notNull(),
    target: int("target").notNull(),
    windowDays: int("window_days").notNull(),
    timezone: varchar("timezone", { length: 64 }).notNull(),
    startsOn: date("starts_on", { mode: "string" }),
    endsOn: date("ends_on", { mode: "string" }),
    lastEvaluatedDay: date("last_evaluated_day", { mode: "string" }),
    nextDueAt: utc("next_due_at"),
    errorMessage: varchar("error_message", { length: 500 }),
    // Nightly evaluations that failed in a row since the last one that succeeded; the third makes the
    // goal `errored` (src/goals/evaluate.ts). Reset by a success and on re-activation.
    evaluationErrors: int("evaluation_errors").notNull().default(0),
    // When the nightly evaluation moved the goal to `achieved` or `missed` (the daily report counts these).
    decidedAt: utc("decided_at"),
    confirmedAt: utc("confirmed_at"),
    createdAt: utc("created_at").notNull().default(sql`CURRENT_TIMESTAMP(3)`),
    updatedAt: utc("updated_at").notNull().default(sql`CURRENT_TIMESTAMP(3)`),
  },
  (table) => [
    index("goals_user_created").on(table.userId, table.createdAt),
    index("goals_status_due").on(table.status, table.nextDueAt),
    index("goals_watch").on(table.watchId),
    index("goals_decided").on(table.decidedAt),
  ],
);

export const goalEvaluations = mysqlTable(
  "goal_evaluations",
  {
    id: bigint("id", { mode: "number", unsigned: true }).autoincrement().primaryKey(),
    goalId: id("goal_id")
      .notNull()
      .references(() => goals.id, { onDelete: "cascade" }),
    // One row per goal per local day: re-running a sweep is idempotent through this key.
    period: date("period", { mode: "string" }).notNull(),
    value: double("value"),
    hit: boolean("hit").notNull(),
    noData: boolean("no_data").notNull().default(false),
    evaluatedAt: utc("evaluated_at").notNull().default(sql`CURRENT_TIMESTAMP(3)`),
  },
  (table) => [uniqueIndex("goal_evaluations_goal_period").on(table.goalId, table.period)],
);
