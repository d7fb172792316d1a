// Intercom handovers: written as pending before any network call, then accepted or failed once.
import { sql } from "drizzle-orm";
import { index, mysqlEnum, mysqlTable, text, varchar } from "drizzle-orm/mysql-core";
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
    intercomContactId: exactText("intercom_contact_id", { length: 64 }),
    intercomConversationId: exactText("intercom_conversation_id", { length: 64 }),
    error: varchar("error", { length: 500 }),
    createdAt: utc("created_at").notNull().default(sql`CURRENT_TIMESTAMP(3)`),
    updatedAt: utc("updated_at").notNull().default(sql`CURRENT_TIMESTAMP(3)`),
  },
  (table) => [index("intercom_handovers_user_created").on(table.userId, table.createdAt)],
);
