// Hilo User MySQL: owned by the wider Hilo platform, read-only here, read with raw SQL.
import mysql from "mysql2/promise";
import type { Dependency } from "./dependency";

export interface UsersDbClient extends Dependency {
  readonly pool: mysql.Pool;
}

export function createUsersDb(url: string, connectTimeoutMs: number): UsersDbClient {
  const pool = mysql.createPool({
    uri: url,
    connectionLimit: 10,
    connectTimeout: connectTimeoutMs,
    timezone: "Z",
    enableKeepAlive: true,
  });
  return {
    name: "users_mysql",
    pool,
    check: async () => {
      await pool.query("SELECT 1");
    },
    close: () => pool.end(),
  };
}
