// `hilo migrate`: applies the embedded App MySQL migrations. Needs only the App MySQL.

import { migrateAppDb } from "../db/migrate";
import { createAppDb } from "../infra/app-db";
import { withTimeout } from "../infra/dependency";
import { EXIT_STARTUP, loadConfigOrExit } from "../lifecycle/run";

export async function runMigrate(): Promise<void> {
  const config = loadConfigOrExit();
  const appDb = createAppDb(config.APP_DB_URL, config.HILO_STARTUP_CHECK_TIMEOUT_MS);
  try {
    await withTimeout("app_mysql", config.HILO_STARTUP_CHECK_TIMEOUT_MS, appDb.check());
  } catch (error) {
    process.stderr.write(`hilo: start-up failed: app_mysql is unreachable (${(error as Error).message})\n`);
    await appDb.close().catch(() => {});
    process.exit(EXIT_STARTUP);
  }
  try {
    const result = await migrateAppDb(appDb);
    console.log(`migrations: ${result.applied} applied, ${result.total} known`);
  } finally {
    await appDb.close();
  }
}
