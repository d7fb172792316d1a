// Durable user facts the agent chose to remember, with their embeddings as JSON arrays.
import { sql } from "drizzle-orm";
import { index, json, mysqlTable, text, varchar } from "drizzle-orm/mysql-core";
import { id, userId, utc } from "./columns";

export const memories = mysqlTable(
  "memories",
  {
    id: id().primaryKey(),
    userId: userId(),
    content: text("content").notNull(),
    embedding: json("embedding").$type<number[]>().notNull(),
    embeddingModel: varchar("embedding_model", { length: 100 }).notNull(),
    sourceSessionId: id("source_session_id"),
    createdAt: utc("created_at").notNull().default(sql`CURRENT_TIMESTAMP(3)`),
    updatedAt: utc("updated_at").notNull().default(sql`CURRENT_TIMESTAMP(3)`),
  },
  (table) => [index("memories_user_updated").on(table.userId, table.updatedAt, table.id)],
);
