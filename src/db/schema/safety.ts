// One row per safety-layer decision. Never holds raw personal information: categories and actions only.
import { sql } from "drizzle-orm";
import { bigint, index, json, mysqlTable, tinyint, varchar } from "drizzle-orm/mysql-core";
import { id, userId, utc } from "./columns";

export const safetyAudit = mysqlTable(
  "safety_audit",
  {
    id: bigint("id", { mode: "number", unsigned: true }).autoincrement().primaryKey(),
    userId: userId(),
    sessionId: id("session_id"),
    turnId: id("turn_id"),
    layer: tinyint("layer").notNull(),
    category: varchar("category", { length: 40 }).notNull(),
    action: varchar("action", { length: 40 }).notNull(),
    detail: json("detail"),
    createdAt: utc("created_at").notNull().default(sql`CURRENT_TIMESTAMP(3)`),
  },
  (table) => [
    index("safety_audit_created_layer").on(table.createdAt, table.layer, table.category),
    index("safety_audit_turn").on(table.turnId),
  ],
);
