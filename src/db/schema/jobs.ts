// Background tasks started on demand (QA evaluation runs) and the per-question results they record.
import { sql } from "drizzle-orm";
import { index, int, json, mysqlEnum, mysqlTable, text, uniqueIndex, varchar } from "drizzle-orm/mysql-core";
import { exactText, id, utc } from "./columns";

export const backgroundTasks = mysqlTable(
  "background_tasks",
  {
    id: id().primaryKey(),
    kind: varchar("kind", { length: 40 }).notNull(),
    status: mysqlEnum("status", ["queued", "running", "done", "failed"]).notNull(),
    params: json("params"),
    result: json("result"),
    error: text("error"),
    requestedBy: exactText("requested_by", { length: 64 }),
    createdAt: utc("created_at").notNull().default(sql`CURRENT_TIMESTAMP(3)`),
    startedAt: utc("started_at"),
    heartbeatAt: utc("heartbeat_at"),
    finishedAt: utc("finished_at"),
  },
  (table) => [
    index("background_tasks_kind_created").on(table.kind, table.createdAt),
    index("background_tasks_status").on(table.status),
  ],
);

export const qaResults = mysqlTable(
  "qa_results",
  {
    id: id().primaryKey(),
    taskId: id("task_id")
      .notNull()
      .references(() => backgroundTasks.id, { onDelete: "cascade" }),
    position: int("position").notNull(),
    question: text("question").notNull(),
    answer: text("answer"),
    verdict: varchar("verdict", { length: 20 }),
    latencyMs: int("latency_ms"),
    error: text("error"),
    createdAt: utc("created_at").notNull().default(sql`CURRENT_TIMESTAMP(3)`),
    // QA evaluation runs (src/qa/): one row per question, written when the run is created (`pending`)
    // and completed once, by a compare-and-set on `pending`, so a re-run after a crash never stores a
    // question's result twice.
    questionId: varchar("question_id", { length: 64 }).notNull().default(""),
    status: mysqlEnum("status", ["pending", "done", "failed"]).notNull().default("pending"),
    expectedTools: json("expected_tools").$type<string[]>(),
    toolsCalled: json("tools_called").$type<string[]>(),
    safetyHits: json("safety_hits").$type<{ layer: number; category: string; action: string }[]>(),
    sessionId: id("session_id"),
    turnId: id("turn_id"),
    finishedAt: utc("finished_at"),
  },
  (table) => [
    index("qa_results_task_position").on(table.taskId, table.position),
    uniqueIndex("qa_results_task_position_unique").on(table.taskId, table.position),
    index("qa_results_task_status").on(table.taskId, table.status),
  ],
);
