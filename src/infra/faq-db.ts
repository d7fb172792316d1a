// PostgreSQL + pgvector holding the FAQ vectors; its own pool, separate from App MySQL.
import postgres from "postgres";
import type { Dependency } from "./dependency";

export interface FaqDbClient extends Dependency {
  readonly sql: postgres.Sql;
}

export function createFaqDb(url: string, timeoutMs: number): FaqDbClient {
  const sql = postgres(url, {
    max: 10,
    connect_timeout: Math.max(1, Math.ceil(timeoutMs / 1000)),
    idle_timeout: 60,
    onnotice: () => {},
  });
  return {
    name: "postgres",
    sql,
    check: async () => {
      await sql`SELECT 1`;
    },
    close: () => sql.end({ timeout: 5 }),
  };
}
