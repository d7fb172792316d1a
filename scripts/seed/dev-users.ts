/**
 * Seeds the dev console's sign-in account (App MySQL `dev_users`) for ./scripts/dev: username `console`,
 * password `hilo-console`. Dev stacks only: the login that reads it is never registered in production.
 * Idempotent: a re-run sets the same password again.
 *
 *   APP_DB_URL=mysql://hilo:hilo@127.0.0.1:13306/hilo_app bun scripts/seed/dev-users.ts [username password]
 */
import { upsertDevUser } from "../../src/dev/users";
import { createAppDb } from "../../src/infra/app-db";

export const CONSOLE_USERNAME = "console";
export const CONSOLE_PASSWORD = "hilo-console";

if (import.meta.main) {
  const url = process.env.APP_DB_URL;
  if (!url) {
    console.error("Set APP_DB_URL (mysql://…) to seed the dev console account.");
    process.exit(2);
  }
  const [username = CONSOLE_USERNAME, password = CONSOLE_PASSWORD] = process.argv.slice(2);
  const appDb = createAppDb(url, 5_000);
  try {
    await upsertDevUser(appDb.db, username, password);
    console.log(`Dev console account '${username}' ready.`);
  } catch (error) {
    console.error("Dev console seed failed:", error);
    process.exitCode = 1;
  } finally {
    await appDb.close();
  }
}
