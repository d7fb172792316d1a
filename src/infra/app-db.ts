// App MySQL (read/write): a mysql2 pool wrapped by Drizzle. The only database this service owns.
import { drizzle, type MySql2Database } from "drizzle-orm/mysql2";
import mysql from "mysql2/promise";
import * as schema from "../db/schema";
import type { Dependency } from "./dependency";

export type AppDb = MySql2Database<typeof schema>;

export interface AppDbClient extends Dependency {
  readonly db: AppDb;
  readonly pool: mysql.Pool;
}

export function createAppDb(url: string, connectTimeoutMs: number): AppDbClient {
  const pool = mysql.createPool({
    uri: url,
    connectionLimit: 20,
    connectTimeout: connectTimeoutMs,
    // DATETIME(3) columns hold UTC; the driver must not shift them into the host's zone.
    timezone: "Z",
    dateStrings: false,
    enableKeepAlive: true,
  });
  // CURRENT_TIMESTAMP defaults and heartbeats must be UTC like the values the driver writes.
  pool.pool.on("connection", (connection) => {
    connection.query("SET time_zone = '+00:00'");
  });
  return {
    name: "app_mysql",
    pool,
    db: drizzle(pool, { schema, mode: "default" }),
    check: async () => {
      await pool.query("SELECT 1");
    },
    close: () => pool.end(),
  };
}
