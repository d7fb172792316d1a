// `hilo migrate`: applies the embedded App MySQL migrations, then ensures the FAQ tables in PostgreSQL
// (vector size and model from the config). Needs only those two datastores.

import { ensureFaqSchema, FaqSchemaError } from "../faq";
import { createAppDb } from "../infra/app-db";
import { migrateAppDb } from "../infra/app-db-migrate";
import { type Dependency, withTimeout } from "../infra/dependency";
import { createFaqDb } from "../infra/faq-db";
import { EXIT_STARTUP, loadConfigOrExit } from "../lifecycle/run";

/** The FAQ tables disagree with the config: an operator decision, not something a retry fixes. */
const EXIT_FAQ_MISMATCH = 1;

async function checkReachableOrExit(dependency: Dependency, timeoutMs: number): Promise<void> {
  try {
    await withTimeout(dependency.name, timeoutMs, dependency.check());
  } catch (error) {
    process.stderr.write(
      `hilo: start-up failed: ${dependency.name} is unreachable (${(error as Error).message})\n`,
    );
    await dependency.close().catch(() => {});
    process.exit(EXIT_STARTUP);
  }
}

export async function runMigrate(): Promise<void> {
  const config = loadConfigOrExit();
  const timeoutMs = config.HILO_STARTUP_CHECK_TIMEOUT_MS;
  const appDb = createAppDb(config.APP_DB_URL, timeoutMs);
  await checkReachableOrExit(appDb, timeoutMs);
  try {
    const result = await migrateAppDb(appDb);
    console.log(`migrations: ${result.applied} applied, ${result.total} known`);
  } finally {
    await appDb.close();
  }

  const faqDb = createFaqDb(config.FAQ_DB_URL, timeoutMs);
  await checkReachableOrExit(faqDb, timeoutMs);
  const spec = { model: config.HILO_EMBEDDING_MODEL, dimensions: config.HILO_EMBEDDING_DIMENSIONS };
  try {
    const outcome = await ensureFaqSchema(faqDb.sql, spec);
    console.log(`faq schema: ${outcome} (vector(${spec.dimensions}), ${spec.model})`);
  } catch (error) {
    if (!(error instanceof FaqSchemaError)) throw error;
    process.stderr.write(`hilo migrate: ${error.message}\n`);
    process.exitCode = EXIT_FAQ_MISMATCH;
  } finally {
    await faqDb.close();
  }
}
