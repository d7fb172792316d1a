// Applies the migrations embedded in the binary, with Drizzle's own migrator and bookkeeping table.
import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import type { MigrationMeta } from "drizzle-orm/migrator";
import type { MySqlDialect, MySqlSession } from "drizzle-orm/mysql-core";
import { migrations } from "../../drizzle/migrations";
import type { AppDbClient } from "./app-db";

const MIGRATION_LOCK = "hilo_migrate";
const MIGRATION_LOCK_WAIT_S = 120;

function toMigrationMeta(): MigrationMeta[] {
  return migrations.map((migration) => ({
    sql: migration.sql.split("--> statement-breakpoint"),
    bps: migration.breakpoints,
    folderMillis: migration.when,
    hash: createHash("sha256").update(migration.sql).digest("hex"),
  }));
}

interface DrizzleInternals {
  dialect: MySqlDialect;
  session: MySqlSession;
}

export interface MigrationResult {
  applied: number;
  total: number;
}

export async function migrateAppDb(client: AppDbClient): Promise<MigrationResult> {
  const connection = await client.pool.getConnection();
  try {
    // Two tasks deploying at once must not both run DDL: a named lock serialises them.
    const [lockRows] = await connection.query("SELECT GET_LOCK(?, ?) AS locked", [
      MIGRATION_LOCK,
      MIGRATION_LOCK_WAIT_S,
    ]);
    if ((lockRows as { locked: number }[])[0]?.locked !== 1) {
      throw new Error(`could not take the migration lock within ${MIGRATION_LOCK_WAIT_S} s`);
    }
    try {
      // Tables inherit the database's charset; chat text needs full UTF-8 (emoji included).
      await connection.query("ALTER DATABASE CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
      const before = await countApplied(client);
      const metas = toMigrationMeta();
      // Drizzle's own migrator, fed from memory instead of a folder; same bookkeeping table.
      const { dialect, session } = client.db as unknown as DrizzleInternals;
      await dialect.migrate(metas, session, { migrationsFolder: "(embedded)" });
      const after = await countApplied(client);
      return { applied: after - before, total: metas.length };
    } finally {
      await connection.query("SELECT RELEASE_LOCK(?)", [MIGRATION_LOCK]);
    }
  } finally {
    connection.release();
  }
}

async function countApplied(client: AppDbClient): Promise<number> {
  const exists = await client.db.execute(
    sql`SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = '__drizzle_migrations'`,
  );
  const rows = exists[0] as unknown as { n: number }[];
  if (Number(rows[0]?.n ?? 0) === 0) return 0;
  const result = await client.db.execute(sql`SELECT COUNT(*) AS n FROM __drizzle_migrations`);
  return Number((result[0] as unknown as { n: number }[])[0]?.n ?? 0);
}
