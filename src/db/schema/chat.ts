// Chat sessions, their messages, and the idempotency claims that make a send happen once.
import { sql } from "drizzle-orm";
import {
  char,
  index,
  int,
  mediumtext,
  mysqlEnum,
  mysqlTable,
  uniqueIndex,
  varchar,
} from "drizzle-orm/mysql-core";
import { exactText, id, userId, utc } from "./columns";

export const chatSessions = mysqlTable(
  "chat_sessions",
  {
    id: id().primaryKey(),
    userId: userId(),
    title: varchar("title", { length: 120 }),
    // Assembled once at session open and sent byte-identical each turn (provider prompt caching).
    systemPrompt: mediumtext("system_prompt").notNull(),
    createdAt: utc("created_at").notNull().default(sql`CURRENT_TIMESTAMP(3)`),
    lastActivityAt: utc("last_activity_at").notNull().default(sql`CURRENT_TIMESTAMP(3)`),
  },
  (table) => [index("chat_sessions_user_activity").on(table.userId, table.lastActivityAt, table.id)],
);

export const chatMessages = mysqlTable(
  "chat_messages",
  {
    id: id().primaryKey(),
    sessionId: id("session_id")
      .notNull()
      .references(() => chatSessions.id, { onDelete: "cascade" }),
    userId: userId(),
    // `support`: a reply from the support team (Intercom), stored by the webhook; it belongs to no turn.
    role: mysqlEnum("role", ["user", "assistant", "support"]).notNull(),
    // User and assistant text is always the post-safety (redacted) text; a support reply is the plain
    // text the support team wrote to this user.
    content: mediumtext("content").notNull(),
    turnId: id("turn_id"),
    // Support replies only: the author's display name and the Intercom conversation part it came from
    // (UNIQUE, so a part delivered twice is stored once; NULLs do not collide).
    authorName: varchar("author_name", { length: 255 }),
    intercomPartId: exactText("intercom_part_id", { length: 64 }),
    createdAt: utc("created_at").notNull().default(sql`CURRENT_TIMESTAMP(3)`),
  },
  (table) => [
    index("chat_messages_session_created").on(table.sessionId, table.createdAt, table.id),
    uniqueIndex("chat_messages_turn_role").on(table.turnId, table.role),
    uniqueIndex("chat_messages_intercom_part").on(table.intercomPartId),
  ],
);

export const turnClaims = mysqlTable(
  "turn_claims",
  {
    id: id().primaryKey(),
    userId: userId(),
    sessionId: id("session_id").notNull(),
    idempotencyKey: exactText("idempotency_key", { length: 128 }).notNull(),
    // sha256 of the request body: the same key with another body is a client bug (422).
    requestHash: char("request_hash", { length: 64 }).notNull(),
    status: mysqlEnum("status", ["running", "done", "failed"]).notNull(),
    attempt: int("attempt").notNull().default(1),
    answer: mediumtext("answer"),
    failureReason: varchar("failure_reason", { length: 255 }),
    heartbeatAt: utc("heartbeat_at").notNull().default(sql`CURRENT_TIMESTAMP(3)`),
    // When the current attempt started: a producer still heartbeating long past the turn budget is
    // hung, and the reconciler fails it by this column (the heartbeat alone would keep it forever).
    attemptStartedAt: utc("attempt_started_at").notNull().default(sql`CURRENT_TIMESTAMP(3)`),
    createdAt: utc("created_at").notNull().default(sql`CURRENT_TIMESTAMP(3)`),
    finishedAt: utc("finished_at"),
  },
  (table) => [
    uniqueIndex("turn_claims_user_key").on(table.userId, table.idempotencyKey),
    index("turn_claims_status_heartbeat").on(table.status, table.heartbeatAt),
    index("turn_claims_created").on(table.createdAt),
  ],
);
