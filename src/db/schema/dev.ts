// Accounts of the dev-only console login (src/dev/). Never read in production: the routes that use
// them are not registered there.
import { sql } from "drizzle-orm";
import { mysqlTable, varchar } from "drizzle-orm/mysql-core";
import { exactText, utc } from "./columns";

export const devUsers = mysqlTable("dev_users", {
  username: exactText("username", { length: 64 }).primaryKey(),
  /** Bun.password's argon2id PHC string: algorithm, parameters and salt travel with the hash. */
  passwordHash: varchar("password_hash", { length: 255 }).notNull(),
  createdAt: utc("created_at").notNull().default(sql`CURRENT_TIMESTAMP(3)`),
  updatedAt: utc("updated_at").notNull().default(sql`CURRENT_TIMESTAMP(3)`),
});
