// Intercom handovers: written as pending before any network call, then accepted or failed once.
import { sql } from "drizzle-orm";
import { index, mysqlEnum, mysqlTable, text, uniqueIndex, varchar } from "drizzle-orm/mysql-core";
import { exactText, id, userId, utc } from "./columns";

export const intercomHandovers = mysqlTable(
  "intercom_handovers",
  {
    id: id().primaryKey(),
    userId: userId(),
    sessionId: id("session_id").notNull(),
    turnId: id("turn_id"),
    status: mysqlEnum("status", ["pending", "accepted", "failed"]).notNull(),
    summary: text("summary").notNull(),
    // The user's question as the agent phrased it, redacted like the summary (null on rows written
    // before it was recorded).
    question: text("question"),
    intercomContactId: exactText("intercom_contact_id", { length: 64 }),
    intercomConversationId: exactText("intercom_conversation_id", { length: 64 }),
    error: varchar("error", { length: 500 }),
    // The newest support reply stored for this handover (a chat_messages id), for GET /v1/handovers.
    lastReplyMessageId: id("last_reply_message_id"),
    createdAt: utc("created_at").notNull().default(sql`CURRENT_TIMESTAMP(3)`),
    // Moves on the status transition and on every stored reply.
    updatedAt: utc("updated_at").notNull().default(sql`CURRENT_TIMESTAMP(3)`),
  },
  (table) => [
    index("intercom_handovers_user_created").on(table.userId, table.createdAt, table.id),
    // A webhook finds its handover by conversation; Intercom never gives two handovers one conversation.
    uniqueIndex("intercom_handovers_conversation").on(table.intercomConversationId),
    index("intercom_handovers_created").on(table.createdAt),
  ],
);
