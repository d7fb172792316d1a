// `hilo migrate` against an empty database: every table appears once, a second run is a no-op.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type mysql from "mysql2/promise";
import { createAppDb } from "../../src/infra/app-db";
import { migrateAppDb } from "../../src/infra/app-db-migrate";
import { adminConnection, requireEnv } from "../support/stack";

const database = `hilo_migrate_${process.pid}_${Date.now()}`;
let admin: mysql.Connection;

beforeAll(async () => {
  admin = await adminConnection();
  await admin.query(`CREATE DATABASE \`${database}\``);
});

afterAll(async () => {
  await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
  await admin.end();
});

function scratchUrl(): string {
  const url = new URL(requireEnv("HILO_ADMIN_DB_URL"));
  url.pathname = `/${database}`;
  return url.toString();
}

describe("migrations", () => {
  test("an empty database gets every table, with full UTF-8, and a re-run applies nothing", async () => {
    const client = createAppDb(scratchUrl(), 5_000);
    try {
      const first = await migrateAppDb(client);
      expect(first.applied).toBe(first.total);
      expect(first.total).toBeGreaterThan(0);

      const [rows] = await admin.query(
        "SELECT table_name AS name, table_collation AS collation FROM information_schema.tables WHERE table_schema = ? ORDER BY table_name",
        [database],
      );
      const tables = rows as { name: string; collation: string }[];
      expect(tables.map((table) => table.name).sort()).toEqual([
        "__drizzle_migrations",
        "background_tasks",
        "chat_messages",
        "chat_sessions",
        "daily_stats",
        "dev_users",
        "goal_evaluations",
        "goals",
        "intercom_handovers",
        "memories",
        "qa_results",
        "safety_audit",
        "turn_claims",
      ]);
      for (const table of tables.filter((t) => t.name !== "__drizzle_migrations")) {
        expect(table.collation).toStartWith("utf8mb4");
      }

      const second = await migrateAppDb(client);
      expect(second.applied).toBe(0);
    } finally {
      await client.close();
    }
  });

  test("the turn-claim key is unique per user and idempotency key", async () => {
    await admin.query(`INSERT INTO \`${database}\`.turn_claims (id, user_id, session_id, idempotency_key, request_hash, status)
      VALUES ('t1', 'u1', 's1', 'key-1', REPEAT('a', 64), 'running')`);
    await admin.query(`INSERT INTO \`${database}\`.turn_claims (id, user_id, session_id, idempotency_key, request_hash, status)
      VALUES ('t2', 'u2', 's2', 'key-1', REPEAT('a', 64), 'running')`);
    const duplicate =
      admin.query(`INSERT INTO \`${database}\`.turn_claims (id, user_id, session_id, idempotency_key, request_hash, status)
      VALUES ('t3', 'u1', 's3', 'key-1', REPEAT('b', 64), 'running')`);
    await expect(duplicate).rejects.toThrow(/Duplicate entry/);
  });
});
